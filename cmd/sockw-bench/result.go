package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// result is what one run reports; with -json it is printed as one object.
// Rates and per-operation costs are over the measured window only.
type result struct {
	Mode    string  `json:"mode"`
	Addr    string  `json:"addr"`
	Conns   int     `json:"conns"`
	Size    int     `json:"size,omitempty"`
	Streams int     `json:"streams,omitempty"`
	Seconds float64 `json:"seconds"`
	// Ops counts the operations in the window, in Unit: round trips,
	// connections, or (stream) megabytes echoed.
	Ops  float64 `json:"ops"`
	Unit string  `json:"unit"`
	// Rate is Ops per second (stream: MB/s).
	Rate   float64 `json:"rate"`
	Errors int64   `json:"errors"`
	// Lost counts UDP datagrams whose echo did not come within -timeout.
	Lost    int64    `json:"lost,omitempty"`
	Latency *latency `json:"latency,omitempty"`
	// ClientCPUPerOp is the load generator's own CPU time per operation.
	ClientCPUPerOp float64 `json:"client_cpu_us_per_op"`
	Server         *server `json:"server,omitempty"`
	// FirstError is the first error a connection met inside the window.
	FirstError string `json:"first_error,omitempty"`
}

// latency holds quantiles in microseconds.
type latency struct {
	P50    float64 `json:"p50_us"`
	P99    float64 `json:"p99_us"`
	P999   float64 `json:"p999_us"`
	Method string  `json:"method"`
}

// server holds what /proc says about the server process.
type server struct {
	PID int `json:"pid"`
	// CPUSeconds is utime+stime spent inside the window (1/100 s ticks).
	CPUSeconds float64 `json:"cpu_s"`
	// CPUPerOp is CPUSeconds per operation, in microseconds (stream: per MB).
	CPUPerOp float64 `json:"cpu_us_per_op"`
	// CPUShare is CPUSeconds over the window's length: 1 is one core busy.
	CPUShare  float64 `json:"cpu_share"`
	RSSBefore int64   `json:"rss_before"`
	RSSAfter  int64   `json:"rss_after"`
	// RSSPerConn is (RSSAfter-RSSBefore)/n bytes (idle only).
	RSSPerConn float64 `json:"rss_per_conn,omitempty"`
}

func newLatency(h *histogram) *latency {
	if h.total == 0 {
		return nil
	}
	us := func(q float64) float64 { return float64(h.quantile(q)) / float64(time.Microsecond) }
	return &latency{P50: us(0.50), P99: us(0.99), P999: us(0.999), Method: "log-linear histogram, within 0.4%"}
}

// finish fills the rates and server figures from the window.
func (r *result) finish(w *window) {
	secs := w.elapsed().Seconds()
	r.Seconds = secs
	if secs > 0 {
		r.Rate = r.Ops / secs
	}
	if r.Ops > 0 {
		r.ClientCPUPerOp = float64(w.selfAfter-w.selfBefore) / float64(time.Microsecond) / r.Ops
	}
	if w.pid == 0 {
		return
	}
	cpu := (w.after.CPU - w.before.CPU).Seconds()
	r.Server = &server{PID: w.pid, CPUSeconds: cpu, RSSBefore: w.before.RSS, RSSAfter: w.after.RSS}
	if r.Ops > 0 {
		r.Server.CPUPerOp = cpu * 1e6 / r.Ops
	}
	if secs > 0 {
		r.Server.CPUShare = cpu / secs
	}
}

func (r *result) write(out io.Writer, asJSON bool) error {
	if asJSON {
		b, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("encoding the result: %w", err)
		}
		_, err = fmt.Fprintf(out, "%s\n", b)
		return err
	}
	_, err := fmt.Fprintln(out, r.String())
	return err
}

// String is the human line.
func (r *result) String() string {
	var b strings.Builder
	conns := "c"
	if r.Mode == "idle" {
		conns = "n"
	}
	fmt.Fprintf(&b, "%s %s %s=%d", r.Mode, r.Addr, conns, r.Conns)
	if r.Size > 0 {
		fmt.Fprintf(&b, " size=%d", r.Size)
	}
	if r.Streams > 0 {
		fmt.Fprintf(&b, " streams=%d", r.Streams)
	}
	unit := r.Unit + "/s"
	if r.Unit == "MB" {
		unit = "MB/s"
	}
	fmt.Fprintf(&b, ": %.0f %s over %.2fs (%.0f %s, %d errors", r.Rate, unit, r.Seconds, r.Ops, r.Unit, r.Errors)
	if r.Mode == "udp" {
		fmt.Fprintf(&b, ", %d lost", r.Lost)
	}
	b.WriteString(")")
	if l := r.Latency; l != nil {
		fmt.Fprintf(&b, "; latency p50 %s p99 %s p999 %s", fmtUS(l.P50), fmtUS(l.P99), fmtUS(l.P999))
	}
	per := "op"
	if r.Unit == "MB" {
		per = "MB"
	}
	fmt.Fprintf(&b, "; client %.2f us/%s", r.ClientCPUPerOp, per)
	if s := r.Server; s != nil {
		fmt.Fprintf(&b, "; server pid %d: %.2f us/%s CPU (%.0f%% of a core), RSS %.1f MiB",
			s.PID, s.CPUPerOp, per, s.CPUShare*100, float64(s.RSSAfter)/(1<<20))
		if r.Mode == "idle" {
			fmt.Fprintf(&b, ", %+.0f bytes/conn", s.RSSPerConn)
		}
	}
	if r.FirstError != "" {
		fmt.Fprintf(&b, "; first error: %s", r.FirstError)
	}
	return b.String()
}

func fmtUS(us float64) string {
	switch {
	case us >= 1e6:
		return fmt.Sprintf("%.2fs", us/1e6)
	case us >= 1e3:
		return fmt.Sprintf("%.2fms", us/1e3)
	}
	return fmt.Sprintf("%.0fus", us)
}
