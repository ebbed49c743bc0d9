// Conformance tests for node:string_decoder
// (https://nodejs.org/api/string_decoder.html); they pass under Node 20 too.
import { test, assert, assertEquals, assertThrows, run } from '../../../testdata/harness.js';
import { StringDecoder } from 'node:string_decoder';
import * as bufferModule from 'node:buffer';

// Buffer is the free global here, which sockw's bundler supplies from
// node:buffer as Node does.

// feed writes each chunk and returns every piece the decoder produced.
function feed(enc, chunks) {
  const d = new StringDecoder(enc);
  const out = chunks.map((c) => d.write(Buffer.from(c)));
  out.push(d.end());
  return out;
}

test('the global Buffer is node:buffer', () => {
  assertEquals(Buffer, bufferModule.Buffer);
});

test('encoding names', () => {
  assertEquals(new StringDecoder().encoding, 'utf8');
  assertEquals(new StringDecoder('UTF-8').encoding, 'utf8');
  assertEquals(new StringDecoder('ucs2').encoding, 'utf16le');
  assertEquals(new StringDecoder('binary').encoding, 'latin1');
  assertEquals(new StringDecoder('hex').encoding, 'hex');
  const e = assertThrows(TypeError, () => new StringDecoder('nope'));
  assertEquals(e.code, 'ERR_UNKNOWN_ENCODING');
});

test('utf8 characters split across writes', () => {
  assertEquals(feed('utf8', [[0xe2, 0x82], [0xac]]), ['', '€', '']);
  assertEquals(feed('utf8', [[0xe2], [0x82], [0xac, 0x61]]), ['', '', '€a', '']);
  assertEquals(feed('utf8', [[0x61, 0xf0, 0x9f], [0x98, 0x80, 0x62]]), ['a', '\u{1F600}b', '']);
  assertEquals(feed('utf8', [[0xc3], [0xa9]]), ['', 'é', '']);
  assertEquals(feed('utf8', [[0x68, 0x69]]), ['hi', '']);
});

test('utf8 incomplete and invalid sequences', () => {
  assertEquals(feed('utf8', [[0xe2, 0x82]]), ['', '\ufffd']);
  assertEquals(feed('utf8', [[0xe2], [0x61]]), ['', '\ufffda', '']);
  assertEquals(feed('utf8', [[0xff, 0x61]]), ['\ufffda', '']);
  const d = new StringDecoder('utf8');
  assertEquals(d.write(Buffer.from([0xf0, 0x9f])), '');
  assertEquals(d.end(Buffer.from([0x98])), '\ufffd');
  assertEquals(d.end(), '', 'end resets');
  assertEquals(d.write(Buffer.from('ok')), 'ok');
});

test('utf16le units and surrogate pairs split across writes', () => {
  assertEquals(feed('utf16le', [[0x61], [0x00, 0x62], [0x00]]), ['', 'a', 'b', '']);
  const smile = Buffer.from('\u{1F600}', 'utf16le');
  assertEquals(feed('utf16le', [smile.subarray(0, 2), smile.subarray(2)]), ['', '\u{1F600}', '']);
  assertEquals(feed('utf16le', [smile.subarray(0, 1), smile.subarray(1)]), ['', '\u{1F600}', '']);
  assertEquals(feed('utf16le', [smile.subarray(0, 3), smile.subarray(3)]), ['\ud83d', '\ude00', '']);
  assertEquals(feed('utf16le', [[0x61, 0x00, 0x3d, 0xd8], smile.subarray(2)]), ['a', '\u{1F600}', '']);
  assertEquals(feed('utf16le', [[0x61, 0x00, 0x3d]]), ['a', '']);
  assertEquals(feed('utf16le', [smile.subarray(0, 2)]), ['', '\ud83d']);
});

test('base64 in groups of three bytes', () => {
  assertEquals(feed('base64', [[0x61], [0x62, 0x63, 0x64]]), ['', 'YWJj', 'ZA==']);
  assertEquals(feed('base64', [[0x61, 0x62, 0x63]]), ['YWJj', '']);
  assertEquals(feed('base64url', [[0xfb, 0xff], [0xbf]]), ['', '-_-_', '']);
});

test('hex, latin1 and ascii need no buffering', () => {
  assertEquals(feed('hex', [[0x01, 0xab], [0xff]]), ['01ab', 'ff', '']);
  assertEquals(feed('latin1', [[0xe9, 0x61]]), ['éa', '']);
  assertEquals(feed('ascii', [[0xe9, 0x61]]), ['ia', '']);
});

test('write accepts typed arrays and strings, rejects others', () => {
  const d = new StringDecoder('utf8');
  assertEquals(d.write(new Uint8Array([0x68, 0x69])), 'hi');
  assertEquals(d.write(new DataView(new Uint8Array([0x6f, 0x6b]).buffer)), 'ok');
  assertEquals(d.write('as is'), 'as is');
  const e = assertThrows(TypeError, () => d.write(5));
  assertEquals(e.code, 'ERR_INVALID_ARG_TYPE');
  assert(typeof StringDecoder.prototype.end === 'function', 'end');
});

await run();
