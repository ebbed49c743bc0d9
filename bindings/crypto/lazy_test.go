package crypto

import (
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings/bindingstest"
	"github.com/sockw/sockw/bindings/events"
)

// TestLazyGlobals: each global is a placeholder until first use, which
// Object.getOwnPropertyDescriptor does not show: asking for the descriptor
// builds the globals and shows the WebIDL data property. Assigning first
// replaces the placeholder; a second isolate gets its own objects.
func TestLazyGlobals(t *testing.T) {
	e := newEnv(t)
	_ = e.Runtime.Set("intrinsicGetOwnPropertyDescriptor", events.IntrinsicGetOwnPropertyDescriptor(e.Runtime))
	err := e.Run("lazy.js", bindingstest.LazyGlobalsScript("Crypto", "SubtleCrypto", "CryptoKey"), time.Second)
	if err != nil {
		t.Fatal(err)
	}

	e = newEnv(t)
	err = e.Run("assign.js", bindingstest.AssignBeforeUseScript("Crypto"), time.Second)
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
			if _, err := rts[i].RunString("Crypto"); err != nil {
				b.Fatal(err)
			}
		}
	}
}
