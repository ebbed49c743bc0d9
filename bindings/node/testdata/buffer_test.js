// Conformance tests for node:buffer (https://nodejs.org/api/buffer.html).
// They pass under Node 20 too, which is what proves they encode Node's
// behaviour.
import { test, assert, assertEquals, assertThrows, run } from '../../../testdata/harness.js';
import * as bufferModule from 'node:buffer';
import { Buffer, SlowBuffer, kMaxLength, constants, transcode, isUtf8, isAscii } from 'node:buffer';
import BufferDefault from 'buffer';
import { inspect } from 'node:util';

const hex = (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const bytes = (b) => Array.from(b);

function throwsCode(ErrorType, code, fn, message) {
  const e = assertThrows(ErrorType, fn, undefined, message);
  assertEquals(e.code, code, message);
  return e;
}

test('Buffer is a Uint8Array subclass', () => {
  const b = Buffer.from('abc');
  assert(b instanceof Uint8Array, 'instanceof Uint8Array');
  assert(b instanceof Buffer, 'instanceof Buffer');
  assertEquals(Object.getPrototypeOf(Buffer.prototype), Uint8Array.prototype);
  assertEquals(Object.getPrototypeOf(Buffer), Uint8Array);
  assertEquals(b.constructor, Buffer);
  assertEquals(Buffer.name, 'Buffer');
  assert(Buffer.isBuffer(b), 'isBuffer');
  assert(!Buffer.isBuffer(new Uint8Array(2)), 'a Uint8Array is not a Buffer');
  assert(!Buffer.isBuffer('abc'), 'a string is not a Buffer');
  assertEquals(BufferDefault.Buffer, Buffer);
  assertEquals(bufferModule.Buffer, Buffer);
});

test('slice and subarray share memory and are Buffers', () => {
  const b = Buffer.from([1, 2, 3, 4]);
  const s = b.slice(1, 3);
  const u = b.subarray(2);
  assert(s instanceof Buffer && u instanceof Buffer, 'Buffers');
  s[0] = 9;
  u[1] = 8;
  assertEquals(bytes(b), [1, 9, 3, 8]);
  assertEquals(bytes(b.slice(-2)), [3, 8]);
  assertEquals(b.slice(3, 1).length, 0);
  assert(b.map((x) => x * 2) instanceof Buffer, 'map');
});

test('callable Buffer() and new Buffer()', () => {
  assertEquals(Buffer('abc').toString(), 'abc');
  assertEquals(new Buffer('abc').toString(), 'abc');
  assertEquals(new Buffer(3).length, 3);
  assertEquals(bytes(Buffer(3)), [0, 0, 0]);
  assertEquals(Buffer([1, 2]).length, 2);
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => Buffer(3, 'utf8'));
});

test('Buffer.from strings in every encoding', () => {
  assertEquals(hex(Buffer.from('héllo')), '68c3a96c6c6f');
  assertEquals(hex(Buffer.from('héllo', 'utf-8')), '68c3a96c6c6f');
  assertEquals(hex(Buffer.from('héllo', 'UTF8')), '68c3a96c6c6f');
  assertEquals(hex(Buffer.from('\u{1F600}')), 'f09f9880');
  assertEquals(hex(Buffer.from('a\ud800b')), '61efbfbd62');
  assertEquals(hex(Buffer.from('0a1B', 'hex')), '0a1b');
  assertEquals(hex(Buffer.from('abzz', 'hex')), 'ab');
  assertEquals(hex(Buffer.from('abc', 'hex')), 'ab');
  assertEquals(hex(Buffer.from('zzab', 'hex')), '');
  assertEquals(hex(Buffer.from('aé€', 'latin1')), '61e9ac');
  assertEquals(hex(Buffer.from('aé€', 'binary')), '61e9ac');
  assertEquals(hex(Buffer.from('aé€', 'ascii')), '61e9ac');
  assertEquals(hex(Buffer.from('a€', 'ucs2')), '6100ac20');
  assertEquals(hex(Buffer.from('a\ud800', 'utf16le')), '610000d8');
  assertEquals(hex(Buffer.from('a€', 'UTF-16LE')), '6100ac20');
  assertEquals(hex(Buffer.from('', 'hex')), '');
  assertEquals(Buffer.from('').length, 0);
  throwsCode(TypeError, 'ERR_UNKNOWN_ENCODING', () => Buffer.from('a', 'nope'));
});

