package clone

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings/bindingstest"
	"github.com/sockw/sockw/bindings/events"
)

// nested1KiB builds an object whose JSON form is about 1 KiB.
const nested1KiB = `
function nested1KiB() {
  const item = (i) => ({ id: i, name: 'item-' + i, active: i % 2 === 0, score: i * 1.5, tags: ['a', 'b', 'c'] });
  return {
    version: 3,
    kind: 'message',
    from: { host: 'example.net', port: 4433, path: ['x', 'y', 'z'] },
    items: [item(1), item(2), item(3), item(4), item(5), item(6), item(7), item(8), item(9), item(10), item(11)],
    meta: { created: 1700000000000, flags: { a: true, b: false, c: null }, note: 'structured clone benchmark' },
  };
}
`

func BenchmarkStructuredClone1KiB(b *testing.B) {
	e := bindingstest.New(b)
	if err := events.Install(e.Host); err != nil {
		b.Fatal(err)
	}
	if err := Install(e.Host); err != nil {
		b.Fatal(err)
	}
	size, err := e.Runtime.RunString(nested1KiB + `
const value = nested1KiB();
function bench(n) { for (let i = 0; i < n; i++) structuredClone(value); }
JSON.stringify(value).length`)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("JSON size %d bytes", size.ToInteger())
	bench, _ := goja.AssertFunction(e.Runtime.Get("bench"))
	b.ReportAllocs()
	b.ResetTimer()
	if _, err := bench(goja.Undefined(), e.Runtime.ToValue(b.N)); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkInstall times Install alone: fresh runtimes are made in
// batches with the timer stopped.
func BenchmarkInstall(b *testing.B) {
	b.ReportAllocs()
	for done := 0; done < b.N; {
		b.StopTimer()
		envs := make([]*bindingstest.Env, min(b.N-done, 100))
		for i := range envs {
			envs[i] = bindingstest.New(b)
		}
		b.StartTimer()
		for _, e := range envs {
			if err := Install(e.Host); err != nil {
				b.Fatal(err)
			}
		}
		done += len(envs)
	}
}

// BenchmarkFirstClone times Install plus the first structuredClone, which
// captures the built-ins.
func BenchmarkFirstClone(b *testing.B) {
	b.ReportAllocs()
	for done := 0; done < b.N; {
		b.StopTimer()
		envs := make([]*bindingstest.Env, min(b.N-done, 100))
		for i := range envs {
			envs[i] = bindingstest.New(b)
		}
		b.StartTimer()
		for _, e := range envs {
			if err := Install(e.Host); err != nil {
				b.Fatal(err)
			}
			if _, err := Clone(e.Runtime, e.Runtime.NewObject(), nil); err != nil {
				b.Fatal(err)
			}
		}
		done += len(envs)
	}
}
