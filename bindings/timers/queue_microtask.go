package timers

import (
	_ "embed"
	"fmt"
	"sync"

	"github.com/dop251/goja"
	"go.uber.org/zap"
)

//go:embed queue_microtask.js
var queueMicrotaskSource string

var queueMicrotaskProgram = sync.OnceValues(func() (*goja.Program, error) {
	return goja.Compile("sockw:queueMicrotask", queueMicrotaskSource, true)
})

// queueMicrotask queues callback as a microtask (a promise job).
//
// goja has no public way to queue a job, but resolving a promise with a
// thenable queues exactly one, which calls the thenable's then. So each call
// resolves a fresh promise with a fresh thenable whose then (a JavaScript
// function: calling JavaScript from a Go native inside a job would drain the
// job queue early) runs the callback. The promise never settles, so nothing
// reaches the rejection tracker: an exception is handed to report.
func (t *timers) queueMicrotask(call goja.FunctionCall) goja.Value {
	callback := call.Argument(0)
	if _, ok := goja.AssertFunction(callback); !ok {
		panic(t.rt.NewTypeError("Failed to execute 'queueMicrotask' on 'ServiceWorkerGlobalScope': parameter 1 is not of type 'Function'."))
	}
	then, err := t.microtaskThen()
	if err != nil {
		panic(t.rt.NewTypeError(err.Error()))
	}
	thenable := t.rt.NewObject()
	// Defined, not set, so that no setter on Object.prototype interferes.
	_ = thenable.DefineDataProperty("then", then, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	_ = thenable.DefineDataProperty("callback", callback, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	_, resolve, _ := t.rt.NewPromise()
	if err := resolve(thenable); err != nil {
		panic(err)
	}
	return goja.Undefined()
}

// microtaskThen returns the isolate's then function, made on first use.
func (t *timers) microtaskThen() (goja.Value, error) {
	if t.then != nil {
		return t.then, nil
	}
	prg, err := queueMicrotaskProgram()
	if err != nil {
		return nil, err
	}
	v, err := t.rt.RunProgram(prg)
	if err != nil {
		return nil, err
	}
	setup, ok := goja.AssertFunction(v)
	if !ok {
		return nil, fmt.Errorf("queueMicrotask setup is %v, not a function", v)
	}
	if t.then, err = setup(goja.Undefined(), t.rt.ToValue(t.reportMicrotask)); err != nil {
		return nil, err
	}
	return t.then, nil
}

// reportMicrotask reports an exception a microtask threw: a loop task
// queued behind the current one, for the same owner, returns it, so the
// loop's OnError gets it like a timer's. If the loop has stopped, it is
// logged instead.
func (t *timers) reportMicrotask(call goja.FunctionCall) goja.Value {
	reason := call.Argument(0)
	loop := t.h.Loop
	owner := loop.Owner()
	err := loop.Enqueue(func() error {
		loop.SetOwner(owner)
		// Throwing reason inside Try makes the *goja.Exception a task
		// returns when JavaScript throws.
		if ex := t.rt.Try(func() { panic(reason) }); ex != nil {
			return ex
		}
		return nil
	})
	if err != nil && t.h.Logger != nil {
		t.h.Logger.Error("uncaught exception in microtask", zap.String("error", reason.String()))
	}
	return goja.Undefined()
}
