// TransformStream and its controller: transform, flush, terminate, error,
// backpressure between the two sides, and the transformer's cancel.
import { test, assert, assertEquals, assertThrows, assertRejects, flush, run } from '../../../testdata/harness.js';

async function readAll(readable) {
  const r = readable.getReader();
  const out = [];
  for (;;) {
    const { value, done } = await r.read();
    if (done) return out;
    out.push(value);
  }
}

test('constructor: validation and WebIDL order (strategies, then transformer members)', () => {
  new TransformStream();
  assertThrows(TypeError, () => new TransformStream(null));
  assertThrows(RangeError, () => new TransformStream({ readableType: 'bytes' }));
  assertThrows(RangeError, () => new TransformStream({ writableType: 'bytes' }));
  assertThrows(TypeError, () => new TransformStream({ transform: 1 }));
  const log = [];
  const proxy = (name) => new Proxy({}, { get(t, k) { log.push(`${name}.${String(k)}`); return undefined; } });
  new TransformStream(proxy('t'), proxy('w'), proxy('r'));
  assertEquals(log, ['w.highWaterMark', 'w.size', 'r.highWaterMark', 'r.size',
    't.cancel', 't.flush', 't.readableType', 't.start', 't.transform', 't.writableType']);
});

test('identity transform passes chunks through', async () => {
  const ts = new TransformStream();
  assert(ts.readable instanceof ReadableStream);
  assert(ts.writable instanceof WritableStream);
  assert(ts.readable === ts.readable, 'the same object each time');
  const w = ts.writable.getWriter();
  w.write('a');
  w.write('b');
  w.close();
  assertEquals(await readAll(ts.readable), ['a', 'b']);
});

test('transform, flush and start get the controller with the transformer as this', async () => {
  const seen = [];
  const transformer = {
    start(c) { seen.push(['start', this === transformer, c instanceof TransformStreamDefaultController]); },
    transform(chunk, c) { seen.push(['transform', this === transformer]); c.enqueue(chunk.toUpperCase()); c.enqueue(chunk); },
    flush(c) { seen.push(['flush', this === transformer]); c.enqueue('end'); },
  };
  const ts = new TransformStream(transformer);
  const w = ts.writable.getWriter();
  w.write('x');
  w.close();
  assertEquals(await readAll(ts.readable), ['X', 'x', 'end']);
  assertEquals(seen, [['start', true, true], ['transform', true], ['flush', true]]);
});

test('initial sizes: the writable wants 1 chunk, the readable 0', async () => {
  let controller;
  const ts = new TransformStream({ start(c) { controller = c; } });
  const w = ts.writable.getWriter();
  assertEquals(w.desiredSize, 1);
  assertEquals(controller.desiredSize, 0);
});

test('backpressure: transform waits until the readable side pulls', async () => {
  const log = [];
  const ts = new TransformStream({ transform(chunk, c) { log.push(`transform ${chunk}`); c.enqueue(chunk); } });
  const w = ts.writable.getWriter();
  const written = w.write('a');
  await flush();
  assertEquals(log, [], 'no reader, no transform');
  const r = ts.readable.getReader();
  const read = r.read();
  await flush();
  assertEquals(log, ['transform a']);
  assertEquals((await read).value, 'a');
  await written;
});

test('terminate closes the readable and errors the writable', async () => {
  let controller;
  const ts = new TransformStream({ start(c) { controller = c; } });
  const w = ts.writable.getWriter();
  controller.enqueue('last');
  controller.terminate();
  assertEquals(await readAll(ts.readable), ['last']);
  await assertRejects(TypeError, w.closed);
  await assertRejects(TypeError, w.write('x'));
  assertThrows(TypeError, () => controller.enqueue('after'));
});

test('controller.error errors both sides', async () => {
  let controller;
  const ts = new TransformStream({ start(c) { controller = c; } });
  const err = new Error('e');
  controller.error(err);
  assert((await assertRejects(Error, ts.readable.getReader().closed)) === err);
  assert((await assertRejects(Error, ts.writable.getWriter().closed)) === err);
});

test('a throwing transform errors both sides and rejects the write', async () => {
  const err = new Error('t');
  const ts = new TransformStream({ transform() { throw err; } });
  const r = ts.readable.getReader();
  const w = ts.writable.getWriter();
  const read = r.read();
  assert((await assertRejects(Error, w.write('x'))) === err);
  assert((await assertRejects(Error, read)) === err);
});

test('a rejecting flush errors the readable and rejects close', async () => {
  const err = new Error('f');
  const ts = new TransformStream({ flush() { return Promise.reject(err); } });
  const r = ts.readable.getReader();
  assert((await assertRejects(Error, ts.writable.getWriter().close())) === err);
  assert((await assertRejects(Error, r.closed)) === err);
});

test('readable.cancel calls the transformer cancel and errors the writable with the reason', async () => {
  const log = [];
  const ts = new TransformStream({ cancel(reason) { log.push(`cancel ${reason}`); } });
  const w = ts.writable.getWriter();
  await ts.readable.cancel('why');
  assertEquals(log, ['cancel why']);
  assertEquals(await w.closed.catch((e) => e), 'why');
});

test('writable.abort calls the transformer cancel and errors the readable with the reason', async () => {
  const log = [];
  const ts = new TransformStream({ cancel(reason) { log.push(`cancel ${reason}`); } });
  const r = ts.readable.getReader();
  await ts.writable.abort('stop');
  assertEquals(log, ['cancel stop']);
  assertEquals(await r.closed.catch((e) => e), 'stop');
});

test('a throwing transformer cancel errors both sides with its error', async () => {
  const err = new Error('cancel failed');
  const ts = new TransformStream({ cancel() { throw err; } });
  const w = ts.writable.getWriter();
  assert((await assertRejects(Error, ts.readable.cancel('x'))) === err);
  assert((await assertRejects(Error, w.closed)) === err);
});

test('cancel is called once even when both sides end', async () => {
  let cancels = 0;
  const ts = new TransformStream({ cancel() { cancels++; } });
  const p1 = ts.readable.cancel('a');
  const p2 = ts.writable.abort('b');
  await p1;
  await p2.catch(() => {});
  assertEquals(cancels, 1);
});

test('flush is not called after cancel; close after cancel rejects', async () => {
  let flushes = 0;
  const ts = new TransformStream({ flush() { flushes++; } });
  const w = ts.writable.getWriter();
  await ts.readable.cancel('r');
  await assertRejects(undefined, w.close());
  assertEquals(flushes, 0);
});

test('writable strategy applies to the writable side', async () => {
  const ts = new TransformStream({}, { highWaterMark: 4 }, { highWaterMark: 2 });
  const w = ts.writable.getWriter();
  assertEquals(w.desiredSize, 4);
  w.write('a');
  await flush();
  assertEquals(w.desiredSize, 4, 'the chunk went to the readable queue');
});

test('pipeThrough a TransformStream', async () => {
  const rs = new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); c.enqueue(3); c.close(); } });
  const out = rs.pipeThrough(new TransformStream({ transform(x, c) { c.enqueue(x * 10); } }));
  assertEquals(await readAll(out), [10, 20, 30]);
});

test('TransformStreamDefaultController cannot be constructed; brand checks', () => {
  assertThrows(TypeError, () => new TransformStreamDefaultController());
  assertThrows(TypeError, () => Object.getOwnPropertyDescriptor(TransformStream.prototype, 'readable').get.call({}));
  assertThrows(TypeError, () => TransformStreamDefaultController.prototype.enqueue.call({}, 1));
});

await run();
