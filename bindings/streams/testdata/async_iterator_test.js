// Async iteration of ReadableStream (values(), Symbol.asyncIterator) and
// ReadableStream.from().
import { test, assert, assertEquals, assertThrows, assertRejects, flush, run } from '../../../testdata/harness.js';

test('for await reads every chunk and releases the lock', async () => {
  const rs = new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); c.close(); } });
  const out = [];
  for await (const x of rs) out.push(x);
  assertEquals(out, [1, 2]);
  assertEquals(rs.locked, false);
});

test('values() and Symbol.asyncIterator are the same function; the iterator prototype', () => {
  assert(ReadableStream.prototype.values === ReadableStream.prototype[Symbol.asyncIterator]);
  const it = new ReadableStream().values();
  const proto = Object.getPrototypeOf(it);
  assertEquals(Object.prototype.toString.call(it), '[object ReadableStream AsyncIterator]');
  assert(!Object.prototype.hasOwnProperty.call(proto, 'constructor'), 'no constructor');
  const asyncIterProto = Object.getPrototypeOf(proto);
  assert(asyncIterProto[Symbol.asyncIterator].call(it) === it, '%AsyncIteratorPrototype%[@@asyncIterator] returns this');
  assertEquals(typeof proto.next, 'function');
  assertEquals(typeof proto.return, 'function');
});

test('getting an iterator locks the stream; a locked stream throws', () => {
  const rs = new ReadableStream();
  rs.values();
  assertEquals(rs.locked, true);
  assertThrows(TypeError, () => rs.values());
  assertThrows(TypeError, () => rs[Symbol.asyncIterator]());
});

test('break cancels the stream', async () => {
  let reason = 'not cancelled';
  const rs = new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); }, cancel(r) { reason = r; } });
  for await (const x of rs) {
    assertEquals(x, 1);
    break;
  }
  assertEquals(reason, undefined);
  assertEquals(rs.locked, false);
});

test('preventCancel: break releases the lock without cancelling', async () => {
  let cancelled = false;
  const rs = new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); }, cancel() { cancelled = true; } });
  for await (const x of rs.values({ preventCancel: true })) {
    assertEquals(x, 1);
    break;
  }
  assertEquals(cancelled, false);
  assertEquals(rs.locked, false);
  assertEquals((await rs.getReader().read()).value, 2);
});

test('return(value) resolves { value, done: true } and cancels with value as the reason', async () => {
  let reason;
  const rs = new ReadableStream({ cancel(r) { reason = r; } });
  const it = rs.values();
  assertEquals(await it.return('bye'), { value: 'bye', done: true });
  assertEquals(reason, 'bye');
  assertEquals(await it.next(), { value: undefined, done: true });
  assertEquals(await it.return('again'), { value: 'again', done: true });
});

test('next() calls queue behind each other', async () => {
  let c;
  const rs = new ReadableStream({ start(ctrl) { c = ctrl; } });
  const it = rs.values();
  const p1 = it.next();
  const p2 = it.next();
  const p3 = it.next();
  c.enqueue('a');
  c.enqueue('b');
  c.close();
  assertEquals(await p1, { value: 'a', done: false });
  assertEquals(await p2, { value: 'b', done: false });
  assertEquals(await p3, { value: undefined, done: true });
  assertEquals(rs.locked, false, 'released at the end');
});

test('return() waits for pending next() calls', async () => {
  let c;
  const rs = new ReadableStream({ start(ctrl) { c = ctrl; } });
  const it = rs.values();
  const n = it.next();
  const r = it.return('x');
  c.enqueue('a');
  assertEquals(await n, { value: 'a', done: false });
  assertEquals(await r, { value: 'x', done: true });
});

test('an error rejects next() once, then the iterator is finished', async () => {
  const err = new Error('e');
  const rs = new ReadableStream({ start(c) { c.error(err); } });
  const it = rs.values();
  assert((await assertRejects(Error, it.next())) === err);
  assertEquals(await it.next(), { value: undefined, done: true });
  assertEquals(rs.locked, false);
});

test('next() and return() on the wrong receiver reject', async () => {
  const proto = Object.getPrototypeOf(new ReadableStream().values());
  await assertRejects(TypeError, proto.next.call({}));
  await assertRejects(TypeError, proto.return.call({}));
});

test('ReadableStream.from an array, a generator and a string', async () => {
  async function collect(rs) { const out = []; for await (const x of rs) out.push(x); return out; }
  assertEquals(await collect(ReadableStream.from([1, 2, 3])), [1, 2, 3]);
  function* gen() { yield 'a'; yield 'b'; }
  assertEquals(await collect(ReadableStream.from(gen())), ['a', 'b']);
  assertEquals(await collect(ReadableStream.from('hi')), ['h', 'i']);
  const rs = ReadableStream.from([]);
  assert(rs instanceof ReadableStream);
});

test('ReadableStream.from awaits promises from a sync iterable', async () => {
  const out = [];
  for await (const x of ReadableStream.from([Promise.resolve(1), 2])) out.push(x);
  assertEquals(out, [1, 2]);
});

test('ReadableStream.from an async iterable, pulling on demand', async () => {
  let nexts = 0;
  const iterable = {
    [Symbol.asyncIterator]() {
      return {
        next() { nexts++; return Promise.resolve(nexts <= 2 ? { value: nexts, done: false } : { value: undefined, done: true }); },
      };
    },
  };
  const rs = ReadableStream.from(iterable);
  await flush();
  assertEquals(nexts, 0, 'highWaterMark 0: no pull before a read');
  const r = rs.getReader();
  assertEquals(await r.read(), { value: 1, done: false });
  assertEquals(await r.read(), { value: 2, done: false });
  assertEquals(await r.read(), { value: undefined, done: true });
});

test('ReadableStream.from: cancel calls return(reason)', async () => {
  let returned;
  const iterable = {
    [Symbol.asyncIterator]() {
      return {
        next() { return Promise.resolve({ value: 1, done: false }); },
        return(reason) { returned = reason; return Promise.resolve({ done: true }); },
      };
    },
  };
  await ReadableStream.from(iterable).cancel('why');
  assertEquals(returned, 'why');
});

test('ReadableStream.from: bad iterables and bad results', async () => {
  assertThrows(TypeError, () => ReadableStream.from(1));
  assertThrows(TypeError, () => ReadableStream.from(null));
  assertThrows(TypeError, () => ReadableStream.from({ [Symbol.asyncIterator]() { return 1; } }));
  const bad = { [Symbol.asyncIterator]() { return { next() { return Promise.resolve(1); } }; } };
  await assertRejects(TypeError, ReadableStream.from(bad).getReader().read());
  const err = new Error('next');
  const throwing = { [Symbol.asyncIterator]() { return { next() { throw err; } }; } };
  assert((await assertRejects(Error, ReadableStream.from(throwing).getReader().read())) === err);
  const badReturn = { [Symbol.asyncIterator]() { return { next() { return new Promise(() => {}); }, return() { return 1; } }; } };
  await assertRejects(TypeError, ReadableStream.from(badReturn).cancel());
});

test('ReadableStream.from closes a sync iterator whose value rejects', async () => {
  let closed = false;
  const iterable = {
    [Symbol.iterator]() {
      return {
        next() { return { value: Promise.reject(new Error('v')), done: false }; },
        return() { closed = true; return {}; },
      };
    },
  };
  await assertRejects(Error, ReadableStream.from(iterable).getReader().read());
  assertEquals(closed, true);
});

await run();
