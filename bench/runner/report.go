package main

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// agg is the medians of one cell's successful runs.
type agg struct {
	runs, failed int
	cpuPerOp     float64 // server us per op (stream: per MB)
	rate         float64
	p50, p99     float64 // us; 0 when the mode has no latency
	share        float64 // server CPU / window
	client       float64 // load generator us per op
	rssPerConn   float64
	errors, lost int64
	unit         string
	firstErr     string // of a failed run
	resultErr    string // the first error a successful run met
	conns        int    // connections held (idle)
}

type report struct {
	modes     []mode
	servers   []*server // those run
	all       []*server // all known, for the "not measured" list
	cells     map[string]*agg
	m         *machine
	t         timing
	chartFile string
	sockwErr  error
	npmErr    error
	nofile    uint64
}

func buildReport(ms []mode, ss, all []*server, outs []outcome, m *machine, t timing) *report {
	r := &report{modes: ms, servers: ss, all: all, cells: map[string]*agg{}, m: m, t: t}
	type key struct {
		mode, server string
		pinned       bool
	}
	groups := map[key][]outcome{}
	for _, o := range outs {
		k := key{o.Mode, o.Server, o.Pinned}
		groups[k] = append(groups[k], o)
	}
	for k, g := range groups {
		a := &agg{}
		var cpu, rate, p50, p99, share, client, rss []float64
		for _, o := range g {
			if o.Result == nil || o.Result.Server == nil {
				a.failed++
				if a.firstErr == "" {
					a.firstErr = o.Err
				}
				continue
			}
			x := o.Result
			a.runs++
			a.unit = x.Unit
			a.errors += x.Errors
			a.lost += x.Lost
			a.conns = max(a.conns, int(x.Ops))
			if a.resultErr == "" {
				a.resultErr = x.FirstError
			}
			cpu = append(cpu, x.Server.CPUPerOp)
			rate = append(rate, x.Rate)
			share = append(share, x.Server.CPUShare)
			client = append(client, x.ClientCPUPerOp)
			rss = append(rss, x.Server.RSSPerConn)
			if x.Latency != nil {
				p50 = append(p50, x.Latency.P50)
				p99 = append(p99, x.Latency.P99)
			}
		}
		a.cpuPerOp, a.rate, a.p50, a.p99 = median(cpu), median(rate), median(p50), median(p99)
		a.share, a.client, a.rssPerConn = median(share), median(client), median(rss)
		r.cells[fmt.Sprintf("%s/%s/%v", k.mode, k.server, k.pinned)] = a
	}
	return r
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if n := len(s); n%2 == 1 {
		return s[n/2]
	} else {
		return (s[n/2-1] + s[n/2]) / 2
	}
}

// get returns the cell's medians, or nil when it has no successful run.
func (r *report) get(mode, server string, pinned bool) *agg {
	a := r.cells[fmt.Sprintf("%s/%s/%v", mode, server, pinned)]
	if a == nil || a.runs == 0 {
		return nil
	}
	return a
}

// figure is what a mode compares: server CPU per operation, or for idle
// the RSS per connection.
func (r *report) figure(m mode, server string, pinned bool) float64 {
	a := r.get(m.id, server, pinned)
	if a == nil {
		return math.NaN()
	}
	if m.idle {
		return a.rssPerConn
	}
	return a.cpuPerOp
}

func (r *report) ratio(m mode, server, base string, pinned bool) float64 {
	return r.figure(m, server, pinned) / r.figure(m, base, pinned)
}

