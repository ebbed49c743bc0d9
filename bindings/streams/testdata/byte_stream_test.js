// Readable byte streams: ReadableByteStreamController, BYOB readers with
// read(view, { min }), BYOB requests, autoAllocateChunkSize, and the
// transfer (detaching) of buffers.
import { test, assert, assertEquals, assertThrows, assertRejects, flush, run } from '../../../testdata/harness.js';

// A detached buffer cannot back a new view, in every engine.
function isDetached(buffer) {
  try {
    new Uint8Array(buffer);
    return false;
  } catch (e) {
    return e instanceof TypeError;
  }
}

function bytes(...xs) { return new Uint8Array(xs); }

test('the controller is a ReadableByteStreamController; hwm defaults to 0', () => {
  let c;
  new ReadableStream({ type: 'bytes', start(ctrl) { c = ctrl; } });
  assert(c instanceof ReadableByteStreamController);
  assertEquals(c.desiredSize, 0);
  assertEquals(c.byobRequest, null);
});

test('enqueue transfers the chunk: its buffer is detached, the reader gets the bytes', async () => {
  let c;
  const rs = new ReadableStream({ type: 'bytes', start(ctrl) { c = ctrl; } });
  const chunk = bytes(1, 2, 3, 4).subarray(1, 3);
  const buffer = chunk.buffer;
  c.enqueue(chunk);
  assert(isDetached(buffer), 'enqueued buffer is detached');
  const { value, done } = await rs.getReader().read();
  assertEquals(done, false);
  assertEquals(value, bytes(2, 3));
  assertEquals(value.byteOffset, 1, 'the view keeps its offset into the moved buffer');
  assertEquals(value.buffer.byteLength, 4);
});

test('enqueue validates its argument', () => {
  let c;
  new ReadableStream({ type: 'bytes', start(ctrl) { c = ctrl; } });
  assertThrows(TypeError, () => c.enqueue(new ArrayBuffer(2)));
  assertThrows(TypeError, () => c.enqueue('ab'));
  assertThrows(TypeError, () => c.enqueue(new Uint8Array(0)));
  const detached = new Uint8Array(4);
  c.enqueue(detached);
  assertThrows(TypeError, () => c.enqueue(detached), undefined, 'detached chunk');
  c.close();
  assertThrows(TypeError, () => c.enqueue(bytes(1)));
  assertThrows(TypeError, () => c.close());
});

test('a default reader reads Uint8Arrays; a DataView chunk comes out as a Uint8Array', async () => {
  let c;
  const rs = new ReadableStream({ type: 'bytes', start(ctrl) { c = ctrl; } });
  const r = rs.getReader();
  c.enqueue(new DataView(new ArrayBuffer(3), 1, 2));
  const { value } = await r.read();
  assert(value instanceof Uint8Array);
  assertEquals(value.byteLength, 2);
});

test('BYOB read fills the given view from queued bytes and detaches its buffer', async () => {
  const rs = new ReadableStream({ type: 'bytes', start(c) { c.enqueue(bytes(1, 2, 3)); } });
  const r = rs.getReader({ mode: 'byob' });
  assert(r instanceof ReadableStreamBYOBReader);
  const view = new Uint8Array(8);
  const { value, done } = await r.read(view);
  assertEquals(done, false);
  assertEquals(value, bytes(1, 2, 3));
  assert(isDetached(view.buffer), 'the view given to read() is detached');
  assertEquals(value.buffer.byteLength, 8, 'the result is over the same memory');
});

test('BYOB read through byobRequest.respond()', async () => {
  let requests = 0;
  const rs = new ReadableStream({
    type: 'bytes',
    pull(c) {
      requests++;
      const req = c.byobRequest;
      assert(req instanceof ReadableStreamBYOBRequest);
      const v = req.view;
      assertEquals(v.byteLength, 4);
      v[0] = 9; v[1] = 8;
      req.respond(2);
      assertEquals(req.view, null, 'the request is invalidated');
      assertEquals(c.byobRequest, null);
    },
  });
  const r = rs.getReader({ mode: 'byob' });
  const { value } = await r.read(new Uint8Array(4));
  assertEquals(value, bytes(9, 8));
  assertEquals(requests, 1);
});

test('BYOB read with min waits until min elements are filled', async () => {
  let pulls = 0;
  const rs = new ReadableStream({
    type: 'bytes',
    pull(c) {
      pulls++;
      const v = c.byobRequest.view;
      v[0] = pulls;
      c.byobRequest.respond(1);
    },
  });
  const r = rs.getReader({ mode: 'byob' });
  const { value } = await r.read(new Uint8Array(5), { min: 3 });
  assertEquals(value, bytes(1, 2, 3));
  assertEquals(pulls, 3);
});

