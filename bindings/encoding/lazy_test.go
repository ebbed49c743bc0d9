package encoding

import (
	"testing"
	"time"

	"github.com/dop251/goja"
)

// TestLazyGlobals: each global is an accessor until first read, then the
// WebIDL data property; assigning first replaces it; a second isolate gets
// its own objects.
func TestLazyGlobals(t *testing.T) {
	e := newEnv(t)
	err := e.Run("lazy.js", `
const names = ['TextEncoder', 'TextDecoder', 'TextEncoderStream', 'TextDecoderStream', 'atob', 'btoa'];
for (const n of names) {
  const d = Object.getOwnPropertyDescriptor(globalThis, n);
  if (typeof d.get !== 'function' || d.enumerable || !d.configurable) throw new Error(n + ': not a lazy accessor');
}
const first = globalThis[names[0]];
if (first === undefined || globalThis[names[0]] !== first) throw new Error('unstable value');
for (const n of names) {
  const v = globalThis[n];
  const d = Object.getOwnPropertyDescriptor(globalThis, n);
  if (!('value' in d) || d.value !== v || !d.writable || d.enumerable || !d.configurable) throw new Error(n + ': not a WebIDL data property after use');
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
