package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/sockw/sockw/runtime"
)

func checkFlags(out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprint(out, `Usage: sockw check SCRIPT

Bundles SCRIPT with its imports and compiles it, without running it. Prints
each error as file:line:column with the line and a caret, and exits 1 if
there is one; prints "ok" and exits 0 otherwise.

Example:
  sockw check scripts/echo.js
`)
	}
	return fs
}

func checkCmd(args []string, stdout, stderr io.Writer) error {
	fs := checkFlags(stderr)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return errUsage
	}
	if err := runtime.Check(pos[0]); err != nil {
		fmt.Fprintln(stderr, err)
		return errReported
	}
	fmt.Fprintf(stdout, "%s: ok\n", pos[0])
	return nil
}
