// Package events installs the DOM's event and abort machinery into an
// isolate: DOMException, Event, CustomEvent, EventTarget, AbortController,
// AbortSignal, HTML's ErrorEvent and PromiseRejectionEvent, reportError and
// WorkerGlobalScope's self.
//
// The classes are written in JavaScript (the *.js files beside this one),
// compiled once per process and run at most once per isolate, when first
// used (see isolate), because their state lives best in private class
// fields, which no user code can reach. Go code in other bindings reaches
// that state only through the helpers exported here (NewDOMException,
// OnAbort, ...), which use the isolate's own copy of the classes, so a script
// that overwrites a global cannot fool them.
package events

import (
	"embed"
	"fmt"
	"strings"
	"sync"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings"
)

//go:embed *.js
var sources embed.FS

// sourceOrder lists the JavaScript files in the order they run: each may use
// what the earlier ones declared.
var sourceOrder = []string{
	"prelude.js",
	"dom_exception.js",
	"event.js",
	"event_target.js",
	"abort_signal.js",
	"abort_controller.js",
	"error_event.js",
	"promise_rejection_event.js",
}

// program is the compiled function expression that installs the classes.
// It takes (global, host) and returns the internals object read by
// newIsolate.
var program = sync.OnceValues(func() (*goja.Program, error) {
	var b strings.Builder
	b.WriteString("(function (global, host) {\n'use strict';\nconst internals = {};\n")
	for _, name := range sourceOrder {
		src, err := sources.ReadFile(name)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "// ---- %s\n", name)
		b.Write(src)
		b.WriteByte('\n')
	}
	b.WriteString("return internals;\n})")
	return goja.Compile("sockw:events", b.String(), true)
})

// Install defines DOMException, Event, CustomEvent, EventTarget,
// AbortController, AbortSignal, ErrorEvent, PromiseRejectionEvent,
// reportError and self on h's global object, with the property attributes
// WebIDL gives them. The classes are built when first used (see isolate).
// It must run on the loop goroutine before any script.
func Install(h *bindings.Host) error {
	if _, err := program(); err != nil {
		return fmt.Errorf("events: compiling: %w", err)
	}
	rt := h.Runtime
	funcs := newHostFuncs(h)
	iso := &isolate{funcs: funcs}
	funcs.iso = iso
	if _, err := DefineLazyGlobals(rt, lazyGlobals, func() (map[string]goja.Value, error) {
		if err := iso.ready(); err != nil {
			return nil, err
		}
		return iso.globals, nil
	}); err != nil {
		return err
	}
	if err := rt.GlobalObject().DefineDataPropertySymbol(isolateKey, rt.ToValue(iso),
		goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
		return fmt.Errorf("events: installing: %w", err)
	}
	if err := installReportError(h, funcs); err != nil {
		return fmt.Errorf("events: installing reportError: %w", err)
	}
	if err := installSelf(rt); err != nil {
		return fmt.Errorf("events: installing self: %w", err)
	}
	return nil
}