test('base64 decoding is lenient like Node', () => {
  const cases = [
    ['YWJj', 'abc'], ['YW Jj', 'abc'], ['Y\tW\nJj', 'abc'], ['YWJ', 'ab'], ['YWJjZA', 'abcd'],
    ['YWJjZA==', 'abcd'], ['YWJjZA=', 'abcd'], ['YQ==YQ==', 'a'], ['YW=Jj', 'a'], ['=YWJj', ''],
    ['YWJj!ZA', 'abcd'], ['\u00ffYWJj', 'abc'], ['Y', ''], ['', ''],
  ];
  for (const [input, want] of cases) assertEquals(Buffer.from(input, 'base64').toString('latin1'), want, JSON.stringify(input));
  assertEquals(hex(Buffer.from('-_-_', 'base64')), 'fbffbf');
  assertEquals(hex(Buffer.from('+/+/', 'base64url')), 'fbffbf');
  const all = Buffer.alloc(256);
  for (let i = 0; i < 256; i++) all[i] = i;
  assertEquals(Buffer.from(all.toString('base64'), 'base64').equals(all), true);
  assertEquals(Buffer.from(all.toString('base64url'), 'base64url').equals(all), true);
});

test('toString in every encoding', () => {
  const b = Buffer.from([0x61, 0xff, 0x80, 0xe9]);
  assertEquals(b.toString('latin1'), 'a\u00ff\u0080\u00e9');
  assertEquals(b.toString('ascii'), 'a\u007f\u0000i');
  assertEquals(b.toString('hex'), '61ff80e9');
  assertEquals(b.toString('base64'), 'Yf+A6Q==');
  assertEquals(b.toString('base64url'), 'Yf-A6Q');
  assertEquals(Buffer.from([1, 2, 3, 4, 5]).toString('ucs2'), '\u0201\u0403');
  assertEquals(Buffer.from([0xe2, 0x82, 0x61, 0xf0, 0x9f, 0x98]).toString(), '\ufffda\ufffd');
  assertEquals(Buffer.from([0xc0, 0x80, 0xed, 0xa0, 0x80]).toString(), '\ufffd\ufffd\ufffd\ufffd\ufffd');
  assertEquals(Buffer.from('\ufffd').toString(), '\ufffd');
  assertEquals(Buffer.from('héllo').toString('utf8', 1, 3), 'é');
  assertEquals(Buffer.from('hello').toString(undefined, 1), 'ello');
  assertEquals(Buffer.from('hello').toString('utf8', -5, 100), 'hello');
  assertEquals(Buffer.from('hello').toString('utf8', 4, 2), '');
  assertEquals(Buffer.from('hello').toString('utf8', 9), '');
  assertEquals(Buffer.from('hello').toLocaleString(), 'hello');
  throwsCode(TypeError, 'ERR_UNKNOWN_ENCODING', () => b.toString('nope'));
  const long = 'x'.repeat(1000) + 'é';
  assertEquals(Buffer.from(long).toString(), long);
});

test('Buffer.from arrays, array-likes, buffers and objects', () => {
  assertEquals(bytes(Buffer.from([1, 256, -1, 3.7, '4'])), [1, 0, 255, 3, 4]);
  assertEquals(bytes(Buffer.from({ length: 2, 0: 5, 1: 6 })), [5, 6]);
  assertEquals(bytes(Buffer.from(new Uint16Array([0x1234, 2]))), [0x34, 2]);
  const src = Buffer.from([1, 2]);
  const copy = Buffer.from(src);
  copy[0] = 9;
  assertEquals(src[0], 1, 'a copy');
  assertEquals(bytes(Buffer.from({ type: 'Buffer', data: [7, 8] })), [7, 8]);
  assertEquals(bytes(Buffer.from(new String('hi'))), [104, 105]);
  assertEquals(bytes(Buffer.from({ [Symbol.toPrimitive]: () => 'ok' })), [111, 107]);
  assertEquals(Buffer.from({ valueOf: () => 'ab' }).toString(), 'ab');
  assertEquals(Buffer.from({ length: 'x' }).length, 0);
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => Buffer.from(5));
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => Buffer.from(null));
  const e = throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => Buffer.from({}));
  assertEquals(e.message, 'The first argument must be of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object. Received an instance of Object');
});

