package events

import (
	"github.com/dop251/goja"
)

// installSelf defines self, WorkerGlobalScope's [Replaceable] readonly
// attribute: an accessor of the global object (which is [Global], so its
// attributes are its own properties) whose getter returns the global object
// and whose setter, as [Replaceable] says, replaces the accessor with a data
// property holding the value set. The global object is not an EventTarget
// here: nothing fires events at it.
func installSelf(rt *goja.Runtime) error {
	global := rt.GlobalObject()
	// thisGlobal is WebIDL's receiver check for an attribute of the global
	// object: undefined stands for it, any other value but it is refused.
	thisGlobal := func(this goja.Value, what string) {
		if o, ok := this.(*goja.Object); ok && o == global {
			return
		}
		if this == nil || goja.IsUndefined(this) {
			return
		}
		panic(rt.NewTypeError("Failed to " + what + " 'self' on 'WorkerGlobalScope': Illegal invocation"))
	}
	get := rt.ToValue(func(call goja.FunctionCall) goja.Value {
		thisGlobal(call.This, "read")
		return global
	}).(*goja.Object)
	if err := setNameLength(rt, get, "get self", 0); err != nil {
		return err
	}
	set := rt.ToValue(func(call goja.FunctionCall) goja.Value {
		if len(call.Arguments) == 0 {
			panic(rt.NewTypeError("Failed to set 'self' on 'WorkerGlobalScope': 1 argument required, but only 0 present."))
		}
		thisGlobal(call.This, "set")
		if err := global.DefineDataProperty("self", call.Argument(0), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
			panic(rt.NewTypeError(err.Error()))
		}
		return goja.Undefined()
	}).(*goja.Object)
	if err := setNameLength(rt, set, "set self", 1); err != nil {
		return err
	}
	return global.DefineAccessorProperty("self", get, set, goja.FLAG_TRUE, goja.FLAG_TRUE)
}
