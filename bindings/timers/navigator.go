package timers

import (
	"runtime"

	"github.com/dop251/goja"
)

// userAgent is navigator.userAgent.
const userAgent = "sockw"

// installNavigator defines the Navigator interface and the global navigator
// with userAgent and hardwareConcurrency (the Go scheduler's parallelism,
// GOMAXPROCS). Other bindings may add members to Navigator.prototype, as
// sockets does for openTCPSocket.
func installNavigator(rt *goja.Runtime) error {
	ctor, proto, err := newInterface(rt, "Navigator")
	if err != nil {
		return err
	}
	nav := rt.CreateObject(proto)
	getter := func(v goja.Value) goja.Value {
		return rt.ToValue(func(call goja.FunctionCall) goja.Value {
			if call.This != goja.Value(nav) {
				panic(rt.NewTypeError("Illegal invocation"))
			}
			return v
		})
	}
	if err := proto.DefineAccessorProperty("userAgent", getter(rt.ToValue(userAgent)), nil, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	cpus := rt.ToValue(runtime.GOMAXPROCS(0))
	if err := proto.DefineAccessorProperty("hardwareConcurrency", getter(cpus), nil, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	if err := defineGlobal(rt, "Navigator", ctor); err != nil {
		return err
	}
	return defineGlobal(rt, "navigator", nav)
}
