package events

import (
	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings"
)

// installReportError defines the global reportError(e), which logs e through
// the host's logger like an uncaught exception and, unlike in browsers,
// dispatches no "error" event: a worker's global object is no EventTarget.
// It is an operation of WindowOrWorkerGlobalScope, so, the global object
// being [Global], an own enumerable property of it.
func installReportError(h *bindings.Host, f *hostFuncs) error {
	rt := h.Runtime
	return defineOperation(rt, rt.GlobalObject(), "reportError", 1, func(call goja.FunctionCall) goja.Value {
		if len(call.Arguments) < 1 {
			panic(rt.NewTypeError("Failed to execute 'reportError': 1 argument required, but only 0 present."))
		}
		f.reportValue(call.Argument(0))
		return goja.Undefined()
	})
}
