package events

import (
	"errors"
	"fmt"

	"github.com/dop251/goja"
)

// Lazy globals.
//
// Building an interface costs an isolate from a few microseconds (a Go
// class) to most of a millisecond (the streams), and most workers never
// touch most interfaces, so the bindings build them on first use. Until
// then each global is an accessor, a placeholder, which builds its group of
// globals when read and replaces them with the data properties WebIDL
// defines (writable, configurable, not enumerable).
//
// V8 has lazy data properties for this; goja does not, so the placeholder
// would show through Object.getOwnPropertyDescriptor, which WPT's
// idlharness and feature tests use. The registry therefore replaces
// Object.getOwnPropertyDescriptor, Object.getOwnPropertyDescriptors and
// Reflect.getOwnPropertyDescriptor with natives that first build the lazy
// globals they are asked about, so that a script never sees a placeholder's
// descriptor. (Object.defineProperty on a placeholder still acts on the
// accessor: a partial descriptor there behaves as on an accessor.)

// lazyKey names the global property under which the registry of rt's lazy
// globals is kept (read-only, opaque to scripts).
var lazyKey = goja.NewSymbol("sockw.lazyGlobals")

// lazyRegistry is one runtime's registry of lazy globals. Event loop only.
type lazyRegistry struct {
	rt      *goja.Runtime
	global  *goja.Object
	gopd    goja.Callable           // the intrinsic Object.getOwnPropertyDescriptor
	gopdVal goja.Value              // the same, as a value
	pending map[string]*lazyGroup   // globals not yet built
	names   map[*goja.Object]string // placeholder getter -> global name
	version uint64                  // counts the groups built
}

// lazyGroup is globals built together.
type lazyGroup struct {
	reg     *lazyRegistry
	names   []string
	build   func() (map[string]goja.Value, error)
	getters map[string]*goja.Object // the placeholders' getters
	state   setupState
	err     error
	values  map[string]goja.Value
}

var errLazyRecursion = errors.New("a lazy global was needed while it was being built")

// DefineLazyGlobals defines each of names on rt's global object as a global
// whose value build returns when first needed: when a script reads one of
// names or asks for its property descriptor, or when the returned
// materialize is called. build runs at most once for the group; then each
// of names still holding its placeholder becomes a data property with the
// attributes of a WebIDL interface object (writable, configurable, not
// enumerable) and the value build returned for it. A script that assigns,
// redefines or deletes one of names first keeps its choice. If build fails,
// reading a name throws a TypeError and materialize returns the error.
//
// materialize builds the group, as Go bindings need to when the first use
// of the interfaces is theirs. Loop goroutine only.
func DefineLazyGlobals(rt *goja.Runtime, names []string, build func() (map[string]goja.Value, error)) (materialize func() error, err error) {
	reg, err := registry(rt)
	if err != nil {
		return nil, fmt.Errorf("events: lazy globals: %w", err)
	}
	g := &lazyGroup{reg: reg, names: names, build: build, getters: make(map[string]*goja.Object, len(names))}
	for _, name := range names {
		get := rt.ToValue(func(goja.FunctionCall) goja.Value {
			if err := g.materialize(); err != nil {
				if uncatchable(err) {
					panic(err) // an interrupt ends the task, not as a TypeError
				}
				panic(rt.NewTypeError(fmt.Sprintf("cannot initialize %s: %v", name, err)))
			}
			return g.values[name]
		}).(*goja.Object)
		// Assigning before first use replaces the placeholder as assigning
		// to the data property would: on the global object, or, through an
		// object inheriting from it, on that object.
		set := rt.ToValue(func(call goja.FunctionCall) goja.Value {
			target := reg.global
			if o, ok := call.This.(*goja.Object); ok {
				target = o
			}
			if err := target.DefineDataProperty(name, call.Argument(0), goja.FLAG_TRUE, goja.FLAG_TRUE, boolFlag(target != reg.global)); err != nil {
				panic(rt.NewTypeError(err.Error()))
			}
			return goja.Undefined()
		})
		g.getters[name] = get
		reg.names[get] = name
		if err := reg.global.DefineAccessorProperty(name, get, set, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return nil, fmt.Errorf("events: defining %s: %w", name, err)
		}
		reg.pending[name] = g
	}
	return g.materialize, nil
}

