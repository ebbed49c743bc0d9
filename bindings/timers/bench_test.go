package timers

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings/bindingstest"
)

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

func benchLoop(b *testing.B, setup string) {
	e := bindingstest.New(b)
	if err := Install(e.Host); err != nil {
		b.Fatal(err)
	}
	if _, err := e.Runtime.RunString(setup); err != nil {
		b.Fatal(err)
	}
	bench, _ := goja.AssertFunction(e.Runtime.Get("bench"))
	b.ReportAllocs()
	b.ResetTimer()
	if _, err := bench(goja.Undefined(), e.Runtime.ToValue(b.N)); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkSetClearTimeout(b *testing.B) {
	benchLoop(b, `
const f = () => {};
function bench(n) { for (let i = 0; i < n; i++) clearTimeout(setTimeout(f, 1000)); }
`)
}

// BenchmarkQueueMicrotask queues and runs b.N microtasks (they run when
// bench returns to Go).
func BenchmarkQueueMicrotask(b *testing.B) {
	benchLoop(b, `
let ran = 0;
const f = () => { ran++; };
function bench(n) { for (let i = 0; i < n; i++) queueMicrotask(f); }
`)
}

func BenchmarkPerformanceNow(b *testing.B) {
	benchLoop(b, `function bench(n) { for (let i = 0; i < n; i++) performance.now(); }`)
}
