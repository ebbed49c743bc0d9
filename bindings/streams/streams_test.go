package streams

import (
	"testing"

	"github.com/sockw/sockw/bindings/bindingstest"
)

// newEnv returns a test environment with the streams installed.
func newEnv(t testing.TB) (*bindingstest.Env, *Streams) {
	t.Helper()
	env := bindingstest.New(t)
	s, err := Install(env.Host)
	if err != nil {
		t.Fatal(err)
	}
	return env, s
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
