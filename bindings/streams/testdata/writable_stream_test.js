// WritableStream, its writer and controller: writes, backpressure, close,
// abort, errors, controller.signal and the order promises settle in.
import { test, assert, assertEquals, assertThrows, assertRejects, flush, run } from '../../../testdata/harness.js';

// A minimal AbortController and DOMException in case the events binding is
// not installed in this isolate.
if (typeof DOMException === 'undefined') {
  globalThis.DOMException = class DOMException extends Error {
    constructor(message = '', name = 'Error') { super(message); this.name = name; }
  };
}
if (typeof AbortController === 'undefined') {
  class AbortSignal {
    constructor() { this.aborted = false; this.reason = undefined; this.listeners = []; }
    addEventListener(type, fn) { if (type === 'abort') this.listeners.push(fn); }
    removeEventListener(type, fn) { this.listeners = this.listeners.filter((g) => g !== fn); }
  }
  class AbortController {
    constructor() { this.signal = new AbortSignal(); }
    abort(reason = new DOMException('This operation was aborted', 'AbortError')) {
      const s = this.signal;
      if (s.aborted) return;
      s.aborted = true;
      s.reason = reason;
      for (const fn of s.listeners.slice()) fn.call(s, { type: 'abort' });
    }
  }
  globalThis.AbortSignal = AbortSignal;
  globalThis.AbortController = AbortController;
}

function recordingSink(extra = {}) {
  const log = [];
  const sink = {
    start(c) { log.push('start'); sink.controller = c; },
    write(chunk, c) { log.push(`write ${chunk}`); assert(c === sink.controller, 'write gets the controller'); },
    close() { log.push('close'); },
    abort(reason) { log.push(`abort ${reason}`); },
    ...extra,
  };
  return { sink, log };
}

test('constructor validates and reads the strategy before the sink, in WebIDL order', () => {
  new WritableStream();
  assertThrows(TypeError, () => new WritableStream(null));
  assertThrows(RangeError, () => new WritableStream({ type: 'bytes' }));
  assertThrows(TypeError, () => new WritableStream({ write: 1 }));
  assertThrows(RangeError, () => new WritableStream({}, { highWaterMark: -1 }));
  const log = [];
  const sink = new Proxy({}, { get(t, k) { log.push(`sink.${String(k)}`); return undefined; } });
  const strategy = new Proxy({}, { get(t, k) { log.push(`strategy.${String(k)}`); return undefined; } });
  new WritableStream(sink, strategy);
  assertEquals(log, ['strategy.highWaterMark', 'strategy.size', 'sink.abort', 'sink.close', 'sink.start', 'sink.type', 'sink.write']);
});

test('writes reach the sink in order, one at a time, after start', async () => {
  const { sink, log } = recordingSink();
  let resolveWrite;
  sink.write = (chunk) => { log.push(`write ${chunk}`); return new Promise((r) => { resolveWrite = r; }); };
  const ws = new WritableStream(sink);
  const w = ws.getWriter();
  const p1 = w.write('a');
  const p2 = w.write('b');
  assertEquals(log, ['start']);
  await flush();
  assertEquals(log, ['start', 'write a']);
  resolveWrite();
  await p1;
  await flush();
  assertEquals(log, ['start', 'write a', 'write b']);
  resolveWrite();
  await p2;
});

test('the write promise fulfills with undefined', async () => {
  const ws = new WritableStream({ write() { return 'ignored'; } });
  assertEquals(await ws.getWriter().write('x'), undefined);
});

test('backpressure: desiredSize and ready follow the queue', async () => {
  let resolveWrite;
  const ws = new WritableStream({ write() { return new Promise((r) => { resolveWrite = r; }); } }, { highWaterMark: 2 });
  const w = ws.getWriter();
  await w.ready;
  assertEquals(w.desiredSize, 2);
  w.write('a');
  w.write('b');
  assertEquals(w.desiredSize, 0);
  let ready = false;
  w.ready.then(() => { ready = true; });
  await flush();
  assertEquals(ready, false);
  resolveWrite();
  await flush();
  assertEquals(w.desiredSize, 1);
  assertEquals(ready, true);
});

