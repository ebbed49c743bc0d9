// Package bindingstest runs JavaScript against real bindings in tests.
package bindingstest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/dop251/goja"
	"go.uber.org/zap/zaptest"

	"github.com/sockw/sockw/bindings"
	"github.com/sockw/sockw/runtime/eventloop"
)

// Env is a host with a fresh runtime and loop that records uncaught errors
// and unhandled rejections, so Run can report them.
type Env struct {
	*bindings.Host
	errs []error
}

// New returns an Env whose context ends with the test.
func New(t testing.TB) *Env {
	t.Helper()
	rt := goja.New()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := bindings.DefineAsyncIterator(rt); err != nil {
		t.Fatal(err)
	}
	e := &Env{Host: &bindings.Host{Runtime: rt, Logger: zaptest.NewLogger(t), Context: ctx}}
	e.Loop = eventloop.New(rt, eventloop.Options{
		OnError: func(_ any, err error) { e.errs = append(e.errs, err) },
		OnUnhandledRejection: func(_ any, reason goja.Value) {
			e.errs = append(e.errs, fmt.Errorf("unhandled rejection: %v", reason))
		},
	})
	return e
}

// Run runs src as a classic script named name, then the loop until nothing
// is pending or timeout passes. It returns the first thrown exception,
// unhandled rejection or loop error.
func (e *Env) Run(name, src string, timeout time.Duration) error {
	err := e.Loop.RunOnLoop(func() error {
		_, err := e.Runtime.RunScript(name, src)
		return err
	})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(e.Context, timeout)
	defer cancel()
	if err := e.Loop.Run(ctx); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("%s: still pending after %v", name, timeout)
		}
		return err
	}
	if len(e.errs) > 0 {
		return e.errs[0]
	}
	return nil
}
