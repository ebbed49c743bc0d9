// The shape of the globals: property attributes, constructor names and
// lengths, prototype members, Symbol.toStringTag.
import { test, assert, assertEquals, assertThrows, run } from '../../../testdata/harness.js';

const interfaces = {
  ReadableStream: { length: 0, methods: { cancel: 0, getReader: 0, pipeThrough: 1, pipeTo: 1, tee: 0, values: 0 }, getters: ['locked'] },
  ReadableStreamDefaultReader: { length: 1, methods: { read: 0, releaseLock: 0, cancel: 0 }, getters: ['closed'] },
  ReadableStreamBYOBReader: { length: 1, methods: { read: 1, releaseLock: 0, cancel: 0 }, getters: ['closed'] },
  ReadableStreamDefaultController: { length: 0, methods: { close: 0, enqueue: 0, error: 0 }, getters: ['desiredSize'] },
  ReadableByteStreamController: { length: 0, methods: { close: 0, enqueue: 1, error: 0 }, getters: ['byobRequest', 'desiredSize'] },
  ReadableStreamBYOBRequest: { length: 0, methods: { respond: 1, respondWithNewView: 1 }, getters: ['view'] },
  WritableStream: { length: 0, methods: { abort: 0, close: 0, getWriter: 0 }, getters: ['locked'] },
  WritableStreamDefaultWriter: { length: 1, methods: { abort: 0, close: 0, releaseLock: 0, write: 0 }, getters: ['closed', 'desiredSize', 'ready'] },
  WritableStreamDefaultController: { length: 0, methods: { error: 0 }, getters: ['signal'] },
  TransformStream: { length: 0, methods: {}, getters: ['readable', 'writable'] },
  TransformStreamDefaultController: { length: 0, methods: { enqueue: 0, error: 0, terminate: 0 }, getters: ['desiredSize'] },
  ByteLengthQueuingStrategy: { length: 1, methods: {}, getters: ['highWaterMark', 'size'] },
  CountQueuingStrategy: { length: 1, methods: {}, getters: ['highWaterMark', 'size'] },
};

test('before first use the globals show WebIDL\'s data properties (sockw sets streams up when asked)', () => {
  for (const name of Object.keys(interfaces)) {
    const d = Object.getOwnPropertyDescriptor(globalThis, name);
    assertEquals([typeof d.value, d.writable, d.enumerable, d.configurable], ['function', true, false, true], name);
    assert(!Object.keys(globalThis).includes(name), `${name} is not enumerable`);
  }
});

for (const [name, shape] of Object.entries(interfaces)) {
  test(`${name}: global, name, length, members, toStringTag`, () => {
    void globalThis[name]; // the first use turns the globals into data properties
    const d = Object.getOwnPropertyDescriptor(globalThis, name);
    assert(d !== undefined, 'defined');
    assertEquals([d.writable, d.enumerable, d.configurable], [true, false, true], 'global attributes');
    const C = globalThis[name];
    assertEquals(typeof C, 'function');
    assertEquals(C.name, name);
    assertEquals(C.length, shape.length);
    const proto = C.prototype;
    for (const [m, len] of Object.entries(shape.methods)) {
      const md = Object.getOwnPropertyDescriptor(proto, m);
      assert(md && typeof md.value === 'function', `${m} is a method`);
      assertEquals([md.writable, md.enumerable, md.configurable], [true, true, true], `${m} attributes`);
      assertEquals(md.value.length, len, `${m}.length`);
      assertEquals(md.value.name, m, `${m}.name`);
    }
    for (const g of shape.getters) {
      const gd = Object.getOwnPropertyDescriptor(proto, g);
      assert(gd && typeof gd.get === 'function' && gd.set === undefined, `${g} is a getter`);
      assertEquals([gd.enumerable, gd.configurable], [true, true], `${g} attributes`);
    }
    const tag = Object.getOwnPropertyDescriptor(proto, Symbol.toStringTag);
    assertEquals([tag.value, tag.writable, tag.enumerable, tag.configurable], [name, false, false, true]);
    assertThrows(TypeError, () => C(), undefined, 'needs new');
  });
}

test('ReadableStream.from is a static method of length 1', () => {
  assertEquals(ReadableStream.from.length, 1);
  assertEquals(ReadableStream.from.name, 'from');
});

test('a global can be replaced by assignment', () => {
  const original = globalThis.CountQueuingStrategy;
  globalThis.CountQueuingStrategy = 1;
  assertEquals(globalThis.CountQueuingStrategy, 1);
  globalThis.CountQueuingStrategy = original;
  assert(new CountQueuingStrategy({ highWaterMark: 1 }) instanceof original);
});

test('subclassing ReadableStream works', async () => {
  class MyStream extends ReadableStream {
    constructor() { super({ start(c) { c.enqueue('x'); c.close(); } }); }
  }
  const s = new MyStream();
  assert(s instanceof ReadableStream);
  assertEquals((await s.getReader().read()).value, 'x');
});

await run();
