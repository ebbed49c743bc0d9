// Conformance tests for TextEncoder and TextDecoder, from the Encoding
// Standard (https://encoding.spec.whatwg.org/) and the Unicode Standard's
// recommended replacement of maximal subparts (Table 3-8).
import { test, assert, assertEquals, assertThrows, run } from '../../../testdata/harness.js';

const bytes = (...b) => new Uint8Array(b);
const FFFD = '\uFFFD';

// --- TextEncoder ---------------------------------------------------------

test('TextEncoder basics', () => {
  const enc = new TextEncoder();
  assertEquals(enc.encoding, 'utf-8');
  assertEquals(enc.encode(), bytes());
  assertEquals(enc.encode(undefined), bytes());
  assertEquals(enc.encode(''), bytes());
  assertEquals(enc.encode('abc'), bytes(97, 98, 99));
  assertEquals(enc.encode(null), bytes(110, 117, 108, 108));
  assertEquals(enc.encode(12), bytes(49, 50));
  assertEquals(enc.encode('\u00e9'), bytes(0xC3, 0xA9));
  assertEquals(enc.encode('\u20ac'), bytes(0xE2, 0x82, 0xAC));
  assertEquals(enc.encode('\u{1F600}'), bytes(0xF0, 0x9F, 0x98, 0x80));
  const u = enc.encode('hello');
  assert(u instanceof Uint8Array, 'a Uint8Array');
  assertEquals(u.byteOffset, 0);
  assertEquals(u.buffer.byteLength, 5);
});

test('TextEncoder replaces lone surrogates', () => {
  const enc = new TextEncoder();
  assertEquals(enc.encode('\uD800'), bytes(0xEF, 0xBF, 0xBD));
  assertEquals(enc.encode('\uDC00'), bytes(0xEF, 0xBF, 0xBD));
  assertEquals(enc.encode('a\uDC00b'), bytes(97, 0xEF, 0xBF, 0xBD, 98));
  assertEquals(enc.encode('\uD800\uD800'), bytes(0xEF, 0xBF, 0xBD, 0xEF, 0xBF, 0xBD));
  assertEquals(enc.encode('\uDC00\uD800'), bytes(0xEF, 0xBF, 0xBD, 0xEF, 0xBF, 0xBD));
  assertEquals(enc.encode('\uD83D\uDE00\uD83D'), bytes(0xF0, 0x9F, 0x98, 0x80, 0xEF, 0xBF, 0xBD));
});

test('TextEncoder round-trips long strings', () => {
  const enc = new TextEncoder(), dec = new TextDecoder();
  const ascii = 'abcdefghij'.repeat(1000);
  assertEquals(dec.decode(enc.encode(ascii)), ascii);
  const mixed = 'a\u00e9\u20ac\u{1F600}z'.repeat(500);
  const out = enc.encode(mixed);
  assertEquals(out.length, 500 * (1 + 2 + 3 + 4 + 1));
  assertEquals(dec.decode(out), mixed);
});

test('TextEncoder throws for a Symbol', () => {
  assertThrows(TypeError, () => new TextEncoder().encode(Symbol('x')));
});

test('encodeInto with small destinations', () => {
  const enc = new TextEncoder();
  const cases = [
    // [source, destination size, read, written, bytes]
    ['abc', 2, 2, 2, [97, 98]],
    ['abc', 5, 3, 3, [97, 98, 99, 0, 0]],
    ['\u20ac', 2, 0, 0, [0, 0]],
    ['a\u20ac', 3, 1, 1, [97, 0, 0]],
    ['a\u20ac', 4, 2, 4, [97, 0xE2, 0x82, 0xAC]],
    ['\u{1F600}', 3, 0, 0, [0, 0, 0]],
    ['\u{1F600}', 4, 2, 4, [0xF0, 0x9F, 0x98, 0x80]],
    ['\uD800', 2, 0, 0, [0, 0]],
    ['\uD800', 3, 1, 3, [0xEF, 0xBF, 0xBD]],
    ['\uD800a', 4, 2, 4, [0xEF, 0xBF, 0xBD, 97]],
    ['\u00e9\u00e9', 3, 1, 2, [0xC3, 0xA9, 0]],
    ['', 0, 0, 0, []],
    ['abc', 0, 0, 0, []],
  ];
  for (const [src, size, read, written, expect] of cases) {
    const dst = new Uint8Array(size);
    const res = enc.encodeInto(src, dst);
    assertEquals(res, { read, written }, `encodeInto(${JSON.stringify(src)}, ${size})`);
    assertEquals(Array.from(dst), expect, `bytes of ${JSON.stringify(src)}`);
  }
});

