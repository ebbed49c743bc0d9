package encoding

import "github.com/dop251/goja"

// errors makes the JavaScript errors the specs name. The RangeError and Error
// constructors are the ones the isolate started with, so a script that
// replaces the globals cannot change what the bindings throw.
type errors struct {
	rt         *goja.Runtime
	rangeError *goja.Object
	error      *goja.Object
}

func newErrors(rt *goja.Runtime) *errors {
	re, _ := rt.Get("RangeError").(*goja.Object)
	er, _ := rt.Get("Error").(*goja.Object)
	return &errors{rt: rt, rangeError: re, error: er}
}

func (e *errors) typeError(msg string) *goja.Object { return e.rt.NewTypeError(msg) }

func (e *errors) rangeErr(msg string) *goja.Object {
	o, err := e.rt.New(e.rangeError, e.rt.ToValue(msg))
	if err != nil {
		return e.rt.NewTypeError(msg)
	}
	return o
}

// domException returns a DOMException made by the global DOMException that
// package events installs, looked up when the error happens so that install
// order does not matter. Without one (an isolate built without events) it
// falls back to an Error whose name is set, which scripts that test e.name
// still understand.
func (e *errors) domException(name, msg string) *goja.Object {
	if ctor, ok := e.rt.Get("DOMException").(*goja.Object); ok {
		if o, err := e.rt.New(ctor, e.rt.ToValue(msg), e.rt.ToValue(name)); err == nil {
			return o
		}
	}
	o, err := e.rt.New(e.error, e.rt.ToValue(msg))
	if err != nil {
		return e.rt.NewTypeError(msg)
	}
	_ = o.DefineDataProperty("name", e.rt.ToValue(name), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	return o
}