test('Buffer.from ArrayBuffer shares memory', () => {
  const ab = new ArrayBuffer(8);
  const b = Buffer.from(ab, 2, 4);
  assertEquals(b.byteOffset, 2);
  assertEquals(b.length, 4);
  b[0] = 7;
  assertEquals(new Uint8Array(ab)[2], 7);
  assertEquals(Buffer.from(ab).length, 8);
  assertEquals(Buffer.from(ab, 6).length, 2);
  assertEquals(Buffer.from(ab, 'x').length, 8);
  throwsCode(RangeError, 'ERR_BUFFER_OUT_OF_BOUNDS', () => Buffer.from(ab, 9));
  throwsCode(RangeError, 'ERR_BUFFER_OUT_OF_BOUNDS', () => Buffer.from(ab, 1, 9));
});

test('alloc, allocUnsafe, allocUnsafeSlow, SlowBuffer', () => {
  assertEquals(bytes(Buffer.alloc(3)), [0, 0, 0]);
  assertEquals(bytes(Buffer.alloc(5, 'ab')), [97, 98, 97, 98, 97]);
  assertEquals(bytes(Buffer.alloc(3, 7)), [7, 7, 7]);
  assertEquals(bytes(Buffer.alloc(4, 'YQ==', 'base64')), [97, 97, 97, 97]);
  assertEquals(bytes(Buffer.alloc(3, Buffer.from([1, 2]))), [1, 2, 1]);
  assertEquals(Buffer.allocUnsafe(10).length, 10);
  assertEquals(Buffer.allocUnsafeSlow(10).length, 10);
  assert(Buffer.allocUnsafe(1) instanceof Buffer, 'allocUnsafe makes a Buffer');
  assertEquals(SlowBuffer(4).length, 4);
  const e = throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => Buffer.alloc(-1));
  assertEquals(e.message, 'The value of "size" is out of range. It must be >= 0 && <= 4294967296. Received -1');
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => Buffer.alloc('1'));
  throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => Buffer.allocUnsafe(kMaxLength + 1));
  assertEquals(constants.MAX_LENGTH, kMaxLength);
  assertEquals(typeof constants.MAX_STRING_LENGTH, 'number');
  assertEquals(Buffer.poolSize, 8192);
});

test('byteLength, isEncoding', () => {
  assertEquals(Buffer.byteLength('héllo'), 6);
  assertEquals(Buffer.byteLength('\u{1F600}'), 4);
  assertEquals(Buffer.byteLength('a\ud800b'), 5);
  assertEquals(Buffer.byteLength('abcd', 'hex'), 2);
  assertEquals(Buffer.byteLength('héllo', 'latin1'), 5);
  assertEquals(Buffer.byteLength('héllo', 'ucs2'), 10);
  assertEquals(Buffer.byteLength('YW Jj', 'base64'), 3);
  assertEquals(Buffer.byteLength('YQ==YQ==', 'base64'), 4);
  assertEquals(Buffer.byteLength('YWJjZA', 'base64url'), 4);
  assertEquals(Buffer.byteLength('abc', 'nope'), 3);
  assertEquals(Buffer.byteLength(new Uint16Array(3)), 6);
  assertEquals(Buffer.byteLength(new ArrayBuffer(5)), 5);
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => Buffer.byteLength(5));
  for (const enc of ['utf8', 'UTF-8', 'hex', 'base64', 'base64url', 'ascii', 'latin1', 'binary', 'ucs2', 'ucs-2', 'utf16le', 'utf-16le']) {
    assert(Buffer.isEncoding(enc), enc);
  }
  assert(!Buffer.isEncoding('nope') && !Buffer.isEncoding('') && !Buffer.isEncoding(null), 'not encodings');
});

