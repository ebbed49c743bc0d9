package main

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
)

func testServers() []*server {
	mk := func(name string, kinds ...string) *server {
		return &server{name: name, why: map[string]string{}, cmd: func(kind string, _ int) []string {
			for _, k := range kinds {
				if k == kind {
					return []string{name}
				}
			}
			return nil
		}}
	}
	return []*server{
		mk("go", kindEcho, kindGreet, kindUDP, kindQUIC),
		mk("node", kindEcho, kindGreet, kindUDP),
		mk("sockw-pipe", kindEcho, kindGreet, kindUDP, kindQUIC),
		mk("sockw-loop", kindEcho),
	}
}

func res(cpu, rate float64) *benchResult {
	r := &benchResult{Rate: rate, Unit: "round trips"}
	r.Server = &struct {
		CPUPerOp   float64 `json:"cpu_us_per_op"`
		CPUShare   float64 `json:"cpu_share"`
		RSSAfter   int64   `json:"rss_after"`
		RSSPerConn float64 `json:"rss_per_conn"`
	}{CPUPerOp: cpu, CPUShare: 0.9, RSSPerConn: cpu * 1000}
	return r
}

func TestScheduleRotatesAndSkips(t *testing.T) {
	ss := testServers()
	ss[3].why[kindEcho] = "does not start"
	ms := modes(quickTiming)
	first := schedule(ms, ss, quickTiming, 0)
	second := schedule(ms, ss, quickTiming, 1)
	if len(first) != len(second) || len(first) == 0 {
		t.Fatalf("%d and %d runs", len(first), len(second))
	}
	for _, c := range first {
		if c.server.name == "sockw-loop" {
			t.Errorf("%s scheduled although its echo does not start", c.key())
		}
		if !c.pinned {
			t.Errorf("%s: -quick runs pinned only", c.key())
		}
		if c.mode.kind == kindQUIC && c.server.name == "node" {
			t.Errorf("node scheduled for QUIC")
		}
	}
	if first[0].server == second[0].server {
		t.Errorf("both repetitions start with %s: the order should rotate", first[0].server.name)
	}
}

func TestReportMediansRatiosAndTargets(t *testing.T) {
	ss := testServers()
	ms := modes(fullTiming)
	var outs []outcome
	add := func(mode, srv string, pinned bool, cpus ...float64) {
		for i, c := range cpus {
			outs = append(outs, outcome{Mode: mode, Server: srv, Pinned: pinned, Rep: i + 1, Result: res(c, 1000/c)})
		}
	}
	add("pingpong-50", "go", true, 8, 9, 100) // median 9: one outlier does not move it
	add("pingpong-50", "node", true, 10, 10, 10)
	add("pingpong-50", "sockw-pipe", true, 12, 11, 13) // 1.2x Node: missed
	add("stream", "node", true, 1000)
	add("stream", "sockw-pipe", true, 500) // 0.5x Node: met
	outs = append(outs, outcome{Mode: "udp", Server: "sockw-pipe", Pinned: true, Rep: 1, Err: "server exited | badly"})
	withErrs := res(40, 25)
	withErrs.Errors, withErrs.FirstError = 5, "read: connection reset by peer"
	outs = append(outs, outcome{Mode: "connrate", Server: "node", Pinned: true, Rep: 1, Result: withErrs})
	r := buildReport(ms, ss, ss, outs, &machine{repsRun: 3, repsPlanned: 3}, fullTiming)
	r.chartFile = "x.svg"
	if a := r.get("pingpong-50", "go", true); a == nil || a.cpuPerOp != 9 || a.runs != 3 {
		t.Fatalf("go pingpong medians: %+v", a)
	}
	if got := r.ratio(ms[0], "sockw-pipe", "node", true); got != 1.2 {
		t.Errorf("sockw/node = %v, want 1.2", got)
	}
	md := r.markdown()
	for _, want := range []string{
		"| pingpong 64 B at 50 conns, sockw echo.js / Node, server CPU per op | 1.20 | ≤ 1.0 | **missed** |",
		"| stream, sockw echo.js / Node | 0.50 | ≤ 0.6 | met |",
		"| UDP, sockw echo.js / Node | – | ≤ 0.9 | no data |",
		"- sockw-pipe, udp, pinned: 1 of 1 runs failed: server exited \\| badly",
		"| pingpong 64 B, 50 conns | sockw-pipe | 12.0 us/op | 1.33 | 1.20 |",
		"| 1 (5 errors) |",
		"- node, connrate, pinned: 5 errors, 0 datagrams lost over 1 runs; first: read: connection reset by peer",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(md)
	}
	svg := r.chart()
	dec := xml.NewDecoder(strings.NewReader(svg))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("chart is not well-formed XML: %v", err)
		}
	}
	if !strings.Contains(svg, ">sockw-pipe<") || !strings.Contains(svg, ">1.20<") {
		t.Errorf("chart lacks the sockw-pipe bar at 1.20")
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
	}{{[]float64{3, 1, 2}, 2}, {[]float64{4, 1, 3, 2}, 2.5}, {[]float64{7}, 7}} {
		if got := median(c.in); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
	if got := median(nil); got == got {
		t.Errorf("median(nil) = %v, want NaN", got)
	}
}