func (r *report) markdown() string {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	m := r.m
	p("# Benchmarks: sockw against Go, Node, Bun, Deno and workerd\n\n")
	p("Written by `bench/run` on %s (commit %s). Do not edit by hand: rerun it.\n\n", m.date, m.commit)
	if r.sockwErr != nil {
		p("> **sockw did not build, so this report has no sockw rows. It is not the report of record.**\n>\n> %s\n\n", oneLine(r.sockwErr.Error()))
	}
	p("The figure to compare is the **server's CPU time per operation**, read from `/proc/PID/stat` before and after the measured window: ")
	p("on a 2-core machine the load generator is often the bottleneck, and rates then say more about it than about the server. ")
	p("An operation is one echo round trip (pingpong, udp, quic), one connection (connrate), or one megabyte (10^6 bytes) echoed (stream). ")
	p("**×Go** and **×Node** divide a row's figure by Go's and Node's in the same mode and pinning: below 1 is cheaper. ")
	p("Idle compares RSS growth per held connection instead. Every figure is %s", reps(m.repsRun))
	if m.cut != "" {
		p(" (%s)", m.cut)
	}
	p(".\n\n")

	p("## Machine\n\n")
	p("| | |\n|---|---|\n")
	p("| CPU | %s, %d cores (`nproc`) |\n| Kernel | %s |\n| Memory | %s |\n", m.cpuModel, m.cpus, m.kernel, m.memory)
	p("| Load average (1, 5, 15 min) | %s at the start, %s at the end |\n", m.loadStart, m.loadEnd)
	p("| Run time | %s for %d of %d repetitions |\n\n", m.elapsed.Round(1e9), m.repsRun, m.repsPlanned)

	p("## Servers and versions\n\n| Server | Version | What runs |\n|---|---|---|\n")
	for _, s := range r.all {
		v := s.version
		if s.missing != "" {
			v = "not run: " + s.missing
		}
		p("| %s | %s | %s |\n", s.name, esc(v), esc(s.label))
	}
	p("\n")

	r.targets(&b)

	p("## Pinned: server on CPU 0, load generator on CPU 1\n\n")
	r.table(&b, true)
	r.idleTable(&b)
	if r.t.unpinned {
		p("## Unpinned: both processes on both cores\n\n")
		r.table(&b, false)
	}

	p("## Chart\n\n![Server CPU per operation (idle: RSS per connection) relative to Node, pinned](%s)\n\n", r.chartFile)
	p("Bars start at 1 (Node's figure) and end at the server's ratio, on a log scale: left of the line is cheaper than Node. QUIC, which Node lacks, is relative to Go.\n\n")

	r.gaps(&b)
	r.errorNotes(&b)
	r.method(&b)
	return b.String()
}

// table writes the CPU-per-operation table of one pinning.
func (r *report) table(b *strings.Builder, pinned bool) {
	fmt.Fprintf(b, "| Mode | Server | Server CPU per op | ×Go | ×Node | Rate | p50 | p99 | Server busy | Load gen CPU per op | Runs |\n")
	fmt.Fprintf(b, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, m := range r.modes {
		if m.idle {
			continue
		}
		for _, s := range r.servers {
			a := r.get(m.id, s.name, pinned)
			if a == nil {
				continue
			}
			unit := "op"
			if a.unit == "MB" {
				unit = "MB"
			}
			extra := runNotes(a)
			fmt.Fprintf(b, "| %s | %s | %s us/%s | %s | %s | %s %s/s | %s | %s | %.0f%% | %s us | %d%s |\n",
				m.label, s.name, num(a.cpuPerOp), unit, ratioText(r.ratio(m, s.name, "go", pinned)), ratioText(r.ratio(m, s.name, "node", pinned)),
				num(a.rate), a.unit, us(a.p50), us(a.p99), a.share*100, num(a.client), a.runs, extra)
		}
	}
	fmt.Fprintln(b)
}

func (r *report) idleTable(b *strings.Builder) {
	var m *mode
	for i := range r.modes {
		if r.modes[i].idle {
			m = &r.modes[i]
		}
	}
	if m == nil {
		return
	}
	fmt.Fprintf(b, "### Idle memory: %s, each pinged once, held %s\n\n", m.label, r.t.hold)
	fmt.Fprintf(b, "| Server | Connections | RSS per connection | ×Go | ×Node | Opened per second | Server CPU per connection | Runs |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, s := range r.servers {
		a := r.get(m.id, s.name, true)
		if a == nil {
			continue
		}
		extra := runNotes(a)
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s us | %d%s |\n", s.name, commas(int64(a.conns)), kb(a.rssPerConn),
			ratioText(r.ratio(*m, s.name, "go", true)), ratioText(r.ratio(*m, s.name, "node", true)), num(a.rate), num(a.cpuPerOp), a.runs, extra)
	}
	fmt.Fprintf(b, "\nA server that spends more than one descriptor per connection holds fewer, to fit the open-file limit of %d that the servers inherit here.\n", r.nofile)
	fmt.Fprintln(b)
}

