// Command sockw runs Socket Workers: JavaScript handlers for raw TCP
// connections, with the Cloudflare Workers `connect` API.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

const usage = `sockw runs Socket Workers: JavaScript handlers for raw TCP connections.

Usage:
  sockw run [flags] SCRIPT     serve a worker on one or more listeners
  sockw check SCRIPT           bundle and compile a worker, print any error
  sockw exec [flags] SCRIPT    run a script to completion with the worker globals
  sockw version                print the version
  sockw help COMMAND           show a command's flags and examples

A worker exports a connect handler (module syntax, as Cloudflare Workers):

  export default {
    async connect(socket, env, ctx) {
      await socket.readable.pipeTo(socket.writable);   // echo
    }
  }

or registers one (the 2021 Socket Workers syntax):

  addEventListener('connect', (event) => { ... event.socket ... });

Scripts may be .js, .mjs or .ts and import relative files and
'cloudflare:sockets'.

Example:
  sockw run scripts/echo.js --listen tcp://127.0.0.1:8787
  nc 127.0.0.1 8787
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command line and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch cmd, rest := args[0], args[1:]; cmd {
	case "run":
		err = runCmd(ctx, rest, stdout, stderr)
	case "check":
		err = checkCmd(rest, stdout, stderr)
	case "exec":
		err = execCmd(ctx, rest, stdout, stderr)
	case "version", "--version":
		fmt.Fprintf(stdout, "sockw %s\n", version)
	case "help", "-h", "-help", "--help":
		err = helpCmd(rest, stdout)
	default:
		fmt.Fprintf(stderr, "sockw: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	case errors.Is(err, errReported):
		return 1
	}
	fmt.Fprintf(stderr, "sockw: %v\n", err)
	return 1
}

// errUsage is a command line that was wrong; the message is printed already.
var errUsage = errors.New("usage")

// errReported is a failure whose message is printed already.
var errReported = errors.New("reported")

func helpCmd(args []string, stdout io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stdout, usage)
		return nil
	}
	var fs *flag.FlagSet
	switch args[0] {
	case "run":
		fs, _ = runFlags(stdout)
	case "check":
		fs = checkFlags(stdout)
	case "exec":
		fs, _ = execFlags(stdout)
	default:
		fmt.Fprint(stdout, usage)
		return nil
	}
	fs.Usage()
	return nil
}

// parseInterspersed parses flags that may come before or after the
// positional arguments, as in `sockw run worker.js --listen ...`.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		if args[0] == "--" {
			return append(positional, args[1:]...), nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return fmt.Sprint([]string(*l)) }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }
