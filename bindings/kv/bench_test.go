package kv

import (
	"fmt"
	"testing"
	"time"

	"github.com/sockw/sockw/bindings/bindingstest"
	"github.com/sockw/sockw/bindings/events"
	"github.com/sockw/sockw/bindings/timers"
)

// BenchmarkNew times the first namespace of an isolate (which builds the
// isolate's prototype) plus a second one, as an env with two KV bindings
// costs at start-up, in isolates where the usual globals are installed.
func BenchmarkNew(b *testing.B) { benchNew(b, true) }

// BenchmarkNewBare is BenchmarkNew in bare runtimes: it includes goja
// building Function.prototype and friends, which whichever binding makes
// the first function pays once per isolate.
func BenchmarkNewBare(b *testing.B) { benchNew(b, false) }

func benchNew(b *testing.B, globals bool) {
	s := openTemp(b)
	b.ReportAllocs()
	for done := 0; done < b.N; {
		b.StopTimer()
		envs := make([]*bindingstest.Env, min(b.N-done, 100))
		for i := range envs {
			envs[i] = bindingstest.New(b)
			if globals {
				if err := events.Install(envs[i].Host); err != nil {
					b.Fatal(err)
				}
				if err := timers.Install(envs[i].Host); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.StartTimer()
		for _, e := range envs {
			for range 2 {
				if _, err := New(e.Host, s); err != nil {
					b.Fatal(err)
				}
			}
		}
		done += len(envs)
	}
}

// benchScript runs setup, then body b.N times in one async loop: the time
// per iteration includes settling the promise through the event loop.
func benchScript(b *testing.B, setup, body string) {
	e := newEnv(b)
	ns, err := New(e.Host, openTemp(b))
	if err != nil {
		b.Fatal(err)
	}
	_ = e.Runtime.Set("TEST_KV", ns)
	_ = e.Runtime.Set("resetTimer", func() { b.ReportAllocs(); b.ResetTimer() })
	src := fmt.Sprintf(`(async () => { %s; resetTimer(); for (let i = 0; i < %d; i++) { %s } })();`, setup, b.N, body)
	if err := e.Run("bench.js", src, 10*time.Minute); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkGetText(b *testing.B) {
	benchScript(b, `await TEST_KV.put('k', 'x'.repeat(100))`, `await TEST_KV.get('k');`)
}

func BenchmarkGetMissing(b *testing.B) {
	benchScript(b, ``, `await TEST_KV.get('missing');`)
}

// BenchmarkPut is one durable put at a time: a commit and its fsync each.
func BenchmarkPut(b *testing.B) {
	benchScript(b, ``, `await TEST_KV.put('k' + (i % 100), 'x'.repeat(100));`)
}

// BenchmarkPut16 keeps 16 puts in flight, which group commit shares fsyncs
// among; the figure is per put.
func BenchmarkPut16(b *testing.B) {
	benchScript(b, `const inflight = []`, `
inflight.push(TEST_KV.put('k' + (i % 1000), 'x'.repeat(100)));
if (inflight.length === 16) { await Promise.all(inflight); inflight.length = 0; }`)
}

func BenchmarkList100(b *testing.B) {
	benchScript(b, `for (let j = 0; j < 100; j++) await TEST_KV.put('k' + j, 'v')`, `await TEST_KV.list();`)
}
