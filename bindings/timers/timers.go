// Package timers installs the clocks and scheduling functions of HTML's
// WindowOrWorkerGlobalScope into an isolate: setTimeout, setInterval,
// clearTimeout, clearInterval and queueMicrotask, plus the small host-info
// globals performance and navigator.
//
// Timers run on the isolate's event loop (Loop.SetTimer), so a pending
// setTimeout or setInterval keeps the loop alive, as in Deno and Node. An
// exception thrown by a timer callback or a microtask is reported to the
// loop's OnError; the loop carries on.
package timers

import (
	"errors"
	"fmt"
	"time"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings"
)

// Install defines setTimeout, setInterval, clearTimeout, clearInterval,
// queueMicrotask, performance (with the Performance interface) and navigator
// (with Navigator) on h's global object. It must run on the loop goroutine.
func Install(h *bindings.Host) error {
	t := &timers{h: h, rt: h.Runtime, timers: make(map[int32]int)}
	t.global = h.Runtime.GlobalObject()
	funcs := []struct {
		name   string
		length int
		fn     func(goja.FunctionCall) goja.Value
	}{
		{"setTimeout", 1, t.setTimeout},
		{"setInterval", 1, t.setInterval},
		{"clearTimeout", 0, t.clear},
		{"clearInterval", 0, t.clear},
		{"queueMicrotask", 1, t.queueMicrotask},
	}
	for _, f := range funcs {
		if err := defineFunction(t.rt, t.global, f.name, f.length, f.fn); err != nil {
			return fmt.Errorf("timers: defining %s: %w", f.name, err)
		}
	}
	if _, err := queueMicrotaskProgram(); err != nil {
		return fmt.Errorf("timers: compiling: %w", err)
	}
	if err := installPerformance(h.Runtime, time.Now()); err != nil {
		return fmt.Errorf("timers: installing performance: %w", err)
	}
	if err := installNavigator(h.Runtime); err != nil {
		return fmt.Errorf("timers: installing navigator: %w", err)
	}
	return nil
}

// defineFunction defines a native function as a WebIDL operation on o:
// writable, configurable, not enumerable, with the given name and length.
func defineFunction(rt *goja.Runtime, o *goja.Object, name string, length int, fn func(goja.FunctionCall) goja.Value) error {
	f := rt.ToValue(fn).(*goja.Object)
	if err := f.DefineDataProperty("name", rt.ToValue(name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	if err := f.DefineDataProperty("length", rt.ToValue(length), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	return o.DefineDataProperty(name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// uncatchable reports whether err must end the task (an interrupt or a
// stack overflow) rather than be reported like an exception.
func uncatchable(err error) bool {
	var interrupted *goja.InterruptedError
	var overflow *goja.StackOverflowError
	return errors.As(err, &interrupted) || errors.As(err, &overflow)
}
