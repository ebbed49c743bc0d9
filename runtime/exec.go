package runtime

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/dop251/goja"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/sockw/sockw/bindings"
	"github.com/sockw/sockw/bindings/broadcast"
	"github.com/sockw/sockw/bindings/sockets"
	"github.com/sockw/sockw/egress"
	"github.com/sockw/sockw/runtime/bundle"
	"github.com/sockw/sockw/runtime/eventloop"
)

// ExecOptions configure Exec.
type ExecOptions struct {
	// CPULimit bounds one task; zero means none, as in Deno.
	CPULimit time.Duration
	// Egress decides what connect() may reach (nil: nothing); RootCAs
	// verifies TLS servers (nil: the system's roots).
	Egress  *egress.Policy
	RootCAs *x509.CertPool
	// Vars are process.env for scripts that use Node modules.
	Vars map[string]string
	// Stdout receives console.log/info/debug, Stderr console.warn/error and
	// the uncaught error that ends the script.
	Stdout, Stderr io.Writer
	Logger         *zap.Logger
}

// ErrUncaught reports that Exec ended on an uncaught exception or rejection,
// which it has already printed.
var ErrUncaught = errors.New("uncaught error")

// Exec runs a script's top-level code and then its event loop until nothing
// is pending, with the worker globals, as `sockw exec` does. Top-level await
// works. The first uncaught exception or unhandled rejection is printed to
// Stderr and ends the run with ErrUncaught, as in Deno.
func Exec(ctx context.Context, entry string, opts ExecOptions) error {
	b, err := build(entry, bundle.Exec)
	if err != nil {
		return err
	}
	setRegexpTimeout()
	if opts.Logger == nil {
		opts.Logger = zap.NewNop()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rt := goja.New()
	rt.SetMaxCallStackSize(DefaultMaxCallStack)
	var first error
	fail := func(msg, stack string) {
		if first != nil {
			return
		}
		first = ErrUncaught
		fmt.Fprintf(opts.Stderr, "error: Uncaught %s\n", msg)
		if stack != "" {
			fmt.Fprintln(opts.Stderr, stack)
		}
		cancel()
	}
	var loop *eventloop.Loop
	loop = eventloop.New(rt, eventloop.Options{
		TaskBudget: opts.CPULimit,
		OnError: func(_ any, err error) {
			se := scriptError(entry, err)
			fail(se.Message, se.Stack)
		},
		OnUnhandledRejection: func(_ any, reason goja.Value) {
			msg, stack := describeValue(reason)
			fail("(in promise) "+msg, stack)
		},
	})
	h := &bindings.Host{Runtime: rt, Loop: loop, Logger: opts.Logger, Context: ctx}
	print := func(level zapcore.Level, line string) {
		w := opts.Stdout
		if level >= zapcore.WarnLevel {
			w = opts.Stderr
		}
		fmt.Fprintln(w, line)
	}
	err = loop.RunOnLoop(func() error {
		g, err := installGlobals(h, print, sockets.Options{Policy: opts.Egress, RootCAs: opts.RootCAs}, broadcast.NewHub(), opts.Vars)
		if err != nil {
			return err
		}
		wrapper, err := rt.RunProgram(b.Program())
		if err != nil {
			return err
		}
		// The body is an async function: its rejection is the script's
		// uncaught error, reported like any unhandled rejection.
		call, _ := goja.AssertFunction(wrapper)
		_, err = call(goja.Undefined(), g.builtinResolver(rt))
		return err
	})
	if err != nil {
		var intr *goja.InterruptedError
		if errors.As(err, &intr) {
			fail(limitFor(err).Error(), "")
			return first
		}
		return err
	}
	err = loop.Run(ctx)
	if first != nil {
		return first
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		var intr *goja.InterruptedError
		var overflow *goja.StackOverflowError
		if errors.As(err, &intr) || errors.As(err, &overflow) {
			fmt.Fprintf(opts.Stderr, "error: %v\n", limitFor(err))
			return ErrUncaught
		}
		return err
	}
	return ctx.Err()
}