test('a size function counts towards desiredSize; size() throwing errors the stream', async () => {
  const ws = new WritableStream({}, { highWaterMark: 10, size(chunk) { return chunk.length; } });
  const w = ws.getWriter();
  w.write('abcd');
  assertEquals(w.desiredSize, 6);
  const err = new Error('size');
  const ws2 = new WritableStream({}, { size() { throw err; } });
  const w2 = ws2.getWriter();
  assert((await assertRejects(Error, w2.write('x'))) === err);
  assert((await assertRejects(Error, w2.closed)) === err);
});

test('close waits for queued writes and calls the sink close once', async () => {
  const { sink, log } = recordingSink();
  const ws = new WritableStream(sink);
  const w = ws.getWriter();
  w.write('a');
  const closed = w.close();
  await assertRejects(TypeError, w.close());
  await assertRejects(TypeError, w.write('b'));
  await closed;
  await w.closed;
  assertEquals(log, ['start', 'write a', 'close']);
  assertEquals(w.desiredSize, 0);
});

test('closing resolves a pending ready', async () => {
  const ws = new WritableStream({}, { highWaterMark: 0 });
  const w = ws.getWriter();
  let ready = false;
  w.ready.then(() => { ready = true; });
  await flush();
  assertEquals(ready, false);
  w.close();
  await flush();
  assertEquals(ready, true);
});

test('close() and abort() on the stream reject while locked; close() of a closing stream rejects', async () => {
  const ws = new WritableStream();
  const w = ws.getWriter();
  await assertRejects(TypeError, ws.close());
  await assertRejects(TypeError, ws.abort());
  w.releaseLock();
  const p = ws.close();
  await assertRejects(TypeError, ws.close());
  await p;
});

test('abort waits for the in-flight write, then calls the sink abort; queued writes reject', async () => {
  const { sink, log } = recordingSink();
  let resolveWrite;
  sink.write = (chunk) => { log.push(`write ${chunk}`); return new Promise((r) => { resolveWrite = r; }); };
  const ws = new WritableStream(sink);
  const w = ws.getWriter();
  await flush();
  const p1 = w.write('a');
  const p2 = w.write('b');
  await flush();
  const reason = new Error('stop');
  const abortP = w.abort(reason);
  assert((await assertRejects(Error, w.ready)) === reason, 'ready rejects at once');
  assertEquals(log, ['start', 'write a'], 'abort waits for the in-flight write');
  resolveWrite();
  await p1;
  assert((await assertRejects(Error, p2)) === reason, 'the queued write is rejected with the reason');
  await abortP;
  assertEquals(log, ['start', 'write a', 'abort Error: stop']);
  assert((await assertRejects(Error, w.closed)) === reason);
});

test('abort while erroring returns the pending abort; abort of a closed or errored stream resolves', async () => {
  const ws = new WritableStream({ write() { return new Promise(() => {}); } });
  const w = ws.getWriter();
  w.write('a');
  await flush();
  const a1 = w.abort(1);
  const a2 = w.abort(2);
  assert(a1 === a2, 'the pending abort request promise');
  const ws2 = new WritableStream();
  await ws2.close();
  assertEquals(await ws2.abort('late'), undefined);
  const ws3 = new WritableStream();
  await ws3.abort('first');
  assertEquals(await ws3.abort('second'), undefined);
});

test('the sink abort rejecting rejects abort(), and closed with the reason', async () => {
  const err = new Error('abort failed');
  const ws = new WritableStream({ abort() { throw err; } });
  const w = ws.getWriter();
  assert((await assertRejects(Error, w.abort('reason'))) === err);
  assertEquals(await w.closed.catch((e) => e), 'reason');
});

test('a rejected sink write errors the stream', async () => {
  const err = new Error('write');
  const { sink, log } = recordingSink({ write() { throw err; } });
  const ws = new WritableStream(sink);
  const w = ws.getWriter();
  assert((await assertRejects(Error, w.write('a'))) === err);
  assert((await assertRejects(Error, w.closed)) === err);
  assert((await assertRejects(Error, w.write('b'))) === err);
  assertEquals(w.desiredSize, null);
  await ws.abort().catch(() => {});
  assertEquals(log, ['start'], 'no abort call for a stream errored by its sink');
});

test('controller.error() errors the stream; later calls do nothing', async () => {
  let c;
  const ws = new WritableStream({ start(ctrl) { c = ctrl; } });
  const w = ws.getWriter();
  const err = new Error('e');
  c.error(err);
  c.error(new Error('ignored'));
  assert((await assertRejects(Error, w.closed)) === err);
  assert((await assertRejects(Error, w.ready)) === err);
});