func boolFlag(b bool) goja.Flag {
	if b {
		return goja.FLAG_TRUE
	}
	return goja.FLAG_FALSE
}

// materialize builds the group and replaces the placeholders still in
// place.
func (g *lazyGroup) materialize() error {
	switch g.state {
	case setupDone:
		return nil
	case setupFailed:
		return g.err
	case setupRunning:
		return errLazyRecursion
	}
	g.state = setupRunning
	values, err := g.build()
	if err != nil {
		g.state, g.err = setupFailed, err
		if uncatchable(err) {
			g.state = setupPending // not the build's fault: it may run again
		}
		return err
	}
	g.values = values
	g.state = setupDone
	reg := g.reg
	reg.version++
	for _, name := range g.names {
		delete(reg.pending, name)
		if reg.isPlaceholder(name, g.getters[name]) {
			if err := reg.global.DefineDataProperty(name, values[name], goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
				return err
			}
		}
	}
	return nil
}

// isPlaceholder reports whether the global name is still the accessor
// whose getter is get.
func (reg *lazyRegistry) isPlaceholder(name string, get *goja.Object) bool {
	d, err := reg.gopd(goja.Undefined(), reg.global, reg.rt.ToValue(name))
	if err != nil {
		return false
	}
	o, ok := d.(*goja.Object)
	if !ok {
		return false
	}
	g, ok := o.Get("get").(*goja.Object)
	return ok && g == get
}

// registry returns rt's registry of lazy globals, made and wired into the
// reflection built-ins on first use.
func registry(rt *goja.Runtime) (*lazyRegistry, error) {
	global := rt.GlobalObject()
	if v := global.GetSymbol(lazyKey); v != nil {
		if reg, ok := v.Export().(*lazyRegistry); ok {
			return reg, nil
		}
	}
	object, ok := global.Get("Object").(*goja.Object)
	if !ok {
		return nil, errors.New("no Object")
	}
	reflect, ok := global.Get("Reflect").(*goja.Object)
	if !ok {
		return nil, errors.New("no Reflect")
	}
	gopdVal := object.Get("getOwnPropertyDescriptor")
	gopd, ok := goja.AssertFunction(gopdVal)
	if !ok {
		return nil, errors.New("no Object.getOwnPropertyDescriptor")
	}
	gopds, ok := goja.AssertFunction(object.Get("getOwnPropertyDescriptors"))
	if !ok {
		return nil, errors.New("no Object.getOwnPropertyDescriptors")
	}
	reflectGopd, ok := goja.AssertFunction(reflect.Get("getOwnPropertyDescriptor"))
	if !ok {
		return nil, errors.New("no Reflect.getOwnPropertyDescriptor")
	}
	reg := &lazyRegistry{rt: rt, global: global, gopd: gopd, gopdVal: gopdVal, pending: make(map[string]*lazyGroup), names: make(map[*goja.Object]string)}
	// Each replacement calls the intrinsic with the same arguments, so that
	// conversions (of the key, once), exceptions and results are the
	// intrinsic's; if what it found is a placeholder, it builds its group
	// and asks again, by name.
	forKey := func(orig goja.Callable) func(goja.FunctionCall) goja.Value {
		return func(call goja.FunctionCall) goja.Value {
			d := reg.call(orig, call)
			if len(reg.pending) == 0 {
				return d
			}
			if o, ok := call.Argument(0).(*goja.Object); !ok || o != global {
				return d
			}
			name, g := reg.placeholderOf(d)
			if g == nil {
				return d
			}
			if err := g.materialize(); err != nil {
				if uncatchable(err) {
					panic(err)
				}
				return d // a failed build shows the placeholder
			}
			v, err := orig(call.This, global, rt.ToValue(name))
			if err != nil {
				panic(err)
			}
			return v
		}
	}
	all := func(call goja.FunctionCall) goja.Value {
		if len(reg.pending) > 0 {
			if o, ok := call.Argument(0).(*goja.Object); ok && o == global {
				for _, g := range reg.pending {
					if err := g.materialize(); err != nil && uncatchable(err) {
						panic(err)
					}
				}
			}
		}
		return reg.call(gopds, call)
	}
	for _, r := range []struct {
		holder *goja.Object
		name   string
		length int
		fn     func(goja.FunctionCall) goja.Value
	}{
		{object, "getOwnPropertyDescriptor", 2, forKey(gopd)},
		{object, "getOwnPropertyDescriptors", 1, all},
		{reflect, "getOwnPropertyDescriptor", 2, forKey(reflectGopd)},
	} {
		f := rt.ToValue(r.fn).(*goja.Object)
		if err := setNameLength(rt, f, r.name, r.length); err != nil {
			return nil, err
		}
		if err := r.holder.DefineDataProperty(r.name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return nil, err
		}
	}
	if err := global.DefineDataPropertySymbol(lazyKey, rt.ToValue(reg), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
		return nil, err
	}
	return reg, nil
}

