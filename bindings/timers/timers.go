// Package timers installs the clocks and scheduling functions of HTML's
// WindowOrWorkerGlobalScope into an isolate: setTimeout, setInterval,
// clearTimeout, clearInterval and queueMicrotask, plus the small host-info
// globals performance (HR-Time's Performance) and navigator (HTML's
// WorkerNavigator).
//
// Timers run on the isolate's event loop (Loop.SetTimer), so a pending
// setTimeout or setInterval keeps the loop alive, as in Deno and Node. An
// exception thrown by a timer callback or a microtask is reported to the
// loop's OnError; the loop carries on.
package timers

import (
	"fmt"
	"time"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings"
)

// Install defines setTimeout, setInterval, clearTimeout, clearInterval,
// queueMicrotask, performance (with the Performance interface) and navigator
// (with WorkerNavigator) on h's global object, with the property attributes
// WebIDL gives the members of a [Global] interface. It must run on the loop
// goroutine, after package events' Install if Performance is to inherit
// from EventTarget.
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
		if err := defineOperation(t.rt, t.global, f.name, f.length, f.fn); err != nil {
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
