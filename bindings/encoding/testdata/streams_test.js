// Conformance tests for TextEncoderStream and TextDecoderStream (Encoding
// Standard). They need the global TransformStream.
import { test, assert, assertEquals, assertThrows, assertRejects, run } from '../../../testdata/harness.js';

// transformAll writes chunks to a transform stream, closes it and returns
// everything read from its readable side.
async function transformAll(ts, chunks) {
  const writer = ts.writable.getWriter();
  const writes = chunks.map((c) => writer.write(c));
  const closed = writer.close();
  const reader = ts.readable.getReader();
  const out = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    out.push(value);
  }
  await Promise.all([...writes, closed]);
  return out;
}

const bytes = (...b) => new Uint8Array(b);

test('TextEncoderStream encodes each chunk', async () => {
  const ts = new TextEncoderStream();
  assertEquals(ts.encoding, 'utf-8');
  assert(ts.readable && ts.writable, 'has both sides');
  const out = await transformAll(ts, ['a', '', '\u20ac', 12]);
  assertEquals(out, [bytes(97), bytes(0xE2, 0x82, 0xAC), bytes(49, 50)]);
});

test('TextEncoderStream joins a surrogate pair split across chunks', async () => {
  const out = await transformAll(new TextEncoderStream(), ['a\uD83D', '\uDE00b']);
  assertEquals(out, [bytes(97), bytes(0xF0, 0x9F, 0x98, 0x80, 98)]);
  const alone = await transformAll(new TextEncoderStream(), ['\uD83D', '\uD83D', 'x']);
  assertEquals(alone, [bytes(0xEF, 0xBF, 0xBD), bytes(0xEF, 0xBF, 0xBD, 0x78)]);
  const atEnd = await transformAll(new TextEncoderStream(), ['x\uD83D']);
  assertEquals(atEnd, [bytes(0x78), bytes(0xEF, 0xBF, 0xBD)], 'a lone high surrogate at the end');
});

test('TextDecoderStream decodes across chunks', async () => {
  const ts = new TextDecoderStream();
  assertEquals(ts.encoding, 'utf-8');
  assertEquals(ts.fatal, false);
  assertEquals(ts.ignoreBOM, false);
  const out = await transformAll(ts, [bytes(0xEF, 0xBB), bytes(0xBF, 0x61, 0xE2), bytes(0x82).buffer, new DataView(bytes(0xAC).buffer)]);
  assertEquals(out.join(''), 'a\u20ac');
  const tail = await transformAll(new TextDecoderStream(), [bytes(0x61, 0xF0, 0x9F)]);
  assertEquals(tail.join(''), 'a\uFFFD', 'an incomplete sequence at the end');
  const le = new TextDecoderStream('utf-16', { ignoreBOM: true });
  assertEquals([le.encoding, le.ignoreBOM], ['utf-16le', true]);
  assertEquals((await transformAll(le, [bytes(0xFF), bytes(0xFE, 0x61), bytes(0x00)])).join(''), '\uFEFFa');
});

test('TextDecoderStream errors', async () => {
  assertThrows(RangeError, () => new TextDecoderStream('nope'));
  const fatal = new TextDecoderStream('utf-8', { fatal: true });
  assertEquals(fatal.fatal, true);
  const writer = fatal.writable.getWriter();
  const w = writer.write(bytes(0xFF));
  w.catch(() => {});
  await assertRejects(TypeError, fatal.readable.getReader().read());
  const notBytes = new TextDecoderStream();
  const w2 = notBytes.writable.getWriter().write('abc');
  w2.catch(() => {});
  await assertRejects(TypeError, notBytes.readable.getReader().read());
});

test('stream classes follow WebIDL', () => {
  for (const name of ['TextEncoderStream', 'TextDecoderStream']) {
    const d = Object.getOwnPropertyDescriptor(globalThis, name);
    assertEquals([d.writable, d.enumerable, d.configurable], [true, false, true], name);
    assertEquals(Object.prototype.toString.call(globalThis[name].prototype), `[object ${name}]`);
    assertThrows(TypeError, () => globalThis[name]());
    assertThrows(TypeError, () => Object.getOwnPropertyDescriptor(globalThis[name].prototype, 'readable').get.call({}));
    assertThrows(TypeError, () => globalThis[name].prototype.encoding, undefined, `${name}.prototype.encoding`);
    const e = Object.getOwnPropertyDescriptor(globalThis[name].prototype, 'encoding');
    assertEquals([e.get.name, e.enumerable, e.configurable], ['get encoding', true, true]);
  }
});

await run();
