package encoding

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dop251/goja"
)

// TestStringFormFastPaths pins that the goja in go.mod lays strings out the
// way encode.go's fast paths expect; if an upgrade changes that, encoding
// still works (through String()) but this test says it got slower.
func TestStringFormFastPaths(t *testing.T) {
	rt := goja.New()
	for _, c := range []struct {
		src  string
		form stringForm
	}{
		{`'abc'`, formASCII},
		{`'abc' + 'def'.repeat(10)`, formASCII},
		{`'h\u00e9llo'`, formUTF16},
		{`'\uD83D\uDE00'.repeat(100)`, formUTF16},
		{`'\uD800'`, formUTF16},
	} {
		v, err := rt.RunString(c.src)
		if err != nil {
			t.Fatal(err)
		}
		form, _, _ := formOf(v.(goja.String))
		if form != c.form {
			t.Errorf("%s: form %d, want %d", c.src, form, c.form)
		}
	}
	// A long non-ASCII string from Go stays UTF-8 until scanned: the slow
	// path must give the same bytes.
	s := strings.Repeat("h\u00e9llo \U0001F600", 10)
	v := rt.ToValue(s).(goja.String)
	if got := encodeUTF8(v); string(got) != s {
		t.Errorf("encodeUTF8(imported) = %q", got)
	}
	dst := make([]byte, 9)
	if r, w := encodeInto(v, dst); r != 6 || w != 7 {
		t.Errorf("encodeInto(imported) = %d, %d; want 6, 7", r, w)
	}
}

// TestUTF8DecoderSplits checks that decoding in one call and byte by byte
// agree, and that fatal mode fails exactly when Go finds the input invalid.
func TestUTF8DecoderSplits(t *testing.T) {
	seeds := [][]byte{
		[]byte("plain ascii"), []byte("h\u00e9llo \U0001F600 \u20ac"),
		{0xF1, 0x80, 0x80, 0xE1, 0x80, 0xC2, 0x62}, {0xED, 0xA0, 0x80}, {0xF4, 0x90, 0x80, 0x80},
		{0xE0, 0x9F}, {0xC0}, {0xEF, 0xBB, 0xBF, 0xF0, 0x9F, 0x98},
	}
	for _, in := range seeds {
		checkUTF8Decoder(t, in)
	}
}

func FuzzUTF8Decoder(f *testing.F) {
	f.Add([]byte("h\u00e9llo \U0001F600"))
	f.Add([]byte{0xF1, 0x80, 0x80, 0xE1, 0x80, 0xC2, 0x62})
	f.Fuzz(checkUTF8Decoder)
}

func checkUTF8Decoder(t *testing.T, in []byte) {
	var d utf8Decoder
	whole, _ := d.decode(nil, in, true, false)
	var pieces []byte
	for i := range in {
		pieces, _ = d.decode(pieces, in[i:i+1], false, false)
	}
	pieces, _ = d.decode(pieces, nil, true, false)
	if !bytes.Equal(whole, pieces) {
		t.Errorf("% x: whole %q, byte by byte %q", in, whole, pieces)
	}
	if !utf8.Valid(whole) {
		t.Errorf("% x: output %q is not UTF-8", in, whole)
	}
	d.reset()
	_, ok := d.decode(nil, in, true, true)
	if ok != utf8.Valid(in) {
		t.Errorf("% x: fatal ok = %v, utf8.Valid = %v", in, ok, utf8.Valid(in))
	}
	if utf8.Valid(in) && !bytes.Equal(whole, in) {
		t.Errorf("% x: valid input changed to %q", in, whole)
	}
}

// TestDetachedBuffer: Go code (a BYOB read, a transfer) may detach a buffer
// a script still holds views of. Reading through the view must see no bytes
// and never touch the old memory.
func TestDetachedBuffer(t *testing.T) {
	e := newEnv(t)
	ab := e.Runtime.NewArrayBuffer([]byte("hello"))
	_ = e.Runtime.Set("ab", ab)
	_ = e.Runtime.Set("detach", func(goja.FunctionCall) goja.Value {
		ab.Detach()
		return goja.Undefined()
	})
	err := e.Run("detached.js", `
const u8 = new Uint8Array(ab, 1), dv = new DataView(ab, 1), u16 = new Uint16Array(ab, 0, 2);
const d = new TextDecoder();
if (d.decode(u8) !== 'ello') throw new Error('before detach');
detach();
for (const v of [ab, u8, dv, u16]) {
  const s = d.decode(v);
  if (s !== '') throw new Error('decoded ' + JSON.stringify(s) + ' from a detached buffer');
}
const r = new TextEncoder().encodeInto('abc', u8);
if (r.read !== 0 || r.written !== 0) throw new Error('encodeInto wrote into a detached buffer');
`, time.Second)
	if err != nil {
		t.Fatal(err)
	}
}

