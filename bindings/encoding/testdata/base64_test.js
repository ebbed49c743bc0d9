// Conformance tests for atob and btoa (HTML Standard) and forgiving-base64
// decode (Infra Standard).
import { test, assertEquals, assertThrows, run } from '../../../testdata/harness.js';

test('btoa', () => {
  assertEquals(btoa(''), '');
  assertEquals(btoa('a'), 'YQ==');
  assertEquals(btoa('ab'), 'YWI=');
  assertEquals(btoa('abc'), 'YWJj');
  assertEquals(btoa('\xff\xfe\x00'), '//4A');
  assertEquals(btoa('\u00e9t\u00e9'), '6XTp');
  assertEquals(btoa(undefined), 'dW5kZWZpbmVk');
  assertEquals(btoa(null), 'bnVsbA==');
  assertEquals(btoa(12), 'MTI=');
});

test('btoa rejects code units above 0xFF', () => {
  for (const s of ['\u0100', 'abc\u20ac', '\uD83D\uDE00', '\uFFFD']) {
    assertThrows(DOMException, () => btoa(s), 'InvalidCharacterError', JSON.stringify(s));
  }
  assertThrows(TypeError, () => btoa());
});

test('atob', () => {
  const ok = {
    '': '', 'YQ==': 'a', 'YQ': 'a', 'YWI=': 'ab', 'YWI': 'ab', 'YWJj': 'abc',
    ' Y Q = = ': 'a', '\tY\nW\fJ\rj ': 'abc', 'YR': 'a', 'YWJ=': 'ab', '////': '\xff\xff\xff',
    'AA==': '\x00', '6XTp': '\u00e9t\u00e9', 'bnVsbA==': 'null',
  };
  for (const [input, output] of Object.entries(ok)) {
    assertEquals(atob(input), output, `atob(${JSON.stringify(input)})`);
  }
  assertEquals(atob(null), '\x9e\xe9\x65');
  assertEquals(atob(12), '\xd7');
});

test('atob rejects what forgiving-base64 rejects', () => {
  const bad = ['Y', 'YQ=', 'YQ===', '=', '==', 'A=A=', 'AA==AA==', 'AAAA=', '-_-_', 'YQ\u000b==', 'YQ\u00a0', 'Y\u00ff',
    '\u20ac', 'YQ==\u0000', 'YWJj*', undefined, 'YQ%3D'];
  for (const s of bad) {
    assertThrows(DOMException, () => atob(s), 'InvalidCharacterError', `atob(${JSON.stringify(s)})`);
  }
  assertThrows(TypeError, () => atob());
});

test('atob and btoa round-trip every byte', () => {
  let s = '';
  for (let i = 0; i < 256; i++) s += String.fromCharCode(i);
  for (let n = 0; n <= 256; n += 37) {
    assertEquals(atob(btoa(s.slice(0, n))), s.slice(0, n));
  }
  assertEquals(atob(btoa(s)), s);
});

test('atob and btoa follow WebIDL (operations of the [Global] global object)', () => {
  for (const name of ['atob', 'btoa']) {
    const d = Object.getOwnPropertyDescriptor(globalThis, name);
    assertEquals([d.writable, d.enumerable, d.configurable], [true, true, true], name);
    assertEquals(globalThis[name].name, name);
    assertEquals(globalThis[name].length, 1);
  }
});

await run();