test('encodeInto writes through a view with an offset', () => {
  const buf = new Uint8Array(8).fill(0x2A);
  const view = buf.subarray(2, 5);
  const res = new TextEncoder().encodeInto('\u00e9xyz', view);
  assertEquals(res, { read: 2, written: 3 });
  assertEquals(Array.from(buf), [0x2A, 0x2A, 0xC3, 0xA9, 0x78, 0x2A, 0x2A, 0x2A]);
});

test('encodeInto requires a Uint8Array', () => {
  const enc = new TextEncoder();
  for (const dst of [new Int8Array(4), new Uint8ClampedArray(4), new Uint16Array(4), new DataView(new ArrayBuffer(4)),
    new ArrayBuffer(4), [0, 0], {}, null, undefined, 'x']) {
    assertThrows(TypeError, () => enc.encodeInto('a', dst), undefined, String(dst && dst.constructor && dst.constructor.name));
  }
  assertThrows(TypeError, () => enc.encodeInto('a'));
});

// --- TextDecoder construction ---------------------------------------------

test('TextDecoder defaults and labels', () => {
  const d = new TextDecoder();
  assertEquals(d.encoding, 'utf-8');
  assertEquals(d.fatal, false);
  assertEquals(d.ignoreBOM, false);
  const labels = {
    'utf-8': 'utf-8', ' UTF8 ': 'utf-8', '\t\n\f\rutf-8': 'utf-8', 'unicode-1-1-utf-8': 'utf-8',
    'utf-16': 'utf-16le', 'UTF-16LE': 'utf-16le', 'unicode': 'utf-16le', 'ucs-2': 'utf-16le',
    'utf-16be': 'utf-16be', 'unicodefffe': 'utf-16be',
    'latin1': 'windows-1252', 'ascii': 'windows-1252', 'us-ascii': 'windows-1252', 'iso-8859-1': 'windows-1252',
    'windows-1252': 'windows-1252', 'iso-8859-9': 'windows-1254', 'iso-8859-2': 'iso-8859-2', 'koi8-r': 'koi8-r',
    'iso-8859-8-i': 'iso-8859-8-i', 'x-user-defined': 'x-user-defined', 'tis-620': 'windows-874',
  };
  for (const [label, name] of Object.entries(labels)) {
    assertEquals(new TextDecoder(label).encoding, name, `label ${JSON.stringify(label)}`);
  }
  assertEquals(new TextDecoder(undefined).encoding, 'utf-8');
});

test('TextDecoder rejects unknown labels with a RangeError', () => {
  for (const label of ['foo', '', 'utf-32', 'replacement', 'iso-2022-kr', 'utf\u00a08', 'utf-8\u0000', null, 'utf-7']) {
    assertThrows(RangeError, () => new TextDecoder(label), undefined, `label ${JSON.stringify(label)}`);
  }
});

test('TextDecoder options', () => {
  const d = new TextDecoder('utf-8', { fatal: true, ignoreBOM: 1 });
  assertEquals(d.fatal, true);
  assertEquals(d.ignoreBOM, true);
  assertEquals(new TextDecoder('utf-8', null).fatal, false);
  assertThrows(TypeError, () => new TextDecoder('utf-8', 1));
  assertThrows(TypeError, () => new TextDecoder('utf-8', 'x'));
});

