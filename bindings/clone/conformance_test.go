package clone

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/sockw/sockw/bindings"
	"github.com/sockw/sockw/bindings/bindingstest"
	"github.com/sockw/sockw/bindings/events"
	"github.com/sockw/sockw/bindings/timers"
)

// TestConformance runs testdata/*_test.js, the spec conformance tests.
func TestConformance(t *testing.T) {
	files, err := filepath.Glob("testdata/*_test.js")
	if err != nil || len(files) == 0 {
		t.Fatalf("no conformance tests: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			e := bindingstest.New(t)
			for _, install := range []func(*bindings.Host) error{events.Install, timers.Install, Install} {
				if err := install(e.Host); err != nil {
					t.Fatal(err)
				}
			}
			if err := e.RunModule(file, 60*time.Second); err != nil {
				t.Fatal(err)
			}
		})
	}
}
