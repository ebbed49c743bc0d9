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

// lazyGlobals are the globals the JavaScript setup defines. Install defines
// them with DefineLazyGlobals; the first use of one runs the setup.
var lazyGlobals = []string{
	"DOMException", "Event", "CustomEvent", "EventTarget", "AbortSignal", "AbortController",
	"ErrorEvent", "PromiseRejectionEvent",
}

// isolate is one runtime's events state. Event loop only.
//
// Running the setup program costs more than an isolate's whole start-up
// budget, mostly because it makes goja build the built-ins it uses (Error,
// Reflect, Symbol ...), so it runs when first needed: when a script first
// uses one of lazyGlobals, or a Go helper of this package is first called.
type isolate struct {
	funcs *hostFuncs
	state setupState
	err   error

	// Set by setUp.
	globals        map[string]goja.Value // the interface objects, by name
	domException   *goja.Object
	eventTarget    *goja.Object
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
	globals, ok := in.Get("globals").(*goja.Object)
	if !ok {
		return fmt.Errorf("internals lack globals")
	}
	iso.globals = make(map[string]goja.Value, len(lazyGlobals))
	for _, name := range lazyGlobals {
		v := globals.Get(name)
		if v == nil {
			return fmt.Errorf("the setup did not define %s", name)
		}
		iso.globals[name] = v
	}
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
			if err := exposeMembers(ctor); err != nil {
				return err
			}
		}
	}
	event, ok := in.Get("Event").(*goja.Object)
	if !ok {
		return fmt.Errorf("internals lack Event")
	}
	if iso.eventTarget, ok = in.Get("EventTarget").(*goja.Object); !ok {
		return fmt.Errorf("internals lack EventTarget")
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
