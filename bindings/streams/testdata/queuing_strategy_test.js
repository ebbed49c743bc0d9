// CountQueuingStrategy and ByteLengthQueuingStrategy.
import { test, assert, assertEquals, assertThrows, run } from '../../../testdata/harness.js';

for (const [Strategy, expected] of [[CountQueuingStrategy, 1], [ByteLengthQueuingStrategy, 3]]) {
  const name = Strategy.name;

  test(`${name}: highWaterMark is converted to a number and kept`, () => {
    const s = new Strategy({ highWaterMark: '4' });
    assertEquals(s.highWaterMark, 4);
    assertEquals(new Strategy({ highWaterMark: -1 }).highWaterMark, -1, 'validated only when used');
    assertEquals(Object.keys(s), [], 'no own properties');
  });

  test(`${name}: init is required and must have highWaterMark`, () => {
    assertThrows(TypeError, () => new Strategy());
    assertThrows(TypeError, () => new Strategy({}));
    assertThrows(TypeError, () => new Strategy(1));
    assertThrows(TypeError, () => Strategy({ highWaterMark: 1 }));
  });

  test(`${name}: size is one shared function named size`, () => {
    const a = new Strategy({ highWaterMark: 1 });
    const b = new Strategy({ highWaterMark: 2 });
    assert(a.size === b.size, 'shared');
    assertEquals(a.size.name, 'size');
    assertEquals(a.size.length, name === 'CountQueuingStrategy' ? 0 : 1);
    assertEquals(a.size(new Uint8Array(3)), expected);
    assertThrows(TypeError, () => new a.size(), undefined, 'not a constructor');
  });

  test(`${name}: brand checks and toStringTag`, () => {
    assertThrows(TypeError, () => Object.getOwnPropertyDescriptor(Strategy.prototype, 'highWaterMark').get.call({}));
    assertThrows(TypeError, () => Object.getOwnPropertyDescriptor(Strategy.prototype, 'size').get.call({}));
    assertEquals(Object.prototype.toString.call(new Strategy({ highWaterMark: 1 })), `[object ${name}]`);
  });
}

test('strategies drive streams', async () => {
  const rs = new ReadableStream({ start(c) { c.enqueue(new Uint8Array(6)); } }, new ByteLengthQueuingStrategy({ highWaterMark: 10 }));
  let c;
  new ReadableStream({ start(ctrl) { c = ctrl; } }, new CountQueuingStrategy({ highWaterMark: 3 }));
  c.enqueue('a');
  assertEquals(c.desiredSize, 2);
  const ws = new WritableStream({}, new ByteLengthQueuingStrategy({ highWaterMark: 8 }));
  const w = ws.getWriter();
  w.write(new Uint8Array(5));
  assertEquals(w.desiredSize, 3);
  assert(rs.locked === false);
});

await run();
