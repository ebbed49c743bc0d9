package kv

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/sockw/sockw/bindings"
	"github.com/sockw/sockw/bindings/bindingstest"
	"github.com/sockw/sockw/bindings/encoding"
	"github.com/sockw/sockw/bindings/events"
	"github.com/sockw/sockw/bindings/streams"
	"github.com/sockw/sockw/bindings/timers"
)

// newEnv returns an isolate with the globals the conformance tests use.
func newEnv(t testing.TB) *bindingstest.Env {
	t.Helper()
	e := bindingstest.New(t)
	for _, install := range []func(*bindings.Host) error{events.Install, timers.Install} {
		if err := install(e.Host); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := streams.Install(e.Host); err != nil {
		t.Fatal(err)
	}
	if err := encoding.Install(e.Host); err != nil {
		t.Fatal(err)
	}
	return e
}

// openTemp opens a Bolt namespace in a fresh file.
func openTemp(t testing.TB) *Bolt {
	t.Helper()
	b, err := OpenBolt(filepath.Join(t.TempDir(), "ns.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

// TestConformance runs testdata/*_test.js, each with an empty namespace on
// a real bbolt file bound as the global TEST_KV.
func TestConformance(t *testing.T) {
	files, err := filepath.Glob("testdata/*_test.js")
	if err != nil || len(files) == 0 {
		t.Fatalf("no conformance tests: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			e := newEnv(t)
			ns, err := New(e.Host, openTemp(t))
			if err != nil {
				t.Fatal(err)
			}
			if err := e.Runtime.Set("TEST_KV", ns); err != nil {
				t.Fatal(err)
			}
			if err := e.RunModule(file, 60*time.Second); err != nil {
				t.Fatal(err)
			}
		})
	}
}
