package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// smokeConfig is a short run against addr, with the test process as the
// "server" whose CPU is read.
func smokeConfig(mode, addr string) *config {
	return &config{
		mode: mode, addr: addr, conns: 4, size: 64, n: 100, streams: 4, alpn: "echo",
		duration: 500 * time.Millisecond, warmup: 100 * time.Millisecond,
		maxOps: 1 << 30, timeout: 100 * time.Millisecond, hold: 50 * time.Millisecond,
		ping: true, pid: os.Getpid(),
	}
}

func runSmoke(t *testing.T, cfg *config) *result {
	t.Helper()
	if err := cfg.check(); err != nil {
		t.Fatalf("config: %v", err)
	}
	r, err := bench(context.Background(), cfg)
	if err != nil {
		t.Fatalf("%s: %v", cfg.mode, err)
	}
	t.Log(r)
	if r.Ops <= 0 || r.Rate <= 0 || r.Seconds <= 0 {
		t.Errorf("ops %v rate %v seconds %v: want all > 0", r.Ops, r.Rate, r.Seconds)
	}
	if r.Errors != 0 {
		t.Errorf("%d errors, first: %s", r.Errors, r.FirstError)
	}
	if r.Server == nil {
		t.Fatal("no server figures although -pid was given")
	}
	if r.Server.CPUPerOp <= 0 || r.Server.RSSAfter <= 0 {
		t.Errorf("server CPU %v us/op, RSS %d: want both > 0", r.Server.CPUPerOp, r.Server.RSSAfter)
	}
	var out bytes.Buffer
	if err := r.write(&out, true); err != nil || !strings.Contains(out.String(), `"cpu_us_per_op"`) {
		t.Errorf("JSON output %q, %v", out.String(), err)
	}
	return r
}

func checkLatency(t *testing.T, r *result) {
	t.Helper()
	l := r.Latency
	if l == nil {
		t.Fatal("no latency")
	}
	if !(0 < l.P50 && l.P50 <= l.P99 && l.P99 <= l.P999) {
		t.Errorf("latency p50 %v p99 %v p999 %v: want 0 < p50 <= p99 <= p999", l.P50, l.P99, l.P999)
	}
}

func TestSmokePingpong(t *testing.T) {
	r := runSmoke(t, smokeConfig("pingpong", serveTCP(t, echoConn)))
	checkLatency(t, r)
	if r.Unit != "round trips" {
		t.Errorf("unit %q", r.Unit)
	}
}

func TestSmokeStream(t *testing.T) {
	r := runSmoke(t, smokeConfig("stream", serveTCP(t, echoConn)))
	// Even under -race on a busy machine, loopback echoes far more than
	// 1 MB/s.
	if r.Unit != "MB" || r.Rate < 1 {
		t.Errorf("%v %s/s: want at least 1 MB/s", r.Rate, r.Unit)
	}
}

func TestSmokeConnrate(t *testing.T) {
	r := runSmoke(t, smokeConfig("connrate", serveTCP(t, greetConn)))
	checkLatency(t, r)
}

func TestSmokeUDP(t *testing.T) {
	r := runSmoke(t, smokeConfig("udp", serveUDP(t, func(b []byte) []byte { return b })))
	checkLatency(t, r)
}

func TestSmokeIdle(t *testing.T) {
	cfg := smokeConfig("idle", serveTCP(t, echoConn))
	r := runSmoke(t, cfg)
	if r.Ops != float64(cfg.n) {
		t.Errorf("held %v connections, want %d", r.Ops, cfg.n)
	}
}

func TestSmokeQUIC(t *testing.T) {
	r := runSmoke(t, smokeConfig("quic", serveQUIC(t)))
	checkLatency(t, r)
	if r.Streams != 4 {
		t.Errorf("streams %d, want 4", r.Streams)
	}
}

// A server that answers with the wrong bytes must not pass as an echo.
func TestPingpongRejectsWrongEcho(t *testing.T) {
	addr := serveTCP(t, func(c net.Conn) {
		defer c.Close()
		buf := make([]byte, 64)
		for {
			if _, err := io.ReadFull(c, buf); err != nil {
				return
			}
			buf[len(buf)-1] ^= 1
			c.Write(buf)
		}
	})
	cfg := smokeConfig("pingpong", addr)
	cfg.duration, cfg.warmup = 100*time.Millisecond, 0
	_, err := bench(context.Background(), cfg)
	if err == nil || !strings.Contains(err.Error(), "differs") {
		t.Fatalf("err = %v, want the echo to be rejected", err)
	}
}

// Datagrams that never come back are losses, and a run with no echo at all
// is an error rather than a rate of zero.
func TestUDPCountsLoss(t *testing.T) {
	n := 0
	addr := serveUDP(t, func(b []byte) []byte {
		n++
		if n%2 == 0 {
			return nil
		}
		return b
	})
	cfg := smokeConfig("udp", addr)
	cfg.conns, cfg.duration, cfg.warmup, cfg.timeout = 1, 300*time.Millisecond, 0, 20*time.Millisecond
	r, err := bench(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if r.Lost == 0 || r.Ops == 0 {
		t.Errorf("lost %d, ops %v: want both > 0 when every other datagram is dropped", r.Lost, r.Ops)
	}

	cfg.addr = serveUDP(t, func([]byte) []byte { return nil })
	if _, err := bench(context.Background(), cfg); err == nil {
		t.Error("no error although no datagram came back")
	}
}

// -max-ops ends the window before -duration.
func TestMaxOpsBoundsTheRun(t *testing.T) {
	cfg := smokeConfig("pingpong", serveTCP(t, echoConn))
	cfg.duration, cfg.warmup, cfg.maxOps = 10*time.Second, 0, 200
	start := time.Now()
	r, err := bench(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("run took %v although -max-ops 200 should end it at once", el)
	}
	// Connections finishing their round trip as the window closes may
	// add one each.
	if r.Ops < 200 || r.Ops > 200+float64(cfg.conns) {
		t.Errorf("ops %v, want 200 (+ at most one per connection)", r.Ops)
	}
}

// The command line end to end: flags in, one JSON object out.
func TestRunMainJSON(t *testing.T) {
	addr := serveTCP(t, echoConn)
	var out, errOut bytes.Buffer
	code := runMain([]string{"-mode", "pingpong", "-addr", addr, "-c", "2", "-warmup", "0s", "-duration", "200ms", "-json", "-pid", strconv.Itoa(os.Getpid())}, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var r result
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("output %q: %v", out.String(), err)
	}
	if r.Mode != "pingpong" || r.Ops <= 0 || r.Server == nil || r.Server.PID != os.Getpid() || r.Latency == nil {
		t.Errorf("result %+v", r)
	}
}