test('compare, equals, concat', () => {
  const a = Buffer.from('abc');
  const b = Buffer.from('abd');
  assertEquals(Buffer.compare(a, b), -1);
  assertEquals(Buffer.compare(b, a), 1);
  assertEquals(Buffer.compare(a, Buffer.from('abc')), 0);
  assertEquals(Buffer.compare(a, Buffer.from('ab')), 1);
  assertEquals([b, a].sort(Buffer.compare)[0], a);
  assertEquals(a.compare(b), -1);
  assertEquals(a.compare(b, 0, 2, 0, 2), 0);
  assertEquals(a.compare(b, 2, 3, 2, 3), -1);
  assertEquals(a.compare(b, 1, 1), 1);
  assertEquals(a.compare(b, 0, 3, 1, 1), -1);
  throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => a.compare(b, 0, 9));
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => Buffer.compare(1, a));
  assert(a.equals(Buffer.from('abc')) && !a.equals(b) && a.equals(new Uint8Array([97, 98, 99])), 'equals');
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => a.equals('abc'));
  assertEquals(Buffer.concat([a, b]).toString(), 'abcabd');
  assertEquals(Buffer.concat([a, b], 4).toString(), 'abca');
  assertEquals(bytes(Buffer.concat([a], 5)), [97, 98, 99, 0, 0]);
  assertEquals(Buffer.concat([]).length, 0);
  assert(Buffer.concat([new Uint8Array([1])]) instanceof Buffer, 'concat makes a Buffer');
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => Buffer.concat([1]));
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => Buffer.concat('x'));
});

test('write', () => {
  const b = Buffer.alloc(5);
  assertEquals(b.write('a€b'), 5);
  assertEquals(hex(b), '61e282ac62');
  assertEquals(b.write('€€', 2), 3);
  assertEquals(hex(b), '61e2e282ac');
  b.fill(0);
  assertEquals(b.write('€', 3), 0, 'no partial characters');
  assertEquals(b.write('abcd', 1, 2, 'hex'), 2);
  assertEquals(hex(b), '00abcd0000');
  assertEquals(b.write('abc', 4, 'utf16le'), 0);
  assertEquals(b.write('ab', 'latin1'), 2);
  assertEquals(b.write('xyz', 1, 'ascii'), 3);
  assertEquals(b.toString('latin1'), 'axyz\u0000');
  assertEquals(b.write('YWJj', 0, 'base64'), 3);
  assertEquals(b.write('abc', 3, 5), 2);
  assertEquals(b.toString(), 'abcab');
  throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => b.write('a', 6));
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => b.write(1));
  throwsCode(TypeError, 'ERR_UNKNOWN_ENCODING', () => b.write('a', 0, 1, 'nope'));
  assertEquals(b.utf8Write('zz', 1), 2);
  assertEquals(b.latin1Slice(0, 3), 'azz');
  assertEquals(b.hexSlice(0, 2), '617a');
});

test('copy', () => {
  const src = Buffer.from('abcdef');
  const dst = Buffer.alloc(4, '.');
  assertEquals(src.copy(dst), 4);
  assertEquals(dst.toString(), 'abcd');
  assertEquals(src.copy(dst, 1, 4), 2);
  assertEquals(dst.toString(), 'aefd');
  assertEquals(src.copy(dst, 9), 0);
  assertEquals(src.copy(dst, 0, 2, 1), 0);
  const self = Buffer.from('abcdef');
  self.copy(self, 2, 0, 4);
  assertEquals(self.toString(), 'ababcd', 'overlapping');
  throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => src.copy(dst, -1));
  throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => src.copy(dst, 0, 7));
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => src.copy('x'));
});

test('fill', () => {
  const b = Buffer.alloc(6);
  assertEquals(b.fill('ab'), b);
  assertEquals(b.toString(), 'ababab');
  b.fill(0x41, 2, 4);
  assertEquals(b.toString(), 'abAAab');
  b.fill('€', 'utf8');
  assertEquals(hex(b), 'e282ace282ac');
  b.fill('6162', 1, 'hex');
  assertEquals(hex(b), 'e26162616261');
  b.fill('');
  assertEquals(bytes(b), [0, 0, 0, 0, 0, 0]);
  b.fill(257);
  assertEquals(b[0], 1);
  b.fill(Buffer.from([1, 2, 3, 4]), 1, 4);
  assertEquals(bytes(b), [1, 1, 2, 3, 1, 1]);
  throwsCode(TypeError, 'ERR_INVALID_ARG_VALUE', () => b.fill('zz', 'hex'));
  throwsCode(TypeError, 'ERR_UNKNOWN_ENCODING', () => b.fill('a', 'nope'));
  throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => b.fill('a', 0, 7));
});