test('TextDecoder needs new', () => {
  assertThrows(TypeError, () => TextDecoder());
  assertThrows(TypeError, () => TextEncoder());
});

// --- TextDecoder inputs -----------------------------------------------------

test('decode accepts every BufferSource', () => {
  const d = new TextDecoder();
  const ab = new Uint8Array([104, 105, 33, 33]).buffer;
  assertEquals(d.decode(), '');
  assertEquals(d.decode(undefined), '');
  assertEquals(d.decode(ab), 'hi!!');
  assertEquals(d.decode(new Uint8Array(ab, 1, 2)), 'i!');
  assertEquals(d.decode(new Int8Array(ab)), 'hi!!');
  assertEquals(d.decode(new Uint8ClampedArray(ab)), 'hi!!');
  assertEquals(d.decode(new Uint16Array(ab, 2, 1)), '!!');
  assertEquals(d.decode(new Int32Array(ab)), 'hi!!');
  assertEquals(d.decode(new Float32Array(ab)), 'hi!!');
  assertEquals(d.decode(new Float64Array(new Uint8Array([65, 66, 67, 68, 69, 70, 71, 72]).buffer)), 'ABCDEFGH');
  assertEquals(d.decode(new BigInt64Array(new Uint8Array([65, 66, 67, 68, 69, 70, 71, 72]).buffer)), 'ABCDEFGH');
  assertEquals(d.decode(new DataView(ab)), 'hi!!');
  assertEquals(d.decode(new DataView(ab, 2)), '!!');
  assertEquals(d.decode(new ArrayBuffer(0)), '');
  assertEquals(d.decode(new Uint8Array(0)), '');
});

test('decode rejects what is not a BufferSource', () => {
  const d = new TextDecoder();
  for (const v of [null, 'abc', 1, [104, 105], { length: 1, 0: 65 }, Symbol('s')]) {
    assertThrows(TypeError, () => d.decode(v), undefined, String(typeof v));
  }
  assertThrows(TypeError, () => d.decode(new Uint8Array(1), 1));
});

// --- UTF-8 decoding -------------------------------------------------------

const utf8Cases = [
  // [bytes, replacement-decoded string]
  [[0x61, 0x62], 'ab'],
  [[0xC3, 0xA9], '\u00e9'],
  [[0xF0, 0x9F, 0x98, 0x80], '\u{1F600}'],
  [[0xEF, 0xBF, 0xBD], FFFD], // a real U+FFFD, not an error
  [[0xFF], FFFD],
  [[0x80], FFFD],
  [[0xF5], FFFD],
  [[0xC0, 0x80], FFFD + FFFD],
  [[0xC1, 0xBF], FFFD + FFFD],
  [[0xE0, 0x80], FFFD + FFFD],
  [[0xE0, 0x9F, 0xBF], FFFD + FFFD + FFFD],
  [[0xE0, 0xA0], FFFD],
  [[0xE0, 0xA0, 0x41], FFFD + 'A'],
  [[0xED, 0xA0, 0x80], FFFD + FFFD + FFFD],
  [[0xED, 0x9F, 0xBF], '\uD7FF'],
  [[0xF0, 0x90, 0x80], FFFD],
  [[0xF0, 0x90, 0x80, 0x41], FFFD + 'A'],
  [[0xF0, 0x8F, 0xBF, 0xBF], FFFD + FFFD + FFFD + FFFD],
  [[0xF4, 0x8F, 0xBF, 0xBF], String.fromCodePoint(0x10FFFF)],
  [[0xF4, 0x90, 0x80, 0x80], FFFD + FFFD + FFFD + FFFD],
  [[0xC2], FFFD],
  [[0xC2, 0x41], FFFD + 'A'],
  [[0xC2, 0xC2, 0xA9], FFFD + '\u00a9'],
  // Unicode 15, Table 3-8: U+FFFD for each maximal subpart.
  [[0x61, 0xF1, 0x80, 0x80, 0xE1, 0x80, 0xC2, 0x62, 0x80, 0x63, 0x80, 0xBF, 0x64],
    'a' + FFFD + FFFD + FFFD + 'b' + FFFD + 'c' + FFFD + FFFD + 'd'],
];

