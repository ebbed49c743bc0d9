package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"time"

	"github.com/sockw/sockw/internal/gcpace"
	"github.com/sockw/sockw/runtime"
	"github.com/sockw/sockw/runtime/bundle"
)

type execOptions struct {
	cpu    time.Duration
	egress egressFlags
	vars   listFlag
	prof   string
	gc     int
}

func execFlags(out io.Writer) (*flag.FlagSet, *execOptions) {
	fs := flag.NewFlagSet("exec", flag.ContinueOnError)
	fs.SetOutput(out)
	o := &execOptions{}
	fs.DurationVar(&o.cpu, "cpu-limit", 0, "interrupt a single task that runs longer than this (0: no limit)")
	o.egress.register(fs)
	fs.IntVar(&o.gc, "gc-headroom", gcpace.DefaultHeadroom>>20, "MiB the heap may grow by between garbage collections while it is small (0: Go's GOGC pacing alone)")
	fs.StringVar(&o.prof, "cpuprofile", "", "write a Go CPU profile of the run to this file (go tool pprof reads it)")
	fs.Var(&o.vars, "var", "NAME=value for process.env of a script that uses Node modules (repeatable); the host's environment is never visible")
	fs.Usage = func() {
		fmt.Fprint(out, `Usage: sockw exec [flags] SCRIPT

Runs SCRIPT's top-level code and then its event loop until nothing is
pending, with the same globals a worker has (streams, TextEncoder, timers,
connect() from 'cloudflare:sockets', ...). Top-level await and for await
work, as in Deno. console.log goes to stdout, console.warn/error to stderr.
Exits 1 on an uncaught exception or unhandled rejection.

Use it to test protocol code and to run client scripts:
  sockw exec client.js
  sockw exec parser_test.js
  sockw exec --var PGPORT=5432 query.mjs   (process.env.PGPORT, with npm packages
                                           from node_modules beside the script)

Flags:
`)
		fs.PrintDefaults()
	}
	return fs, o
}

func execCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, o := execFlags(stderr)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return errUsage
	}
	policy, err := o.egress.policy()
	if err != nil {
		return err
	}
	vars, err := parseVars(o.vars)
	if err != nil {
		return err
	}
	if o.gc < 0 {
		return fmt.Errorf("--gc-headroom %d: want 0 or more MiB", o.gc)
	}
	defer gcpace.Start(uint64(o.gc) << 20)()
	if o.prof != "" {
		f, err := os.Create(o.prof)
		if err != nil {
			return fmt.Errorf("cpuprofile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("cpuprofile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	err = runtime.Exec(ctx, pos[0], runtime.ExecOptions{CPULimit: o.cpu, Egress: policy, Vars: vars, Stdout: stdout, Stderr: stderr})
	var be *bundle.BuildError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, runtime.ErrUncaught):
		return errReported
	case errors.As(err, &be):
		fmt.Fprintln(stderr, err)
		return errReported
	case errors.Is(err, context.Canceled):
		return errReported
	}
	return err
}
