package url

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
// Building an interface object costs about a microsecond per method in
// goja, which for this package is the bulk of an isolate's start-up
// budget; most workers never touch most globals. The one observable
// difference from eager definition is Object.getOwnPropertyDescriptor on a
// global nobody has read yet (Node defines its lazy web globals the same
// way).
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
