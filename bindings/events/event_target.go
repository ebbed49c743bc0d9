package events

import "github.com/dop251/goja"

// EventTarget returns rt's own EventTarget interface object, whatever a
// script did to the global, for interfaces of other bindings that inherit
// from it (HR-Time's Performance): their interface object's [[Prototype]]
// is EventTarget and their prototype's is EventTarget.prototype. It sets
// the classes up if they are not yet. It fails if Install has not run in rt.
// Loop goroutine only.
func EventTarget(rt *goja.Runtime) (*goja.Object, error) {
	v := rt.GlobalObject().GetSymbol(isolateKey)
	if v == nil {
		return nil, ErrNotInstalled
	}
	iso, _ := v.Export().(*isolate)
	if iso == nil {
		return nil, ErrNotInstalled
	}
	if err := iso.ready(); err != nil {
		return nil, err
	}
	return iso.eventTarget, nil
}