test('indexOf, lastIndexOf, includes', () => {
  const b = Buffer.from('this is a buffer');
  assertEquals(b.indexOf('this'), 0);
  assertEquals(b.indexOf('is'), 2);
  assertEquals(b.indexOf('is', 3), 5);
  assertEquals(b.indexOf('is', -11), 5);
  assertEquals(b.indexOf(Buffer.from('a buffer')), 8);
  assertEquals(b.indexOf(97), 8);
  assertEquals(b.indexOf(97 + 256), 8);
  assertEquals(b.indexOf('zz'), -1);
  assertEquals(b.indexOf(''), 0);
  assertEquals(b.indexOf('', 3), 3);
  assertEquals(b.indexOf('', 99), 16);
  assertEquals(b.indexOf('is', 99), -1);
  assertEquals(b.indexOf('6973', 0, 'hex'), 2);
  assertEquals(b.indexOf('is', 'latin1'), 2);
  assertEquals(b.lastIndexOf('is'), 5);
  assertEquals(b.lastIndexOf('is', 4), 2);
  assertEquals(b.lastIndexOf('is', -12), 2);
  assertEquals(b.lastIndexOf('is', -99), -1);
  assertEquals(b.lastIndexOf(Buffer.from('buffer')), 10);
  assertEquals(b.lastIndexOf('f'), 13);
  assertEquals(b.lastIndexOf('t', 99), 0);
  assert(b.includes('buf') && !b.includes('buf', 11) && b.includes(116), 'includes');
  const u = Buffer.from('\u0161\u0101x', 'ucs2');
  assertEquals(u.indexOf('\u0101', 0, 'ucs2'), 2);
  assertEquals(u.indexOf('x', 'ucs2'), 4);
  assertEquals(Buffer.from([1, 0x61, 0, 0x61]).indexOf('a', 'ucs2'), -1, 'even offsets only');
  assertEquals(Buffer.from([0, 0, 0x61, 0]).indexOf('a', 'ucs2'), 2);
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => b.indexOf({}));
  throwsCode(TypeError, 'ERR_UNKNOWN_ENCODING', () => b.indexOf('a', 0, 'nope'));
});

test('toJSON and JSON.stringify', () => {
  const b = Buffer.from([1, 2, 3]);
  assertEquals(JSON.stringify(b), '{"type":"Buffer","data":[1,2,3]}');
  assertEquals(Buffer.from(JSON.parse(JSON.stringify(b))).equals(b), true);
  assertEquals(JSON.stringify(Buffer.alloc(0)), '{"type":"Buffer","data":[]}');
});

test('swap16, swap32, swap64', () => {
  const b = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]);
  assertEquals(b.swap16(), b);
  assertEquals(bytes(b), [2, 1, 4, 3, 6, 5, 8, 7]);
  assertEquals(bytes(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]).swap32()), [4, 3, 2, 1, 8, 7, 6, 5]);
  assertEquals(bytes(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]).swap64()), [8, 7, 6, 5, 4, 3, 2, 1]);
  const e = throwsCode(RangeError, 'ERR_INVALID_BUFFER_SIZE', () => Buffer.alloc(3).swap16());
  assertEquals(e.message, 'Buffer size must be a multiple of 16-bits');
  throwsCode(RangeError, 'ERR_INVALID_BUFFER_SIZE', () => Buffer.alloc(6).swap32());
  throwsCode(RangeError, 'ERR_INVALID_BUFFER_SIZE', () => Buffer.alloc(4).swap64());
});

