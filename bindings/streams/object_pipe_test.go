package streams

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings/bindingstest"
)

// testPiper takes every pipe offered to it (unless refuse) and leaves its
// end to the script, through the globals objectPipeEnv defines.
type testPiper struct {
	refuse bool
	offers int
	src    any
	pipe   *ObjectPipe
}

func (k *testPiper) PipeObjectsFrom(src any, p *ObjectPipe) bool {
	k.offers++
	if k.refuse {
		return false
	}
	k.src, k.pipe = src, p
	return true
}

var _ ObjectPiper = (*testPiper)(nil)

// objectPipeEnv defines mark(stream, handle) (handle "source" or "piper"),
// offers() and endPipe(outcome, reason), which ends the taken pipe and
// returns what the script's check() says right after, before any microtask.
func objectPipeEnv(t *testing.T, k *testPiper) *bindingstest.Env {
	env, s := goEnv(t)
	rt := env.Runtime
	must(t, rt.Set("mark", func(call goja.FunctionCall) goja.Value {
		var h any = "source"
		if call.Argument(1).String() == "piper" {
			h = k
		}
		if err := s.SetPipeHandle(call.Argument(0).ToObject(rt), h); err != nil {
			panic(rt.NewGoError(err))
		}
		return goja.Undefined()
	}))
	must(t, rt.Set("offers", func(goja.FunctionCall) goja.Value { return rt.ToValue(k.offers) }))
	must(t, rt.Set("endPipe", func(call goja.FunctionCall) goja.Value {
		if k.pipe == nil || k.src != "source" {
			panic(rt.NewTypeError("no pipe taken from the marked source"))
		}
		reason := call.Argument(1)
		var err error
		switch call.Argument(0).String() {
		case "ended":
			err = k.pipe.SourceEnded()
		case "source":
			err = k.pipe.SourceErrored(reason)
		case "sink":
			err = k.pipe.SinkErrored(reason)
		}
		if err != nil {
			panic(rt.NewGoError(err))
		}
		check, _ := goja.AssertFunction(rt.Get("check"))
		v, err := check(goja.Undefined())
		if err != nil {
			panic(err)
		}
		return v
	}))
	return env
}

// The script's streams: a readable whose pull and cancel are logged, a
// writable whose writes, close and abort are logged, both marked.
const objectStreams = `
const log = [];
const rs = new ReadableStream({
  pull(c) { log.push('pull'); c.enqueue('js chunk'); },
  cancel(r) { log.push('cancel:' + r); },
}, { highWaterMark: 0 });
const ws = new WritableStream({
  write(c) { log.push('write:' + c); },
  close() { log.push('close'); },
  abort(r) { log.push('abort:' + r); },
});
mark(rs, 'source');
mark(ws, 'piper');
globalThis.check = () => log.join();
const settled = (p) => p.then(() => 'fulfilled', (e) => 'rejected:' + e);
`

func TestObjectPipeSourceEnded(t *testing.T) {
	k := &testPiper{}
	env := objectPipeEnv(t, k)
	runJS(t, env, objectStreams+`
const p = settled(rs.pipeTo(ws));
if (offers() !== 1 || !rs.locked || !ws.locked) throw new Error('not taken');
await sleep(5);
if (log.length !== 0) throw new Error('JavaScript moved chunks during the pump: ' + log);
// The close has started by the time the pump's end returns to Go.
const now = endPipe('ended');
if (now !== 'close') throw new Error('right after the end: ' + now);
if (await p !== 'fulfilled') throw new Error('pipe: ' + await p);
if (rs.locked || ws.locked) throw new Error('still locked');
const r = await rs.getReader().read();
if (!r.done) throw new Error('readable not closed');
try { await ws.getWriter().write('x'); throw new Error('wrote to a closed writable'); } catch (e) {
  if (!(e instanceof TypeError)) throw e;
}
if (log.join() !== 'close') throw new Error('log ' + log);
`)
}

func TestObjectPipePreventClose(t *testing.T) {
	env := objectPipeEnv(t, &testPiper{})
	runJS(t, env, objectStreams+`
const p = settled(rs.pipeTo(ws, { preventClose: true }));
endPipe('ended');
if (await p !== 'fulfilled') throw new Error('pipe: ' + await p);
await ws.getWriter().write('after');
if (log.join() !== 'write:after') throw new Error('log ' + log);
`)
}

