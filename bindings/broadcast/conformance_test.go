package broadcast

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
	"go.uber.org/zap"

	"github.com/sockw/sockw/bindings"
	"github.com/sockw/sockw/bindings/bindingstest"
	"github.com/sockw/sockw/bindings/clone"
	"github.com/sockw/sockw/bindings/events"
	"github.com/sockw/sockw/bindings/timers"
)

// newEnv returns an isolate with the globals BroadcastChannel needs,
// joined to hub.
func newEnv(t testing.TB, hub *Hub) *bindingstest.Env {
	t.Helper()
	return newEnvLogging(t, hub, nil)
}

// newEnvLogging is newEnv with logger (if not nil) as the isolate's.
func newEnvLogging(t testing.TB, hub *Hub, logger *zap.Logger) *bindingstest.Env {
	t.Helper()
	e := bindingstest.New(t)
	if logger != nil {
		e.Logger = logger
	}
	for _, install := range []func(*bindings.Host) error{events.Install, timers.Install, clone.Install} {
		if err := install(e.Host); err != nil {
			t.Fatal(err)
		}
	}
	if err := Install(e.Host, hub); err != nil {
		t.Fatal(err)
	}
	return e
}

// TestConformance runs testdata/*_test.js, the spec conformance tests, in
// one isolate.
func TestConformance(t *testing.T) {
	files, err := filepath.Glob("testdata/*_test.js")
	if err != nil || len(files) == 0 {
		t.Fatalf("no conformance tests: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			e := newEnv(t, NewHub())
			if err := runHarness(t, e, file); err != nil {
				t.Fatal(err)
			}
		})
	}
}

var (
	importLine   = regexp.MustCompile(`(?m)^import .*$`)
	exportPrefix = regexp.MustCompile(`(?m)^export (async function|function|class) `)
)

// runHarness runs a conformance test file written for `sockw exec` as a
// classic script: the harness's exports become plain declarations, the
// file's imports are dropped, and both are wrapped in one strict async
// function so that top-level await works. The Go test fails if run()
// rejects or never finishes; the loop's own error is returned. (To be
// replaced by real `sockw exec` runs.)
func runHarness(t *testing.T, e *bindingstest.Env, file string) error {
	t.Helper()
	harness, err := os.ReadFile("../../testdata/harness.js")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var done bool
	var failure string
	console := e.Runtime.NewObject()
	_ = console.Set("log", func(call goja.FunctionCall) goja.Value {
		parts := make([]string, len(call.Arguments))
		for i, a := range call.Arguments {
			parts[i] = a.String()
		}
		t.Log(strings.Join(parts, " "))
		return goja.Undefined()
	})
	_ = e.Runtime.Set("console", console)
	_ = e.Runtime.Set("__finish", func(call goja.FunctionCall) goja.Value {
		done = true
		if len(call.Arguments) > 0 {
			failure = call.Argument(0).String()
		}
		return goja.Undefined()
	})
	script := "(async () => {\n'use strict';\n" + exportPrefix.ReplaceAllString(string(harness), "$1 ") +
		"\n" + importLine.ReplaceAllString(string(src), "") +
		"\n})().then(() => __finish(), (e) => __finish(String(e && e.stack || e)));"
	err = e.Run(file, script, 20*time.Second)
	if !done {
		t.Fatalf("%s did not finish (loop: %v)", file, err)
	}
	if failure != "" {
		t.Fatal(failure)
	}
	return err
}