// targets checks issue 7's targets against the medians.
func (r *report) targets(b *strings.Builder) {
	type target struct {
		what   string
		value  float64
		limit  float64
		atMost bool
	}
	byID := map[string]mode{}
	for _, m := range r.modes {
		byID[m.id] = m
	}
	cpuRatio := func(mode, a, base string) float64 {
		m, ok := byID[mode]
		if !ok {
			return math.NaN()
		}
		return r.ratio(m, a, base, true)
	}
	rate := func(mode, s string, pinned bool) float64 {
		if a := r.get(mode, s, pinned); a != nil {
			return a.rate
		}
		return math.NaN()
	}
	p99 := func(mode, s string, pinned bool) float64 {
		if a := r.get(mode, s, pinned); a != nil {
			return a.p99
		}
		return math.NaN()
	}
	ts := []target{
		{"pingpong 64 B at 50 conns, sockw echo.js / Node, server CPU per op", cpuRatio("pingpong-50", "sockw-pipe", "node"), 1.0, true},
		{"stream, sockw echo.js / Node", cpuRatio("stream", "sockw-pipe", "node"), 0.6, true},
		{"connrate, sockw greet.js / Node", cpuRatio("connrate", "sockw-pipe", "node"), 1.0, true},
		{"UDP, sockw echo.js / Node", cpuRatio("udp", "sockw-pipe", "node"), 0.9, true},
		{"pingpong, sockw echo-loop.js / Node", cpuRatio("pingpong-50", "sockw-loop", "node"), 1.5, true},
		{"stream, sockw echo-loop.js / Node", cpuRatio("stream", "sockw-loop", "node"), 1.0, true},
		{"pingpong, workerd echo-loop.js / sockw echo-loop.js", cpuRatio("pingpong-50", "workerd-loop", "sockw-loop"), 3.0, false},
		{"stream, workerd echo-loop.js / sockw echo-loop.js", cpuRatio("stream", "workerd-loop", "sockw-loop"), 3.0, false},
		{"idle RSS per conn, sockw echo.js / Node", cpuRatio("idle", "sockw-pipe", "node"), 1.0, true},
	}
	if r.t.unpinned {
		ts = append(ts,
			target{"unpinned pingpong at 500 conns, round trips/s, sockw echo.js / Node", rate("pingpong-500", "sockw-pipe", false) / rate("pingpong-500", "node", false), 1.3, false},
			target{"unpinned pingpong at 500 conns, p99 latency, sockw echo.js / Node", p99("pingpong-500", "sockw-pipe", false) / p99("pingpong-500", "node", false), 1.0, true},
		)
	}
	fmt.Fprintf(b, "## Targets of issue 7\n\nPinned medians unless the row says otherwise.\n\n| Target | Measured | Wanted | |\n|---|---:|---:|---|\n")
	for _, t := range ts {
		op, verdict := "≥", "no data"
		if t.atMost {
			op = "≤"
		}
		switch {
		case math.IsNaN(t.value) || math.IsInf(t.value, 0):
		case t.atMost == (t.value <= t.limit):
			verdict = "met"
		default:
			verdict = "**missed**"
		}
		fmt.Fprintf(b, "| %s | %s | %s %.1f | %s |\n", t.what, ratioText(t.value), op, t.limit, verdict)
	}
	fmt.Fprintln(b)
}

// gaps lists what was not measured and why: no silent holes.
func (r *report) gaps(b *strings.Builder) {
	fmt.Fprintf(b, "## Not measured, and why\n\n")
	n := 0
	for _, s := range r.all {
		if s.missing != "" {
			fmt.Fprintf(b, "- **%s**: %s\n", s.name, esc(s.missing))
			n++
			continue
		}
		var kinds []string
		for _, m := range r.modes {
			why, ok := s.why[m.kind]
			if !ok || slices.Contains(kinds, m.kind) {
				continue
			}
			kinds = append(kinds, m.kind)
			var ids []string
			for _, m2 := range r.modes {
				if m2.kind == m.kind {
					ids = append(ids, m2.id)
				}
			}
			fmt.Fprintf(b, "- %s, %s: %s\n", s.name, strings.Join(ids, ", "), esc(why))
			n++
		}
	}
	for _, pinned := range []bool{true, false} {
		for _, m := range r.modes {
			for _, s := range r.servers {
				a := r.cells[fmt.Sprintf("%s/%s/%v", m.id, s.name, pinned)]
				if a == nil || a.failed == 0 {
					continue
				}
				fmt.Fprintf(b, "- %s, %s, %s: %d of %d runs failed: %s\n", s.name, m.id, pinning(pinned), a.failed, a.failed+a.runs, esc(a.firstErr))
				n++
			}
		}
	}
	if n == 0 {
		fmt.Fprintf(b, "Nothing: every server ran every mode.\n")
	}
	fmt.Fprintln(b)
}

