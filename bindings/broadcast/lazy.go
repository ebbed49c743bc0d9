package broadcast

import (
	"fmt"

	"github.com/dop251/goja"
)

// installLazily defines each of names as an accessor on the global object
// that builds the package's globals the first time any of them is read,
// then turns itself into the WebIDL data property (writable, configurable,
// not enumerable) holding the real value. Assigning first just replaces the
// accessor with the assigned value, as assigning to the data property would.
//
// Building the classes runs a program and makes goja build Event and
// EventTarget, far more than an isolate's start-up budget allows for a
// global most workers never touch.
func installLazily(rt *goja.Runtime, names []string, build func() (map[string]goja.Value, error)) error {
	global := rt.GlobalObject()
	var values map[string]goja.Value
	for _, name := range names {
		get := func(goja.FunctionCall) goja.Value {
			if values == nil {
				v, err := build()
				if err != nil {
					panic(rt.NewTypeError(fmt.Sprintf("cannot initialize %s: %v", name, err)))
				}
				values = v
			}
			v := values[name]
			_ = global.DefineDataProperty(name, v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
			return v
		}
		set := func(call goja.FunctionCall) goja.Value {
			_ = global.DefineDataProperty(name, call.Argument(0), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
			return goja.Undefined()
		}
		if err := global.DefineAccessorProperty(name, rt.ToValue(get), rt.ToValue(set), goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}