func TestObjectPipeSourceErrored(t *testing.T) {
	env := objectPipeEnv(t, &testPiper{})
	runJS(t, env, objectStreams+`
const p = settled(rs.pipeTo(ws));
await sleep(1); // the streams have started
const now = endPipe('source', 'boom');
if (now !== 'abort:boom') throw new Error('right after the end: ' + now);
if (await p !== 'rejected:boom') throw new Error('pipe: ' + await p);
try { await rs.getReader().read(); throw new Error('read'); } catch (e) { if (e !== 'boom') throw e; }
`)
	env = objectPipeEnv(t, &testPiper{})
	runJS(t, env, objectStreams+`
const p = settled(rs.pipeTo(ws, { preventAbort: true }));
endPipe('source', 'boom');
if (await p !== 'rejected:boom') throw new Error('pipe: ' + await p);
await ws.getWriter().write('still writable');
if (log.join() !== 'write:still writable') throw new Error('log ' + log);
`)
}

func TestObjectPipeSinkErrored(t *testing.T) {
	env := objectPipeEnv(t, &testPiper{})
	runJS(t, env, objectStreams+`
const p = settled(rs.pipeTo(ws));
await sleep(1); // the streams have started
const now = endPipe('sink', 'full');
if (now !== 'cancel:full') throw new Error('right after the end: ' + now);
if (await p !== 'rejected:full') throw new Error('pipe: ' + await p);
try { await ws.getWriter().write('x'); throw new Error('wrote'); } catch (e) { if (e !== 'full') throw e; }
`)
	env = objectPipeEnv(t, &testPiper{})
	runJS(t, env, objectStreams+`
const p = settled(rs.pipeTo(ws, { preventCancel: true }));
endPipe('sink', 'full');
if (await p !== 'rejected:full') throw new Error('pipe: ' + await p);
const { value } = await rs.getReader().read();
if (value !== 'js chunk' || log.join() !== 'pull') throw new Error('readable: ' + value + ' ' + log);
`)
}

// What happened to a stream during the pump stands over the outcome the
// piper reports.
func TestObjectPipeEarlierStateStands(t *testing.T) {
	env := objectPipeEnv(t, &testPiper{})
	runJS(t, env, `
let wc;
const rs = new ReadableStream({}, { highWaterMark: 0 });
const ws = new WritableStream({ start(c) { wc = c; } });
mark(rs, 'source');
mark(ws, 'piper');
globalThis.check = () => '';
const p = rs.pipeTo(ws).then(() => 'fulfilled', (e) => 'rejected:' + e);
await sleep(1);
wc.error('socket closed');
endPipe('ended');
if (await p !== 'rejected:socket closed') throw new Error('pipe: ' + await p);
`)
}

// Pipes the piper refuses, or that are not offered to it, run in
// JavaScript.
func TestObjectPipeNotTaken(t *testing.T) {
	k := &testPiper{refuse: true}
	env := objectPipeEnv(t, k)
	runJS(t, env, objectStreams+`
let n = 0;
const src = new ReadableStream({ pull(c) { if (n++ < 3) c.enqueue(n); else c.close(); } }, { highWaterMark: 0 });
mark(src, 'source');
const plain = [];
await src.pipeTo(new WritableStream({ write(c) { plain.push(c); } })); // unmarked: not offered
if (offers() !== 0 || plain.join() !== '1,2,3') throw new Error('unmarked writable: ' + offers() + ' ' + plain);
n = 0;
const src2 = new ReadableStream({ pull(c) { if (n++ < 3) c.enqueue(n); else c.close(); } }, { highWaterMark: 0 });
mark(src2, 'source');
await src2.pipeTo(ws);
if (offers() !== 1 || log.join() !== 'write:1,write:2,write:3,close') throw new Error('refused pipe: ' + offers() + ' ' + log);
`)
	k = &testPiper{}
	env = objectPipeEnv(t, k)
	runJS(t, env, objectStreams+`
// No AbortController here: any object with addEventListener passes for a
// signal.
const signal = { aborted: false, addEventListener() {}, removeEventListener() {} };
const once = new ReadableStream({ pull(c) { c.enqueue('once'); c.close(); } }, { highWaterMark: 0 });
mark(once, 'source');
await once.pipeTo(ws, { signal });
if (offers() !== 0 || log.join() !== 'write:once,close') throw new Error('a pipe with a signal was offered: ' + log);
const queued = new ReadableStream({ start(c) { c.enqueue('queued'); } }, { highWaterMark: 0 });
mark(queued, 'source');
const ws2 = new WritableStream({ write(c) { log.push('ws2:' + c); } });
mark(ws2, 'piper');
queued.pipeTo(ws2);
await sleep(1);
if (offers() !== 0 || !log.includes('ws2:queued')) throw new Error('a pipe with a queued chunk was offered: ' + log);
`)
	for _, bad := range []string{
		`mark(new ReadableStream({ type: 'bytes' }), 'source')`,
		`mark({}, 'source')`,
	} {
		env = objectPipeEnv(t, &testPiper{})
		if err := env.Run(t.Name(), bad, 0); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}
