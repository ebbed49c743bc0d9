package encoding

import (
	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings/events"
)

// installLazily defines each of names as a global that build makes on first
// use, with the property attributes WebIDL gives an interface object (see
// events.DefineLazyGlobals, which also keeps the placeholders out of sight
// of Object.getOwnPropertyDescriptor).
//
// Building an interface object costs about a microsecond per method in
// goja, which for this package is the bulk of an isolate's start-up
// budget; most workers never touch most globals.
func installLazily(rt *goja.Runtime, names []string, build func() (map[string]goja.Value, error)) error {
	_, err := events.DefineLazyGlobals(rt, names, build)
	return err
}
