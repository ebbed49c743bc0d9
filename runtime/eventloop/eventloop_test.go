package eventloop

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
)

func TestCallbacksKeepLoopAliveAndRunInOrder(t *testing.T) {
	rt := goja.New()
	l := New(rt, Options{})
	var got []int
	err := l.RunOnLoop(func() error {
		for i := 0; i < 3; i++ {
			done := l.RegisterCallback()
			go func(i int) {
				time.Sleep(time.Duration(3-i) * 5 * time.Millisecond)
				done(func() error { got = append(got, i); return nil })
			}(i)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0] != 2 || got[2] != 0 {
		t.Fatalf("callbacks ran as %v, want [2 1 0]", got)
	}
}

func TestTimersFireInDeadlineThenInsertionOrder(t *testing.T) {
	rt := goja.New()
	l := New(rt, Options{})
	var got []string
	add := func(name string, d time.Duration) int {
		return l.SetTimer(d, false, func() error { got = append(got, name); return nil })
	}
	l.RunOnLoop(func() error {
		add("b", 10*time.Millisecond)
		add("a1", 0)
		add("a2", 0)
		id := add("never", 5*time.Millisecond)
		l.ClearTimer(id)
		n := 0
		var every int
		every = l.SetTimer(time.Millisecond, true, func() error {
			if n++; n == 3 {
				l.ClearTimer(every)
				got = append(got, "interval")
			}
			return nil
		})
		return nil
	})
	if err := l.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := "a1 a2 interval b"
	if strings.Join(got, " ") != want {
		t.Fatalf("timers fired as %q, want %q", strings.Join(got, " "), want)
	}
}

func TestBudgetInterruptsEndlessLoopAndNamesOwner(t *testing.T) {
	rt := goja.New()
	var abortedOwner any
	l := New(rt, Options{
		TaskBudget: 20 * time.Millisecond,
		OnAbort: func(owner any, err error) bool {
			abortedOwner = owner
			var b *BudgetError
			if !errors.As(err, &b) {
				t.Errorf("abort error %v is not a BudgetError", err)
			}
			return true
		},
	})
	ran := false
	l.Enqueue(func() error {
		l.SetOwner("conn-1")
		_, err := rt.RunString("for (;;) {}")
		return err
	})
	l.Enqueue(func() error {
		_, err := rt.RunString("1 + 1")
		ran = err == nil
		return err
	})
	start := time.Now()
	if err := l.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if abortedOwner != "conn-1" {
		t.Fatalf("OnAbort owner = %v, want conn-1", abortedOwner)
	}
	if !ran {
		t.Fatal("the task after the interrupted one did not run")
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Fatalf("interrupt took %v", el)
	}
}

func TestCallbackInheritsOwner(t *testing.T) {
	rt := goja.New()
	l := New(rt, Options{})
	var seen any
	l.Enqueue(func() error {
		l.SetOwner("conn-7")
		done := l.RegisterCallback()
		go done(func() error { seen = l.Owner(); return nil })
		return nil
	})
	l.Enqueue(func() error { return nil })
	ref := l.Ref()
	go func() { time.Sleep(20 * time.Millisecond); ref() }()
	if err := l.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if seen != "conn-7" {
		t.Fatalf("owner in callback = %v, want conn-7", seen)
	}
}

func TestBudgetWithoutOnAbortStopsRun(t *testing.T) {
	rt := goja.New()
	l := New(rt, Options{TaskBudget: 10 * time.Millisecond})
	l.Enqueue(func() error { _, err := rt.RunString("while (true) {}"); return err })
	ref := l.Ref()
	defer ref()
	err := l.Run(context.Background())
	var b *BudgetError
	if !errors.As(err, &b) {
		t.Fatalf("Run = %v, want a BudgetError", err)
	}
}

func TestUnhandledRejectionReportedOnceHandledOnesNot(t *testing.T) {
	rt := goja.New()
	var reasons []string
	var thrown []error
	l := New(rt, Options{
		OnUnhandledRejection: func(_ any, r goja.Value) { reasons = append(reasons, r.String()) },
		OnError:              func(_ any, err error) { thrown = append(thrown, err) },
	})
	l.Enqueue(func() error {
		_, err := rt.RunString(`
			Promise.reject(new Error("lost"));
			const p = Promise.reject(new Error("caught"));
			p.catch(() => {});
			(async () => { await null; throw new Error("async lost"); })();
			throw new Error("sync");
		`)
		return err
	})
	if err := l.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if strings.Join(reasons, "|") != "Error: lost|Error: async lost" {
		t.Fatalf("unhandled rejections = %q", reasons)
	}
	if len(thrown) != 1 || !strings.Contains(thrown[0].Error(), "sync") {
		t.Fatalf("OnError got %v", thrown)
	}
}

func TestContextEndsRunAndInterruptsRunningScript(t *testing.T) {
	rt := goja.New()
	l := New(rt, Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	l.Enqueue(func() error { _, err := rt.RunString("for (;;) {}"); return err })
	ref := l.Ref()
	defer ref()
	err := l.Run(ctx)
	if !errors.Is(err, ErrStopped) && !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Run = %v", err)
	}
	if err := l.Enqueue(func() error { return nil }); !errors.Is(err, ErrStopped) {
		t.Fatalf("Enqueue after Run = %v, want ErrStopped", err)
	}
}

func TestStackOverflowIsAbortNotCrash(t *testing.T) {
	rt := goja.New()
	rt.SetMaxCallStackSize(1000)
	aborted := false
	l := New(rt, Options{OnAbort: func(owner any, err error) bool { aborted = true; return true }})
	l.Enqueue(func() error { _, err := rt.RunString("function f() { return f() + 1 } f()"); return err })
	if err := l.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !aborted {
		t.Fatal("stack overflow did not reach OnAbort")
	}
	if v, err := rt.RunString("2 * 21"); err != nil || v.ToInteger() != 42 {
		t.Fatalf("runtime unusable after overflow: %v %v", v, err)
	}
}

func BenchmarkTaskFromGoroutine(b *testing.B) {
	b.Run("budget", func(b *testing.B) { benchTasks(b, time.Second) })
	b.Run("nobudget", func(b *testing.B) { benchTasks(b, 0) })
}

func benchTasks(b *testing.B, budget time.Duration) {
	rt := goja.New()
	l := New(rt, Options{TaskBudget: budget})
	fn, _ := rt.RunString("(function (x) { return x + 1 })")
	call, _ := goja.AssertFunction(fn)
	arg := rt.ToValue(1)
	ref := l.Ref()
	go func() {
		for i := 0; i < b.N; i++ {
			l.Enqueue(func() error { _, err := call(nil, arg); return err })
		}
		l.Enqueue(func() error { ref(); return nil })
	}()
	b.ResetTimer()
	if err := l.Run(context.Background()); err != nil {
		b.Fatal(err)
	}
}

func TestRunOnLoopReturnsTheTasksError(t *testing.T) {
	rt := goja.New()
	reported := false
	l := New(rt, Options{OnError: func(any, error) { reported = true }})
	err := l.RunOnLoop(func() error { _, err := rt.RunString("throw new TypeError('set-up failed')"); return err })
	if err == nil || !strings.Contains(err.Error(), "set-up failed") || reported {
		t.Fatalf("RunOnLoop = %v, reported to OnError = %v", err, reported)
	}
}

// An interrupt that lands inside a promise job is swallowed by goja as a
// rejection; the loop must still report it and leave the runtime usable.
func TestBudgetInterruptInsideMicrotask(t *testing.T) {
	rt := goja.New()
	var aborted any
	l := New(rt, Options{TaskBudget: 20 * time.Millisecond, OnAbort: func(o any, err error) bool { aborted = o; return true }})
	var resolve func(any) error
	l.RunOnLoop(func() error {
		p, r, _ := rt.NewPromise()
		resolve = r
		rt.Set("p", p)
		_, err := rt.RunString("p.then(() => { for (;;) {} })")
		return err
	})
	l.Enqueue(func() error { l.SetOwner("looper"); return resolve(1) })
	ok := false
	l.Enqueue(func() error {
		v, err := rt.RunString("Promise.resolve(5).then((x) => { globalThis.after = x * 2 }); 1")
		ok = err == nil && v.ToInteger() == 1
		return err
	})
	if err := l.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if aborted != "looper" {
		t.Fatalf("OnAbort owner = %v", aborted)
	}
	if !ok || rt.Get("after") == nil || rt.Get("after").ToInteger() != 10 {
		t.Fatalf("the next task was hit by the stale interrupt (ok=%v after=%v)", ok, rt.Get("after"))
	}
}

func TestUnrefTimerDoesNotKeepLoopAlive(t *testing.T) {
	rt := goja.New()
	l := New(rt, Options{})
	fired := 0
	err := l.RunOnLoop(func() error {
		long := l.SetTimer(time.Hour, false, func() error { fired++; return nil })
		l.SetTimerRef(long, false)
		interval := l.SetTimer(time.Millisecond, true, func() error { fired++; return nil })
		l.SetTimerRef(interval, false)
		short := l.SetTimer(20*time.Millisecond, false, func() error { fired += 100; return nil })
		l.SetTimerRef(short, false)
		l.SetTimerRef(short, true) // ref again: this one keeps the loop alive
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := l.Run(ctx); err != nil {
		t.Fatalf("Run: %v (an unref'd timer kept the loop alive)", err)
	}
	if fired < 100 || fired >= 200 {
		t.Fatalf("fired = %d: want the ref'd timer once and the interval meanwhile", fired)
	}
}
