package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"time"
)

// config is one run's command line, checked.
type config struct {
	mode     string
	addr     string // loopback host:port, checked
	conns    int
	size     int
	n        int
	streams  int
	alpn     string
	duration time.Duration
	warmup   time.Duration
	maxOps   int64
	timeout  time.Duration
	hold     time.Duration
	ping     bool
	pid      int
	json     bool
}

// modes lists the modes, in the order usage shows them.
var modes = []string{"pingpong", "stream", "connrate", "udp", "idle", "quic"}

const usageText = `sockw-bench: a load generator for loopback servers (127.0.0.0/8 and ::1 only).

Usage: sockw-bench -mode MODE [flags]

Modes:
  pingpong  -c connections each send a -size byte request and wait for the
            whole echo; round trips/s and p50/p99/p999 latency
  stream    -c connections each write 64 KiB chunks and read the echo
            concurrently; MB/s (1 MB = 10^6 bytes)
  connrate  -c dialers each connect, read one line up to '\n', close;
            connections/s
  udp       -c flows (one UDP socket each) send a -size byte datagram and
            wait -timeout for the echo (a timeout counts as a loss);
            round trips/s
  idle      open -n connections (-c dialers), ping each once (-ping), hold
            them -hold, and report the server's RSS growth per connection
            (needs -pid)
  quic      -streams bidirectional streams on one QUIC connection (ALPN
            -alpn, certificate not verified) do -size byte echo round trips

With -pid, the server's CPU time (utime+stime from /proc/PID/stat, ticks of
1/100 s) is read when the measured window opens and closes, and reported per
operation, with its RSS (VmRSS from /proc/PID/status). The -warmup before the
window is not counted. Latency quantiles come from a log-linear histogram
(within 0.4% of a recorded value).

Every loop ends at the end of the window or after -max-ops operations,
whichever comes first.

Flags:
`

// parseConfig parses args. A bad command line yields an error that says
// what is wrong; -h yields flag.ErrHelp.
func parseConfig(args []string, out io.Writer) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("sockw-bench", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&c.mode, "mode", "pingpong", "pingpong, stream, connrate, udp, idle or quic")
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8787", "server address, on loopback")
	fs.IntVar(&c.conns, "c", 50, "connections, dialers or UDP flows")
	fs.IntVar(&c.size, "size", 64, "request or datagram size in bytes (pingpong, udp, quic)")
	fs.IntVar(&c.n, "n", 10000, "connections to hold (idle)")
	fs.IntVar(&c.streams, "streams", 16, "streams on the QUIC connection (quic)")
	fs.StringVar(&c.alpn, "alpn", "echo", "ALPN protocol to offer (quic)")
	fs.DurationVar(&c.duration, "duration", 5*time.Second, "length of the measured window")
	fs.DurationVar(&c.warmup, "warmup", time.Second, "load before the measured window, not counted")
	fs.Int64Var(&c.maxOps, "max-ops", 50_000_000, "end the window after this many operations (stream: 64 KiB chunks)")
	fs.DurationVar(&c.timeout, "timeout", 200*time.Millisecond, "wait this long for a UDP echo before counting the datagram lost")
	fs.DurationVar(&c.hold, "hold", 2*time.Second, "how long idle connections are held before the server's RSS is read (idle)")
	fs.BoolVar(&c.ping, "ping", true, "idle: do one 1-byte echo on each connection, so the server has accepted and served it")
	fs.IntVar(&c.pid, "pid", 0, "server process id, for its CPU time and RSS")
	fs.BoolVar(&c.json, "json", false, "print one JSON object instead of a line of text")
	fs.Usage = func() {
		fmt.Fprint(out, usageText)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (flags only; the mode is -mode)", fs.Arg(0))
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *config) check() error {
	known := false
	for _, m := range modes {
		known = known || m == c.mode
	}
	if !known {
		return fmt.Errorf("-mode %q: want one of %v", c.mode, modes)
	}
	addr, err := loopbackAddr(c.addr)
	if err != nil {
		return err
	}
	c.addr = addr
	var errs []error
	bound := func(name string, v, lo, hi int64) {
		if v < lo || v > hi {
			errs = append(errs, fmt.Errorf("-%s %d: want %d..%d", name, v, lo, hi))
		}
	}
	bound("c", int64(c.conns), 1, 100_000)
	maxSize := int64(64 << 20)
	if c.mode == "udp" {
		maxSize = 65507 // the largest UDP payload over IPv4
	}
	bound("size", int64(c.size), 1, maxSize)
	bound("n", int64(c.n), 1, 1_000_000)
	bound("streams", int64(c.streams), 1, 10_000)
	bound("max-ops", c.maxOps, 1, 1<<40)
	bound("pid", int64(c.pid), 0, 1<<22)
	if c.duration <= 0 || c.duration > time.Hour {
		errs = append(errs, fmt.Errorf("-duration %v: want more than 0 and at most 1h", c.duration))
	}
	if c.warmup < 0 || c.warmup > 10*time.Minute {
		errs = append(errs, fmt.Errorf("-warmup %v: want 0..10m", c.warmup))
	}
	if c.timeout <= 0 || c.timeout > time.Minute {
		errs = append(errs, fmt.Errorf("-timeout %v: want more than 0 and at most 1m", c.timeout))
	}
	if c.hold < 0 || c.hold > time.Hour {
		errs = append(errs, fmt.Errorf("-hold %v: want 0..1h", c.hold))
	}
	if c.mode == "idle" && c.pid == 0 {
		errs = append(errs, errors.New("-mode idle measures the server's memory: give its -pid"))
	}
	if c.alpn == "" || len(c.alpn) > 255 {
		errs = append(errs, fmt.Errorf("-alpn %q: want 1..255 bytes", c.alpn))
	}
	return errors.Join(errs...)
}

// deadline is the latest a run may last: the window, the warm-up, and a
// margin for dialing and closing. Every blocking call is bounded by it.
func (c *config) deadline() time.Duration {
	d := c.warmup + c.duration + 30*time.Second
	if c.mode == "idle" {
		// Dialing and pinging n connections, at worst ~1000 per second.
		d = c.hold + 30*time.Second + time.Duration(c.n)*time.Millisecond
	}
	return d
}