test('start rejecting errors the stream', async () => {
  const err = new Error('start');
  const ws = new WritableStream({ start() { return Promise.reject(err); } });
  assert((await assertRejects(Error, ws.getWriter().write('x'))) === err);
});

test('close() rejecting errors the stream', async () => {
  const err = new Error('close');
  const ws = new WritableStream({ close() { throw err; } });
  const w = ws.getWriter();
  assert((await assertRejects(Error, w.close())) === err);
  assert((await assertRejects(Error, w.closed)) === err);
});

test('controller.signal aborts with the abort reason', async () => {
  let c;
  const ws = new WritableStream({ start(ctrl) { c = ctrl; } });
  const signal = c.signal;
  assert(c.signal === signal, 'the same signal');
  assertEquals(signal.aborted, false);
  let fired = 0;
  signal.addEventListener('abort', () => { fired++; });
  const reason = new Error('r');
  ws.abort(reason);
  assertEquals(signal.aborted, true);
  assert(signal.reason === reason);
  assertEquals(fired, 1);
});

test('controller.signal first read after abort() is already aborted', async () => {
  let c;
  const ws = new WritableStream({ start(ctrl) { c = ctrl; } });
  await ws.abort('late reason');
  assertEquals(c.signal.aborted, true);
  assertEquals(c.signal.reason, 'late reason');
});

test('a sink write can see the abort through controller.signal', async () => {
  let aborted;
  const ws = new WritableStream({
    write(chunk, c) {
      return new Promise((resolve) => {
        c.signal.addEventListener('abort', () => { aborted = c.signal.reason; resolve(); });
      });
    },
  });
  const w = ws.getWriter();
  w.write('x');
  await flush();
  await w.abort('stop');
  assertEquals(aborted, 'stop');
});

test('releaseLock: ready and closed reject, desiredSize throws, the stream unlocks', async () => {
  const ws = new WritableStream();
  const w = ws.getWriter();
  assertEquals(ws.locked, true);
  assertThrows(TypeError, () => ws.getWriter());
  w.releaseLock();
  assertEquals(ws.locked, false);
  await assertRejects(TypeError, w.ready);
  await assertRejects(TypeError, w.closed);
  assertThrows(TypeError, () => w.desiredSize);
  await assertRejects(TypeError, w.write('x'));
  await assertRejects(TypeError, w.close());
  await assertRejects(TypeError, w.abort());
  w.releaseLock();
  const w2 = new WritableStreamDefaultWriter(ws);
  assertThrows(TypeError, () => new WritableStreamDefaultWriter(ws));
  w2.releaseLock();
});

test('a writer of a closed or errored stream', async () => {
  const ws = new WritableStream();
  await ws.close();
  const w = ws.getWriter();
  await w.ready;
  await w.closed;
  assertEquals(w.desiredSize, 0);
  await assertRejects(TypeError, w.write('x'));
  const err = new Error('x');
  const ws2 = new WritableStream({ start(c) { c.error(err); } });
  await flush();
  const w2 = ws2.getWriter();
  assert((await assertRejects(Error, w2.ready)) === err);
  assert((await assertRejects(Error, w2.closed)) === err);
  assertEquals(w2.desiredSize, null);
});

test('brand checks and illegal constructors', async () => {
  assertThrows(TypeError, () => new WritableStreamDefaultController());
  await assertRejects(TypeError, WritableStream.prototype.abort.call({}));
  await assertRejects(TypeError, WritableStreamDefaultWriter.prototype.write.call({}, 1));
  await assertRejects(TypeError, Object.getOwnPropertyDescriptor(WritableStreamDefaultWriter.prototype, 'ready').get.call({}));
  assertThrows(TypeError, () => Object.getOwnPropertyDescriptor(WritableStreamDefaultWriter.prototype, 'desiredSize').get.call({}));
  assertThrows(TypeError, () => new WritableStreamDefaultWriter({}));
});

test('order: the next sink write starts before the previous write promise settles', async () => {
  const log = [];
  const ws = new WritableStream({ write(chunk) { log.push(`sink ${chunk}`); } });
  const w = ws.getWriter();
  w.write('a').then(() => log.push('written a'));
  w.write('b').then(() => log.push('written b'));
  w.close().then(() => log.push('closed'));
  await flush();
  assertEquals(log, ['sink a', 'sink b', 'written a', 'written b', 'closed']);
});

await run();
