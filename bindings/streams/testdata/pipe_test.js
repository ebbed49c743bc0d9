// ReadableStream.prototype.pipeTo and pipeThrough: propagation of close and
// errors in both directions, the prevent* options, signals, backpressure.
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

function source(chunks, extra = {}) {
  const log = [];
  const rs = new ReadableStream({
    start(c) { for (const x of chunks) c.enqueue(x); if (extra.close !== false) c.close(); },
    cancel(reason) { log.push(['cancel', reason]); },
    ...extra.source,
  });
  return { rs, log };
}

function sink(extra = {}) {
  const log = [];
  const ws = new WritableStream({
    write(chunk) { log.push(['write', chunk]); },
    close() { log.push(['close']); },
    abort(reason) { log.push(['abort', reason]); },
    ...extra,
  });
  return { ws, log };
}

test('pipes every chunk, closes the destination, unlocks both', async () => {
  const { rs } = source([1, 2, 3]);
  const { ws, log } = sink();
  const res = await rs.pipeTo(ws);
  assertEquals(res, undefined);
  assertEquals(log, [['write', 1], ['write', 2], ['write', 3], ['close']]);
  assertEquals(rs.locked, false);
  assertEquals(ws.locked, false);
});

test('both streams are locked while piping', async () => {
  const { rs } = source([], { close: false });
  const { ws } = sink();
  const p = rs.pipeTo(ws);
  assertEquals(rs.locked, true);
  assertEquals(ws.locked, true);
  await assertRejects(TypeError, rs.pipeTo(new WritableStream()));
  await assertRejects(TypeError, new ReadableStream().pipeTo(ws));
  rs.cancel().catch(() => {});
  assert(p instanceof Promise);
});

test('preventClose leaves the destination writable', async () => {
  const { rs } = source(['a']);
  const { ws, log } = sink();
  await rs.pipeTo(ws, { preventClose: true });
  assertEquals(log, [['write', 'a']]);
  const w = ws.getWriter();
  await w.write('b');
  assertEquals(log, [['write', 'a'], ['write', 'b']]);
});

test('a source error aborts the destination and rejects the pipe', async () => {
  const err = new Error('src');
  const rs = new ReadableStream({ start(c) { c.enqueue('a'); }, pull(c) { c.error(err); } });
  const { ws, log } = sink();
  assert((await assertRejects(Error, rs.pipeTo(ws))) === err);
  assertEquals(log, [['write', 'a'], ['abort', err]]);
});

test('preventAbort keeps the destination writable after a source error', async () => {
  const err = new Error('src');
  const rs = new ReadableStream({ start(c) { c.error(err); } });
  const { ws, log } = sink();
  assert((await assertRejects(Error, rs.pipeTo(ws, { preventAbort: true }))) === err);
  assertEquals(log, []);
  await ws.getWriter().write('still');
});

test('a destination error cancels the source and rejects the pipe', async () => {
  const err = new Error('dst');
  const { rs, log } = source(['a', 'b'], { close: false });
  const { ws } = sink({ write() { throw err; } });
  assert((await assertRejects(Error, rs.pipeTo(ws))) === err);
  assertEquals(log, [['cancel', err]]);
});

test('preventCancel keeps the source readable after a destination error', async () => {
  const err = new Error('dst');
  const { rs, log } = source(['a', 'b'], { close: false });
  const { ws } = sink({ write() { throw err; } });
  assert((await assertRejects(Error, rs.pipeTo(ws, { preventCancel: true }))) === err);
  assertEquals(log, []);
  assertEquals(rs.locked, false);
  assertEquals((await rs.getReader().read()).value, 'b', 'the chunk the pipe read went to the failed write');
});

test('an already errored destination cancels the source', async () => {
  const err = new Error('dst');
  const ws = new WritableStream({ start(c) { c.error(err); } });
  await flush();
  const { rs, log } = source(['a'], { close: false });
  assert((await assertRejects(Error, rs.pipeTo(ws))) === err);
  assertEquals(log, [['cancel', err]]);
});

test('a closed or closing destination cancels the source with a TypeError', async () => {
  const ws = new WritableStream();
  await ws.close();
  const { rs, log } = source(['a'], { close: false });
  await assertRejects(TypeError, rs.pipeTo(ws));
  assertEquals(log.length, 1);
  assert(log[0][1] instanceof TypeError);

  const ws2 = new WritableStream({ close() { return new Promise(() => {}); } });
  ws2.getWriter().close();
  await flush();
  const { rs: rs2, log: log2 } = source(['a'], { close: false });
  await assertRejects(TypeError, rs2.pipeTo(ws2, { preventCancel: true }));
  assertEquals(log2, []);
});

test('an already closed source closes the destination', async () => {
  const rs = new ReadableStream({ start(c) { c.close(); } });
  const { ws, log } = sink();
  await rs.pipeTo(ws);
  assertEquals(log, [['close']]);
});

