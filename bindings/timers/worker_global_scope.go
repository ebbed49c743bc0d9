package timers

import (
	"github.com/dop251/goja"
)

// The global object is [Global] (WorkerGlobalScope), so WebIDL puts its
// operations and attributes on it as own, enumerable properties, and an
// undefined `this` stands for it.

// defineOperation defines a native function as a WebIDL regular operation
// on o (the global object or an interface prototype): writable,
// enumerable, configurable, with the given name and length.
func defineOperation(rt *goja.Runtime, o *goja.Object, name string, length int, fn func(goja.FunctionCall) goja.Value) error {
	f := rt.ToValue(fn).(*goja.Object)
	if err := setNameLength(rt, f, name, length); err != nil {
		return err
	}
	return o.DefineDataProperty(name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
}

// setNameLength gives a native function the name and length WebIDL wants;
// goja names a Go func after its Go symbol.
func setNameLength(rt *goja.Runtime, f *goja.Object, name string, length int) error {
	if err := f.DefineDataProperty("name", rt.ToValue(name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	return f.DefineDataProperty("length", rt.ToValue(length), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// defineGlobalAttribute defines a readonly attribute of the global object
// whose value get returns (and may build on first use): an enumerable,
// configurable accessor with a getter named "get <name>". A [Replaceable]
// attribute also has a setter, which replaces the accessor with a data
// property holding the value set; without one, assigning fails (a
// TypeError in strict code).
func defineGlobalAttribute(rt *goja.Runtime, name string, replaceable bool, get func() goja.Value) error {
	global := rt.GlobalObject()
	checkThis := func(this goja.Value, what string) {
		if o, ok := this.(*goja.Object); ok && o == global {
			return
		}
		if this == nil || goja.IsUndefined(this) {
			return
		}
		panic(rt.NewTypeError("Failed to " + what + " '" + name + "' on 'WorkerGlobalScope': Illegal invocation"))
	}
	getter := rt.ToValue(func(call goja.FunctionCall) goja.Value {
		checkThis(call.This, "read")
		return get()
	}).(*goja.Object)
	if err := setNameLength(rt, getter, "get "+name, 0); err != nil {
		return err
	}
	var setter goja.Value
	if replaceable {
		s := rt.ToValue(func(call goja.FunctionCall) goja.Value {
			if len(call.Arguments) == 0 {
				panic(rt.NewTypeError("Failed to set '" + name + "' on 'WorkerGlobalScope': 1 argument required, but only 0 present."))
			}
			checkThis(call.This, "set")
			if err := global.DefineDataProperty(name, call.Argument(0), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
				panic(rt.NewTypeError(err.Error()))
			}
			return goja.Undefined()
		}).(*goja.Object)
		if err := setNameLength(rt, s, "set "+name, 1); err != nil {
			return err
		}
		setter = s
	}
	return global.DefineAccessorProperty(name, getter, setter, goja.FLAG_TRUE, goja.FLAG_TRUE)
}
