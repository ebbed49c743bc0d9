// ReadableStream with a default controller: construction, reading,
// cancelling, locking, queuing strategies and the order promises settle in.
import { test, assert, assertEquals, assertThrows, assertRejects, flush, run } from '../../../testdata/harness.js';

test('constructor: no arguments, empty object, and garbage', () => {
  new ReadableStream();
  new ReadableStream({});
  assertThrows(TypeError, () => new ReadableStream(null));
  assertThrows(TypeError, () => new ReadableStream(1));
  assertThrows(TypeError, () => new ReadableStream({ start: 1 }));
  assertThrows(TypeError, () => new ReadableStream({ pull: 'x' }));
  assertThrows(TypeError, () => new ReadableStream({ type: 'nope' }));
  assertThrows(RangeError, () => new ReadableStream({}, { highWaterMark: -1 }));
  assertThrows(RangeError, () => new ReadableStream({}, { highWaterMark: NaN }));
  assertThrows(TypeError, () => new ReadableStream({}, { size: 1 }));
  assertThrows(RangeError, () => new ReadableStream({ type: 'bytes' }, { size() { return 1; } }));
});

test('constructor reads the strategy before the source, each member once, in WebIDL order', () => {
  const log = [];
  const source = new Proxy({}, { get(t, k) { log.push(`source.${String(k)}`); return undefined; } });
  const strategy = new Proxy({}, { get(t, k) { log.push(`strategy.${String(k)}`); return undefined; } });
  new ReadableStream(source, strategy);
  assertEquals(log, ['strategy.highWaterMark', 'strategy.size', 'source.autoAllocateChunkSize',
    'source.cancel', 'source.pull', 'source.start', 'source.type']);
});

test('start is called with the controller and the source as this; an exception propagates', () => {
  let controller;
  let self;
  const source = { start(c) { controller = c; self = this; } };
  new ReadableStream(source);
  assert(controller instanceof ReadableStreamDefaultController, 'controller type');
  assert(self === source, 'this is the source');
  const err = new Error('boom');
  const e = assertThrows(Error, () => new ReadableStream({ start() { throw err; } }));
  assert(e === err, 'the same error');
});

test('read() yields enqueued chunks in order, then done', async () => {
  const rs = new ReadableStream({ start(c) { c.enqueue('a'); c.enqueue('b'); c.close(); } });
  const r = rs.getReader();
  assertEquals(await r.read(), { value: 'a', done: false });
  assertEquals(await r.read(), { value: 'b', done: false });
  assertEquals(await r.read(), { value: undefined, done: true });
  assertEquals(await r.read(), { value: undefined, done: true });
  await r.closed;
});

test('pull is called after start settles and when reads are pending', async () => {
  const log = [];
  let n = 0;
  const rs = new ReadableStream({
    start() { log.push('start'); },
    pull(c) { log.push('pull'); c.enqueue(n++); },
  }, { highWaterMark: 0 });
  assertEquals(log, ['start']);
  await flush();
  assertEquals(log, ['start'], 'no pull with highWaterMark 0 and no reads');
  const r = rs.getReader();
  assertEquals(await r.read(), { value: 0, done: false });
  assertEquals(log, ['start', 'pull']);
});

test('pull fills the queue up to the high water mark', async () => {
  let pulls = 0;
  const rs = new ReadableStream({ pull(c) { pulls++; c.enqueue(pulls); } }, { highWaterMark: 3 });
  await flush();
  assertEquals(pulls, 3);
  const r = rs.getReader();
  await r.read();
  await flush();
  assertEquals(pulls, 4);
});

test('pull is not called again while its promise is pending', async () => {
  let pulls = 0;
  let resolvePull;
  const rs = new ReadableStream({
    pull(c) { pulls++; c.enqueue(pulls); return new Promise((r) => { resolvePull = r; }); },
  }, { highWaterMark: 4 });
  await flush();
  assertEquals(pulls, 1);
  resolvePull();
  await flush();
  assertEquals(pulls, 2);
});

test('desiredSize follows the queue and is 0 after close, null after error', async () => {
  let c;
  const rs = new ReadableStream({ start(ctrl) { c = ctrl; } }, { highWaterMark: 2 });
  assertEquals(c.desiredSize, 2);
  c.enqueue('x');
  assertEquals(c.desiredSize, 1);
  c.enqueue('y');
  c.enqueue('z');
  assertEquals(c.desiredSize, -1);
  c.close();
  assertEquals(c.desiredSize, -1, 'still draining');
  const r = rs.getReader();
  await r.read(); await r.read(); await r.read();
  assertEquals(c.desiredSize, 0);
  let c2;
  const rs2 = new ReadableStream({ start(ctrl) { c2 = ctrl; } });
  c2.error(new Error('x'));
  assertEquals(c2.desiredSize, null);
  await assertRejects(Error, rs2.getReader().closed);
});

