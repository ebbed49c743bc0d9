// Command runner is bench/run: it builds the load generator, the Go
// baseline and sockw, starts each comparison server in turn, drives it with
// sockw-bench in every mode it supports (pinned: server on CPU 0, load on
// CPU 1; and unpinned), repeats the matrix, and writes bench/RESULTS.md with
// the medians and their ratios to Go and to Node, the chart bench/RESULTS.svg,
// and the raw runs bench/RESULTS.json.
//
//	bench/run           the full matrix (about 15 minutes on 2 cores)
//	bench/run -quick    one pinned pass with short windows (about a minute)
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "bench/run: %v\n", err)
		os.Exit(1)
	}
}

type options struct {
	quick   bool
	reps    int
	out     string
	only    string
	modes   string
	budget  time.Duration
	noBuild bool
}

func run() error {
	var o options
	flag.BoolVar(&o.quick, "quick", false, "one pinned pass with short windows (about a minute)")
	flag.IntVar(&o.reps, "reps", 0, "repetitions of the matrix (default 3, or 1 with -quick)")
	flag.StringVar(&o.out, "out", "", "report file (default bench/RESULTS.md; bench/RESULTS-quick.md with -quick or when sockw did not build)")
	flag.StringVar(&o.only, "servers", "", "comma-separated servers to run (default all): go,node,bun,deno,workerd-pipe,workerd-loop,sockw-pipe,sockw-loop")
	flag.StringVar(&o.modes, "modes", "", "comma-separated modes to run (default all): pingpong-50,pingpong-500,stream,connrate,udp,idle,quic")
	flag.DurationVar(&o.budget, "budget", 19*time.Minute, "start no repetition that would end after this")
	flag.BoolVar(&o.noBuild, "no-build", false, "use the binaries already built")
	flag.Parse()

	root, err := repoRoot()
	if err != nil {
		return err
	}
	t := fullTiming
	if o.quick {
		t = quickTiming
	}
	if o.reps > 0 {
		t.reps = o.reps
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	began := time.Now()
	p := newPaths(root)
	if p.nofile, err = raiseNoFile(); err != nil {
		return err
	}

	// Build what is ours; a sockw that does not build is reported, not fatal.
	if !o.noBuild {
		for _, b := range [][]string{{"-o", p.bench, "./cmd/sockw-bench"}, {"-o", p.goraw, "./bench/servers/goraw"}} {
			if err := goBuild(root, b...); err != nil {
				return err
			}
		}
	}
	sockwErr := error(nil)
	if !o.noBuild {
		sockwErr = goBuild(root, "-o", p.sockw, "./cmd/sockw")
	} else if _, err := os.Stat(p.sockw); err != nil {
		sockwErr = err
	}
	npmErr := ensureNPM(p)

	env := append(os.Environ(), "DENO_NO_UPDATE_CHECK=1", "NO_COLOR=1")
	all := servers(p)
	for _, s := range all {
		switch {
		case strings.HasPrefix(s.name, "sockw") && sockwErr != nil:
			s.missing = "sockw did not build: " + oneLine(sockwErr.Error())
		case (s.name == "bun" || s.name == "deno" || strings.HasPrefix(s.name, "workerd")) && npmErr != nil && s.probeCmd[0] == "":
			s.missing = "npm install failed: " + oneLine(npmErr.Error())
		}
		s.probe(env)
	}
	ss := filterServers(all, o.only)
	ms := filterModes(modes(t), o.modes)
	if len(ss) == 0 || len(ms) == 0 {
		return fmt.Errorf("nothing to run: -servers %q -modes %q", o.only, o.modes)
	}
	preflight(ctx, p, env, ss, ms)
	for _, s := range all {
		if s.missing != "" {
			fmt.Fprintf(os.Stderr, "skipping %s: %s\n", s.name, s.missing)
		}
	}

	m := describeMachine(root)
	var outcomes []outcome
	var pp ports
	pp.next = 21000
	total := len(schedule(ms, ss, t, 0)) * t.reps
	done, repsRun := 0, 0
	var cut string
	for rep := range t.reps {
		runs := schedule(ms, ss, t, rep)
		if rep > 0 {
			perRun := time.Since(began) / time.Duration(done+1)
			if eta := time.Since(began) + perRun*time.Duration(len(runs)); eta > o.budget {
				cut = fmt.Sprintf("stopped after %d of %d repetitions: another would have ended at %s, past the %s budget", rep, t.reps, eta.Round(time.Second), o.budget)
				fmt.Fprintln(os.Stderr, cut)
				break
			}
		}
		for _, c := range runs {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			done++
			port, err := pp.take()
			if err != nil {
				return err
			}
			r, err := runCell(ctx, p, env, c, port)
			oc := outcome{Mode: c.mode.id, Server: c.server.name, Pinned: c.pinned, Rep: rep + 1, Result: r}
			if err != nil {
				oc.Err = err.Error()
			}
			outcomes = append(outcomes, oc)
			fmt.Fprintf(os.Stderr, "[%d/%d %s] %s\n", done, total, time.Since(began).Round(time.Second), describe(c, r, err))
		}
		repsRun++
	}
	m.loadEnd = loadAvg()
	m.elapsed = time.Since(began)
	m.repsRun, m.repsPlanned, m.cut = repsRun, t.reps, cut

	rep := buildReport(ms, ss, all, outcomes, m, t)
	rep.sockwErr, rep.npmErr, rep.nofile = sockwErr, npmErr, p.nofile
	out := o.out
	if out == "" {
		out = filepath.Join(root, "bench", "RESULTS.md")
		if o.quick || sockwErr != nil {
			// Only a full run with sockw in it is the report of record.
			out = filepath.Join(root, "bench", "RESULTS-quick.md")
		}
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	// The raw runs first: they are the part a later failure must not lose.
	raw, err := json.MarshalIndent(outcomes, "", " ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(strings.TrimSuffix(out, ".md")+".json", raw, 0o644); err != nil {
		return err
	}
	svg := strings.TrimSuffix(out, ".md") + ".svg"
	rep.chartFile = filepath.Base(svg)
	if err := os.WriteFile(svg, []byte(rep.chart()), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(out, []byte(rep.markdown()), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %s, %s and the raw runs beside them (%s)\n", out, svg, m.elapsed.Round(time.Second))
	if sockwErr != nil {
		fmt.Fprintf(os.Stderr, "sockw did not build, so it is missing from the report: %v\n", sockwErr)
	}
	return nil
}

func describe(c cell, r *benchResult, err error) string {
	pin := "unpinned"
	if c.pinned {
		pin = "pinned"
	}
	s := fmt.Sprintf("%-8s %-12s %-12s ", pin, c.mode.id, c.server.name)
	if err != nil {
		return s + "FAILED: " + oneLine(err.Error())
	}
	switch {
	case r.Server == nil:
		return s + "no server figures"
	case c.mode.idle:
		return s + fmt.Sprintf("%.0f B/conn, %.0f conns/s", r.Server.RSSPerConn, r.Rate)
	}
	return s + fmt.Sprintf("%.2f us/%s server, %.0f %s/s, server %.0f%% busy, %d errors", r.Server.CPUPerOp, opUnit(r.Unit), r.Rate, r.Unit, r.Server.CPUShare*100, r.Errors)
}

func opUnit(unit string) string {
	if unit == "MB" {
		return "MB"
	}
	return "op"
}

func filterServers(all []*server, only string) []*server {
	if only == "" {
		return all
	}
	want := strings.Split(only, ",")
	var out []*server
	for _, s := range all {
		if slices.Contains(want, s.name) {
			out = append(out, s)
		}
	}
	return out
}

func filterModes(all []mode, only string) []mode {
	if only == "" {
		return all
	}
	want := strings.Split(only, ",")
	var out []mode
	for _, m := range all {
		if slices.Contains(want, m.id) {
			out = append(out, m)
		}
	}
	return out
}
