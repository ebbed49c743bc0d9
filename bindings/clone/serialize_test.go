package clone

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings"
	"github.com/sockw/sockw/bindings/bindingstest"
	"github.com/sockw/sockw/bindings/events"
	"github.com/sockw/sockw/bindings/timers"
)

// TestSerializeConformance runs the structuredClone conformance tests with
// structuredClone(value) replaced by Serialize then Deserialize, so that
// the serialized form is held to everything structuredClone promises.
// Calls with options (transfer) still go to structuredClone itself.
func TestSerializeConformance(t *testing.T) {
	e := bindingstest.New(t)
	for _, install := range []func(*bindings.Host) error{events.Install, timers.Install, Install} {
		if err := install(e.Host); err != nil {
			t.Fatal(err)
		}
	}
	rt := e.Runtime
	var roundTrips int
	_ = rt.Set("__roundTrip", func(call goja.FunctionCall) goja.Value {
		roundTrips++
		s, err := Serialize(rt, call.Argument(0))
		if err != nil {
			panic(err)
		}
		v, err := Deserialize(rt, s)
		if err != nil {
			panic(err)
		}
		return v
	})
	_, err := rt.RunString(`(() => {
  const original = structuredClone;
  const roundTrip = __roundTrip;
  globalThis.structuredClone = function structuredClone(value, options = undefined) {
    if (arguments.length === 0 || options !== undefined) return Reflect.apply(original, this, arguments);
    return roundTrip(value);
  };
})();`)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.RunModule("testdata/structured_clone_test.js", 60*time.Second); err != nil {
		t.Fatal(err)
	}
	if roundTrips < 50 {
		t.Fatalf("only %d values went through Serialize", roundTrips)
	}
}

// A value serialized in one runtime is deserialized in others, on other
// goroutines, any number of times, into independent objects.
func TestSerializeAcrossRuntimes(t *testing.T) {
	src := newEnv(t, true)
	v, err := src.Runtime.RunString(`
const shared = { n: 1 };
const buf = new Uint8Array([1, 2, 3, 4]).buffer;
const value = {
  s: 'h\u00e9llo \ud83d\ude00', lone: 'a\ud800b', num: -0, big: 2n ** 80n, date: new Date(42),
  re: /x+/gi, map: new Map([[shared, 'v']]), set: new Set([shared]), arr: [1, , shared],
  bytes: new Uint16Array(buf, 2, 1), view: new DataView(buf, 1, 2), buf,
  err: new RangeError('bad'), dom: new DOMException('gone', 'NotFoundError'), wrapped: new String('w'),
};
value.self = value;
value`)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Serialize(src.Runtime, v)
	if err != nil {
		t.Fatal(err)
	}
	if s.Size() < 40 {
		t.Errorf("Size() = %d, want at least the bytes and strings it holds", s.Size())
	}
	const check = `
const ok = (c, m) => { if (!c) throw new Error(m); };
ok(v.s === 'h\u00e9llo \ud83d\ude00', 's ' + v.s);
ok(v.lone.length === 3 && v.lone.charCodeAt(1) === 0xd800, 'lone surrogate kept');
ok(Object.is(v.num, -0), '-0');
ok(v.big === 2n ** 80n, 'bigint');
ok(v.date instanceof Date && v.date.getTime() === 42, 'date');
ok(v.re instanceof RegExp && v.re.source === 'x+' && v.re.flags === 'gi', 're');
const [k] = v.map.keys();
ok(v.map instanceof Map && v.map.get(k) === 'v' && v.set.has(k) && v.arr[2] === k, 'shared');
ok(v.arr.length === 3 && !(1 in v.arr), 'hole');
ok(v.bytes instanceof Uint16Array && v.bytes.buffer === v.buf && v.bytes.byteOffset === 2, 'typed array');
ok(v.view instanceof DataView && v.view.buffer === v.buf && v.view.getUint8(0) === 2, 'data view');
ok(v.err instanceof RangeError && v.err.message === 'bad', 'error');
ok(v.dom instanceof DOMException && v.dom.name === 'NotFoundError' && v.dom.code === 8, 'DOMException');
ok(v.wrapped instanceof String && v.wrapped.valueOf() === 'w', 'wrapper');
ok(v.self === v, 'cycle');
new Uint8Array(v.buf)[0] = 99;
v`
	var wg sync.WaitGroup
	results := make([]goja.Value, 2)
	for i := range results {
		dst := newEnv(t, true)
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := Deserialize(dst.Runtime, s)
			if err != nil {
				t.Error(err)
				return
			}
			if err := dst.Runtime.Set("v", got); err != nil {
				t.Error(err)
				return
			}
			if results[i], err = dst.Runtime.RunString(check); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	// Each deserialization got its own bytes: the writes above touched
	// neither the other copy nor the serialization.
	again, err := Deserialize(src.Runtime, s)
	if err != nil {
		t.Fatal(err)
	}
	b := again.ToObject(src.Runtime).Get("buf").Export().(goja.ArrayBuffer).Bytes()
	if b[0] != 1 {
		t.Errorf("serialized bytes changed: %v", b)
	}
}

func TestSerializeErrors(t *testing.T) {
	e := newEnv(t, true)
	rt := e.Runtime
	fn, err := rt.RunString(`({ f() {} })`)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Serialize(rt, fn)
	var ex *goja.Exception
	if !errors.As(err, &ex) {
		t.Fatalf("got %v, want a *goja.Exception", err)
	}
	if name := ex.Value().ToObject(rt).Get("name").String(); name != "DataCloneError" {
		t.Errorf("got %v, want a DataCloneError", ex.Value())
	}
	if _, err := Serialize(goja.New(), goja.Undefined()); !errors.Is(err, ErrNotInstalled) {
		t.Errorf("Serialize without Install: got %v", err)
	}
	s, err := Serialize(rt, rt.ToValue("x"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Deserialize(goja.New(), s); !errors.Is(err, ErrNotInstalled) {
		t.Errorf("Deserialize without Install: got %v", err)
	}
	if _, err := Deserialize(rt, Serialized{}); !errors.Is(err, ErrInvalidSerialized) {
		t.Errorf("Deserialize(Serialized{}): got %v", err)
	}
}

func BenchmarkSerialize1KiB(b *testing.B) {
	e := bindingstest.New(b)
	if err := events.Install(e.Host); err != nil {
		b.Fatal(err)
	}
	if err := Install(e.Host); err != nil {
		b.Fatal(err)
	}
	v, err := e.Runtime.RunString(nested1KiB + `nested1KiB()`)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		s, err := Serialize(e.Runtime, v)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Deserialize(e.Runtime, s); err != nil {
			b.Fatal(err)
		}
	}
}
