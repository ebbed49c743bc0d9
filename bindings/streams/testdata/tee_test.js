// ReadableStream.prototype.tee for default and byte streams.
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

test('both branches get every chunk and close; the source is locked', async () => {
  const rs = new ReadableStream({ start(c) { c.enqueue('a'); c.enqueue('b'); c.close(); } });
  const [b1, b2] = rs.tee();
  assert(b1 instanceof ReadableStream && b2 instanceof ReadableStream);
  assertEquals(rs.locked, true);
  assertThrows(TypeError, () => rs.tee());
  assertEquals(await readAll(b1), ['a', 'b']);
  assertEquals(await readAll(b2), ['a', 'b']);
});

test('a default tee hands the same chunk object to both branches', async () => {
  const chunk = { x: 1 };
  const rs = new ReadableStream({ start(c) { c.enqueue(chunk); c.close(); } });
  const [b1, b2] = rs.tee();
  const [x1] = await readAll(b1);
  const [x2] = await readAll(b2);
  assert(x1 === chunk && x2 === chunk);
});

test('an error reaches both branches', async () => {
  let c;
  const rs = new ReadableStream({ start(ctrl) { c = ctrl; } });
  const [b1, b2] = rs.tee();
  const err = new Error('e');
  c.error(err);
  assert((await assertRejects(Error, b1.getReader().closed)) === err);
  assert((await assertRejects(Error, b2.getReader().closed)) === err);
});

test('cancelling both branches cancels the source with both reasons', async () => {
  let reason;
  const rs = new ReadableStream({ cancel(r) { reason = r; } });
  const [b1, b2] = rs.tee();
  const p1 = b1.cancel('one');
  await flush();
  assertEquals(reason, undefined, 'one branch is not enough');
  const p2 = b2.cancel('two');
  await p1;
  await p2;
  assertEquals(reason, ['one', 'two']);
});

test('cancelling one branch keeps the other flowing', async () => {
  const rs = new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); c.close(); } });
  const [b1, b2] = rs.tee();
  // The cancel settles only once the source ends or both branches cancel.
  const cancelled = b1.cancel();
  assertEquals(await readAll(b2), [1, 2]);
  assertEquals(await cancelled, undefined);
});

test('the branches read only as fast as the faster one pulls', async () => {
  let pulls = 0;
  const rs = new ReadableStream({ pull(c) { pulls++; c.enqueue(pulls); } }, { highWaterMark: 0 });
  const [b1] = rs.tee();
  await flush();
  const before = pulls;
  const r = b1.getReader();
  assertEquals((await r.read()).value, 1);
  assert(pulls >= before + 1);
});

test('a byte stream tee gives each branch its own copy', async () => {
  const rs = new ReadableStream({ type: 'bytes', start(c) { c.enqueue(new Uint8Array([1, 2, 3])); c.close(); } });
  const [b1, b2] = rs.tee();
  const [x1] = await readAll(b1);
  const [x2] = await readAll(b2);
  assertEquals(x1, new Uint8Array([1, 2, 3]));
  assertEquals(x2, new Uint8Array([1, 2, 3]));
  assert(x1.buffer !== x2.buffer, 'distinct buffers');
  x1[0] = 9;
  assertEquals(x2[0], 1);
});

test('byte stream tee branches are byte streams that BYOB readers can read', async () => {
  const rs = new ReadableStream({ type: 'bytes', start(c) { c.enqueue(new Uint8Array([1, 2, 3, 4])); c.close(); } });
  const [b1, b2] = rs.tee();
  const r1 = b1.getReader({ mode: 'byob' });
  const { value } = await r1.read(new Uint8Array(2));
  assertEquals(value, new Uint8Array([1, 2]));
  const { value: rest } = await r1.read(new Uint8Array(4));
  assertEquals(rest, new Uint8Array([3, 4]));
  assertEquals((await r1.read(new Uint8Array(4))).done, true);
  // The other branch gets copies of what each BYOB read took.
  assertEquals(await readAll(b2), [new Uint8Array([1, 2]), new Uint8Array([3, 4])]);
});

test('byte stream tee: BYOB reads pulled from the source through a BYOB reader', async () => {
  let sawByob = 0;
  const rs = new ReadableStream({
    type: 'bytes',
    pull(c) {
      if (c.byobRequest) {
        sawByob++;
        c.byobRequest.view[0] = 7;
        c.byobRequest.respond(1);
      } else {
        c.enqueue(new Uint8Array([7]));
      }
    },
  });
  const [b1, b2] = rs.tee();
  const { value } = await b1.getReader({ mode: 'byob' }).read(new Uint8Array(3));
  assertEquals(value, new Uint8Array([7]));
  assertEquals(sawByob, 1);
  const { value: v2 } = await b2.getReader().read();
  assertEquals(v2, new Uint8Array([7]));
});

test('byte stream tee: an error reaches both branches; cancelling both cancels the source', async () => {
  let c;
  const rs = new ReadableStream({ type: 'bytes', start(ctrl) { c = ctrl; } });
  const [b1, b2] = rs.tee();
  c.error('bad');
  assertEquals(await b1.getReader().closed.catch((e) => e), 'bad');
  assertEquals(await b2.getReader().closed.catch((e) => e), 'bad');
  let reason;
  const rs2 = new ReadableStream({ type: 'bytes', cancel(r) { reason = r; } });
  const [c1, c2] = rs2.tee();
  await Promise.all([c1.cancel(1), c2.cancel(2)]);
  assertEquals(reason, [1, 2]);
});

await run();