test('BYOB read with min takes what is queued at once when it is enough', async () => {
  const rs = new ReadableStream({ type: 'bytes', start(c) { c.enqueue(bytes(1, 2, 3, 4)); } });
  const r = rs.getReader({ mode: 'byob' });
  const { value } = await r.read(new Uint8Array(3), { min: 2 });
  assertEquals(value, bytes(1, 2, 3));
  const { value: rest } = await r.read(new Uint8Array(3));
  assertEquals(rest, bytes(4));
});

test('BYOB read with min counts elements of the view type', async () => {
  const rs = new ReadableStream({ type: 'bytes', start(c) { c.enqueue(bytes(1, 0, 2, 0)); c.enqueue(bytes(3, 0)); } });
  const r = rs.getReader({ mode: 'byob' });
  const { value } = await r.read(new Uint16Array(4), { min: 3 });
  assert(value instanceof Uint16Array);
  assertEquals(Array.from(value), [1, 2, 3]);
});

test('BYOB read argument errors reject without touching the stream', async () => {
  const rs = new ReadableStream({ type: 'bytes' });
  const r = rs.getReader({ mode: 'byob' });
  await assertRejects(TypeError, r.read());
  await assertRejects(TypeError, r.read(new ArrayBuffer(4)));
  await assertRejects(TypeError, r.read(new Uint8Array(0)));
  await assertRejects(TypeError, r.read(new Uint8Array(new ArrayBuffer(4), 4)));
  await assertRejects(TypeError, r.read(new Uint8Array(4), { min: 0 }));
  await assertRejects(RangeError, r.read(new Uint8Array(4), { min: 5 }));
  await assertRejects(RangeError, r.read(new Uint16Array(2), { min: 3 }));
  await assertRejects(RangeError, r.read(new DataView(new ArrayBuffer(4)), { min: 5 }));
  await assertRejects(TypeError, r.read(new Uint8Array(4), { min: -1 }));
  await assertRejects(TypeError, r.read(new Uint8Array(4), { min: Infinity }));
  const v = new Uint8Array(2);
  const p = r.read(v);
  await assertRejects(TypeError, r.read(v), undefined, 'the buffer of a pending read is detached');
  r.releaseLock();
  await assertRejects(TypeError, p);
});

test('a partial element stays queued; the next read gets it', async () => {
  const rs = new ReadableStream({
    type: 'bytes',
    pull(c) {
      const v = c.byobRequest.view;
      v[0] = 1; v[1] = 0; v[2] = 2;
      c.byobRequest.respond(3);
    },
  });
  const r = rs.getReader({ mode: 'byob' });
  const { value } = await r.read(new Uint16Array(2));
  assertEquals(Array.from(value), [1]);
  const { value: next } = await r.read(new Uint8Array(4));
  assertEquals(next[0], 2);
});

test('close with a partially filled element errors the stream with a TypeError', async () => {
  let c;
  const rs = new ReadableStream({ type: 'bytes', start(ctrl) { c = ctrl; } });
  const r = rs.getReader({ mode: 'byob' });
  const p = r.read(new Uint16Array(1));
  await flush();
  c.byobRequest.view[0] = 1;
  c.byobRequest.respond(1);
  assertThrows(TypeError, () => c.close());
  await assertRejects(TypeError, p);
  await assertRejects(TypeError, r.closed);
});

test('close then respond(0) answers a pending BYOB read with done and an empty view', async () => {
  let c;
  const rs = new ReadableStream({ type: 'bytes', start(ctrl) { c = ctrl; } });
  const r = rs.getReader({ mode: 'byob' });
  const p = r.read(new Uint8Array(4));
  await flush();
  c.close();
  assertThrows(TypeError, () => c.byobRequest.respond(1), undefined, 'only 0 after close');
  c.byobRequest.respond(0);
  const { value, done } = await p;
  assertEquals(done, true);
  assert(value instanceof Uint8Array);
  assertEquals(value.byteLength, 0);
  assertEquals(value.buffer.byteLength, 4);
});

test('respond validates bytesWritten', async () => {
  let c;
  const rs = new ReadableStream({ type: 'bytes', start(ctrl) { c = ctrl; } });
  const r = rs.getReader({ mode: 'byob' });
  r.read(new Uint8Array(2));
  await flush();
  const req = c.byobRequest;
  assertThrows(TypeError, () => req.respond(0), undefined, '0 on a readable stream');
  assertThrows(RangeError, () => req.respond(3));
  assertThrows(TypeError, () => req.respond(-1));
  req.respond(2);
  assertThrows(TypeError, () => req.respond(1), undefined, 'invalidated request');
});