test('the destination closes only after in-flight writes finish', async () => {
  const log = [];
  let resolveWrite;
  const ws = new WritableStream({
    write(chunk) { log.push(`write ${chunk}`); return new Promise((r) => { resolveWrite = () => { log.push(`done ${chunk}`); r(); }; }); },
    close() { log.push('close'); },
  });
  const rs = new ReadableStream({ start(c) { c.enqueue('a'); c.close(); } });
  const p = rs.pipeTo(ws);
  await flush();
  assertEquals(log, ['write a']);
  resolveWrite();
  await p;
  assertEquals(log, ['write a', 'done a', 'close']);
});

test('backpressure: the source is not read while the destination is full', async () => {
  let pulls = 0;
  const rs = new ReadableStream({ pull(c) { pulls++; c.enqueue(pulls); } }, { highWaterMark: 0 });
  const resolvers = [];
  const ws = new WritableStream({ write() { return new Promise((r) => resolvers.push(r)); } }, { highWaterMark: 1 });
  rs.pipeTo(ws).catch(() => {});
  await flush();
  const before = pulls;
  await flush();
  await flush();
  assertEquals(pulls, before, 'no reads while the first write is pending and the queue is full');
  assert(before <= 3, `pulled ${before} chunks`);
  resolvers.shift()();
  await flush();
  assert(pulls > before, 'reading resumes');
});

test('an aborted signal: the destination is aborted, the source cancelled, the pipe rejected', async () => {
  const ac = new AbortController();
  const reason = new Error('aborted');
  ac.abort(reason);
  const { rs, log: srcLog } = source(['a'], { close: false });
  const { ws, log } = sink();
  assert((await assertRejects(Error, rs.pipeTo(ws, { signal: ac.signal }))) === reason);
  assertEquals(log, [['abort', reason]]);
  assertEquals(srcLog, [['cancel', reason]]);
});

test('a signal aborted mid-pipe, with preventAbort and preventCancel', async () => {
  const ac = new AbortController();
  const { rs, log: srcLog } = source(['a'], { close: false });
  const { ws, log } = sink();
  const p = rs.pipeTo(ws, { signal: ac.signal, preventAbort: true, preventCancel: true });
  await flush();
  ac.abort('stop');
  assertEquals(await p.catch((e) => e), 'stop');
  assertEquals(log, [['write', 'a']]);
  assertEquals(srcLog, []);
  assertEquals(rs.locked, false);
  assertEquals(ws.locked, false);
});

test('the default abort reason is an AbortError DOMException', async () => {
  const ac = new AbortController();
  const { rs } = source([], { close: false });
  const p = rs.pipeTo(new WritableStream(), { signal: ac.signal });
  ac.abort();
  const e = await p.catch((x) => x);
  assertEquals(e.name, 'AbortError');
});

test('argument validation', async () => {
  const rs = new ReadableStream();
  await assertRejects(TypeError, rs.pipeTo());
  await assertRejects(TypeError, rs.pipeTo({}));
  await assertRejects(TypeError, rs.pipeTo(new WritableStream(), { signal: {} }));
  await assertRejects(TypeError, rs.pipeTo(new WritableStream(), 1));
  await assertRejects(TypeError, ReadableStream.prototype.pipeTo.call({}, new WritableStream()));
  assertEquals(rs.locked, false, 'validation failures do not lock');
});

test('pipeThrough returns the readable and validates synchronously', async () => {
  const ts = new TransformStream();
  const { rs } = source(['x']);
  const out = rs.pipeThrough(ts);
  assert(out === ts.readable);
  assertEquals((await out.getReader().read()).value, 'x');
  const locked = new ReadableStream();
  locked.getReader();
  assertThrows(TypeError, () => locked.pipeThrough(new TransformStream()));
  const ts2 = new TransformStream();
  ts2.writable.getWriter();
  assertThrows(TypeError, () => new ReadableStream().pipeThrough(ts2));
  assertThrows(TypeError, () => new ReadableStream().pipeThrough({ readable: new ReadableStream() }));
  assertThrows(TypeError, () => new ReadableStream().pipeThrough({ writable: new WritableStream() }));
  assertThrows(TypeError, () => new ReadableStream().pipeThrough({ readable: {}, writable: new WritableStream() }));
});

test('pipeThrough does not report the pipe rejection as unhandled', async () => {
  const rs = new ReadableStream({ start(c) { c.error(new Error('ignored')); } });
  const out = rs.pipeThrough(new TransformStream());
  await assertRejects(Error, out.getReader().closed);
});

test('a byte stream pipes its bytes', async () => {
  const rs = new ReadableStream({ type: 'bytes', start(c) { c.enqueue(new Uint8Array([1, 2])); c.close(); } });
  const got = [];
  await rs.pipeTo(new WritableStream({ write(chunk) { got.push(Array.from(chunk)); } }));
  assertEquals(got, [[1, 2]]);
});

await run();
