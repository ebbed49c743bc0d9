package events

import (
	"fmt"

	"github.com/dop251/goja"
)

// exposeMembers makes the members of an interface defined by a JavaScript
// class enumerable, as WebIDL defines regular and static attributes and
// operations, and class syntax does not: every string-keyed property of the
// prototype but constructor, and every one of the class but length, name
// and prototype. The other attributes (writable, configurable; a method's
// name and length, an accessor's "get x"/"set x") are already WebIDL's.
func exposeMembers(c *goja.Object) error {
	proto, ok := c.Get("prototype").(*goja.Object)
	if !ok {
		return fmt.Errorf("%v has no prototype", c.Get("name"))
	}
	for _, k := range proto.GetOwnPropertyNames() {
		if k == "constructor" {
			continue
		}
		if err := enumerable(proto, k); err != nil {
			return err
		}
	}
	for _, k := range c.GetOwnPropertyNames() {
		switch k {
		case "length", "name", "prototype":
			continue
		}
		if err := enumerable(c, k); err != nil {
			return err
		}
	}
	return nil
}

// enumerable makes o's own property key enumerable and leaves the rest of
// it alone (a generic property descriptor).
func enumerable(o *goja.Object, key string) error {
	return o.DefineDataProperty(key, nil, goja.FLAG_NOT_SET, goja.FLAG_NOT_SET, goja.FLAG_TRUE)
}

// defineOperation defines a native function as a WebIDL regular operation
// of o (an interface prototype, or the global object for the operations of
// WorkerGlobalScope): writable, enumerable, configurable, with the given
// name and length.
func defineOperation(rt *goja.Runtime, o *goja.Object, name string, length int, fn func(goja.FunctionCall) goja.Value) error {
	f := rt.ToValue(fn).(*goja.Object)
	if err := setNameLength(rt, f, name, length); err != nil {
		return err
	}
	return o.DefineDataProperty(name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
}

// setNameLength gives a native function the name and length WebIDL wants;
// goja names a Go func after its Go symbol.
func setNameLength(rt *goja.Runtime, f *goja.Object, name string, length int) error {
	if err := f.DefineDataProperty("name", rt.ToValue(name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	return f.DefineDataProperty("length", rt.ToValue(length), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}
