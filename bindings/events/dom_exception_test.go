package events

import (
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings/bindingstest"
)

func TestDOMExceptionGoHelper(t *testing.T) {
	e := bindingstest.New(t)
	if err := Install(e.Host); err != nil {
		t.Fatal(err)
	}
	rt := e.Runtime
	ex := NewDOMException(rt, "stopped", "AbortError")
	if err := rt.Set("ex", ex); err != nil {
		t.Fatal(err)
	}
	if !IsDOMException(rt, ex) {
		t.Error("IsDOMException(NewDOMException(...)) = false")
	}
	if IsDOMException(rt, rt.NewTypeError("x")) {
		t.Error("IsDOMException(TypeError) = true")
	}
	err := e.Run("check.js", `
if (!(ex instanceof DOMException) || !(ex instanceof Error)) throw new Error('wrong class');
if (ex.name !== 'AbortError' || ex.message !== 'stopped' || ex.code !== 20) throw new Error('wrong fields: ' + ex.name + ' ' + ex.message + ' ' + ex.code);
if (!String(ex.stack).startsWith('AbortError: stopped')) throw new Error('stack: ' + ex.stack);
`, time.Second)
	if err != nil {
		t.Fatal(err)
	}
}

func TestDOMExceptionThrownFromNative(t *testing.T) {
	e := bindingstest.New(t)
	if err := Install(e.Host); err != nil {
		t.Fatal(err)
	}
	rt := e.Runtime
	_ = rt.Set("fail", func(goja.FunctionCall) goja.Value {
		panic(NewDOMException(rt, "bad state", "InvalidStateError"))
	})
	err := e.Run("check.js", `
try { fail(); throw new Error('no throw'); } catch (e) {
  if (!(e instanceof DOMException) || e.name !== 'InvalidStateError' || e.code !== 11) throw new Error('got ' + e);
}
`, time.Second)
	if err != nil {
		t.Fatal(err)
	}
}

func TestNewDOMExceptionWithoutInstall(t *testing.T) {
	rt := goja.New()
	ex := NewDOMException(rt, "m", "DataCloneError")
	if got := ex.Get("name").String(); got != "DataCloneError" {
		t.Errorf("name = %q", got)
	}
	if got := ex.Get("message").String(); got != "m" {
		t.Errorf("message = %q", got)
	}
}
