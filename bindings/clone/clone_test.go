package clone

import (
	"errors"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings"
	"github.com/sockw/sockw/bindings/bindingstest"
	"github.com/sockw/sockw/bindings/events"
)

func newEnv(t testing.TB, withEvents bool) *bindingstest.Env {
	t.Helper()
	e := bindingstest.New(t)
	installs := []func(*bindings.Host) error{Install}
	if withEvents {
		installs = []func(*bindings.Host) error{events.Install, Install}
	}
	for _, install := range installs {
		if err := install(e.Host); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

func TestCloneFromGo(t *testing.T) {
	e := newEnv(t, true)
	rt := e.Runtime
	src, err := rt.RunString(`globalThis.buf = new Uint8Array([1, 2, 3]).buffer; ({ buf, nested: { a: [1, 2] } })`)
	if err != nil {
		t.Fatal(err)
	}
	buf := rt.Get("buf")
	got, err := Clone(rt, src, []goja.Value{buf})
	if err != nil {
		t.Fatal(err)
	}
	if got.SameAs(src) {
		t.Fatal("Clone returned its argument")
	}
	if n := buf.Export().(goja.ArrayBuffer); !n.Detached() {
		t.Error("transferred buffer not detached")
	}
	moved := got.ToObject(rt).Get("buf").Export().(goja.ArrayBuffer).Bytes()
	if string(moved) != "\x01\x02\x03" {
		t.Errorf("moved bytes = %v", moved)
	}
}

func TestCloneErrors(t *testing.T) {
	e := newEnv(t, true)
	rt := e.Runtime
	fn, err := rt.RunString(`(function f() {})`)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Clone(rt, fn, nil)
	var ex *goja.Exception
	if !errors.As(err, &ex) {
		t.Fatalf("got %v, want a *goja.Exception", err)
	}
	if !events.IsDOMException(rt, ex.Value()) || ex.Value().ToObject(rt).Get("name").String() != "DataCloneError" {
		t.Errorf("got %v, want a DataCloneError", ex.Value())
	}
	getter, err := rt.RunString(`({ get x() { throw new RangeError('from getter'); } })`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Clone(rt, getter, nil); !errors.As(err, &ex) || ex.Value().String() != "RangeError: from getter" {
		t.Errorf("got %v, want the getter's RangeError", err)
	}
	if _, err := Clone(goja.New(), goja.Undefined(), nil); !errors.Is(err, ErrNotInstalled) {
		t.Errorf("got %v, want ErrNotInstalled", err)
	}
}

// Without package events, DataCloneError is an Error with that name.
func TestDataCloneErrorWithoutEvents(t *testing.T) {
	e := newEnv(t, false)
	err := e.Run("noevents.js", `
try { structuredClone(() => {}); throw new Error('no throw'); } catch (e) {
  if (!(e instanceof Error) || e.name !== 'DataCloneError') throw new Error('got ' + e);
}
`, time.Second)
	if err != nil {
		t.Fatal(err)
	}
}

// An interrupt in a getter reaches the Go caller as an error, not a panic.
func TestCloneInterrupted(t *testing.T) {
	e := newEnv(t, true)
	rt := e.Runtime
	v, err := rt.RunString(`({ get x() { for (;;) {} } })`)
	if err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(20*time.Millisecond, func() { rt.Interrupt("stop") })
	defer timer.Stop()
	_, err = Clone(rt, v, nil)
	var interrupted *goja.InterruptedError
	if !errors.As(err, &interrupted) {
		t.Fatalf("got %v, want an interrupt", err)
	}
}