test('UTF-8 replacement of maximal subparts', () => {
  const d = new TextDecoder();
  for (const [b, s] of utf8Cases) {
    assertEquals(d.decode(new Uint8Array(b)), s, `decode([${b.map((x) => x.toString(16))}])`);
  }
});

test('UTF-8 fatal mode throws TypeError on any replacement', () => {
  const d = new TextDecoder('utf-8', { fatal: true });
  for (const [b, s] of utf8Cases) {
    const invalid = s.includes(FFFD) && !(b.length === 3 && b[0] === 0xEF);
    if (invalid) {
      assertThrows(TypeError, () => d.decode(new Uint8Array(b)), undefined, `fatal decode([${b}])`);
    } else {
      assertEquals(d.decode(new Uint8Array(b)), s);
    }
  }
  // The decoder stays usable after an error.
  assertEquals(d.decode(bytes(0x61)), 'a');
});

test('UTF-8 streaming at every split position', () => {
  const s = 'a\u00e9\u20ac\u{1F600}\u00ffz' + String.fromCodePoint(0x10FFFF);
  const b = new TextEncoder().encode(s);
  const d = new TextDecoder();
  for (let i = 0; i <= b.length; i++) {
    for (let j = i; j <= b.length; j++) {
      const out = d.decode(b.subarray(0, i), { stream: true }) +
        d.decode(b.subarray(i, j), { stream: true }) + d.decode(b.subarray(j));
      assertEquals(out, s, `split at ${i}, ${j}`);
    }
  }
  let out = '';
  for (let i = 0; i < b.length; i++) out += d.decode(b.subarray(i, i + 1), { stream: true });
  assertEquals(out + d.decode(), s, 'byte at a time');
});

test('UTF-8 streaming with invalid input', () => {
  const d = new TextDecoder();
  assertEquals(d.decode(bytes(0xF0, 0x90), { stream: true }), '');
  assertEquals(d.decode(bytes(0x41)), FFFD + 'A');
  assertEquals(d.decode(bytes(0xE2, 0x82), { stream: true }), '');
  assertEquals(d.decode(), FFFD, 'flush of an incomplete sequence');
  assertEquals(d.decode(bytes(0xE2), { stream: true }), '');
  assertEquals(d.decode(bytes(0x82), { stream: true }), '');
  assertEquals(d.decode(bytes(0xAC), { stream: true }), '\u20ac');
  assertEquals(d.decode(bytes(0xE2, 0x82), { stream: true }), '');
  assertEquals(d.decode(bytes(0xE2), { stream: true }), FFFD, 'a new lead byte ends the old sequence');
  assertEquals(d.decode(), FFFD);
  const f = new TextDecoder('utf-8', { fatal: true });
  assertEquals(f.decode(bytes(0xE2, 0x82), { stream: true }), '');
  assertThrows(TypeError, () => f.decode());
  assertEquals(f.decode(bytes(0x62)), 'b', 'a non-stream call starts over');
});

test('UTF-8 BOM handling', () => {
  const d = new TextDecoder();
  assertEquals(d.decode(bytes(0xEF, 0xBB, 0xBF, 0x61)), 'a');
  assertEquals(d.decode(bytes(0xEF, 0xBB, 0xBF, 0x61)), 'a', 'once per stream, and every call is a stream');
  assertEquals(d.decode(bytes(0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF)), '\uFEFF', 'only the first BOM');
  assertEquals(d.decode(bytes(0xEF, 0xBB, 0xBF)), '');
  assertEquals(d.decode(bytes(0xEF), { stream: true }), '');
  assertEquals(d.decode(bytes(0xBB, 0xBF, 0x61), { stream: true }), 'a', 'BOM split across calls');
  assertEquals(d.decode(bytes(0xEF, 0xBB, 0xBF)), '\uFEFF', 'not at the start of the stream');
  assertEquals(d.decode(bytes(0x61), { stream: true }), 'a');
  assertEquals(d.decode(bytes(0xEF, 0xBB, 0xBF)), '\uFEFF');
  assertEquals(d.decode(bytes(), { stream: true }), '');
  assertEquals(d.decode(bytes(0xEF, 0xBB, 0xBF, 0x62)), 'b', 'an empty chunk does not count as output');
  const keep = new TextDecoder('utf-8', { ignoreBOM: true });
  assertEquals(keep.decode(bytes(0xEF, 0xBB, 0xBF, 0x61)), '\uFEFFa');
});

