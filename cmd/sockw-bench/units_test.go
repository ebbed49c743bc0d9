package main

import (
	"bytes"
	"errors"
	"flag"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestLoopbackAddr(t *testing.T) {
	ok := map[string]string{
		"127.0.0.1:80":         "127.0.0.1:80",
		"127.1.2.3:8787":       "127.1.2.3:8787",
		"localhost:9":          "127.0.0.1:9",
		"[::1]:443":            "[::1]:443",
		"[::ffff:127.0.0.1]:5": "127.0.0.1:5",
	}
	for in, want := range ok {
		got, err := loopbackAddr(in)
		if err != nil || got != want {
			t.Errorf("loopbackAddr(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"10.0.0.1:80", "192.168.1.1:80", "8.8.8.8:53", "[::2]:80", "example.com:80", "0.0.0.0:80", "127.0.0.1", "[fe80::1%lo]:80"} {
		if got, err := loopbackAddr(in); err == nil {
			t.Errorf("loopbackAddr(%q) = %q, want an error", in, got)
		}
	}
}

func TestParseConfig(t *testing.T) {
	var out bytes.Buffer
	if _, err := parseConfig([]string{"-h"}, &out); !errors.Is(err, flag.ErrHelp) || !strings.Contains(out.String(), "Modes:") {
		t.Errorf("-h: %v, usage %q", err, out.String())
	}
	bad := [][]string{
		{"-mode", "flood"},
		{"-addr", "10.1.1.1:80"},
		{"-c", "0"},
		{"-duration", "0s"},
		{"-max-ops", "0"},
		{"-mode", "udp", "-size", "70000"},
		{"-mode", "idle"}, // no -pid
		{"pingpong"},
	}
	for _, args := range bad {
		if _, err := parseConfig(args, &out); err == nil {
			t.Errorf("parseConfig(%q) accepted", args)
		}
	}
	c, err := parseConfig([]string{"-mode", "idle", "-pid", "1", "-addr", "localhost:1"}, &out)
	if err != nil || c.addr != "127.0.0.1:1" || c.n != 10000 {
		t.Errorf("parseConfig: %+v, %v", c, err)
	}
}

func TestParseStat(t *testing.T) {
	// The command name may contain spaces and parentheses.
	stat := []byte("42 (a) b (c)) S 1 42 42 0 -1 4194560 100 0 0 0 250 130 0 0 20 0 1 0 5 1000 200 18446744073709551615\n")
	got, err := parseStatCPU(stat)
	if want := 3800 * time.Millisecond; err != nil || got != want {
		t.Errorf("parseStatCPU = %v, %v; want %v", got, err, want)
	}
	if _, err := parseStatCPU([]byte("42 (x) S 1 2")); err == nil {
		t.Error("short stat accepted")
	}
	rss, err := parseStatusRSS([]byte("Name:\tx\nVmPeak:\t  100 kB\nVmRSS:\t    2048 kB\nThreads:\t1\n"))
	if err != nil || rss != 2048<<10 {
		t.Errorf("parseStatusRSS = %d, %v", rss, err)
	}
	if _, err := parseStatusRSS([]byte("Name:\tx\n")); err == nil {
		t.Error("status without VmRSS accepted")
	}
}

// The histogram's quantiles stay within 0.4% of the exact ones of a sorted
// sample, over latencies from nanoseconds to seconds.
func TestHistogramQuantiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var h histogram
	sample := make([]time.Duration, 100_000)
	for i := range sample {
		// Log-uniform from 1 ns to ~1 s.
		d := time.Duration(math.Exp2(rng.Float64() * 30))
		sample[i] = d
		h.record(d)
	}
	slices.Sort(sample)
	for _, q := range []float64{0.01, 0.5, 0.9, 0.99, 0.999, 1} {
		exact := sample[max(0, int(q*float64(len(sample))+0.999999)-1)]
		got := h.quantile(q)
		if diff := float64(got-exact) / float64(exact); diff < -0.004 || diff > 0.004 {
			t.Errorf("q%v: got %v, exact %v (%.2f%% off)", q, got, exact, diff*100)
		}
	}
	var other histogram
	other.record(time.Hour) // past the top bucket: clamped, not lost
	h.merge(&other)
	if h.total != uint64(len(sample))+1 || h.quantile(1) < 30*time.Minute {
		t.Errorf("after merge: total %d, max %v", h.total, h.quantile(1))
	}
}

func TestRunMainRefusesRemoteTarget(t *testing.T) {
	var out, errOut bytes.Buffer
	code := runMain([]string{"-addr", "192.0.2.1:80"}, &out, &errOut)
	if code != 2 || !strings.Contains(errOut.String(), "not a loopback address") {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
}
