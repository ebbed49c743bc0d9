package main

import (
	"fmt"
	"time"
)

// mode is one column of the matrix: a sockw-bench invocation and the kind
// of server it needs.
type mode struct {
	id    string
	label string
	kind  string
	args  []string
	// idle reports memory per connection rather than CPU per operation,
	// and runs pinned only: pinning does not change memory. idleN is its
	// connection count (-n, added per server by runCell).
	idle  bool
	idleN int
}

// timing is how long each measurement takes.
type timing struct {
	reps     int
	warmup   time.Duration
	duration time.Duration
	idleN    int
	hold     time.Duration
	unpinned bool
}

var (
	fullTiming  = timing{reps: 3, warmup: 500 * time.Millisecond, duration: 2500 * time.Millisecond, idleN: 10000, hold: time.Second, unpinned: true}
	quickTiming = timing{reps: 1, warmup: 200 * time.Millisecond, duration: 600 * time.Millisecond, idleN: 2000, hold: 300 * time.Millisecond, unpinned: false}
)

func modes(t timing) []mode {
	win := []string{"-warmup", t.warmup.String(), "-duration", t.duration.String()}
	with := func(args ...string) []string { return append(args, win...) }
	return []mode{
		{id: "pingpong-50", label: "pingpong 64 B, 50 conns", kind: kindEcho, args: with("-mode", "pingpong", "-c", "50", "-size", "64")},
		{id: "pingpong-500", label: "pingpong 64 B, 500 conns", kind: kindEcho, args: with("-mode", "pingpong", "-c", "500", "-size", "64")},
		{id: "stream", label: "stream 64 KiB writes, 4 conns", kind: kindEcho, args: with("-mode", "stream", "-c", "4")},
		{id: "connrate", label: "connect, greet, close, 50 dialers", kind: kindGreet, args: with("-mode", "connrate", "-c", "50")},
		{id: "udp", label: "UDP 64 B round trip, 50 flows", kind: kindUDP, args: with("-mode", "udp", "-c", "50", "-size", "64")},
		{id: "idle", label: fmt.Sprintf("idle, %d conns", t.idleN), kind: kindEcho, idle: true, idleN: t.idleN,
			args: []string{"-mode", "idle", "-c", "50", "-hold", t.hold.String()}},
		{id: "quic", label: "QUIC 64 B round trip, 16 streams", kind: kindQUIC, args: with("-mode", "quic", "-streams", "16", "-size", "64", "-alpn", "echo")},
	}
}

// cell is one (mode, server, pinning) measurement, repeated.
type cell struct {
	mode   mode
	server *server
	pinned bool
}

func (c cell) key() string { return fmt.Sprintf("%s/%s/%v", c.mode.id, c.server.name, c.pinned) }

// schedule lists the runs of one repetition. Within each mode the servers
// take turns, and the order rotates with rep, so a slow drift of the machine
// (another job, thermal) spreads over all servers instead of landing on one.
func schedule(ms []mode, ss []*server, t timing, rep int) []cell {
	var out []cell
	for _, pinned := range []bool{true, false} {
		if !pinned && !t.unpinned {
			continue
		}
		for _, m := range ms {
			if m.idle && !pinned {
				continue
			}
			var row []cell
			for _, s := range ss {
				if s.supports(m.kind) {
					row = append(row, cell{mode: m, server: s, pinned: pinned})
				}
			}
			for i := range row {
				out = append(out, row[(i+rep)%len(row)])
			}
		}
	}
	return out
}
