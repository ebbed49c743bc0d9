package events

import (
	"time"

	"github.com/dop251/goja"
	"go.uber.org/zap"

	"github.com/sockw/sockw/bindings"
)

// hostFuncs are the Go natives the JavaScript internals call. They are handed
// to the setup function as an argument, so no script can reach them.
type hostFuncs struct {
	h      *bindings.Host
	iso    *isolate
	origin time.Time // time origin of Event.timeStamp
}

func newHostFuncs(h *bindings.Host) *hostFuncs {
	return &hostFuncs{h: h, origin: time.Now()}
}

func (f *hostFuncs) object(rt *goja.Runtime) *goja.Object {
	o := rt.NewObject()
	_ = o.Set("report", f.report)
	_ = o.Set("now", f.now)
	_ = o.Set("startTimeout", f.startTimeout)
	return o
}

// now returns the milliseconds since the time origin (Install), from the
// monotonic clock, at the microsecond resolution of performance.now().
func (f *hostFuncs) now(goja.FunctionCall) goja.Value {
	return f.h.Runtime.ToValue(float64(time.Since(f.origin).Microseconds()) / 1e3)
}

// report logs an exception that a listener, handler or abort algorithm threw,
// as HTML's "report an exception" does, then lets the caller carry on.
func (f *hostFuncs) report(call goja.FunctionCall) goja.Value {
	f.reportValue(call.Argument(0))
	return goja.Undefined()
}

func (f *hostFuncs) reportValue(v goja.Value) {
	if f.h.Logger == nil {
		return
	}
	f.h.Logger.Error("uncaught exception", zap.String("error", describe(f.h.Runtime, v)))
}

// describe renders a thrown value for the log: the stack of an error, or its
// string form. It never throws, even for values whose conversion would.
func describe(rt *goja.Runtime, v goja.Value) string {
	var s string
	ex := rt.Try(func() {
		if o, ok := v.(*goja.Object); ok {
			if st := o.Get("stack"); st != nil && !goja.IsUndefined(st) && !goja.IsNull(st) {
				s = st.String()
				return
			}
		}
		if _, ok := v.(*goja.Symbol); ok {
			s = v.String()
			return
		}
		s = v.ToString().String()
	})
	if ex != nil {
		return "(a value that cannot be converted to a string)"
	}
	return s
}