// placeholderOf returns the name and group of the placeholder whose
// property descriptor d is, if it is one of a group still pending.
func (reg *lazyRegistry) placeholderOf(d goja.Value) (string, *lazyGroup) {
	o, ok := d.(*goja.Object)
	if !ok {
		return "", nil
	}
	get, ok := o.Get("get").(*goja.Object)
	if !ok {
		return "", nil
	}
	name, ok := reg.names[get]
	if !ok {
		return "", nil
	}
	g := reg.pending[name]
	if g == nil {
		return "", nil
	}
	return name, g
}

// call calls an intrinsic with a native's this and arguments, and throws
// what it threw.
func (reg *lazyRegistry) call(fn goja.Callable, call goja.FunctionCall) goja.Value {
	v, err := fn(call.This, call.Arguments...)
	if err != nil {
		panic(err)
	}
	return v
}

// IntrinsicGetOwnPropertyDescriptor returns Object.getOwnPropertyDescriptor
// as rt started with it. Unlike the global one once lazy globals are
// defined (see DefineLazyGlobals), it shows a lazy global not built yet as
// the accessor it is, without building it: structuredClone, which looks at
// every global, uses it so as not to build them all.
func IntrinsicGetOwnPropertyDescriptor(rt *goja.Runtime) goja.Value {
	if v := rt.GlobalObject().GetSymbol(lazyKey); v != nil {
		if reg, ok := v.Export().(*lazyRegistry); ok {
			return reg.gopdVal
		}
	}
	if o, ok := rt.GlobalObject().Get("Object").(*goja.Object); ok {
		return o.Get("getOwnPropertyDescriptor")
	}
	return goja.Undefined()
}

// LazyGlobalsVersion returns a function that reports a number which
// changes whenever one of rt's lazy globals is built (see
// DefineLazyGlobals), so that Go code that caches facts about the globals
// (structuredClone's list of platform interfaces) knows when to look again.
// The function is loop goroutine only.
func LazyGlobalsVersion(rt *goja.Runtime) func() uint64 {
	var reg *lazyRegistry
	return func() uint64 {
		if reg == nil {
			v := rt.GlobalObject().GetSymbol(lazyKey)
			if v == nil {
				return 0
			}
			if reg, _ = v.Export().(*lazyRegistry); reg == nil {
				return 0
			}
		}
		return reg.version
	}
}

// uncatchable reports whether err must end the task (an interrupt or a
// stack overflow) rather than become an exception a script can catch.
func uncatchable(err error) bool {
	var interrupted *goja.InterruptedError
	var overflow *goja.StackOverflowError
	return errors.As(err, &interrupted) || errors.As(err, &overflow)
}
