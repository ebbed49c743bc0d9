// Package clone installs structuredClone, HTML's structured clone algorithm
// (https://html.spec.whatwg.org/multipage/structured-data.html), and offers
// it to Go bindings that copy values between contexts (BroadcastChannel).
//
// The algorithm is implemented in Go as one pass that serializes and
// deserializes together: it reads the source in the order the spec's
// serialization does, so getters run in the same order and an error leaves
// nothing observable behind, and it builds the copy as it goes.
package clone

import (
	_ "embed"
	"errors"
	"fmt"
	"sync"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings"
)

//go:embed intrinsics.js
var intrinsicsSource string

var intrinsicsProgram = sync.OnceValues(func() (*goja.Program, error) {
	return goja.Compile("sockw:clone", intrinsicsSource, true)
})

// isolateKey names the global property under which Install keeps the
// isolate's *cloner (read-only, opaque to scripts).
var isolateKey = goja.NewSymbol("sockw.clone")

// Install defines structuredClone(value, {transfer}) on h's global object.
// DataCloneError is a DOMException if package events is installed (at call
// time), an Error named DataCloneError otherwise.
//
// The built-ins the algorithm reads internal slots through are captured on
// the first clone, not here: capturing them makes goja build a dozen
// built-ins (Map, RegExp, the typed arrays ...), which would cost an isolate
// far more than its start-up budget. A script that patches one of them
// before its first structuredClone call is therefore trusted with it.
func Install(h *bindings.Host) error {
	if _, err := intrinsicsProgram(); err != nil {
		return fmt.Errorf("clone: compiling: %w", err)
	}
	rt := h.Runtime
	c := &cloner{rt: rt}
	fn := rt.ToValue(c.structuredClone).(*goja.Object)
	if err := fn.DefineDataProperty("name", rt.ToValue("structuredClone"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return fmt.Errorf("clone: installing: %w", err)
	}
	if err := fn.DefineDataProperty("length", rt.ToValue(1), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return fmt.Errorf("clone: installing: %w", err)
	}
	global := rt.GlobalObject()
	// An operation of WindowOrWorkerGlobalScope: the global object being
	// [Global], an own property of it, writable, enumerable, configurable.
	if err := global.DefineDataProperty("structuredClone", fn, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
		return fmt.Errorf("clone: installing: %w", err)
	}
	if err := global.DefineDataPropertySymbol(isolateKey, rt.ToValue(c), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
		return fmt.Errorf("clone: installing: %w", err)
	}
	return nil
}

// ErrNotInstalled is returned by Clone in a runtime where Install has not run.
var ErrNotInstalled = errors.New("clone: not installed in this runtime")

// Clone returns a structured clone of v in rt, transferring the
// ArrayBuffers in transfer (which are detached once the clone succeeded).
// An exception (a DataCloneError DOMException, or one thrown by a getter)
// is returned as a *goja.Exception; nothing is transferred then. Loop
// goroutine only.
func Clone(rt *goja.Runtime, v goja.Value, transfer []goja.Value) (res goja.Value, err error) {
	c := lookup(rt)
	if c == nil {
		return nil, ErrNotInstalled
	}
	defer func() {
		// An interrupt or stack overflow while a getter ran unwinds as a
		// panic; hand it back as the error it is.
		if x := recover(); x != nil {
			e, ok := x.(error)
			if !ok || !uncatchable(e) {
				panic(x)
			}
			res, err = nil, e
		}
	}()
	if err := c.ready(); err != nil {
		return nil, err
	}
	if ex := rt.Try(func() { res = c.clone(v, transfer) }); ex != nil {
		return nil, ex
	}
	return res, nil
}

func lookup(rt *goja.Runtime) *cloner {
	v := rt.GlobalObject().GetSymbol(isolateKey)
	if v == nil {
		return nil
	}
	c, _ := v.Export().(*cloner)
	return c
}

func uncatchable(err error) bool {
	var interrupted *goja.InterruptedError
	var overflow *goja.StackOverflowError
	return errors.As(err, &interrupted) || errors.As(err, &overflow)
}
