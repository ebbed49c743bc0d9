package events

import (
	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings"
)

// installReportError defines the global reportError(e), which logs e through
// the host's logger like an uncaught exception and, unlike in browsers,
// dispatches no "error" event: a worker's global object is no EventTarget.
func installReportError(h *bindings.Host, f *hostFuncs) error {
	rt := h.Runtime
	fn := rt.ToValue(func(call goja.FunctionCall) goja.Value {
		if len(call.Arguments) < 1 {
			panic(rt.NewTypeError("Failed to execute 'reportError': 1 argument required, but only 0 present."))
		}
		f.reportValue(call.Argument(0))
		return goja.Undefined()
	}).(*goja.Object)
	if err := fn.DefineDataProperty("name", rt.ToValue("reportError"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	if err := fn.DefineDataProperty("length", rt.ToValue(1), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	return rt.GlobalObject().DefineDataProperty("reportError", fn, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}
