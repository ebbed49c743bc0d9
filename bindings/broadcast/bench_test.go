package broadcast

import (
	"fmt"
	"testing"
	"time"

	"github.com/sockw/sockw/bindings"
	"github.com/sockw/sockw/bindings/bindingstest"
	"github.com/sockw/sockw/bindings/clone"
	"github.com/sockw/sockw/bindings/events"
	"github.com/sockw/sockw/bindings/timers"
)

// freshEnvs makes n isolates with what Install needs, outside the timer.
func freshEnvs(b *testing.B, n int) []*bindingstest.Env {
	b.StopTimer()
	defer b.StartTimer()
	envs := make([]*bindingstest.Env, n)
	for i := range envs {
		envs[i] = bindingstest.New(b)
		for _, install := range []func(*bindings.Host) error{events.Install, timers.Install, clone.Install} {
			if err := install(envs[i].Host); err != nil {
				b.Fatal(err)
			}
		}
	}
	return envs
}

// BenchmarkInstall times Install alone, what every isolate pays.
func BenchmarkInstall(b *testing.B) {
	hub := NewHub()
	b.ReportAllocs()
	for done := 0; done < b.N; {
		envs := freshEnvs(b, min(b.N-done, 100))
		for _, e := range envs {
			if err := Install(e.Host, hub); err != nil {
				b.Fatal(err)
			}
		}
		done += len(envs)
	}
}

// BenchmarkFirstChannel times Install and the first channel, which builds
// the classes, in isolates where package events has built Event and
// EventTarget already (that costs more, but once per isolate for every
// user of events).
func BenchmarkFirstChannel(b *testing.B) {
	hub := NewHub()
	b.ReportAllocs()
	for done := 0; done < b.N; {
		envs := freshEnvs(b, min(b.N-done, 100))
		b.StopTimer()
		for _, e := range envs {
			if _, err := e.Runtime.RunString(`new EventTarget(); new Event('x')`); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		for _, e := range envs {
			if err := Install(e.Host, hub); err != nil {
				b.Fatal(err)
			}
			if _, err := e.Runtime.RunString(`new BroadcastChannel('x').close()`); err != nil {
				b.Fatal(err)
			}
		}
		done += len(envs)
	}
}

const message1KiB = `({ version: 3, kind: 'message', from: { host: 'example.net', port: 4433 },
  items: Array.from({ length: 11 }, (_, i) => ({ id: i, name: 'item-' + i, active: i % 2 === 0, score: i * 1.5, tags: ['a', 'b', 'c'] })),
  meta: { created: 1700000000000, flags: { a: true, b: false, c: null }, note: 'broadcast benchmark' } })`

// BenchmarkPostMessageSameIsolate is one message of about 1 KiB (as JSON)
// from one channel to another of the same isolate: serialize, queue,
// deserialize, dispatch. Messages go in rounds of 100, each posted once the
// last arrived, so the queue bound is never reached.
func BenchmarkPostMessageSameIsolate(b *testing.B) {
	e := freshEnvs(b, 1)[0]
	if err := Install(e.Host, NewHub()); err != nil {
		b.Fatal(err)
	}
	_ = e.Runtime.Set("resetTimer", func() { b.ReportAllocs(); b.ResetTimer() })
	src := fmt.Sprintf(`
const value = %s;
const a = new BroadcastChannel('bench');
const r = new BroadcastChannel('bench');
let left = %d, n = 0;
function round() {
  for (let i = 0; i < 100 && left > 0; i++, left--) a.postMessage(value);
}
r.onmessage = () => {
  if (++n %% 100 === 0) round();
  if (left === 0 && n === %d) { a.close(); r.close(); }
};
resetTimer();
round();
`, message1KiB, b.N, b.N)
	if err := e.Run("bench.js", src, 5*time.Minute); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkPostMessageAcrossIsolates streams messages of about 1 KiB from
// one isolate to another on another goroutine, in rounds of 100 acked by
// the receiver (so the queue bound is never reached).
func BenchmarkPostMessageAcrossIsolates(b *testing.B) { benchAcross(b, message1KiB) }

// BenchmarkPostMessageAcrossIsolatesSmall is the same with the kind of
// message a broker fans out: a topic and 64 bytes of payload.
func BenchmarkPostMessageAcrossIsolatesSmall(b *testing.B) {
	benchAcross(b, `({ topic: 'sensors/7/temp', payload: new Uint8Array(64) })`)
}

func benchAcross(b *testing.B, message string) {
	hub := NewHub()
	envs := freshEnvs(b, 2)
	for _, e := range envs {
		if err := Install(e.Host, hub); err != nil {
			b.Fatal(err)
		}
	}
	var g gates
	g.install(envs[0])
	g.install(envs[1])
	_ = envs[0].Runtime.Set("resetTimer", func() { b.ReportAllocs(); b.ResetTimer() })
	sender := fmt.Sprintf(`
const value = %s;
const ch = new BroadcastChannel('bench');
let left = %d;
function round() {
  if (left === 0) { ch.close(); return; }
  for (let i = 0; i < 100 && left > 0; i++, left--) ch.postMessage(value);
}
ch.onmessage = round; // the receiver acks each round
wait('ready').then(() => { resetTimer(); round(); });
`, message, b.N)
	receiver := fmt.Sprintf(`
const ch = new BroadcastChannel('bench');
let n = 0;
ch.onmessage = () => {
  if (++n %% 100 === 0 || n === %d) ch.postMessage('ack');
  if (n === %d) ch.close();
};
signal('ready');
`, b.N, b.N)
	errs := make(chan error, 1)
	go func() { errs <- envs[1].Run("receiver.js", receiver, 5*time.Minute) }()
	if err := envs[0].Run("sender.js", sender, 5*time.Minute); err != nil {
		b.Fatal(err)
	}
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
}