// --- UTF-16 ---------------------------------------------------------------

test('UTF-16LE', () => {
  const d = new TextDecoder('utf-16le');
  assertEquals(d.decode(bytes(0x61, 0x00, 0x62, 0x00)), 'ab');
  assertEquals(d.decode(bytes(0xAC, 0x20)), '\u20ac');
  assertEquals(d.decode(bytes(0x3D, 0xD8, 0x00, 0xDE)), '\u{1F600}');
  assertEquals(d.decode(bytes(0x61, 0x00, 0x62)), 'a' + FFFD, 'odd length');
  assertEquals(d.decode(bytes(0x00, 0xD8)), FFFD, 'lone lead surrogate');
  assertEquals(d.decode(bytes(0x00, 0xDC, 0x61, 0x00)), FFFD + 'a', 'lone trail surrogate');
  assertEquals(d.decode(bytes(0x00, 0xD8, 0x61, 0x00)), FFFD + 'a', 'lead surrogate then a BMP unit');
  assertEquals(d.decode(bytes(0x00, 0xD8, 0x00, 0xD8, 0x00, 0xDC)), FFFD + '\u{10000}');
  assertEquals(d.decode(bytes(0x00, 0xD8, 0x00)), FFFD, 'lead surrogate and a lead byte make one error');
  assertEquals(d.decode(bytes(0xFF, 0xFE, 0x61, 0x00)), 'a', 'BOM');
  assertEquals(d.decode(bytes(0xFE, 0xFF, 0x61, 0x00)), '\uFFFEa', 'a big-endian BOM is a character');
  assertEquals(new TextDecoder('utf-16le', { ignoreBOM: true }).decode(bytes(0xFF, 0xFE)), '\uFEFF');
  const f = new TextDecoder('utf-16le', { fatal: true });
  assertThrows(TypeError, () => f.decode(bytes(0x00, 0xD8)));
  assertThrows(TypeError, () => f.decode(bytes(0x61)));
  assertThrows(TypeError, () => f.decode(bytes(0x00, 0xDC)));
});

test('UTF-16LE streaming at every split position', () => {
  const s = '\uFEFFa\u{1F600}\u20acz';
  const units = [];
  for (let i = 0; i < s.length; i++) units.push(s.charCodeAt(i));
  const b = new Uint8Array(new Uint16Array(units).buffer); // little-endian hosts only
  const d = new TextDecoder('utf-16le');
  for (let i = 0; i <= b.length; i++) {
    assertEquals(d.decode(b.subarray(0, i), { stream: true }) + d.decode(b.subarray(i)), s.slice(1), `split at ${i}`);
  }
});

test('UTF-16BE', () => {
  const d = new TextDecoder('utf-16be');
  assertEquals(d.decode(bytes(0x00, 0x61, 0x20, 0xAC)), 'a\u20ac');
  assertEquals(d.decode(bytes(0xD8, 0x3D, 0xDE, 0x00)), '\u{1F600}');
  assertEquals(d.decode(bytes(0xFE, 0xFF, 0x00, 0x61)), 'a', 'BOM');
  assertEquals(d.decode(bytes(0xFF, 0xFE)), '\uFFFE');
  assertEquals(d.decode(bytes(0xD8, 0x3D), { stream: true }), '');
  assertEquals(d.decode(bytes(0xDE), { stream: true }), '');
  assertEquals(d.decode(bytes(0x00)), '\u{1F600}');
});