test('respondWithNewView', async () => {
  let c;
  const rs = new ReadableStream({ type: 'bytes', start(ctrl) { c = ctrl; } });
  const r = rs.getReader({ mode: 'byob' });
  const p = r.read(new Uint8Array(4));
  await flush();
  const view = c.byobRequest.view;
  assertThrows(RangeError, () => c.byobRequest.respondWithNewView(new Uint8Array(new ArrayBuffer(5), 0, 1)), undefined, 'other buffer size');
  assertThrows(RangeError, () => c.byobRequest.respondWithNewView(new Uint8Array(view.buffer, 1, 2)), undefined, 'wrong offset');
  assertThrows(TypeError, () => c.byobRequest.respondWithNewView(new Uint8Array(view.buffer, 0, 0)));
  const filled = new Uint8Array(view.buffer, 0, 3);
  filled.set([7, 7, 7]);
  c.byobRequest.respondWithNewView(filled);
  const { value } = await p;
  assertEquals(value, bytes(7, 7, 7));
});

test('autoAllocateChunkSize gives a default reader a byobRequest to fill', async () => {
  let sizes = [];
  const rs = new ReadableStream({
    type: 'bytes',
    autoAllocateChunkSize: 16,
    pull(c) {
      const v = c.byobRequest.view;
      sizes.push(v.byteLength);
      v[0] = 42;
      c.byobRequest.respond(1);
    },
  });
  const { value } = await rs.getReader().read();
  assertEquals(value, bytes(42));
  assertEquals(value.buffer.byteLength, 16);
  assertEquals(sizes, [16]);
  assertThrows(TypeError, () => new ReadableStream({ type: 'bytes', autoAllocateChunkSize: 0 }));
  assertThrows(TypeError, () => new ReadableStream({ type: 'bytes', autoAllocateChunkSize: NaN }));
});

test('enqueue fills a pending BYOB read and queues the rest', async () => {
  let c;
  const rs = new ReadableStream({ type: 'bytes', start(ctrl) { c = ctrl; } });
  const r = rs.getReader({ mode: 'byob' });
  const p = r.read(new Uint8Array(2));
  await flush();
  c.enqueue(bytes(1, 2, 3));
  assertEquals((await p).value, bytes(1, 2));
  assertEquals((await r.read(new Uint8Array(2))).value, bytes(3));
});

test('cancel answers pending BYOB reads with done and no value', async () => {
  let reason;
  const rs = new ReadableStream({ type: 'bytes', cancel(r) { reason = r; } });
  const r = rs.getReader({ mode: 'byob' });
  const p = r.read(new Uint8Array(4));
  await r.cancel('stop');
  assertEquals(await p, { value: undefined, done: true });
  assertEquals(reason, 'stop');
});

test('BYOB read of a closed stream gives done with an empty view of the same type', async () => {
  const rs = new ReadableStream({ type: 'bytes', start(c) { c.close(); } });
  const r = rs.getReader({ mode: 'byob' });
  const { value, done } = await r.read(new Int32Array(2));
  assertEquals(done, true);
  assert(value instanceof Int32Array);
  assertEquals(value.length, 0);
});

test('releasing a BYOB reader mid-read: the bytes later responded reach the next reader', async () => {
  let c;
  const rs = new ReadableStream({ type: 'bytes', start(ctrl) { c = ctrl; } });
  const r = rs.getReader({ mode: 'byob' });
  const p = r.read(new Uint8Array(4));
  await flush();
  const view = c.byobRequest.view;
  r.releaseLock();
  await assertRejects(TypeError, p);
  view[0] = 5; view[1] = 6;
  c.byobRequest.respond(2);
  const { value } = await rs.getReader().read();
  assertEquals(value, bytes(5, 6));
});

test('a queued byte chunk is read by a default reader as one chunk', async () => {
  const rs = new ReadableStream({ type: 'bytes', start(c) { c.enqueue(bytes(1)); c.enqueue(bytes(2, 3)); c.close(); } });
  const r = rs.getReader();
  assertEquals((await r.read()).value, bytes(1));
  assertEquals((await r.read()).value, bytes(2, 3));
  assertEquals((await r.read()).done, true);
});

test('error() with a pending BYOB read rejects it and invalidates byobRequest', async () => {
  let c;
  const rs = new ReadableStream({ type: 'bytes', start(ctrl) { c = ctrl; } });
  const r = rs.getReader({ mode: 'byob' });
  const p = r.read(new Uint8Array(1));
  await flush();
  const req = c.byobRequest;
  const err = new Error('x');
  c.error(err);
  assert((await assertRejects(Error, p)) === err);
  assertEquals(req.view, null);
  assertEquals(c.byobRequest, null);
});

test('ReadableStreamBYOBRequest and ReadableByteStreamController cannot be constructed', () => {
  assertThrows(TypeError, () => new ReadableStreamBYOBRequest());
  assertThrows(TypeError, () => new ReadableByteStreamController());
  assertThrows(TypeError, () => new ReadableStreamBYOBReader(new ReadableStream()));
});

await run();
