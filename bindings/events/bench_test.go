package events

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings/bindingstest"
)

// benchLoop compiles setup, which must define bench(n), and times bench(b.N).
func benchLoop(b *testing.B, setup string) {
	e := bindingstest.New(b)
	if err := Install(e.Host); err != nil {
		b.Fatal(err)
	}
	if _, err := e.Runtime.RunString(setup); err != nil {
		b.Fatal(err)
	}
	bench, ok := goja.AssertFunction(e.Runtime.Get("bench"))
	if !ok {
		b.Fatal("no bench function")
	}
	b.ReportAllocs()
	b.ResetTimer()
	if _, err := bench(goja.Undefined(), e.Runtime.ToValue(b.N)); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkDispatchEvent1Listener(b *testing.B) {
	benchLoop(b, `
const t = new EventTarget();
let n = 0;
t.addEventListener('x', () => { n++; });
const e = new Event('x');
function bench(count) { for (let i = 0; i < count; i++) t.dispatchEvent(e); }
`)
}

func BenchmarkNewEventAndDispatch1Listener(b *testing.B) {
	benchLoop(b, `
const t = new EventTarget();
let n = 0;
t.addEventListener('x', () => { n++; });
function bench(count) { for (let i = 0; i < count; i++) t.dispatchEvent(new Event('x')); }
`)
}

func BenchmarkAbortControllerAbort(b *testing.B) {
	benchLoop(b, `
function bench(count) {
  for (let i = 0; i < count; i++) {
    const c = new AbortController();
    c.signal.addEventListener('abort', () => {});
    c.abort();
  }
}
`)
}

func BenchmarkNewDOMExceptionFromGo(b *testing.B) {
	e := bindingstest.New(b)
	if err := Install(e.Host); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		NewDOMException(e.Runtime, "aborted", "AbortError")
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

// BenchmarkInstallAndSetUp times Install plus the deferred set-up that the
// first use of any of the classes pays (here NewDOMException).
func BenchmarkInstallAndSetUp(b *testing.B) {
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
			NewDOMException(e.Runtime, "", "AbortError")
		}
		done += len(envs)
	}
}