// TestDOMExceptionFallback: without package events, errors that should be
// DOMExceptions are Errors carrying the right name.
func TestDOMExceptionFallback(t *testing.T) {
	e := newEnv(t)
	err := e.Run("fallback.js", `
try { atob('*'); throw new Error('no throw'); } catch (e) {
  if (!(e instanceof Error) || e.name !== 'InvalidCharacterError') throw new Error('got ' + e);
}
try { btoa('\u0100'); throw new Error('no throw'); } catch (e) {
  if (e.name !== 'InvalidCharacterError') throw new Error('got ' + e);
}`, time.Second)
	if err != nil {
		t.Fatal(err)
	}
}

func TestDecodeErrorsAreJSErrors(t *testing.T) {
	e := newEnv(t)
	err := e.Run("errors.js", `
const check = (f, type, re) => {
  try { f(); } catch (e) {
    if (!(e instanceof type)) throw new Error('wrong type: ' + e);
    if (!re.test(e.message)) throw new Error('message: ' + e.message);
    return;
  }
  throw new Error('no throw');
};
check(() => new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xff])), TypeError, /not valid for encoding utf-8/);
check(() => new TextDecoder('bogus'), RangeError, /bogus/);
check(() => new TextDecoder().decode('x'), TypeError, /ArrayBuffer/);
`, time.Second)
	if err != nil {
		t.Fatal(err)
	}
}

func benchEnv(b *testing.B, setup string) (*goja.Runtime, goja.Callable) {
	e := newEnv(b)
	v, err := e.Runtime.RunString(setup)
	if err != nil {
		b.Fatal(err)
	}
	f, _ := goja.AssertFunction(v)
	return e.Runtime, f
}

func BenchmarkTextEncoderEncode(b *testing.B) {
	for _, c := range []struct{ name, str string }{
		{"ascii-1KiB", `'abcdefgh'.repeat(128)`},
		{"nonascii-1KiB", `'h\u00e9llo w\u00f6rld \u20ac \uD83D\uDE00 '.repeat(40)`},
	} {
		b.Run(c.name, func(b *testing.B) {
			_, f := benchEnv(b, `(() => { const e = new TextEncoder(), s = `+c.str+`; return () => e.encode(s); })()`)
			for b.Loop() {
				if _, err := f(goja.Undefined()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkTextDecoderDecode(b *testing.B) {
	for _, c := range []struct{ name, str string }{
		{"ascii-1KiB", `'abcdefgh'.repeat(128)`},
		{"nonascii-1KiB", `'h\u00e9llo w\u00f6rld \u20ac \uD83D\uDE00 '.repeat(40)`},
	} {
		b.Run(c.name, func(b *testing.B) {
			_, f := benchEnv(b, `(() => { const d = new TextDecoder(), u = new TextEncoder().encode(`+c.str+`);
  return () => d.decode(u); })()`)
			for b.Loop() {
				if _, err := f(goja.Undefined()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkEncodeInto(b *testing.B) {
	_, f := benchEnv(b, `(() => { const e = new TextEncoder(), s = 'abcdefgh'.repeat(128), u = new Uint8Array(2048);
  return () => e.encodeInto(s, u); })()`)
	for b.Loop() {
		if _, err := f(goja.Undefined()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInstall measures Install on fresh runtimes, made in batches
// outside the timer (StopTimer stops the world, so not once per install).
func BenchmarkInstall(b *testing.B) {
	e := newEnv(b)
	rts := make([]*goja.Runtime, 100)
	b.ReportAllocs()
	for n := 0; n < b.N; n += len(rts) {
		b.StopTimer()
		for i := range rts {
			rts[i] = goja.New()
		}
		b.StartTimer()
		for i := 0; i < len(rts) && n+i < b.N; i++ {
			e.Runtime = rts[i]
			if err := Install(e.Host); err != nil {
				b.Fatal(err)
			}
		}
	}
}
