package streams

import (
	"context"
	"io"
	"testing"

	"github.com/dop251/goja"
	"go.uber.org/zap"

	"github.com/sockw/sockw/bindings"
	"github.com/sockw/sockw/internal/gcpace"
	"github.com/sockw/sockw/runtime/eventloop"
)

// benchEnv is like bindingstest.New without the per-test logger.
// The collector is paced as sockw run paces it (package gcpace).
func benchEnv(b *testing.B) (*bindings.Host, *Streams) {
	b.Helper()
	b.Cleanup(gcpace.Start(gcpace.DefaultHeadroom))
	rt := goja.New()
	if err := bindings.DefineAsyncIterator(rt); err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	h := &bindings.Host{Runtime: rt, Logger: zap.NewNop(), Context: ctx}
	h.Loop = eventloop.New(rt, eventloop.Options{})
	s, err := Install(h)
	if err != nil {
		b.Fatal(err)
	}
	return h, s
}

// runBench runs src, which must set globalThis.done to true when finished.
func runBench(b *testing.B, h *bindings.Host, src string) {
	b.Helper()
	err := h.Loop.RunOnLoop(func() error {
		_, err := h.Runtime.RunString(src)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := h.Loop.Run(h.Context); err != nil {
		b.Fatal(err)
	}
	if v := h.Runtime.Get("done"); v == nil || !v.ToBoolean() {
		b.Fatalf("benchmark script did not finish: %v", h.Runtime.Get("failure"))
	}
}

// BenchmarkInstall is what an isolate pays at start: the globals as
// accessors, the implementation not set up yet.
func BenchmarkInstall(b *testing.B) {
	if _, err := program(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		rt := goja.New()
		h := &bindings.Host{Runtime: rt, Logger: zap.NewNop(), Context: context.Background()}
		h.Loop = eventloop.New(rt, eventloop.Options{})
		if _, err := Install(h); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInstallFirstUse adds what the first use of a stream costs an
// isolate: setting the whole implementation up.
func BenchmarkInstallFirstUse(b *testing.B) {
	if _, err := program(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		rt := goja.New()
		h := &bindings.Host{Runtime: rt, Logger: zap.NewNop(), Context: context.Background()}
		h.Loop = eventloop.New(rt, eventloop.Options{})
		s, err := Install(h)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.init(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPipeThroughTransform pushes 1 MiB in 16 KiB chunks through
// pipeThrough(new TransformStream()); one op is the whole MiB.
func BenchmarkPipeThroughTransform(b *testing.B) {
	h, _ := benchEnv(b)
	must(b, h.Runtime.Set("N", b.N))
	b.ReportAllocs()
	b.ResetTimer()
	runBench(b, h, `
(async () => {
  const chunk = new Uint8Array(16 << 10);
  for (let op = 0; op < N; op++) {
    let i = 0;
    const rs = new ReadableStream({
      pull(c) { if (i++ < 64) c.enqueue(chunk); else c.close(); },
    }, { highWaterMark: 4 });
    const r = rs.pipeThrough(new TransformStream()).getReader();
    let total = 0;
    for (;;) {
      const { value, done } = await r.read();
      if (done) break;
      total += value.byteLength;
    }
    if (total !== 1 << 20) throw new Error('short: ' + total);
  }
  globalThis.done = true;
})().catch((e) => { globalThis.failure = String(e && e.stack || e); });
`)
}

// memSource returns the same chunk n times, then EOF.
type memSource struct {
	chunk []byte
	n     int
}

func (m *memSource) Read() ([]byte, error) {
	if m.n == 0 {
		return nil, io.EOF
	}
	m.n--
	return m.chunk, nil
}

func (m *memSource) Cancel(error) {}

// tryMemSource is a memSource whose chunks are always there at once.
type tryMemSource struct{ memSource }

func (m *tryMemSource) TryRead() ([]byte, error) { return m.Read() }

// BenchmarkGoReadLoop is one chunk read by a JS read loop from a Go-backed
// readable: one goroutine handoff and one promise per op.
func BenchmarkGoReadLoop(b *testing.B) {
	benchReadLoop(b, &memSource{chunk: make([]byte, 64), n: b.N})
}

// BenchmarkGoReadLoopTryRead is BenchmarkGoReadLoop with a Source whose
// TryRead always has the chunk: no goroutine handoff.
func BenchmarkGoReadLoopTryRead(b *testing.B) {
	benchReadLoop(b, &tryMemSource{memSource{chunk: make([]byte, 64), n: b.N}})
}

func benchReadLoop(b *testing.B, src Source) {
	h, s := benchEnv(b)
	rs, err := s.NewReadable(src, 0)
	if err != nil {
		b.Fatal(err)
	}
	must(b, h.Runtime.Set("rs", rs))
	must(b, h.Runtime.Set("N", b.N))
	b.ReportAllocs()
	b.ResetTimer()
	runBench(b, h, `
(async () => {
  const r = rs.getReader();
  let chunks = 0;
  for (;;) {
    const { value, done } = await r.read();
    if (done) break;
    if (value !== undefined) chunks++;
  }
  if (chunks !== N) throw new Error('got ' + chunks + ' chunks');
  globalThis.done = true;
})().catch((e) => { globalThis.failure = String(e && e.stack || e); });
`)
}

// discardSink accepts everything on the loop.
type discardSink struct{ n int }

func (d *discardSink) TryWrite(p []byte) (int, error) { d.n += len(p); return len(p), nil }
func (d *discardSink) Write(p []byte) error           { d.n += len(p); return nil }
func (d *discardSink) Close() error                   { return nil }
func (d *discardSink) Abort(error)                    {}

// BenchmarkGoWrite is one awaited writer.write() of 64 bytes to a Go-backed
// writable whose sink takes everything on the loop.
func BenchmarkGoWrite(b *testing.B) {
	h, s := benchEnv(b)
	sink := &discardSink{}
	ws, err := s.NewWritable(sink, 64<<10)
	if err != nil {
		b.Fatal(err)
	}
	must(b, h.Runtime.Set("ws", ws))
	must(b, h.Runtime.Set("N", b.N))
	b.ReportAllocs()
	b.ResetTimer()
	runBench(b, h, `
(async () => {
  const w = ws.getWriter();
  const chunk = new Uint8Array(64);
  for (let i = 0; i < N; i++) await w.write(chunk);
  globalThis.done = true;
})().catch((e) => { globalThis.failure = String(e && e.stack || e); });
`)
	if sink.n != 64*b.N {
		b.Fatalf("sink got %d bytes, want %d", sink.n, 64*b.N)
	}
}

// BenchmarkGoEchoChunk is one chunk read from a Go-backed readable and
// written to a Go-backed writable by a JS loop, as an echo handler does.
func BenchmarkGoEchoChunk(b *testing.B) {
	benchEcho(b, &memSource{chunk: make([]byte, 64), n: b.N})
}

// BenchmarkGoEchoChunkTryRead is BenchmarkGoEchoChunk with chunks TryRead
// has at once.
func BenchmarkGoEchoChunkTryRead(b *testing.B) {
	benchEcho(b, &tryMemSource{memSource{chunk: make([]byte, 64), n: b.N}})
}

func benchEcho(b *testing.B, src Source) {
	h, s := benchEnv(b)
	rs, err := s.NewReadable(src, 0)
	if err != nil {
		b.Fatal(err)
	}
	sink := &discardSink{}
	ws, err := s.NewWritable(sink, 64<<10)
	if err != nil {
		b.Fatal(err)
	}
	must(b, h.Runtime.Set("rs", rs))
	must(b, h.Runtime.Set("ws", ws))
	b.ReportAllocs()
	b.ResetTimer()
	runBench(b, h, `
(async () => {
  const r = rs.getReader();
  const w = ws.getWriter();
  for (;;) {
    const { value, done } = await r.read();
    if (done) break;
    await w.write(value);
  }
  globalThis.done = true;
})().catch((e) => { globalThis.failure = String(e && e.stack || e); });
`)
	if sink.n != 64*b.N {
		b.Fatalf("sink got %d bytes, want %d", sink.n, 64*b.N)
	}
}

// BenchmarkFloorGoPromise is the floor under BenchmarkGoReadLoop: a JS await
// on a promise that a goroutine settles through the loop, with no streams.
func BenchmarkFloorGoPromise(b *testing.B) {
	h, _ := benchEnv(b)
	rt := h.Runtime
	var res goja.Callable
	must(b, rt.Set("N", b.N))
	must(b, rt.Set("goRead", func(call goja.FunctionCall) goja.Value {
		res, _ = goja.AssertFunction(call.Argument(0))
		done := h.Loop.RegisterCallback()
		chunk := make([]byte, 64)
		go func() {
			done(func() error {
				_, err := res(goja.Undefined(), rt.ToValue(rt.NewArrayBuffer(chunk)))
				return err
			})
		}()
		return goja.Undefined()
	}))
	b.ReportAllocs()
	b.ResetTimer()
	runBench(b, h, `
(async () => {
  let res, rej; function capture(a, b) { res = a; rej = b; }
  let chunks = 0;
  for (let i = 0; i < N; i++) {
    const p = new Promise(capture);
    goRead((ab) => res({ value: new Uint8Array(ab, 0, 64), done: false }));
    const { value, done } = await p;
    if (value !== undefined) chunks++;
  }
  globalThis.done = true;
})().catch((e) => { globalThis.failure = String(e && e.stack || e); });
`)
}
