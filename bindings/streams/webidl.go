package streams

import (
	"fmt"

	"github.com/dop251/goja"
)

// exposeMembers makes the members of an interface defined by a JavaScript
// class enumerable, as WebIDL defines regular and static attributes and
// operations, and class syntax does not: every string-keyed property of the
// prototype but constructor, and every one of the class but length, name
// and prototype. The other attributes (writable, configurable; a method's
// name and length, an accessor's "get x"/"set x") are already WebIDL's, and
// symbol-keyed members (@@asyncIterator, @@toStringTag) stay as they are.
func exposeMembers(c *goja.Object) error {
	proto, ok := c.Get("prototype").(*goja.Object)
	if !ok {
		return fmt.Errorf("%v has no prototype", c.Get("name"))
	}
	for _, k := range proto.GetOwnPropertyNames() {
		if k == "constructor" {
			continue
		}
		if err := proto.DefineDataProperty(k, nil, goja.FLAG_NOT_SET, goja.FLAG_NOT_SET, goja.FLAG_TRUE); err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
	}
	for _, k := range c.GetOwnPropertyNames() {
		switch k {
		case "length", "name", "prototype":
			continue
		}
		if err := c.DefineDataProperty(k, nil, goja.FLAG_NOT_SET, goja.FLAG_NOT_SET, goja.FLAG_TRUE); err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
	}
	return nil
}
