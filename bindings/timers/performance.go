package timers

import (
	"time"

	"github.com/dop251/goja"
)

// installPerformance defines the Performance interface and the global
// performance object of HR-Time: now() is the monotonic time since origin
// (the isolate's start) in milliseconds with microsecond resolution, and
// timeOrigin is origin as Unix milliseconds.
func installPerformance(rt *goja.Runtime, origin time.Time) error {
	ctor, proto, err := newInterface(rt, "Performance")
	if err != nil {
		return err
	}
	perf := rt.CreateObject(proto)
	timeOrigin := rt.ToValue(float64(origin.UnixMicro()) / 1e3)
	brand := func(this goja.Value) {
		if this != goja.Value(perf) {
			panic(rt.NewTypeError("Illegal invocation"))
		}
	}
	now := func(call goja.FunctionCall) goja.Value {
		brand(call.This)
		return rt.ToValue(float64(time.Since(origin).Microseconds()) / 1e3)
	}
	if err := defineFunction(rt, proto, "now", 0, now); err != nil {
		return err
	}
	getOrigin := rt.ToValue(func(call goja.FunctionCall) goja.Value {
		brand(call.This)
		return timeOrigin
	})
	if err := proto.DefineAccessorProperty("timeOrigin", getOrigin, nil, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	toJSON := func(call goja.FunctionCall) goja.Value {
		brand(call.This)
		o := rt.NewObject()
		_ = o.Set("timeOrigin", timeOrigin)
		return o
	}
	if err := defineFunction(rt, proto, "toJSON", 0, toJSON); err != nil {
		return err
	}
	if err := defineGlobal(rt, "Performance", ctor); err != nil {
		return err
	}
	return defineGlobal(rt, "performance", perf)
}

// newInterface returns a WebIDL interface object that cannot be constructed
// ("Illegal constructor") and its prototype, tagged with name.
func newInterface(rt *goja.Runtime, name string) (ctor, proto *goja.Object, err error) {
	ctor = rt.ToValue(func(goja.ConstructorCall) *goja.Object {
		panic(rt.NewTypeError("Illegal constructor"))
	}).(*goja.Object)
	if err := ctor.DefineDataProperty("name", rt.ToValue(name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return nil, nil, err
	}
	if err := ctor.DefineDataProperty("length", rt.ToValue(0), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return nil, nil, err
	}
	proto = rt.NewObject()
	if err := proto.DefineDataProperty("constructor", ctor, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return nil, nil, err
	}
	if err := proto.DefineDataPropertySymbol(goja.SymToStringTag, rt.ToValue(name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return nil, nil, err
	}
	if err := ctor.DefineDataProperty("prototype", proto, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
		return nil, nil, err
	}
	return ctor, proto, nil
}

func defineGlobal(rt *goja.Runtime, name string, v goja.Value) error {
	return rt.GlobalObject().DefineDataProperty(name, v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}