// --- Single-byte encodings --------------------------------------------------

test('windows-1252 and other single-byte encodings', () => {
  const w = new TextDecoder('latin1');
  assertEquals(w.decode(bytes(0x41, 0x80, 0x81, 0x9F, 0xA0, 0xE9, 0xFF)), 'A\u20ac\u0081\u0178\u00a0\u00e9\u00ff');
  assertEquals(new TextDecoder('ascii').decode(bytes(0x80)), '\u20ac');
  assertEquals(new TextDecoder('iso-8859-2').decode(bytes(0xA1)), '\u0104');
  assertEquals(new TextDecoder('koi8-r').decode(bytes(0xC1)), '\u0430');
  assertEquals(new TextDecoder('x-user-defined').decode(bytes(0x61, 0x80, 0xFF)), 'a\uF780\uF7FF');
  assertEquals(new TextDecoder('windows-874').decode(bytes(0xDB)), FFFD, 'unmapped byte');
  assertThrows(TypeError, () => new TextDecoder('windows-874', { fatal: true }).decode(bytes(0xDB)));
  assertEquals(new TextDecoder('windows-1252').decode(bytes(0xEF, 0xBB, 0xBF)), '\u00ef\u00bb\u00bf', 'no BOM sniffing');
});

// --- WebIDL shape ------------------------------------------------------------

test('interface objects follow WebIDL', () => {
  for (const name of ['TextEncoder', 'TextDecoder']) {
    const d = Object.getOwnPropertyDescriptor(globalThis, name);
    assertEquals([d.writable, d.enumerable, d.configurable], [true, false, true], name);
    assertEquals(globalThis[name].length, 0, `${name}.length`);
    assertEquals(globalThis[name].name, name);
    const p = Object.getOwnPropertyDescriptor(globalThis[name], 'prototype');
    assertEquals([p.writable, p.enumerable, p.configurable], [false, false, false], `${name}.prototype`);
  }
  const m = Object.getOwnPropertyDescriptor(TextDecoder.prototype, 'decode');
  assertEquals([m.writable, m.enumerable, m.configurable], [true, true, true]);
  assertEquals(TextDecoder.prototype.decode.name, 'decode');
  assertEquals(TextDecoder.prototype.decode.length, 0);
  assertEquals(TextEncoder.prototype.encodeInto.length, 2);
  const g = Object.getOwnPropertyDescriptor(TextDecoder.prototype, 'encoding');
  assertEquals(g.get.name, 'get encoding');
  assertEquals(g.set, undefined);
  assertEquals([g.enumerable, g.configurable], [true, true]);
  assertEquals(Object.prototype.toString.call(new TextDecoder()), '[object TextDecoder]');
  assertEquals(Object.prototype.toString.call(new TextEncoder()), '[object TextEncoder]');
  assertEquals(Object.keys(new TextDecoder()), []);
});

test('brand checks', () => {
  assertThrows(TypeError, () => TextDecoder.prototype.decode.call({}, new Uint8Array(1)));
  assertThrows(TypeError, () => TextDecoder.prototype.encoding);
  assertThrows(TypeError, () => TextEncoder.prototype.encode.call(new TextDecoder(), 'a'));
  assertThrows(TypeError, () => Object.getOwnPropertyDescriptor(TextEncoder.prototype, 'encoding').get.call({}));
});

test('subclasses and expandos', () => {
  class MyDecoder extends TextDecoder {
    hello() { return this.decode(new Uint8Array([104, 105])); }
  }
  const d = new MyDecoder('utf-16le');
  assert(d instanceof MyDecoder && d instanceof TextDecoder);
  assertEquals(d.encoding, 'utf-16le');
  assertEquals(d.hello(), '\u6968');
  const e = new TextEncoder();
  e.extra = 42;
  assertEquals(e.extra, 42);
  assertThrows(TypeError, () => { 'use strict'; e.encoding = 'nope'; }, undefined, 'readonly attribute');
  assertEquals(e.encoding, 'utf-8');
});

await run();
