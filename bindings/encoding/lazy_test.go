package encoding

import (
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings/events"
)

// TestLazyGlobals: each global is a placeholder until first use, which
// Object.getOwnPropertyDescriptor does not show: asking for the descriptor
// builds the globals and shows the WebIDL data property. Assigning first
// replaces the placeholder; a second isolate gets its own objects.
func TestLazyGlobals(t *testing.T) {
	e := newEnv(t)
	_ = e.Runtime.Set("intrinsicGetOwnPropertyDescriptor", events.IntrinsicGetOwnPropertyDescriptor(e.Runtime))
	err := e.Run("lazy.js", `
const names = ['TextEncoder', 'TextDecoder', 'TextEncoderStream', 'TextDecoderStream'];
for (const n of names) {
  const d = intrinsicGetOwnPropertyDescriptor(globalThis, n);
  if (typeof d.get !== 'function' || d.enumerable || !d.configurable) throw new Error(n + ': not a placeholder before first use');
}
for (const n of names) {
  const d = Object.getOwnPropertyDescriptor(globalThis, n);
  if (typeof d.value !== 'function' || !d.writable || d.enumerable || !d.configurable) throw new Error(n + ': not a WebIDL data property');
  if (globalThis[n] !== d.value || globalThis[n] !== globalThis[n]) throw new Error(n + ': unstable value');
  if (typeof intrinsicGetOwnPropertyDescriptor(globalThis, n).value !== 'function') throw new Error(n + ': still a placeholder');
}
`, time.Second)
	if err != nil {
		t.Fatal(err)
	}

	e = newEnv(t)
	err = e.Run("assign.js", `
globalThis['TextEncoder'] = 42;
if (globalThis['TextEncoder'] !== 42) throw new Error('assignment lost');
const d = Object.getOwnPropertyDescriptor(globalThis, 'TextEncoder');
if (d.value !== 42 || !d.writable || d.enumerable) throw new Error('assignment did not make a data property');
`, time.Second)
	if err != nil {
		t.Fatal(err)
	}
}

// BenchmarkBuild measures what the first use of this package's globals
// costs an isolate: building every class and function.
func BenchmarkBuild(b *testing.B) {
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
			if _, err := rts[i].RunString("TextEncoder"); err != nil {
				b.Fatal(err)
			}
		}
	}
}
