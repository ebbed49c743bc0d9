package timers

import (
	"errors"
	"time"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings/events"
)

// installPerformance defines performance, the [Replaceable] readonly
// attribute HR-Time adds to WorkerGlobalScope, and its interface,
// Performance: now() is the monotonic time since origin (the isolate's
// start) in milliseconds with microsecond resolution, and timeOrigin is
// origin as Unix milliseconds.
//
// Performance inherits from EventTarget, so both are built on first use:
// that sets package events' classes up, which costs an isolate more than
// its whole start-up budget. Without package events in the runtime,
// Performance inherits from nothing.
func installPerformance(rt *goja.Runtime, origin time.Time) error {
	s := &singleton{rt: rt, name: "Performance"}
	s.build = func() (*goja.Object, *goja.Object, error) {
		return buildPerformance(rt, origin)
	}
	if err := s.install(); err != nil {
		return err
	}
	return defineGlobalAttribute(rt, "performance", true, s.getInstance)
}

func buildPerformance(rt *goja.Runtime, origin time.Time) (*goja.Object, *goja.Object, error) {
	eventTarget, err := events.EventTarget(rt)
	if err != nil && !errors.Is(err, events.ErrNotInstalled) {
		return nil, nil, err
	}
	ctor, proto, err := newInterface(rt, "Performance", eventTarget)
	if err != nil {
		return nil, nil, err
	}
	var perf *goja.Object
	if eventTarget != nil {
		// An EventTarget's listeners live in its private state, which only
		// EventTarget's constructor makes.
		if perf, err = rt.New(eventTarget); err != nil {
			return nil, nil, err
		}
		if err := perf.SetPrototype(proto); err != nil {
			return nil, nil, err
		}
	} else {
		perf = rt.CreateObject(proto)
	}
	timeOrigin := rt.ToValue(float64(origin.UnixMicro()) / 1e3)
	brand := func(this goja.Value, member string) {
		if this != goja.Value(perf) {
			panic(rt.NewTypeError("Failed to execute '" + member + "' on 'Performance': Illegal invocation"))
		}
	}
	if err := defineOperation(rt, proto, "now", 0, func(call goja.FunctionCall) goja.Value {
		brand(call.This, "now")
		return rt.ToValue(float64(time.Since(origin).Microseconds()) / 1e3)
	}); err != nil {
		return nil, nil, err
	}
	if err := defineGetter(rt, proto, "timeOrigin", func(call goja.FunctionCall) goja.Value {
		brand(call.This, "timeOrigin")
		return timeOrigin
	}); err != nil {
		return nil, nil, err
	}
	// toJSON is [Default]: an object with the attributes of JSON types.
	if err := defineOperation(rt, proto, "toJSON", 0, func(call goja.FunctionCall) goja.Value {
		brand(call.This, "toJSON")
		o := rt.NewObject()
		_ = o.Set("timeOrigin", timeOrigin)
		return o
	}); err != nil {
		return nil, nil, err
	}
	return ctor, perf, nil
}
