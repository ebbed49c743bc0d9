package url

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

func BenchmarkNewURL(b *testing.B) {
	f := benchFunc(b, `() => new URL('https://user@example.com:8080/a/b/../c?x=1&y=2#frag')`)
	for b.Loop() {
		if _, err := f(goja.Undefined()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSearchParamsGet(b *testing.B) {
	f := benchFunc(b, `(() => { const p = new URLSearchParams('a=1&b=2&c=3'); return () => p.get('c'); })()`)
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
