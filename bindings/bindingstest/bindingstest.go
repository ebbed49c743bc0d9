// Package bindingstest runs JavaScript against real bindings in tests.
package bindingstest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/dop251/goja"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest"

	"github.com/sockw/sockw/bindings"
	"github.com/sockw/sockw/bindings/console"
	"github.com/sockw/sockw/runtime/bundle"
	"github.com/sockw/sockw/runtime/eventloop"
)

// Env is a host with a fresh runtime and loop that records uncaught errors
// and unhandled rejections, so Run can report them.
type Env struct {
	*bindings.Host
	t    testing.TB
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
	e := &Env{Host: &bindings.Host{Runtime: rt, Logger: zaptest.NewLogger(t), Context: ctx}, t: t}
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

// RunModule bundles the ES module at path as `sockw exec` does (relative
// imports, top-level await, for await), runs it, then runs the loop until
// nothing is pending or timeout passes. console output goes to the test's
// log. It returns the module's rejection, or the first uncaught error or
// unhandled rejection. Conformance suites written for testdata/harness.js
// reject when a test fails.
func (e *Env) RunModule(path string, timeout time.Duration) error {
	b, err := bundle.Build(path, bundle.Exec, nil)
	if err != nil {
		return err
	}
	if e.Runtime.Get("console") == nil {
		print := func(_ zapcore.Level, line string) { e.t.Log(line) }
		if err := console.Install(e.Host, print); err != nil {
			return err
		}
	}
	var rejected error
	err = e.Loop.RunOnLoop(func() error {
		wrapper, err := e.Runtime.RunProgram(b.Program())
		if err != nil {
			return err
		}
		run, _ := goja.AssertFunction(wrapper)
		noBuiltins := e.Runtime.ToValue(func(call goja.FunctionCall) goja.Value {
			panic(e.Runtime.NewTypeError("no built-in modules in unit tests: %s", call.Argument(0)))
		})
		ret, err := run(goja.Undefined(), noBuiltins)
		if err != nil {
			return err
		}
		p, _ := ret.Export().(*goja.Promise)
		onFail := e.Runtime.ToValue(func(call goja.FunctionCall) goja.Value {
			rejected = fmt.Errorf("%s: %v", path, call.Argument(0))
			if o, ok := call.Argument(0).(*goja.Object); ok {
				if st := o.Get("stack"); st != nil {
					rejected = fmt.Errorf("%s: %s", path, st)
				}
			}
			return goja.Undefined()
		})
		then, _ := goja.AssertFunction(e.Runtime.ToValue(p).ToObject(e.Runtime).Get("then"))
		_, err = then(e.Runtime.ToValue(p), goja.Undefined(), onFail)
		return err
	})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(e.Context, timeout)
	defer cancel()
	if err := e.Loop.Run(ctx); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("%s: still pending after %v", path, timeout)
		}
		return err
	}
	if rejected != nil {
		return rejected
	}
	if len(e.errs) > 0 {
		return e.errs[0]
	}
	return nil
}

// LazyGlobalsScript checks that each named global is a lazy placeholder
// until first use (seen through intrinsicGetOwnPropertyDescriptor, which the
// test defines from events.IntrinsicGetOwnPropertyDescriptor), that
// Object.getOwnPropertyDescriptor shows the WebIDL data property it becomes,
// and that the value is then stable.
func LazyGlobalsScript(names ...string) string {
	list, _ := json.Marshal(names)
	return `const names = ` + string(list) + `;
for (const n of names) {
  const d = intrinsicGetOwnPropertyDescriptor(globalThis, n);
  if (typeof d.get !== 'function' || d.enumerable || !d.configurable) throw new Error(n + ': not a placeholder before first use');
}
for (const n of names) {
  const d = Object.getOwnPropertyDescriptor(globalThis, n);
  if (typeof d.value !== 'function' || !d.writable || d.enumerable || !d.configurable) throw new Error(n + ': not a WebIDL data property');
  if (globalThis[n] !== d.value || globalThis[n] !== globalThis[n]) throw new Error(n + ': unstable value');
  if (typeof intrinsicGetOwnPropertyDescriptor(globalThis, n).value !== 'function') throw new Error(n + ': still a placeholder');
}
`
}

// AssignBeforeUseScript checks that assigning a lazy global before its
// first use replaces the placeholder with a plain data property.
func AssignBeforeUseScript(name string) string {
	q, _ := json.Marshal(name)
	return `globalThis[` + string(q) + `] = 42;
if (globalThis[` + string(q) + `] !== 42) throw new Error('assignment lost');
const d = Object.getOwnPropertyDescriptor(globalThis, ` + string(q) + `);
if (d.value !== 42 || !d.writable || d.enumerable) throw new Error('assignment did not make a data property');
`
}

// CheckGoroutines fails the test unless the number of goroutines falls back
// to before within a few seconds, printing every goroutine's stack if not:
// what a binding started for a socket or a stream must end with it.
func CheckGoroutines(t testing.TB, before int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= before {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines, want at most %d:\n%s", n, before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}
