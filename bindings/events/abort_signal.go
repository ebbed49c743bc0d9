package events

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dop251/goja"
)

// maxTimeoutMs is the longest delay a time.Duration holds, in milliseconds.
const maxTimeoutMs = float64(1<<63-1) / float64(time.Millisecond)

// startTimeout(ms, callback) runs callback as a loop task after ms
// milliseconds, for AbortSignal.timeout.
//
// Unlike a timer from Loop.SetTimer, it does not keep the loop alive: in
// browsers and Deno a pending AbortSignal.timeout does not keep a worker or
// process running, and `sockw exec` should not wait minutes for a timeout
// signal nobody awaits. The Go timer hands the task to Loop.Enqueue, which
// drops it once the loop has stopped; the timer is also stopped when the
// isolate's context ends, so a discarded isolate is not kept in memory by a
// long timeout.
func (f *hostFuncs) startTimeout(call goja.FunctionCall) goja.Value {
	ms := call.Argument(0).ToFloat()
	cb, ok := goja.AssertFunction(call.Argument(1))
	if !ok {
		panic(f.h.Runtime.NewTypeError("startTimeout: callback is not a function"))
	}
	if !(ms < maxTimeoutMs) {
		return goja.Undefined() // ~292 years: it never fires within the isolate's life
	}
	loop, ctx := f.h.Loop, f.h.Context
	owner := loop.Owner() // the abort is part of the work that made the signal
	if ctx == nil {
		ctx = context.Background()
	}
	var stop func() bool
	ready := make(chan struct{})
	t := time.AfterFunc(time.Duration(ms*float64(time.Millisecond)), func() {
		<-ready
		stop()
		_ = loop.Enqueue(func() error {
			loop.SetOwner(owner)
			_, err := cb(goja.Undefined())
			return err
		})
	})
	stop = context.AfterFunc(ctx, func() { t.Stop() })
	close(ready)
	return goja.Undefined()
}

// IsAbortSignal reports whether v is an AbortSignal of rt's isolate.
func IsAbortSignal(rt *goja.Runtime, v goja.Value) bool {
	iso := lookupIfReady(rt)
	if iso == nil {
		return false
	}
	r, err := iso.isAbortSignal(goja.Undefined(), v)
	return err == nil && r.ToBoolean()
}

// Aborted reports whether signal has been aborted and, if so, its reason.
// It fails if signal is not an AbortSignal.
func Aborted(rt *goja.Runtime, signal goja.Value) (reason goja.Value, aborted bool, err error) {
	iso, err := signalIsolate(rt, signal)
	if err != nil {
		return nil, false, err
	}
	st, err := iso.signalState(goja.Undefined(), signal)
	if err != nil {
		return nil, false, fmt.Errorf("events: reading signal state: %w", err)
	}
	o := st.ToObject(rt)
	return o.Get("1"), o.Get("0").ToBoolean(), nil
}

// OnAbort adds fn to signal's abort algorithms, the DOM's "add an algorithm
// to an AbortSignal", for Go bindings such as pipeTo and sockets. When the
// signal aborts, fn runs with the abort reason on the loop goroutine, before
// the signal's abort event is dispatched, in the order algorithms were added;
// a panic with a JavaScript value in fn is reported like a listener's
// exception.
//
// If signal is already aborted, fn runs at once, before OnAbort returns, as
// most spec algorithms ("if signal is aborted, do X; otherwise add X")
// want. The returned remove unregisters fn if it has not run; it is
// idempotent. OnAbort fails if signal is not an AbortSignal. Loop goroutine
// only.
func OnAbort(rt *goja.Runtime, signal goja.Value, fn func(reason goja.Value)) (remove func(), err error) {
	reason, aborted, err := Aborted(rt, signal)
	if err != nil {
		return nil, err
	}
	if aborted {
		fn(reason)
		return func() {}, nil
	}
	iso := lookup(rt)
	algo := rt.ToValue(func(call goja.FunctionCall) goja.Value {
		fn(call.Argument(0))
		return goja.Undefined()
	})
	rm, err := iso.addAlgorithm(goja.Undefined(), signal, algo)
	if err != nil {
		return nil, fmt.Errorf("events: adding abort algorithm: %w", err)
	}
	rmFn, ok := goja.AssertFunction(rm)
	if !ok {
		return nil, fmt.Errorf("events: adding abort algorithm: got no remove function")
	}
	return func() { _, _ = rmFn(goja.Undefined()) }, nil
}

// NewAbortSignal returns a new AbortSignal that only Go can abort, as
// sockets do for their `signal`: abort(reason) signals abort with reason,
// or with an AbortError DOMException when reason is nil or undefined. abort
// runs the abort algorithms and listeners synchronously (their exceptions are
// reported, not returned); later calls do nothing. abort returns only errors
// that must end the task, such as an interrupt. Loop goroutine only.
func NewAbortSignal(rt *goja.Runtime) (signal *goja.Object, abort func(reason goja.Value) error, err error) {
	iso := lookup(rt)
	if iso == nil {
		return nil, nil, ErrNotInstalled
	}
	pair, err := iso.newSignal(goja.Undefined())
	if err != nil {
		return nil, nil, fmt.Errorf("events: creating signal: %w", err)
	}
	o := pair.ToObject(rt)
	signal = o.Get("0").ToObject(rt)
	abortFn, ok := goja.AssertFunction(o.Get("1"))
	if !ok {
		return nil, nil, fmt.Errorf("events: creating signal: got no abort function")
	}
	return signal, func(reason goja.Value) error {
		if reason == nil {
			reason = goja.Undefined()
		}
		_, err := abortFn(goja.Undefined(), reason)
		return err
	}, nil
}

// ErrNotInstalled is returned by the helpers of this package in a runtime
// where Install has not run.
var ErrNotInstalled = errors.New("events: not installed in this runtime")

func signalIsolate(rt *goja.Runtime, signal goja.Value) (*isolate, error) {
	iso := lookupIfReady(rt)
	if iso == nil {
		if lookup(rt) == nil {
			return nil, ErrNotInstalled
		}
		return nil, fmt.Errorf("events: %v is not an AbortSignal", signal)
	}
	if r, err := iso.isAbortSignal(goja.Undefined(), signal); err != nil || !r.ToBoolean() {
		return nil, fmt.Errorf("events: %v is not an AbortSignal", signal)
	}
	return iso, nil
}