// errorNotes lists the cells whose runs completed but met errors (resets,
// losses, connections the server would not take), with the first one.
func (r *report) errorNotes(b *strings.Builder) {
	var lines []string
	for _, pinned := range []bool{true, false} {
		for _, m := range r.modes {
			for _, s := range r.servers {
				a := r.get(m.id, s.name, pinned)
				if a == nil || (a.errors == 0 && a.lost == 0) {
					continue
				}
				line := fmt.Sprintf("- %s, %s, %s: %d errors, %d datagrams lost over %d runs", s.name, m.id, pinning(pinned), a.errors, a.lost, a.runs)
				if a.resultErr != "" {
					line += "; first: " + esc(oneLine(a.resultErr))
				}
				lines = append(lines, line)
			}
		}
	}
	if len(lines) == 0 {
		return
	}
	fmt.Fprintf(b, "## Errors inside completed runs\n\n%s\n\n", strings.Join(lines, "\n"))
}

func pinning(pinned bool) string {
	if pinned {
		return "pinned"
	}
	return "unpinned"
}

func (r *report) method(b *strings.Builder) {
	t := r.t
	fmt.Fprintf(b, "## Method\n\n")
	fmt.Fprintf(b, "- Each run starts a fresh server on a fresh port, waits until `/proc/net` shows it listening, runs `bench/bin/sockw-bench -json -pid PID` (built from `cmd/sockw-bench`), then stops the server. ")
	fmt.Fprintf(b, "Within a mode the servers take turns, in an order that rotates with each repetition.\n")
	fmt.Fprintf(b, "- Pinned runs start the server under `taskset -c 0` and the load generator under `taskset -c 1`. Go sizes GOMAXPROCS from the affinity mask, so both Go processes get one P.\n")
	fmt.Fprintf(b, "- Window: %s of warm-up, not counted, then %s measured. Idle: %d connections opened by 50 dialers, each pinged with one byte, held %s; its figure is (RSS after − RSS before) / n from `VmRSS`.\n", t.warmup, t.duration, t.idleN, t.hold)
	fmt.Fprintf(b, "- Server CPU is utime+stime of the whole process, in ticks of 1/100 s (Linux's fixed USER_HZ, what sysconf(_SC_CLK_TCK) returns); over a %s window that is about 1%% of a busy core. Latency quantiles come from a log-linear histogram, within 0.4%%.\n", t.duration)
	fmt.Fprintf(b, "- sockw runs `bin/sockw run SCRIPT --listen tcp://127.0.0.1:PORT --isolates 1 --max-connections 100000 --log-level warn` (udp:// for udp; quic:// with `--alpn echo` and scripts/quic-echo.js for quic); workerd runs `workerd serve --experimental bench/servers/workerd/config.capnp CONST --socket-addr tcp=127.0.0.1:PORT`; Node, Bun and Deno run `bench/servers/node/server.mjs MODE PORT` (Deno: `deno run --allow-net`); Go runs `bench/bin/goraw MODE PORT`.\n")
	fmt.Fprintf(b, "- The raw runs are in the `.json` file beside this one.\n")
}

// runNotes flags, beside a cell's run count, what went wrong in it.
func runNotes(a *agg) string {
	var notes []string
	if a.failed > 0 {
		notes = append(notes, fmt.Sprintf("%d failed", a.failed))
	}
	if a.errors > 0 {
		notes = append(notes, fmt.Sprintf("%d errors", a.errors))
	}
	if a.lost > 0 {
		notes = append(notes, fmt.Sprintf("%d lost", a.lost))
	}
	if len(notes) == 0 {
		return ""
	}
	return " (" + strings.Join(notes, ", ") + ")"
}

// reps says how many repetitions a figure summarises.
func reps(n int) string {
	if n == 1 {
		return "a single run (no repetitions: a smoke figure, not a result)"
	}
	return fmt.Sprintf("the median of %d repetitions", n)
}

func esc(s string) string { return strings.ReplaceAll(s, "|", "\\|") }

func num(x float64) string {
	switch {
	case math.IsNaN(x):
		return "–"
	case x >= 1000:
		return commas(int64(math.Round(x)))
	case x >= 100:
		return fmt.Sprintf("%.0f", x)
	case x >= 10:
		return fmt.Sprintf("%.1f", x)
	}
	return fmt.Sprintf("%.2f", x)
}

func commas(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func us(x float64) string {
	switch {
	case math.IsNaN(x) || x == 0:
		return "–"
	case x >= 1000:
		return fmt.Sprintf("%.2f ms", x/1000)
	}
	return fmt.Sprintf("%.0f us", x)
}

func kb(bytes float64) string {
	if math.IsNaN(bytes) {
		return "–"
	}
	return fmt.Sprintf("%.1f KB", bytes/1000)
}

func ratioText(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "–"
	}
	return fmt.Sprintf("%.2f", x)
}
