package streams

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings/bindingstest"
)

// echoClient writes data to c in chunks, half-closes, and returns what it
// reads back until EOF.
func echoClient(c *net.TCPConn, data []byte) <-chan []byte {
	out := make(chan []byte, 1)
	go func() {
		var got bytes.Buffer
		done := make(chan struct{})
		go func() {
			io.Copy(&got, c)
			close(done)
		}()
		for off := 0; off < len(data); off += 7000 {
			end := min(off+7000, len(data))
			if _, err := c.Write(data[off:end]); err != nil {
				break
			}
		}
		c.CloseWrite()
		<-done
		out <- got.Bytes()
	}()
	return out
}

func randomBytes(t *testing.T, n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestGoEchoReaderWriter(t *testing.T) {
	before := runtime.NumGoroutine()
	env, s := goEnv(t)
	server, client := tcpPair(t)
	src := &connSource{c: server, size: 16 << 10}
	sink := newConnSink(t, server)
	rs, err := s.NewReadable(src, 0)
	must(t, err)
	ws, err := s.NewWritable(sink, 64<<10)
	must(t, err)
	must(t, env.Runtime.Set("readable", rs))
	must(t, env.Runtime.Set("writable", ws))
	data := randomBytes(t, 1<<20)
	echoed := echoClient(client, data)
	runJS(t, env, `
if (!(readable instanceof ReadableStream) || !(writable instanceof WritableStream)) throw new Error('not the global classes');
const r = readable.getReader();
const w = writable.getWriter();
for (;;) {
  const { value, done } = await r.read();
  if (done) break;
  if (!(value instanceof Uint8Array)) throw new Error('chunk is not a Uint8Array');
  await w.write(value);
}
await w.close();
await r.closed;
await w.closed;
`)
	if got := <-echoed; !bytes.Equal(got, data) {
		t.Fatalf("echoed %d bytes, want %d identical bytes", len(got), len(data))
	}
	if sink.tried.Load() == 0 {
		t.Error("TryWrite never took any bytes")
	}
	bindingstest.CheckGoroutines(t, before)
}

func TestGoEchoPipeToPump(t *testing.T) {
	for _, hwm := range []int{0, 64 << 10} {
		t.Run(map[int]string{0: "pull", 64 << 10: "prefetch"}[hwm], func(t *testing.T) {
			before := runtime.NumGoroutine()
			env, s := goEnv(t)
			server, client := tcpPair(t)
			src := &connSource{c: server, size: 16 << 10}
			sink := &pipingSink{connSink: newConnSink(t, server)}
			rs, err := s.NewReadable(src, hwm)
			must(t, err)
			ws, err := s.NewWritable(sink, 64<<10)
			must(t, err)
			must(t, env.Runtime.Set("readable", rs))
			must(t, env.Runtime.Set("writable", ws))
			data := randomBytes(t, 1<<20)
			echoed := echoClient(client, data)
			runJS(t, env, `
const p = readable.pipeTo(writable);
if (!readable.locked || !writable.locked) throw new Error('not locked while piping');
if (await p !== undefined) throw new Error('pipe result');
if (readable.locked || writable.locked) throw new Error('still locked');
`)
			if got := <-echoed; !bytes.Equal(got, data) {
				t.Fatalf("echoed %d bytes, want %d identical bytes", len(got), len(data))
			}
			if sink.pumps.Load() != 1 {
				t.Errorf("PipeFrom ran %d times, want 1", sink.pumps.Load())
			}
			bindingstest.CheckGoroutines(t, before)
		})
	}
}

func TestGoEchoPipeToJS(t *testing.T) {
	before := runtime.NumGoroutine()
	env, s := goEnv(t)
	server, client := tcpPair(t)
	rs, err := s.NewReadable(&connSource{c: server, size: 16 << 10}, 0)
	must(t, err)
	ws, err := s.NewWritable(newConnSink(t, server), 64<<10) // no Piper: the JS pipe loop
	must(t, err)
	must(t, env.Runtime.Set("readable", rs))
	must(t, env.Runtime.Set("writable", ws))
	data := randomBytes(t, 256<<10)
	echoed := echoClient(client, data)
	runJS(t, env, `await readable.pipeTo(writable);`)
	if got := <-echoed; !bytes.Equal(got, data) {
		t.Fatalf("echoed %d bytes, want %d identical bytes", len(got), len(data))
	}
	bindingstest.CheckGoroutines(t, before)
}

func TestGoPumpPreventClose(t *testing.T) {
	env, s := goEnv(t)
	server, client := tcpPair(t)
	rs, err := s.NewReadable(&connSource{c: server, size: 4096}, 0)
	must(t, err)
	ws, err := s.NewWritable(&pipingSink{connSink: newConnSink(t, server)}, 4096)
	must(t, err)
	must(t, env.Runtime.Set("readable", rs))
	must(t, env.Runtime.Set("writable", ws))
	echoed := echoClient(client, []byte("hello "))
	runJS(t, env, `
await readable.pipeTo(writable, { preventClose: true });
const w = writable.getWriter();
await w.write(new Uint8Array([119, 111, 114, 108, 100]));
await w.close();
`)
	if got := string(<-echoed); got != "hello world" {
		t.Fatalf("got %q", got)
	}
}

func TestGoReadableEOF(t *testing.T) {
	env, s := goEnv(t)
	server, client := tcpPair(t)
	rs, err := s.NewReadable(&connSource{c: server, size: 4096}, 0)
	must(t, err)
	must(t, env.Runtime.Set("readable", rs))
	go func() {
		client.Write([]byte("hello"))
		client.CloseWrite()
	}()
	runJS(t, env, `
const r = readable.getReader();
let text = '';
for (;;) {
  const { value, done } = await r.read();
  if (done) break;
  text += String.fromCharCode(...value);
}
if (text !== 'hello') throw new Error('read ' + JSON.stringify(text));
await r.closed;
const again = await r.read();
if (!again.done) throw new Error('read after EOF');
`)
}

func TestGoPeerReset(t *testing.T) {
	before := runtime.NumGoroutine()
	env, s := goEnv(t)
	server, client := tcpPair(t)
	rs, err := s.NewReadable(&connSource{c: server, size: 4096}, 0)
	must(t, err)
	must(t, env.Runtime.Set("readable", rs))
	go func() {
		time.Sleep(20 * time.Millisecond)
		client.SetLinger(0)
		client.Close() // RST
	}()
	runJS(t, env, `
const r = readable.getReader();
let err;
try {
  await r.read();
} catch (e) {
  err = e;
}
if (!(err instanceof Error)) throw new Error('read did not reject with an Error: ' + err);
if (err.constructor !== Error) throw new Error('not a plain Error: ' + err.constructor.name);
if (!/connection reset by peer/.test(err.message)) throw new Error('message: ' + err.message);
if (/\*net\.|OpError|goja/.test(err.message + err.stack)) throw new Error('Go names leak: ' + err.message);
const closedErr = await r.closed.catch((e) => e);
if (closedErr !== err) throw new Error('closed did not reject with the same error');
`)
	bindingstest.CheckGoroutines(t, before)
}

func TestGoBackpressure(t *testing.T) {
	before := runtime.NumGoroutine()
	env, s := goEnv(t)
	server, client := tcpPair(t)
	must(t, server.SetWriteBuffer(8<<10))
	must(t, client.SetReadBuffer(8<<10))
	sink := newConnSink(t, server)
	ws, err := s.NewWritable(sink, 32<<10)
	must(t, err)
	must(t, env.Runtime.Set("writable", ws))
	drain := make(chan struct{})
	received := make(chan int64, 1)
	go func() {
		<-drain
		n, _ := io.Copy(io.Discard, client)
		received <- n
	}()
	must(t, env.Runtime.Set("startDraining", func(goja.FunctionCall) goja.Value {
		close(drain)
		return goja.Undefined()
	}))
	runJS(t, env, `
const w = writable.getWriter();
const chunk = new Uint8Array(64 << 10);
let total = 0;
const writes = [];
// Write until the sink stops taking bytes at once.
while (w.desiredSize > 0 && total < (64 << 20)) {
  writes.push(w.write(chunk));
  total += chunk.byteLength;
  await sleep(1);
}
if (w.desiredSize > 0) throw new Error('no backpressure after ' + total + ' bytes');
let ready = false;
w.ready.then(() => { ready = true; });
await sleep(50);
if (ready) throw new Error('ready resolved while the peer does not read');
startDraining();
await w.ready;
if (!(w.desiredSize > 0)) throw new Error('desiredSize ' + w.desiredSize + ' after ready');
await Promise.all(writes);
await w.close();
globalThis.total = total;
`)
	total := env.Runtime.Get("total").ToInteger()
	if got := <-received; got != total {
		t.Fatalf("peer received %d bytes, want %d", got, total)
	}
	if sink.written.Load() == 0 {
		t.Error("no bytes went through the blocking Write")
	}
	bindingstest.CheckGoroutines(t, before)
}

func TestGoCancelDuringRead(t *testing.T) {
	before := runtime.NumGoroutine()
	env, s := goEnv(t)
	server, _ := tcpPair(t)
	src := &connSource{c: server, size: 4096}
	rs, err := s.NewReadable(src, 0)
	must(t, err)
	must(t, env.Runtime.Set("readable", rs))
	runJS(t, env, `
const r = readable.getReader();
const pending = r.read();
await sleep(20);
const cancelled = await r.cancel('bye');
if (cancelled !== undefined) throw new Error('cancel result');
const res = await pending;
if (!res.done || res.value !== undefined) throw new Error('pending read: ' + JSON.stringify(res));
await r.closed;
`)
	if n := src.cancels.Load(); n != 1 {
		t.Errorf("Cancel called %d times, want 1", n)
	}
	if r, _ := src.reason.Load().(string); r != "bye" {
		t.Errorf("Cancel reason %q, want %q", r, "bye")
	}
	bindingstest.CheckGoroutines(t, before)
}

func TestGoSecondReadQueues(t *testing.T) {
	env, s := goEnv(t)
	server, client := tcpPair(t)
	rs, err := s.NewReadable(&connSource{c: server, size: 3}, 0)
	must(t, err)
	must(t, env.Runtime.Set("readable", rs))
	go func() {
		time.Sleep(20 * time.Millisecond)
		client.Write([]byte("abcdef"))
		client.CloseWrite()
	}()
	runJS(t, env, `
const r = readable.getReader();
const p1 = r.read();
const p2 = r.read();
const p3 = r.read();
const text = (x) => (x.done ? 'done' : String.fromCharCode(...x.value));
const got = [text(await p1), text(await p2), text(await p3)].join(',');
if (got !== 'abc,def,done') throw new Error('reads: ' + got);
`)
}

func TestGoBYOBRead(t *testing.T) {
	env, s := goEnv(t)
	server, client := tcpPair(t)
	rs, err := s.NewReadable(&connSource{c: server, size: 16}, 0)
	must(t, err)
	must(t, env.Runtime.Set("readable", rs))
	go func() {
		client.Write([]byte("0123456789"))
		time.Sleep(20 * time.Millisecond)
		client.Write([]byte("ab"))
		client.CloseWrite()
	}()
	runJS(t, env, `
const r = readable.getReader({ mode: 'byob' });
const { value } = await r.read(new Uint8Array(12), { min: 12 });
if (String.fromCharCode(...value) !== '0123456789ab') throw new Error('read ' + String.fromCharCode(...value));
const end = await r.read(new Uint8Array(4));
if (!end.done || end.value.byteLength !== 0) throw new Error('no EOF');
`)
}

func TestGoTeeAndIterate(t *testing.T) {
	env, s := goEnv(t)
	server, client := tcpPair(t)
	rs, err := s.NewReadable(&connSource{c: server, size: 4}, 0)
	must(t, err)
	must(t, env.Runtime.Set("readable", rs))
	go func() {
		client.Write([]byte("abcdefgh"))
		client.CloseWrite()
	}()
	runJS(t, env, `
const [a, b] = readable.tee();
async function collect(stream) {
  const it = stream.values();
  let text = '';
  for (;;) {
    const { value, done } = await it.next();
    if (done) return text;
    text += String.fromCharCode(...value);
  }
}
const [x, y] = await Promise.all([collect(a), collect(b)]);
if (x !== 'abcdefgh' || y !== 'abcdefgh') throw new Error(x + ' / ' + y);
`)
}

func TestGoWriteNotBytes(t *testing.T) {
	env, s := goEnv(t)
	server, client := tcpPair(t)
	ws, err := s.NewWritable(newConnSink(t, server), 1024)
	must(t, err)
	must(t, env.Runtime.Set("writable", ws))
	got := make(chan []byte, 1)
	go func() {
		b, _ := io.ReadAll(client)
		got <- b
	}()
	runJS(t, env, `
const w = writable.getWriter();
for (const bad of ['text', 42, {}, [1, 2]]) {
  const e = await w.write(bad).then(() => null, (e) => e);
  if (!(e instanceof TypeError)) throw new Error('write(' + JSON.stringify(bad) + ') did not reject with a TypeError');
}
await w.write(new Uint8Array([104, 105]));
await w.write(new Uint16Array([0x2121]).buffer);
await w.write(new DataView(new Uint8Array([33, 63, 0]).buffer, 1, 1));
const detached = new Uint8Array(4);
new ReadableStream({ type: 'bytes', start(c) { c.enqueue(detached); } });
const e = await w.write(detached).then(() => null, (e) => e);
if (!(e instanceof TypeError)) throw new Error('a detached chunk was not refused');
await w.close();
`)
	if b := string(<-got); b != "hi!!?" {
		t.Fatalf("peer got %q", b)
	}
}

// partialSink takes half of what TryWrite is offered, and blocks Write until
// released.
type partialSink struct {
	release chan struct{}
	got     bytes.Buffer
	aborted chan struct{}
}

func (k *partialSink) TryWrite(p []byte) (int, error) {
	n := len(p) / 2
	k.got.Write(p[:n])
	return n, nil
}

func (k *partialSink) Write(p []byte) error {
	select {
	case <-k.release:
	case <-k.aborted:
		return errors.New("aborted")
	}
	k.got.Write(p)
	return nil
}

func (k *partialSink) Close() error { return nil }

func (k *partialSink) Abort(error) {
	select {
	case <-k.aborted:
	default:
		close(k.aborted)
	}
}

func TestGoPartialTryWrite(t *testing.T) {
	env, s := goEnv(t)
	sink := &partialSink{release: make(chan struct{}), aborted: make(chan struct{})}
	ws, err := s.NewWritable(sink, 100)
	must(t, err)
	must(t, env.Runtime.Set("writable", ws))
	must(t, env.Runtime.Set("release", func(goja.FunctionCall) goja.Value {
		close(sink.release)
		return goja.Undefined()
	}))
	runJS(t, env, `
const w = writable.getWriter();
const p = w.write(new Uint8Array(80).fill(1));
// TryWrite took 40 bytes; only the other 40 still count.
if (w.desiredSize !== 60) throw new Error('desiredSize ' + w.desiredSize);
const p2 = w.write(new Uint8Array(30).fill(2));
if (w.desiredSize !== 30) throw new Error('desiredSize after a queued write ' + w.desiredSize);
release();
await p;
await p2;
if (w.desiredSize !== 100) throw new Error('desiredSize at the end ' + w.desiredSize);
await w.close();
`)
	want := append(bytes.Repeat([]byte{1}, 80), bytes.Repeat([]byte{2}, 30)...)
	if !bytes.Equal(sink.got.Bytes(), want) {
		t.Fatalf("sink got %v", sink.got.Bytes())
	}
}

func TestGoAbortUnblocksWrite(t *testing.T) {
	env, s := goEnv(t)
	sink := &partialSink{release: make(chan struct{}), aborted: make(chan struct{})}
	ws, err := s.NewWritable(sink, 100)
	must(t, err)
	must(t, env.Runtime.Set("writable", ws))
	runJS(t, env, `
const w = writable.getWriter();
const p = w.write(new Uint8Array(10));
await sleep(10);
const abort = w.abort(new Error('stop'));
const e = await p.then(() => null, (e) => e);
if (!(e instanceof Error) || e.message !== 'aborted') throw new Error('in-flight write: ' + e);
await abort;
const closed = await w.closed.then(() => null, (e) => e);
if (!(closed instanceof Error) || closed.message !== 'stop') throw new Error('closed: ' + closed);
`)
}

func TestErrorStreamAndCloseReadable(t *testing.T) {
	before := runtime.NumGoroutine()
	env, s := goEnv(t)
	server, client := tcpPair(t)
	src := &connSource{c: server, size: 4096}
	rs, err := s.NewReadable(src, 0)
	must(t, err)
	server2, _ := tcpPair(t)
	src2 := &connSource{c: server2, size: 4096}
	rs2, err := s.NewReadable(src2, 0)
	must(t, err)
	sink := &partialSink{release: make(chan struct{}), aborted: make(chan struct{})}
	ws, err := s.NewWritable(sink, 100)
	must(t, err)
	rt := env.Runtime
	must(t, rt.Set("readable", rs))
	must(t, rt.Set("readable2", rs2))
	must(t, rt.Set("writable", ws))
	must(t, rt.Set("resetAll", func(goja.FunctionCall) goja.Value {
		reason := rt.NewTypeError("peer reset")
		s.ErrorStream(rs, reason)
		s.ErrorStream(ws, reason)
		s.CloseReadable(rs2)
		return goja.Undefined()
	}))
	runJS(t, env, `
const r = readable.getReader();
const r2 = readable2.getReader();
const w = writable.getWriter();
const pending = r.read();
const pending2 = r2.read();
const write = w.write(new Uint8Array(10));
await sleep(10);
resetAll();
const e = await pending.then(() => null, (e) => e);
if (!(e instanceof TypeError) || e.message !== 'peer reset') throw new Error('read: ' + e);
const res2 = await pending2;
if (!res2.done) throw new Error('CloseReadable did not end the read');
const we = await write.then(() => null, (e) => e);
if (!(we instanceof Error)) throw new Error('in-flight write: ' + we);
const closed = await w.closed.then(() => null, (e) => e);
if (!(closed instanceof TypeError) || closed.message !== 'peer reset') throw new Error('writer closed: ' + closed);
`)
	if src.cancels.Load() == 0 {
		t.Error("ErrorStream did not cancel the source's pending read")
	}
	if src2.cancels.Load() == 0 {
		t.Error("CloseReadable did not cancel the source's pending read")
	}
	client.Close()
	bindingstest.CheckGoroutines(t, before)
}

func TestGoPumpSourceReset(t *testing.T) {
	env, s := goEnv(t)
	server, client := tcpPair(t)
	src := &connSource{c: server, size: 4096}
	rs, err := s.NewReadable(src, 0)
	must(t, err)
	peer, _ := tcpPair(t)
	ws, err := s.NewWritable(&pipingSink{connSink: newConnSink(t, peer)}, 4096)
	must(t, err)
	must(t, env.Runtime.Set("readable", rs))
	must(t, env.Runtime.Set("writable", ws))
	go func() {
		client.Write([]byte("x"))
		time.Sleep(20 * time.Millisecond)
		client.SetLinger(0)
		client.Close()
	}()
	runJS(t, env, `
const e = await readable.pipeTo(writable).then(() => null, (e) => e);
if (!(e instanceof Error) || !/reset/.test(e.message)) throw new Error('pipe: ' + e);
if (readable.locked || writable.locked) throw new Error('still locked');
`)
}

func TestNewReadableArguments(t *testing.T) {
	_, s := newEnv(t)
	if _, err := s.NewReadable(nil, 0); err == nil {
		t.Error("nil Source accepted")
	}
	if _, err := s.NewReadable(&connSource{}, -1); err == nil {
		t.Error("negative highWaterMark accepted")
	}
	if _, err := s.NewWritable(nil, 0); err == nil {
		t.Error("nil Sink accepted")
	}
	if _, err := s.NewWritable(&partialSink{}, -1); err == nil {
		t.Error("negative highWaterMark accepted")
	}
}

var _ = strings.Contains

func TestFlush(t *testing.T) {
	env, s := goEnv(t)
	server, client := tcpPair(t)
	ws, err := s.NewWritable(newConnSink(t, server), 16)
	must(t, err)
	rt := env.Runtime
	must(t, rt.Set("writable", ws))
	must(t, rt.Set("flush", func(call goja.FunctionCall) goja.Value {
		return rt.ToValue(s.Flush(call.Argument(0).ToObject(rt)))
	}))
	got := make(chan []byte, 1)
	go func() {
		b, _ := io.ReadAll(client)
		got <- b
	}()
	runJS(t, env, `
const w = writable.getWriter(); // flushing does not need the lock
w.write(new Uint8Array([1, 2, 3]));
w.write(new Uint8Array([4]));
const p = flush(writable);
if (!(p instanceof Promise)) throw new Error('not a promise');
if (flush(writable) !== p) throw new Error('a second flush is not the pending close');
await p;
await w.closed;
await flush(writable); // closed: fulfills
const errored = new WritableStream({ start(c) { c.error('bad'); } });
await sleep(1);
if (await flush(errored).then(() => 'ok', (e) => e) !== 'bad') throw new Error('errored stream');
const e = await flush({}).then(() => null, (e) => e);
if (!(e instanceof TypeError)) throw new Error('not a stream: ' + e);
`)
	if b := <-got; !bytes.Equal(b, []byte{1, 2, 3, 4}) {
		t.Fatalf("peer got %v", b)
	}
}

func TestGoPumpSinkReset(t *testing.T) {
	for _, preventCancel := range []bool{false, true} {
		t.Run(map[bool]string{false: "cancel", true: "preventCancel"}[preventCancel], func(t *testing.T) {
			before := runtime.NumGoroutine()
			env, s := goEnv(t)
			server, client := tcpPair(t)
			src := &connSource{c: server, size: 4096}
			rs, err := s.NewReadable(src, 0)
			must(t, err)
			out, peer := tcpPair(t)
			ws, err := s.NewWritable(&pipingSink{connSink: newConnSink(t, out)}, 4096)
			must(t, err)
			rt := env.Runtime
			must(t, rt.Set("readable", rs))
			must(t, rt.Set("writable", ws))
			must(t, rt.Set("preventCancel", preventCancel))
			stop := make(chan struct{})
			go func() {
				// The source keeps sending; the destination's peer resets.
				chunk := make([]byte, 4096)
				for {
					select {
					case <-stop:
						client.CloseWrite()
						return
					default:
					}
					if _, err := client.Write(chunk); err != nil {
						return
					}
					time.Sleep(time.Millisecond)
				}
			}()
			go func() {
				time.Sleep(30 * time.Millisecond)
				peer.SetLinger(0)
				peer.Close()
			}()
			must(t, rt.Set("stopSending", func(goja.FunctionCall) goja.Value {
				close(stop)
				return goja.Undefined()
			}))
			runJS(t, env, `
const e = await readable.pipeTo(writable, { preventCancel }).then(() => null, (e) => e);
if (!(e instanceof Error)) throw new Error('pipe did not reject: ' + e);
const werr = await writable.getWriter().closed.then(() => null, (e) => e);
if (werr !== e) throw new Error('the writable is not errored with the pipe error');
const r = readable.getReader();
if (preventCancel) {
  // The source is intact: it can still be read to its end.
  stopSending();
  let n = 0;
  for (;;) {
    const { value, done } = await r.read();
    if (done) break;
    n += value.byteLength;
  }
} else {
  const res = await r.read();
  if (!res.done) throw new Error('the source was not cancelled');
  stopSending();
}
`)
			wantCancels := int32(1)
			if preventCancel {
				wantCancels = 0
			}
			if n := src.cancels.Load(); n != wantCancels {
				t.Errorf("Cancel called %d times, want %d", n, wantCancels)
			}
			bindingstest.CheckGoroutines(t, before)
		})
	}
}

func TestGoWritablePipedNotBytes(t *testing.T) {
	env, s := goEnv(t)
	sink := &discardSink{}
	ws, err := s.NewWritable(sink, 1024)
	must(t, err)
	must(t, env.Runtime.Set("writable", ws))
	runJS(t, env, `
let cancelled;
const rs = new ReadableStream({
  start(c) { c.enqueue(new Uint8Array([1])); c.enqueue('text'); c.enqueue(new Uint8Array([2])); },
  cancel(reason) { cancelled = reason; },
});
const e = await rs.pipeTo(writable).then(() => null, (e) => e);
if (!(e instanceof TypeError)) throw new Error('pipe: ' + e);
if (cancelled !== e) throw new Error('the source was not cancelled with the error');
`)
	if sink.n != 1 {
		t.Fatalf("sink got %d bytes, want 1", sink.n)
	}
}

func TestGoEchoTryRead(t *testing.T) {
	before := runtime.NumGoroutine()
	env, s := goEnv(t)
	server, client := tcpPair(t)
	src := newTryConnSource(t, server, 4096)
	rs, err := s.NewReadable(src, 0)
	must(t, err)
	ws, err := s.NewWritable(newConnSink(t, server), 64<<10)
	must(t, err)
	must(t, env.Runtime.Set("readable", rs))
	must(t, env.Runtime.Set("writable", ws))
	data := randomBytes(t, 1<<20)
	echoed := echoClient(client, data)
	runJS(t, env, `
const r = readable.getReader();
const w = writable.getWriter();
for (;;) {
  const { value, done } = await r.read();
  if (done) break;
  await w.write(value);
}
await w.close();
`)
	if got := <-echoed; !bytes.Equal(got, data) {
		t.Fatalf("echoed %d bytes, want %d identical bytes", len(got), len(data))
	}
	if src.tries.Load() == 0 {
		t.Error("no chunk came from TryRead")
	}
	bindingstest.CheckGoroutines(t, before)
}
