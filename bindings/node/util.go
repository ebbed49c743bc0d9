package node

import (
	"reflect"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings/console"
)

// installUtil gives node:util the console's formatter, so that
// util.inspect, util.format and console.log print a value the same way,
// and the brand checks of node:util/types that JavaScript cannot make.
func (b *Binding) installUtil(o *goja.Object) error {
	for name, fn := range map[string]func(goja.FunctionCall) goja.Value{
		"utilInspect": b.utilInspect,
		"utilFormat":  b.utilFormat,
		"utilClassOf": b.utilClassOf,
	} {
		if err := o.Set(name, fn); err != nil {
			return err
		}
	}
	return nil
}

// inspectOptions reads (depth, customInspect) as node:util passes them:
// depth -1 for no limit.
func inspectOptions(depth, custom goja.Value) console.InspectOptions {
	return console.InspectOptions{Depth: int(depth.ToInteger()), CustomInspect: custom.ToBoolean()}
}

// utilInspect(value, depth, customInspect) is util.inspect.
func (b *Binding) utilInspect(call goja.FunctionCall) goja.Value {
	return b.rt.ToValue(console.Inspect(b.rt, call.Argument(0), inspectOptions(call.Argument(1), call.Argument(2))))
}

// utilFormat(depth, customInspect, ...args) is util.formatWithOptions.
func (b *Binding) utilFormat(call goja.FunctionCall) goja.Value {
	var args []goja.Value
	if len(call.Arguments) > 2 {
		args = call.Arguments[2:]
	}
	return b.rt.ToValue(console.FormatWithOptions(b.rt, inspectOptions(call.Argument(0), call.Argument(1)), args))
}

// utilClassOf(value) names the internal class of an object for the type
// checks JavaScript has no brand check for: "Promise", "Proxy", "Error",
// "Arguments" and so on; "" for a primitive.
func (b *Binding) utilClassOf(call goja.FunctionCall) goja.Value {
	o, ok := call.Argument(0).(*goja.Object)
	if !ok {
		return b.rt.ToValue("")
	}
	// ExportType, unlike Export, copies nothing (an array would be).
	switch o.ExportType() {
	case typePromise:
		return b.rt.ToValue("Promise")
	case typeProxy:
		return b.rt.ToValue("Proxy")
	}
	return b.rt.ToValue(o.ClassName())
}

var (
	typePromise = reflect.TypeFor[*goja.Promise]()
	typeProxy   = reflect.TypeFor[goja.Proxy]()
)
