package kv

import (
	_ "embed"
	"fmt"
	"sync"

	"github.com/dop251/goja"
)

//go:embed helpers.js
var helpersSource string

var helpersProgram = sync.OnceValues(func() (*goja.Program, error) {
	return goja.Compile("sockw:kv", helpersSource, true)
})

// helpers are the JavaScript functions of helpers.js, one set per isolate.
type helpers struct {
	parse     goja.Callable
	stringify goja.Callable
	viewBytes goja.Callable
	putStream goja.Callable
	newStream goja.Callable
	newMap    goja.Callable
}

// loadHelpers runs helpers.js in rt. It runs when a namespace is first
// used rather than in New: it makes goja build JSON, Map and the typed
// arrays, which an isolate that never touches KV should not pay for.
func loadHelpers(rt *goja.Runtime) (*helpers, error) {
	prg, err := helpersProgram()
	if err != nil {
		return nil, err
	}
	v, err := rt.RunProgram(prg)
	if err != nil {
		return nil, err
	}
	setup, ok := goja.AssertFunction(v)
	if !ok {
		return nil, fmt.Errorf("helpers.js gave %v, not a function", v)
	}
	res, err := setup(goja.Undefined())
	if err != nil {
		return nil, err
	}
	o := res.ToObject(rt)
	h := &helpers{}
	for _, f := range []struct {
		name string
		dst  *goja.Callable
	}{
		{"parse", &h.parse},
		{"stringify", &h.stringify},
		{"viewBytes", &h.viewBytes},
		{"putStream", &h.putStream},
		{"newStream", &h.newStream},
		{"newMap", &h.newMap},
	} {
		fn, ok := goja.AssertFunction(o.Get(f.name))
		if !ok {
			return nil, fmt.Errorf("helpers.js lacks %s", f.name)
		}
		*f.dst = fn
	}
	return h, nil
}