test('a size function is called with the chunk and no this; its result is converted to a number', async () => {
  const seen = [];
  let c;
  new ReadableStream({ start(ctrl) { c = ctrl; } }, {
    highWaterMark: 10,
    size(chunk) { 'use strict'; seen.push([chunk, this]); return '3'; },
  });
  c.enqueue('a');
  assertEquals(seen, [['a', undefined]]);
  assertEquals(c.desiredSize, 7);
});

test('size() throwing errors the stream and enqueue rethrows', async () => {
  const err = new Error('size');
  let c;
  const rs = new ReadableStream({ start(ctrl) { c = ctrl; } }, { size() { throw err; } });
  const e = assertThrows(Error, () => c.enqueue('a'));
  assert(e === err);
  const r = rs.getReader();
  const got = await assertRejects(Error, r.read());
  assert(got === err, 'stored error');
});

test('size() returning NaN, Infinity or a negative number errors the stream with a RangeError', async () => {
  for (const bad of [NaN, Infinity, -1]) {
    let c;
    const rs = new ReadableStream({ start(ctrl) { c = ctrl; } }, { size() { return bad; } });
    assertThrows(RangeError, () => c.enqueue('a'));
    await assertRejects(RangeError, rs.getReader().closed);
  }
});

test('a chunk goes straight to a pending read without calling size()', async () => {
  let sized = 0;
  let c;
  const rs = new ReadableStream({ start(ctrl) { c = ctrl; } }, { size() { sized++; return 1; } });
  const r = rs.getReader();
  const p = r.read();
  c.enqueue('x');
  assertEquals(await p, { value: 'x', done: false });
  assertEquals(sized, 0);
});

test('enqueue and close after close throw TypeError', () => {
  let c;
  new ReadableStream({ start(ctrl) { c = ctrl; } });
  c.close();
  assertThrows(TypeError, () => c.enqueue('a'));
  assertThrows(TypeError, () => c.close());
  c.error(new Error('ignored after close'));
});

test('error() rejects pending reads and closed, and later reads', async () => {
  let c;
  const rs = new ReadableStream({ start(ctrl) { c = ctrl; } });
  const r = rs.getReader();
  const p1 = r.read();
  const p2 = r.read();
  const err = new Error('e');
  c.error(err);
  assert((await assertRejects(Error, p1)) === err);
  assert((await assertRejects(Error, p2)) === err);
  assert((await assertRejects(Error, r.closed)) === err);
  assert((await assertRejects(Error, r.read())) === err);
});

test('start rejecting errors the stream; pull rejecting errors the stream', async () => {
  const err = new Error('start');
  const rs = new ReadableStream({ start() { return Promise.reject(err); } });
  assert((await assertRejects(Error, rs.getReader().read())) === err);
  const err2 = new Error('pull');
  const rs2 = new ReadableStream({ pull() { throw err2; } });
  assert((await assertRejects(Error, rs2.getReader().closed)) === err2);
});

test('locking: getReader twice throws, releaseLock unlocks, a released reader rejects', async () => {
  const rs = new ReadableStream();
  assertEquals(rs.locked, false);
  const r = rs.getReader();
  assertEquals(rs.locked, true);
  assertThrows(TypeError, () => rs.getReader());
  assertThrows(TypeError, () => new ReadableStreamDefaultReader(rs));
  await assertRejects(TypeError, rs.cancel());
  r.releaseLock();
  assertEquals(rs.locked, false);
  await assertRejects(TypeError, r.read());
  await assertRejects(TypeError, r.cancel());
  await assertRejects(TypeError, r.closed);
  r.releaseLock(); // a second release does nothing
  const r2 = new ReadableStreamDefaultReader(rs);
  assertEquals(rs.locked, true);
  r2.releaseLock();
});

test('releaseLock rejects pending reads with a TypeError', async () => {
  const rs = new ReadableStream();
  const r = rs.getReader();
  const p = r.read();
  r.releaseLock();
  await assertRejects(TypeError, p);
});