test('integer reads', () => {
  const b = Buffer.from([0x01, 0x02, 0x03, 0x04, 0xff, 0xfe, 0xfd, 0xfc]);
  assertEquals(b.readUInt8(0), 1);
  assertEquals(b.readUint8(4), 255);
  assertEquals(b.readInt8(4), -1);
  assertEquals(b.readUInt16BE(0), 0x0102);
  assertEquals(b.readUInt16LE(0), 0x0201);
  assertEquals(b.readUint16LE(0), 0x0201);
  assertEquals(b.readInt16BE(4), -2);
  assertEquals(b.readInt16LE(4), -257);
  assertEquals(b.readUInt32BE(0), 0x01020304);
  assertEquals(b.readUInt32LE(0), 0x04030201);
  assertEquals(b.readUint32BE(4), 0xfffefdfc);
  assertEquals(b.readInt32BE(4), -66052);
  assertEquals(b.readInt32LE(4), -50462977);
  assertEquals(b.readUIntBE(0, 3), 0x010203);
  assertEquals(b.readUIntLE(0, 3), 0x030201);
  assertEquals(b.readUintBE(2, 6), 0x0304fffefdfc);
  assertEquals(b.readIntBE(4, 3), -259);
  assertEquals(b.readIntLE(2, 6), -3307141659645);
  assertEquals(b.readIntBE(0, 1), 1);
  assertEquals(b.readUInt8(), 1);
  assertEquals(b.readUInt8 === b.readUint8, true);
});

test('integer read errors', () => {
  const b = Buffer.alloc(4);
  throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => b.readUInt32BE(1));
  throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => b.readUInt32BE(-1));
  const e = throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => b.readUInt8(1.5));
  assertEquals(e.message, 'The value of "offset" is out of range. It must be an integer. Received 1.5');
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => b.readUInt16BE('1'));
  throwsCode(RangeError, 'ERR_BUFFER_OUT_OF_BOUNDS', () => Buffer.alloc(2).readUInt32LE(0));
  throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => b.readIntBE(0, 7));
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => b.readIntBE(0));
});

test('integer writes', () => {
  const b = Buffer.alloc(8);
  assertEquals(b.writeUInt8(0xff, 0), 1);
  assertEquals(b.writeInt8(-2, 1), 2);
  assertEquals(hex(b.subarray(0, 2)), 'fffe');
  assertEquals(b.writeUInt16BE(0x1234, 0), 2);
  assertEquals(b.writeUInt16LE(0x1234, 2), 4);
  assertEquals(hex(b.subarray(0, 4)), '12343412');
  b.writeInt16BE(-2, 0);
  b.writeInt16LE(-2, 2);
  assertEquals(hex(b.subarray(0, 4)), 'fffefeff');
  b.writeUInt32BE(0xdeadbeef, 0);
  b.writeUint32LE(0xdeadbeef, 4);
  assertEquals(hex(b), 'deadbeefefbeadde');
  b.writeInt32BE(-2, 0);
  b.writeInt32LE(-2, 4);
  assertEquals(hex(b), 'fffffffefeffffff');
  assertEquals(b.writeUIntBE(0x123456, 0, 3), 3);
  assertEquals(b.writeUIntLE(0x123456, 3, 3), 6);
  assertEquals(hex(b.subarray(0, 6)), '123456563412');
  b.writeUIntBE(2 ** 48 - 1, 0, 6);
  assertEquals(b.readUIntBE(0, 6), 2 ** 48 - 1);
  b.writeIntLE(-(2 ** 47), 0, 6);
  assertEquals(b.readIntLE(0, 6), -(2 ** 47));
  b.writeIntBE(-123456, 1, 5);
  assertEquals(b.readIntBE(1, 5), -123456);
  const e = throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => b.writeUInt8(300));
  assertEquals(e.message, 'The value of "value" is out of range. It must be >= 0 and <= 255. Received 300');
  throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => b.writeInt16LE(40000));
  throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => b.writeUInt32BE(-1));
  const e48 = throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => b.writeUIntBE(2 ** 48, 0, 6));
  assertEquals(e48.message, 'The value of "value" is out of range. It must be >= 0 and < 2 ** 48. Received 281_474_976_710_656');
  throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => b.writeUInt32BE(1, 5));
});

test('floats and doubles', () => {
  const b = Buffer.alloc(8);
  assertEquals(b.writeFloatBE(1.5), 4);
  assertEquals(hex(b.subarray(0, 4)), '3fc00000');
  assertEquals(b.readFloatBE(0), 1.5);
  b.writeFloatLE(-0.25, 4);
  assertEquals(hex(b.subarray(4)), '000080be');
  assertEquals(b.readFloatLE(4), -0.25);
  assertEquals(b.writeDoubleBE(Math.PI), 8);
  assertEquals(hex(b), '400921fb54442d18');
  assertEquals(b.readDoubleBE(0), Math.PI);
  b.writeDoubleLE(Math.PI);
  assertEquals(hex(b), '182d4454fb210940');
  assertEquals(b.readDoubleLE(), Math.PI);
  b.writeFloatBE(0.1);
  assertEquals(b.readFloatBE(), Math.fround(0.1));
  b.writeDoubleLE(NaN);
  assert(Number.isNaN(b.readDoubleLE()), 'NaN');
  throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => b.readDoubleLE(1));
  throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => b.writeFloatLE(1, 5));
});

