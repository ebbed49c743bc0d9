package node_test

import (
	"strings"
	"testing"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings/bindingstest"
	"github.com/sockw/sockw/bindings/node"
)

// internal returns the Go half of the Node modules in a fresh runtime, also
// set as the global `internal` for scripts.
func internal(tb testing.TB) (*bindingstest.Env, *goja.Object) {
	tb.Helper()
	e := bindingstest.New(tb)
	v, err := node.New(e.Host, node.Options{}).Internal()
	if err != nil {
		tb.Fatal(err)
	}
	if err := e.Runtime.Set("internal", v); err != nil {
		tb.Fatal(err)
	}
	return e, v.(*goja.Object)
}

func fn(tb testing.TB, o *goja.Object, name string) goja.Callable {
	tb.Helper()
	f, ok := goja.AssertFunction(o.Get(name))
	if !ok {
		tb.Fatalf("internal.%s is not a function", name)
	}
	return f
}

func TestBufferFunctions(t *testing.T) {
	e, _ := internal(t)
	cases := []struct{ src, want string }{
		{`String(new Uint8Array(internal.bufferFromString('héllo', 'utf8')))`, "104,195,169,108,108,111"},
		{`internal.bufferToString(new Uint8Array([104, 105, 33]), 'utf8', 1, 99)`, "i!"},
		{`internal.bufferToString(new Uint16Array([0x6261]), 'latin1', 0, 2)`, "ab"},
		{`const w = new Uint8Array(4); [internal.bufferWrite(w, '€€', 1, 3, 'utf8'), String(w)].join('|')`, "3|0,226,130,172"},
		{`internal.bufferByteLength('\u{1F600}', 'utf8')`, "4"},
		{`internal.bufferCompare(new Uint8Array([1, 2]), new Uint8Array([1, 3]))`, "-1"},
		{`internal.bufferCompare(new Uint8Array([1, 2]), new Uint8Array([0, 1, 2]), 0, 2, 1, 3)`, "0"},
		{`internal.bufferIndexOf(new Uint8Array([1, 2, 1, 2]), new Uint8Array([1, 2]), 1, false, true)`, "2"},
		{`internal.bufferIndexOf(new Uint8Array([1, 2, 1, 2]), new Uint8Array([1, 2]), 1, false, false)`, "0"},
		{`internal.bufferIndexOf(new Uint8Array([9, 1, 0, 1, 0]), new Uint8Array([1, 0]), 0, true, true)`, "-1"},
		{`const f = new Uint8Array(7); internal.bufferFill(f, new Uint8Array([1, 2, 3]), 1, 6); String(f)`, "0,1,2,3,1,2,0"},
		{`const c = new Uint8Array([1, 2, 3, 4, 5]); internal.bufferCopy(c, c, 1, 0, 4); String(c)`, "1,1,2,3,4"},
		{`const s = new Uint8Array([1, 2, 3, 4]); internal.bufferSwap(s, 4); String(s)`, "4,3,2,1"},
		{`internal.utilInspect({ a: [1, { b: 2 }] }, 2, true)`, "{ a: [ 1, { b: 2 } ] }"},
		{`internal.utilFormat(2, true, '%s=%d', 'x', 4, { y: 1 })`, "x=4 { y: 1 }"},
		{`[internal.utilClassOf(Promise.resolve()), internal.utilClassOf(new Proxy({}, {})), internal.utilClassOf(new TypeError()), internal.utilClassOf(1)].join()`, "Promise,Proxy,Error,"},
	}
	for _, c := range cases {
		v, err := e.Runtime.RunString(c.src)
		if err != nil {
			t.Errorf("%s: %v", c.src, err)
			continue
		}
		if got := v.String(); got != c.want {
			t.Errorf("%s\n got %q\nwant %q", c.src, got, c.want)
		}
	}
}

func TestBufferFunctionsRejectNonViews(t *testing.T) {
	e, _ := internal(t)
	_, err := e.Runtime.RunString(`internal.bufferToString([1, 2], 'utf8', 0, 2)`)
	if err == nil || !strings.Contains(err.Error(), "TypedArray") {
		t.Fatalf("got %v, want a TypeError", err)
	}
	_, err = e.Runtime.RunString(`internal.bufferFromString('x', 'klingon')`)
	if err == nil || !strings.Contains(err.Error(), "unknown encoding") {
		t.Fatalf("got %v, want a TypeError", err)
	}
}

func BenchmarkBufferFromBase64(b *testing.B) {
	e, o := internal(b)
	f := fn(b, o, "bufferFromString")
	s, err := e.Runtime.RunString( // 16 KiB of base64
		`internal.bufferToString(new Uint8Array(internal.bufferFromString('x'.repeat(12 * 1024), 'latin1')), 'base64', 0, 1 << 20)`)
	if err != nil {
		b.Fatal(err)
	}
	enc := e.Runtime.ToValue("base64")
	b.SetBytes(16 * 1024)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := f(goja.Undefined(), s, enc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBufferToStringUTF8(b *testing.B) {
	e, o := internal(b)
	f := fn(b, o, "bufferToString")
	buf, err := e.Runtime.RunString(`new Uint8Array(internal.bufferFromString('héllo wörld '.repeat(1200), 'utf8'))`) // ~16 KiB
	if err != nil {
		b.Fatal(err)
	}
	enc, start, end := e.Runtime.ToValue("utf8"), e.Runtime.ToValue(0), e.Runtime.ToValue(1<<20)
	b.SetBytes(int64(buf.ToObject(e.Runtime).Get("length").ToInteger()))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := f(goja.Undefined(), buf, enc, start, end); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBufferFromUTF8Short(b *testing.B) {
	e, o := internal(b)
	f := fn(b, o, "bufferFromString")
	s, enc := e.Runtime.ToValue("SELECT 1 FROM t WHERE id = $1"), e.Runtime.ToValue("utf8")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := f(goja.Undefined(), s, enc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBufferIndexOf(b *testing.B) {
	e, o := internal(b)
	f := fn(b, o, "bufferIndexOf")
	hay, err := e.Runtime.RunString(`const h = new Uint8Array(16 * 1024); h.set([13, 10, 13, 10], h.length - 4); h`)
	if err != nil {
		b.Fatal(err)
	}
	needle, _ := e.Runtime.RunString(`new Uint8Array([13, 10, 13, 10])`)
	zero, no, yes := e.Runtime.ToValue(0), e.Runtime.ToValue(false), e.Runtime.ToValue(true)
	b.SetBytes(16 * 1024)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := f(goja.Undefined(), hay, needle, zero, no, yes); err != nil {
			b.Fatal(err)
		}
	}
}