test('closed of a reader on a closed or errored stream', async () => {
  const closed = new ReadableStream({ start(c) { c.close(); } });
  await closed.getReader().closed;
  const err = new Error('x');
  const errored = new ReadableStream({ start(c) { c.error(err); } });
  assert((await assertRejects(Error, errored.getReader().closed)) === err);
});

test('getReader rejects a bad mode; byob mode needs a byte stream', () => {
  const rs = new ReadableStream();
  assertThrows(TypeError, () => rs.getReader({ mode: 'default' }));
  assertThrows(TypeError, () => rs.getReader({ mode: 'byob' }));
  assertThrows(TypeError, () => rs.getReader(1));
  const r = rs.getReader({ mode: undefined });
  assert(r instanceof ReadableStreamDefaultReader);
});

test('cancel: calls the source with the reason, resolves undefined, closes the stream', async () => {
  let reason;
  let self;
  const source = { cancel(r) { reason = r; self = this; return 'ignored'; } };
  const rs = new ReadableStream(source);
  const r = rs.getReader();
  const read = r.read();
  const res = await r.cancel('why');
  assertEquals(res, undefined);
  assertEquals(reason, 'why');
  assert(self === source);
  assertEquals(await read, { value: undefined, done: true });
  await r.closed;
});

test('cancel discards queued chunks and does not call cancel twice', async () => {
  let cancels = 0;
  const rs = new ReadableStream({
    start(c) { c.enqueue(1); c.enqueue(2); },
    cancel() { cancels++; },
  });
  await rs.cancel();
  await rs.cancel();
  assertEquals(cancels, 1);
  assertEquals(await rs.getReader().read(), { value: undefined, done: true });
});

test('cancel rejects with the source cancel error, and with the stored error on an errored stream', async () => {
  const err = new Error('c');
  const rs = new ReadableStream({ cancel() { throw err; } });
  assert((await assertRejects(Error, rs.cancel())) === err);
  const err2 = new Error('stored');
  const rs2 = new ReadableStream({ start(c) { c.error(err2); } });
  assert((await assertRejects(Error, rs2.cancel())) === err2);
});

test('cancel waits for the source cancel promise', async () => {
  let resolveCancel;
  const rs = new ReadableStream({ cancel() { return new Promise((r) => { resolveCancel = r; }); } });
  let settled = false;
  const p = rs.cancel().then(() => { settled = true; });
  await flush();
  assertEquals(settled, false);
  resolveCancel();
  await p;
  assertEquals(settled, true);
});

test('brand checks: methods on the wrong receiver', async () => {
  const proto = ReadableStream.prototype;
  await assertRejects(TypeError, proto.cancel.call({}));
  assertThrows(TypeError, () => proto.getReader.call({}));
  assertThrows(TypeError, () => Object.getOwnPropertyDescriptor(proto, 'locked').get.call({}));
  await assertRejects(TypeError, ReadableStreamDefaultReader.prototype.read.call({}));
  await assertRejects(TypeError, ReadableStreamDefaultReader.prototype.read.call(undefined));
  assertThrows(TypeError, () => new ReadableStreamDefaultController());
  assertThrows(TypeError, () => ReadableStreamDefaultController.prototype.enqueue.call({}, 1));
});

test('order: a read of a queued chunk settles before later promise jobs', async () => {
  const log = [];
  const rs = new ReadableStream({ start(c) { c.enqueue('a'); } });
  const r = rs.getReader();
  r.read().then(() => log.push('read'));
  Promise.resolve().then(() => log.push('other'));
  await flush();
  assertEquals(log, ['read', 'other']);
});

test('order: pull runs in the microtask after start, before later jobs', async () => {
  const log = [];
  new ReadableStream({
    start() { log.push('start'); },
    pull() { log.push('pull'); },
  });
  Promise.resolve().then(() => log.push('other'));
  await flush();
  assertEquals(log, ['start', 'pull', 'other']);
});

test('order: enqueue settles a pending read at once; close resolves closed before the pending reads', async () => {
  const log = [];
  let c;
  const rs = new ReadableStream({ start(ctrl) { c = ctrl; } });
  const r = rs.getReader();
  r.read().then((x) => log.push(`read ${x.value}`));
  r.read().then((x) => log.push(`read done=${x.done}`));
  r.closed.then(() => log.push('closed'));
  await flush();
  c.enqueue('a');
  Promise.resolve().then(() => log.push('after enqueue'));
  c.close();
  await flush();
  assertEquals(log, ['read a', 'after enqueue', 'closed', 'read done=true']);
});

await run();
