package timers

import (
	"runtime"

	"github.com/dop251/goja"
)

// userAgent is navigator.userAgent.
const userAgent = "sockw"

// installNavigator defines navigator, WorkerGlobalScope's readonly
// attribute, and its interface, WorkerNavigator: a worker's navigator is a
// WorkerNavigator (HTML), not the Window's Navigator, which is not exposed
// to workers. It has userAgent and hardwareConcurrency (the Go scheduler's
// parallelism, GOMAXPROCS). Other bindings may add members to
// WorkerNavigator.prototype (as the early Direct Sockets draft's
// openTCPSocket). Both are built on first use.
func installNavigator(rt *goja.Runtime) error {
	s := &singleton{rt: rt, name: "WorkerNavigator"}
	s.build = func() (*goja.Object, *goja.Object, error) {
		ctor, proto, err := newInterface(rt, "WorkerNavigator", nil)
		if err != nil {
			return nil, nil, err
		}
		nav := rt.CreateObject(proto)
		attr := func(name string, v goja.Value) error {
			return defineGetter(rt, proto, name, func(call goja.FunctionCall) goja.Value {
				if call.This != goja.Value(nav) {
					panic(rt.NewTypeError("Failed to read '" + name + "' on 'WorkerNavigator': Illegal invocation"))
				}
				return v
			})
		}
		if err := attr("userAgent", rt.ToValue(userAgent)); err != nil {
			return nil, nil, err
		}
		if err := attr("hardwareConcurrency", rt.ToValue(runtime.GOMAXPROCS(0))); err != nil {
			return nil, nil, err
		}
		return ctor, nav, nil
	}
	if err := s.install(); err != nil {
		return err
	}
	return defineGlobalAttribute(rt, "navigator", false, s.getInstance)
}
