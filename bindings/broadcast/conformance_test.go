package broadcast

import (
	"path/filepath"
	"testing"
	"time"

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
			if err := e.RunModule(file, 60*time.Second); err != nil {
				t.Fatal(err)
			}
		})
	}
}
