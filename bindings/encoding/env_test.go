package encoding

import (
	"testing"

	"github.com/sockw/sockw/bindings/bindingstest"
)

// newEnv returns a test isolate with this package installed.
func newEnv(t testing.TB) *bindingstest.Env {
	t.Helper()
	e := bindingstest.New(t)
	if err := Install(e.Host); err != nil {
		t.Fatal(err)
	}
	return e
}
