package events

import (
	"fmt"

	"github.com/dop251/goja"
)

// NewDOMException returns a new DOMException with the given message and
// name (for example "AbortError", "InvalidStateError", "DataCloneError"),
// for Go bindings to throw (panic(rt.ToValue(ex)) inside a native) or to
// reject a promise with. It uses the isolate's own DOMException class, so the
// result is instanceof DOMException even if a script replaced the global.
//
// If Install has not run in rt, it returns an Error whose name is name, so
// callers always get an error object to throw.
func NewDOMException(rt *goja.Runtime, message, name string) *goja.Object {
	if iso := lookup(rt); iso != nil {
		o, err := rt.New(iso.domException, rt.ToValue(message), rt.ToValue(name))
		if err == nil {
			return o
		}
	}
	return fallbackError(rt, message, name)
}

// IsDOMException reports whether v is a DOMException made by the isolate's
// DOMException class (or a subclass of it).
func IsDOMException(rt *goja.Runtime, v goja.Value) bool {
	iso := lookupIfReady(rt)
	if iso == nil {
		return false
	}
	r, err := iso.isDOMException(goja.Undefined(), v)
	return err == nil && r.ToBoolean()
}

// DOMExceptionFields returns the name and message of a DOMException from its
// internal state, which no own property of the object can shadow (for
// structuredClone). ok is false if v is not a DOMException.
func DOMExceptionFields(rt *goja.Runtime, v goja.Value) (name, message string, ok bool) {
	iso := lookupIfReady(rt)
	if iso == nil || !IsDOMException(rt, v) {
		return "", "", false
	}
	r, err := iso.domExFields(goja.Undefined(), v)
	if err != nil {
		return "", "", false
	}
	o := r.ToObject(rt)
	return o.Get("0").String(), o.Get("1").String(), true
}

// domExceptionConstants are the legacy code constants WebIDL puts on
// DOMException and its prototype.
var domExceptionConstants = [...]struct {
	name string
	code int
}{
	{"INDEX_SIZE_ERR", 1}, {"DOMSTRING_SIZE_ERR", 2}, {"HIERARCHY_REQUEST_ERR", 3},
	{"WRONG_DOCUMENT_ERR", 4}, {"INVALID_CHARACTER_ERR", 5}, {"NO_DATA_ALLOWED_ERR", 6},
	{"NO_MODIFICATION_ALLOWED_ERR", 7}, {"NOT_FOUND_ERR", 8}, {"NOT_SUPPORTED_ERR", 9},
	{"INUSE_ATTRIBUTE_ERR", 10}, {"INVALID_STATE_ERR", 11}, {"SYNTAX_ERR", 12},
	{"INVALID_MODIFICATION_ERR", 13}, {"NAMESPACE_ERR", 14}, {"INVALID_ACCESS_ERR", 15},
	{"VALIDATION_ERR", 16}, {"TYPE_MISMATCH_ERR", 17}, {"SECURITY_ERR", 18},
	{"NETWORK_ERR", 19}, {"ABORT_ERR", 20}, {"URL_MISMATCH_ERR", 21},
	{"QUOTA_EXCEEDED_ERR", 22}, {"TIMEOUT_ERR", 23}, {"INVALID_NODE_TYPE_ERR", 24},
	{"DATA_CLONE_ERR", 25},
}

// eventPhaseConstants are Event's eventPhase constants.
var eventPhaseConstants = [...]struct {
	name string
	code int
}{{"NONE", 0}, {"CAPTURING_PHASE", 1}, {"AT_TARGET", 2}, {"BUBBLING_PHASE", 3}}

// defineConstant defines a WebIDL constant on an interface object and its
// prototype: read-only, enumerable, not configurable.
func defineConstant(rt *goja.Runtime, ctor *goja.Object, name string, v int) error {
	val := rt.ToValue(v)
	if err := ctor.DefineDataProperty(name, val, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE); err != nil {
		return err
	}
	proto, ok := ctor.Get("prototype").(*goja.Object)
	if !ok {
		return fmt.Errorf("%s: no prototype", name)
	}
	return proto.DefineDataProperty(name, val, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
}

func fallbackError(rt *goja.Runtime, message, name string) *goja.Object {
	var o *goja.Object
	if ctor, ok := rt.GlobalObject().Get("Error").(*goja.Object); ok {
		o, _ = rt.New(ctor, rt.ToValue(message))
	}
	if o == nil {
		o = rt.NewObject()
		_ = o.Set("message", message)
	}
	_ = o.DefineDataProperty("name", rt.ToValue(name), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	return o
}
