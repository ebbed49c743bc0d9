package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// benchResult is the part of sockw-bench's JSON output the report uses.
type benchResult struct {
	Conns          int     `json:"conns"`
	Ops            float64 `json:"ops"`
	Unit           string  `json:"unit"`
	Rate           float64 `json:"rate"`
	Seconds        float64 `json:"seconds"`
	Errors         int64   `json:"errors"`
	Lost           int64   `json:"lost"`
	ClientCPUPerOp float64 `json:"client_cpu_us_per_op"`
	FirstError     string  `json:"first_error"`
	Latency        *struct {
		P50  float64 `json:"p50_us"`
		P99  float64 `json:"p99_us"`
		P999 float64 `json:"p999_us"`
	} `json:"latency"`
	Server *struct {
		CPUPerOp   float64 `json:"cpu_us_per_op"`
		CPUShare   float64 `json:"cpu_share"`
		RSSAfter   int64   `json:"rss_after"`
		RSSPerConn float64 `json:"rss_per_conn"`
	} `json:"server"`
}

// outcome is one measurement, as results.json keeps it.
type outcome struct {
	Mode   string       `json:"mode"`
	Server string       `json:"server"`
	Pinned bool         `json:"pinned"`
	Rep    int          `json:"rep"`
	Result *benchResult `json:"result,omitempty"`
	Err    string       `json:"error,omitempty"`
}

// tailBuffer keeps the last bytes written to it: a server's log, for the
// report when it fails.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > 4096 {
		t.buf = t.buf[len(t.buf)-4096:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.TrimSpace(string(t.buf))
}

// runCell starts the cell's server on port, runs sockw-bench against it,
// and stops the server.
func runCell(ctx context.Context, p *paths, env []string, c cell, port int) (*benchResult, error) {
	args := c.server.cmd(c.mode.kind, port)
	if c.pinned {
		args = append([]string{"taskset", "-c", "0"}, args...)
	}
	srv := exec.Command(args[0], args[1:]...)
	srv.Dir = p.root
	srv.Env = env
	var log tailBuffer
	srv.Stdout, srv.Stderr = &log, &log
	// Its own process group, so that stopping it reaches any helper it
	// spawned, and a Ctrl-C of bench/run reaches it only through us.
	srv.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := srv.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", c.server.name, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- srv.Wait() }()
	defer stopServer(srv, exited)

	if err := waitListening(ctx, c.mode.kind, port, exited); err != nil {
		return nil, fmt.Errorf("%s did not start: %w; its output: %s", c.server.name, err, lastLine(log.String()))
	}
	load := append([]string{p.bench, "-json", "-addr", fmt.Sprintf("127.0.0.1:%d", port), "-pid", strconv.Itoa(srv.Process.Pid)}, c.mode.args...)
	if c.mode.idle {
		load = append(load, "-n", strconv.Itoa(idleConns(c.mode, c.server, p.nofile)))
	}
	if c.pinned {
		load = append([]string{"taskset", "-c", "1"}, load...)
	}
	lctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	lg := exec.CommandContext(lctx, load[0], load[1:]...)
	lg.Env = env
	var out, errOut bytes.Buffer
	lg.Stdout, lg.Stderr = &out, &errOut
	lerr := lg.Run()
	select {
	case err := <-exited:
		exited <- err
		return nil, fmt.Errorf("%s exited during the run (%v); its output: %s", c.server.name, err, lastLine(log.String()))
	default:
	}
	if lerr != nil {
		err := fmt.Errorf("sockw-bench: %v: %s", lerr, oneLine(errOut.String()))
		if l := log.String(); l != "" {
			err = fmt.Errorf("%w; the server's log ends: %s", err, lastLine(l))
		}
		return nil, err
	}
	var r benchResult
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		return nil, fmt.Errorf("sockw-bench output %q: %w", out.String(), err)
	}
	return &r, nil
}

// idleConns is how many connections the idle mode holds on s: the mode's
// count, or fewer when s spends more than one descriptor per connection
// and the open-file limit would not fit them.
func idleConns(m mode, s *server, nofile uint64) int {
	per := max(s.fdsPerConn, 1)
	fit := (int(min(nofile, 1<<30)) - 256) / per
	if fit < m.idleN {
		return max(fit/1000*1000, 100)
	}
	return m.idleN
}

// stopServer ends the server it started: SIGTERM, then SIGKILL to its
// process group if it has not exited within a second.
func stopServer(srv *exec.Cmd, exited chan error) {
	pid := srv.Process.Pid
	syscall.Kill(pid, syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(time.Second):
		syscall.Kill(-pid, syscall.SIGKILL)
		<-exited
	}
	// Helpers left in the group, if any.
	syscall.Kill(-pid, syscall.SIGKILL)
}

// waitListening polls /proc/net until something listens on port (TCP) or
// has it bound (UDP, QUIC). Unlike a test connection, this leaves the
// server untouched before the measurement.
func waitListening(ctx context.Context, kind string, port int, exited chan error) error {
	proto := "tcp"
	if kind == kindUDP || kind == kindQUIC {
		proto = "udp"
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		if bound(proto, port) {
			return nil
		}
		select {
		case err := <-exited:
			exited <- err
			return fmt.Errorf("exited: %v", err)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("nothing listens on %s port %d after 20s", proto, port)
		}
	}
}

// bound reports whether a socket is bound to port (for TCP, listening) on
// any address, per /proc/net/{tcp,tcp6,udp,udp6}.
func bound(proto string, port int) bool {
	want := fmt.Sprintf(":%04X", port)
	for _, f := range []string{"/proc/net/" + proto, "/proc/net/" + proto + "6"} {
		fh, err := os.Open(f)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 4 || !strings.HasSuffix(fields[1], want) {
				continue
			}
			if proto == "udp" || fields[3] == "0A" { // 0A: TCP_LISTEN
				fh.Close()
				return true
			}
		}
		fh.Close()
	}
	return false
}

// ports hands out listening ports below the ephemeral range, a fresh one
// per run, so no run meets the previous one's TIME_WAIT sockets.
type ports struct{ next int }

func (p *ports) take() (int, error) {
	for range 10000 {
		p.next++
		if p.next >= 32000 {
			p.next = 21000
		}
		if !bound("tcp", p.next) && !bound("udp", p.next) {
			return p.next, nil
		}
	}
	return 0, errors.New("no free port in 21000..32000")
}

// oneLine folds s onto one line and keeps its first 600 bytes.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 600 {
		s = s[:600] + "..."
	}
	return s
}

// lastLine folds s onto one line and keeps its last 300 bytes: the end of a
// server's log says why it failed.
func lastLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = "..." + s[len(s)-300:]
	}
	return s
}
