package crypto

import (
	"testing"

	"github.com/dop251/goja"
)

func benchFunc(b *testing.B, setup string) goja.Callable {
	e := newEnv(b)
	v, err := e.Runtime.RunString(setup)
	if err != nil {
		b.Fatal(err)
	}
	f, _ := goja.AssertFunction(v)
	return f
}

// BenchmarkDigestSHA256 measures crypto.subtle.digest('SHA-256', 1 KiB) up
// to the returned promise; it resolves with the microtasks of the same task.
func BenchmarkDigestSHA256(b *testing.B) {
	f := benchFunc(b, `(() => { const d = new Uint8Array(1024).fill(7); return () => crypto.subtle.digest('SHA-256', d); })()`)
	for b.Loop() {
		if _, err := f(goja.Undefined()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetRandomValues(b *testing.B) {
	f := benchFunc(b, `(() => { const d = new Uint8Array(16); return () => crypto.getRandomValues(d); })()`)
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