test('BigInt64', () => {
  const b = Buffer.alloc(8);
  assertEquals(b.writeBigInt64BE(-2n), 8);
  assertEquals(hex(b), 'fffffffffffffffe');
  assertEquals(b.readBigInt64BE(), -2n);
  assertEquals(b.readBigUInt64BE(), 2n ** 64n - 2n);
  assertEquals(b.readBigUint64BE(), 2n ** 64n - 2n);
  b.writeBigUInt64LE(0x0102030405060708n);
  assertEquals(hex(b), '0807060504030201');
  assertEquals(b.readBigUInt64LE(), 0x0102030405060708n);
  assertEquals(b.readBigInt64LE(), 0x0102030405060708n);
  b.writeBigInt64LE(-(2n ** 63n));
  assertEquals(b.readBigInt64LE(), -(2n ** 63n));
  b.writeBigUint64BE(2n ** 64n - 1n);
  assertEquals(hex(b), 'ffffffffffffffff');
  throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => b.writeBigInt64LE(2n ** 63n));
  throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => b.writeBigUInt64LE(-1n));
  assertThrows(TypeError, () => b.writeBigInt64LE(1));
  throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => b.readBigInt64LE(1));
});

test('inspect shows the bytes', () => {
  assertEquals(inspect(Buffer.from('hi')), '<Buffer 68 69>');
  assertEquals(inspect(Buffer.alloc(0)), '<Buffer >');
  assertEquals(inspect(Buffer.alloc(51)), `<Buffer ${'00 '.repeat(50)}... 1 more byte>`);
});

test('deprecated parent and offset', () => {
  const ab = new ArrayBuffer(4);
  const b = Buffer.from(ab, 1);
  assertEquals(b.parent, ab);
  assertEquals(b.offset, 1);
});

test('Buffer.of and Buffer.copyBytesFrom', () => {
  const b = Buffer.of(1, 2, 300);
  assert(b instanceof Buffer, 'of makes a Buffer');
  assertEquals(bytes(b), [1, 2, 44]);
  const u16 = new Uint16Array([0x0102, 0x0304, 0x0506]);
  assertEquals(bytes(Buffer.copyBytesFrom(u16, 1, 1)).length, 2);
  assertEquals(Buffer.copyBytesFrom(u16).length, 6);
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => Buffer.copyBytesFrom([1]));
});

test('transcode, isUtf8, isAscii, atob, btoa', () => {
  assertEquals(hex(transcode(Buffer.from('a€'), 'utf8', 'ucs2')), '6100ac20');
  assertEquals(transcode(Buffer.from('aé'), 'utf8', 'latin1').toString('latin1'), 'aé');
  assertEquals(transcode(Buffer.from('a€'), 'utf8', 'ascii').toString(), 'a?');
  assert(isUtf8(Buffer.from('é')) && !isUtf8(Buffer.from([0xff])), 'isUtf8');
  assert(isAscii(Buffer.from('abc')) && !isAscii(Buffer.from('é')), 'isAscii');
  assertEquals(bufferModule.atob('YWJj'), 'abc');
  assertEquals(bufferModule.btoa('abc'), 'YWJj');
  assertEquals(bufferModule.INSPECT_MAX_BYTES, 50);
  assertEquals(typeof bufferModule.kStringMaxLength, 'number');
});

test('coded errors look like Node\'s', () => {
  const e = throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => Buffer.alloc(-1));
  assertEquals(String(e), 'RangeError [ERR_OUT_OF_RANGE]: The value of "size" is out of range. It must be >= 0 && <= 4294967296. Received -1');
  assertEquals(e.name, 'RangeError');
  assertEquals(Object.keys(e), ['code']);
});

await run();
