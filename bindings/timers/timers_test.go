package timers

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings"
	"github.com/sockw/sockw/bindings/bindingstest"
	"github.com/sockw/sockw/runtime/eventloop"
)

// loopEnv is a host whose loop records every error it reports, and whose
// task it came from.
type loopEnv struct {
	*bindings.Host
	errs   []error
	owners []any
}

func newLoopEnv(t *testing.T) *loopEnv {
	t.Helper()
	rt := goja.New()
	env := &loopEnv{Host: &bindings.Host{Runtime: rt, Context: context.Background()}}
	env.Loop = eventloop.New(rt, eventloop.Options{
		OnError: func(owner any, err error) {
			env.errs = append(env.errs, err)
			env.owners = append(env.owners, owner)
		},
		OnUnhandledRejection: func(_ any, reason goja.Value) {
			env.errs = append(env.errs, errors.New("unhandled rejection: "+reason.String()))
		},
	})
	if err := Install(env.Host); err != nil {
		t.Fatal(err)
	}
	return env
}

func (e *loopEnv) run(t *testing.T, src string) {
	t.Helper()
	if err := e.Loop.RunOnLoop(func() error {
		_, err := e.Runtime.RunString(src)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := e.Loop.Run(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestExceptionsReachOnError(t *testing.T) {
	e := newLoopEnv(t)
	e.run(t, `
globalThis.log = [];
setTimeout(() => { throw new RangeError('from timer'); }, 0);
setTimeout(() => log.push('timer after'), 0);
queueMicrotask(() => { throw new TypeError('from microtask'); });
queueMicrotask(() => log.push('microtask after'));
let n = 0;
const id = setInterval(() => { if (++n === 2) { clearInterval(id); } throw new Error('from interval ' + n); }, 1);
`)
	var msgs []string
	for _, err := range e.errs {
		var ex *goja.Exception
		if !errors.As(err, &ex) {
			t.Errorf("loop error %T %v is not a *goja.Exception", err, err)
			continue
		}
		msgs = append(msgs, ex.Value().String())
	}
	want := []string{"TypeError: from microtask", "RangeError: from timer", "Error: from interval 1", "Error: from interval 2"}
	if strings.Join(msgs, "|") != strings.Join(want, "|") {
		t.Errorf("loop errors = %q, want %q", msgs, want)
	}
	if got := e.Runtime.Get("log").String(); got != "microtask after,timer after" {
		t.Errorf("log = %q", got)
	}
}

// A script cannot clear a timer that another binding set on the same loop,
// even by guessing its id.
func TestClearTimeoutOnlyClearsScriptTimers(t *testing.T) {
	e := newLoopEnv(t)
	fired := false
	var id int
	if err := e.Loop.RunOnLoop(func() error {
		id = e.Loop.SetTimer(time.Millisecond, false, func() error { fired = true; return nil })
		return e.Runtime.Set("goTimer", id)
	}); err != nil {
		t.Fatal(err)
	}
	e.run(t, `for (let i = -1; i < 10; i++) { clearTimeout(goTimer + i); clearInterval(i); }`)
	if !fired {
		t.Error("clearTimeout cancelled a Go timer")
	}
}

func TestPendingTimerKeepsLoopAlive(t *testing.T) {
	e := newLoopEnv(t)
	start := time.Now()
	e.run(t, `setTimeout(() => { globalThis.done = true; }, 30);`)
	if d := time.Since(start); d < 25*time.Millisecond {
		t.Errorf("loop returned after %v, before the timer", d)
	}
	if !e.Runtime.Get("done").ToBoolean() {
		t.Error("timer did not run")
	}
}

func TestStringHandlerMessage(t *testing.T) {
	e := bindingstest.New(t)
	if err := Install(e.Host); err != nil {
		t.Fatal(err)
	}
	err := e.Run("string.js", `setTimeout("1 + 1", 0);`, time.Second)
	var ex *goja.Exception
	if !errors.As(err, &ex) {
		t.Fatalf("got %v, want a TypeError", err)
	}
	const want = "TypeError: Failed to execute 'setTimeout' on 'ServiceWorkerGlobalScope': parameter 1 is not of type 'Function'."
	if got := ex.Value().String(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestToLong(t *testing.T) {
	rt := goja.New()
	cases := []struct {
		in   goja.Value
		want int32
	}{
		{goja.Undefined(), 0},
		{goja.Null(), 0},
		{rt.ToValue(12.9), 12},
		{rt.ToValue(-12.9), -12},
		{rt.ToValue("7"), 7},
		{rt.ToValue(1 << 32), 0},
		{rt.ToValue(1<<32 + 5), 5},
		{rt.ToValue(1 << 31), -1 << 31},
		{rt.ToValue(-1 << 33), 0},
	}
	for _, c := range cases {
		if got := toLong(rt, c.in); got != c.want {
			t.Errorf("toLong(%v) = %d, want %d", c.in, got, c.want)
		}
	}
}

// A microtask's exception is reported for the owner of the task it ran in,
// as a timer's is for the owner that set it.
func TestExceptionOwners(t *testing.T) {
	e := newLoopEnv(t)
	if err := e.Loop.RunOnLoop(func() error {
		e.Loop.SetOwner("conn-1")
		_, err := e.Runtime.RunString(`
queueMicrotask(() => { throw new Error('microtask'); });
setTimeout(() => { throw new Error('timer'); }, 0);
`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := e.Loop.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if len(e.owners) != 2 || e.owners[0] != "conn-1" || e.owners[1] != "conn-1" {
		t.Errorf("owners = %v, want conn-1 twice (errors %v)", e.owners, e.errs)
	}
}
