package events

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/dop251/goja"
)

// isolateKey names the global property under which Install keeps the
// isolate's *isolate. The property is read-only and non-configurable, and its
// value is an opaque Go object, so a script that finds it can neither
// replace it nor use it.
var isolateKey = goja.NewSymbol("sockw.events")

// lazyGlobals are the globals the JavaScript setup defines. Install only
// puts placeholders for them on the global object; see isolate.setUp.
var lazyGlobals = [...]string{"DOMException", "Event", "CustomEvent", "EventTarget", "AbortSignal", "AbortController"}

// isolate is one runtime's events state. Event loop only.
//
// Running the setup program costs more than an isolate's whole start-up
// budget, mostly because it makes goja build the built-ins it uses (Error,
// Reflect, Symbol ...), so it runs when first needed: when a script first
// reads one of lazyGlobals, or a Go helper of this package is first called.
// Until then each of those globals is an accessor that runs the setup and
// then is replaced by the usual data property (workerd's lazy globals do
// the same). A script that assigns, redefines or deletes one first keeps
// its choice: the setup only replaces placeholders still in place.
type isolate struct {
	funcs       *hostFuncs
	state       setupState
	err         error
	placeholder *goja.Object // name -> the getter of its placeholder

	// Set by setUp.
	domException   *goja.Object
	isDOMException goja.Callable
	domExFields    goja.Callable // (DOMException) -> [name, message]
	isAbortSignal  goja.Callable
	signalState    goja.Callable // (signal) -> [aborted, reason]
	addAlgorithm   goja.Callable // (signal, fn) -> remove function
	newSignal      goja.Callable // () -> [signal, abort function]
}

type setupState int

const (
	setupPending setupState = iota
	setupRunning
	setupDone
	setupFailed
)

var errSetupRecursion = errors.New("events: setup needed while it runs")

// ready runs the setup if it has not run yet, and reports whether the
// classes can be used.
func (iso *isolate) ready() error {
	switch iso.state {
	case setupDone:
		return nil
	case setupFailed:
		return iso.err
	case setupRunning:
		return errSetupRecursion
	}
	iso.state = setupRunning
	if err := iso.setUp(); err != nil {
		iso.state, iso.err = setupFailed, fmt.Errorf("events: setting up: %w", err)
		return iso.err
	}
	iso.state = setupDone
	return nil
}

func (iso *isolate) setUp() error {
	prg, err := program()
	if err != nil {
		return err
	}
	rt := iso.funcs.h.Runtime
	v, err := rt.RunProgram(prg)
	if err != nil {
		return err
	}
	setup, ok := goja.AssertFunction(v)
	if !ok {
		return fmt.Errorf("setup is %v, not a function", v)
	}
	res, err := setup(goja.Undefined(), rt.GlobalObject(), iso.funcs.object(rt))
	if err != nil {
		return err
	}
	in := res.ToObject(rt)
	ctor, ok := in.Get("DOMException").(*goja.Object)
	if !ok {
		return fmt.Errorf("internals lack DOMException")
	}
	iso.domException = ctor
	for _, c := range domExceptionConstants {
		if err := defineConstant(rt, ctor, c.name, c.code); err != nil {
			return err
		}
	}
	if tags, ok := in.Get("tags").(*goja.Object); ok {
		n := int(tags.Get("length").ToInteger())
		for i := 0; i+1 < n; i += 2 {
			ctor, _ := tags.Get(strconv.Itoa(i)).(*goja.Object)
			if ctor == nil {
				return fmt.Errorf("tag %d: no constructor", i)
			}
			proto, _ := ctor.Get("prototype").(*goja.Object)
			if proto == nil {
				return fmt.Errorf("tag %d: no prototype", i)
			}
			if err := proto.DefineDataPropertySymbol(goja.SymToStringTag, tags.Get(strconv.Itoa(i+1)),
				goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
				return err
			}
		}
	}
	event, ok := in.Get("Event").(*goja.Object)
	if !ok {
		return fmt.Errorf("internals lack Event")
	}
	for _, c := range eventPhaseConstants {
		if err := defineConstant(rt, event, c.name, c.code); err != nil {
			return err
		}
	}
	funcs := []struct {
		name string
		dst  *goja.Callable
	}{
		{"isDOMException", &iso.isDOMException},
		{"domExceptionFields", &iso.domExFields},
		{"isAbortSignal", &iso.isAbortSignal},
		{"signalState", &iso.signalState},
		{"addAlgorithm", &iso.addAlgorithm},
		{"newSignal", &iso.newSignal},
	}
	for _, f := range funcs {
		fn, ok := goja.AssertFunction(in.Get(f.name))
		if !ok {
			return fmt.Errorf("internals lack function %s", f.name)
		}
		*f.dst = fn
	}
	return nil
}

// defineLazyGlobals puts the placeholder accessors for lazyGlobals on the
// global object.
func (iso *isolate) defineLazyGlobals(rt *goja.Runtime) error {
	global := rt.GlobalObject()
	iso.placeholder = rt.NewObject()
	for _, name := range lazyGlobals {
		get := rt.ToValue(func(goja.FunctionCall) goja.Value {
			if err := iso.ready(); err != nil {
				panic(rt.NewTypeError(err.Error()))
			}
			return global.Get(name)
		})
		if err := iso.placeholder.Set(name, get); err != nil {
			return err
		}
		set := rt.ToValue(func(call goja.FunctionCall) goja.Value {
			if err := defineGlobal(rt, name, call.Argument(0)); err != nil {
				panic(rt.NewTypeError(err.Error()))
			}
			return goja.Undefined()
		})
		if err := global.DefineAccessorProperty(name, get, set, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	return nil
}

// defineGlobal defines a global the WebIDL way: writable, configurable,
// not enumerable.
func defineGlobal(rt *goja.Runtime, name string, v goja.Value) error {
	return rt.GlobalObject().DefineDataProperty(name, v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// lookup returns rt's isolate, set up, or nil if Install has not run in rt
// or the setup failed.
func lookup(rt *goja.Runtime) *isolate {
	v := rt.GlobalObject().GetSymbol(isolateKey)
	if v == nil {
		return nil
	}
	iso, _ := v.Export().(*isolate)
	if iso == nil || iso.ready() != nil {
		return nil
	}
	return iso
}

// lookupIfReady returns rt's isolate if its setup has run. Predicates use
// it: before the setup no DOMException or AbortSignal can exist.
func lookupIfReady(rt *goja.Runtime) *isolate {
	v := rt.GlobalObject().GetSymbol(isolateKey)
	if v == nil {
		return nil
	}
	iso, _ := v.Export().(*isolate)
	if iso == nil || iso.state != setupDone {
		return nil
	}
	return iso
}
