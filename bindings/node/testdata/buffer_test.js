// Conformance tests for node:buffer, node:string_decoder, node:util and
// node:assert, checked against Node 20 as well
// (node --experimental-detect-module buffer_test.js).
import { test, assert, assertEquals, assertThrows, assertRejects, run } from '../../../testdata/harness.js';
import { Buffer } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import util from 'node:util';
import { isDate, isUint8Array } from 'node:util/types';
import nodeAssert from 'node:assert';
import strict from 'node:assert/strict';

const code = (fn) => { try { fn(); } catch (e) { return e.code; } return 'no error'; };

test('Buffer is a Uint8Array subclass whose views stay Buffers', () => {
  const b = Buffer.from('héllo wörld');
  assert(b instanceof Uint8Array && Buffer.isBuffer(b));
  assertEquals(b.length, 13);
  const s = b.slice(1, 3);
  assert(Buffer.isBuffer(s) && s.constructor === Buffer);
  s[0] = 0x41;
  assertEquals(b[1], 0x41, 'slice shares memory');
  assert(Buffer.isBuffer(b.subarray(0, 2)));
  assertEquals(Buffer.isBuffer(new Uint8Array(2)), false);
  assertEquals(Buffer(3).length, 3);
});

test('encodings both ways', () => {
  const b = Buffer.from('héllo wörld', 'utf8');
  assertEquals(b.toString('hex'), '68c3a96c6c6f2077c3b6726c64');
  assertEquals(b.toString('base64'), 'aMOpbGxvIHfDtnJsZA==');
  assertEquals(b.toString('base64url'), 'aMOpbGxvIHfDtnJsZA');
  assertEquals(Buffer.from('aGVsbG8', 'base64').toString(), 'hello');
  assertEquals(Buffer.from('aGV sbG8=\n', 'base64').toString(), 'hello');
  assertEquals(Buffer.from('a-_b', 'base64').toString('hex'), '6befdb');
  assertEquals(Buffer.from('6869zz', 'hex').toString(), 'hi');
  assertEquals(Buffer.from('ab', 'utf16le').toString('hex'), '61006200');
  assertEquals(Buffer.from('é', 'latin1').toString('hex'), 'e9');
  assertEquals(Buffer.from([0xe9]).toString('latin1'), 'é');
  assertEquals(Buffer.from([0xe9, 0x41]).toString('ascii'), 'iA');
  assertEquals(Buffer.from([0xff, 0x61]).toString(), '\ufffda');
  assertEquals(Buffer.from('héllo').toString('utf8', 1, 3), 'é');
  assertEquals(code(() => Buffer.from('x', 'nope')), 'ERR_UNKNOWN_ENCODING');
  assertEquals(Buffer.isEncoding('UTF-8'), true);
  assertEquals(Buffer.isEncoding('nope'), false);
  assertEquals(Buffer.byteLength('héllo'), 6);
  assertEquals(Buffer.byteLength('€', 'utf16le'), 2);
});

test('from, alloc, concat, compare', () => {
  assertEquals(Buffer.from([1, 2, 256 + 3]).toString('hex'), '010203');
  assertEquals(Buffer.from(new Uint16Array([1, 256])).toString('hex'), '0100');
  const ab = new Uint8Array([5, 6, 7]).buffer;
  const view = Buffer.from(ab, 1, 1);
  assertEquals(view.toString('hex'), '06');
  new Uint8Array(ab)[1] = 9;
  assertEquals(view[0], 9, 'from(arrayBuffer) shares memory');
  assertEquals(Buffer.alloc(5, 'ab').toString(), 'ababa');
  assertEquals(Buffer.alloc(3, 0x41).toString(), 'AAA');
  assertEquals(Buffer.concat([Buffer.from('a'), Buffer.from('bc')]).toString(), 'abc');
  assertEquals(Buffer.concat([Buffer.from('abc')], 2).toString(), 'ab');
  assertEquals(Buffer.compare(Buffer.from('a'), Buffer.from('b')), -1);
  assertEquals(Buffer.from('abc').equals(Buffer.from('abc')), true);
  assertEquals(JSON.stringify(Buffer.from('hi')), '{"type":"Buffer","data":[104,105]}');
  assertEquals(Buffer.from({ type: 'Buffer', data: [104, 105] }).toString(), 'hi');
  assertEquals(code(() => Buffer.alloc(-1)), 'ERR_OUT_OF_RANGE');
  assertEquals(code(() => Buffer.from(5)), 'ERR_INVALID_ARG_TYPE');
});

test('search, copy, fill, write', () => {
  const b = Buffer.from('hello world');
  assertEquals(b.indexOf('o'), 4);
  assertEquals(b.indexOf('o', 5), 7);
  assertEquals(b.lastIndexOf('o'), 7);
  assertEquals(b.indexOf(Buffer.from('wor')), 6);
  assertEquals(b.indexOf(0x6c), 2);
  assertEquals(b.includes('xyz'), false);
  assertEquals(b.indexOf('o', -5), 7);
  assertEquals(b.indexOf('o', -3), -1);
  const t = Buffer.alloc(5);
  assertEquals(b.copy(t, 1, 6), 4);
  assertEquals(t.toString('hex'), '00776f726c');
  assertEquals(Buffer.alloc(6).fill('xy', 1, 5).toString('hex'), '007879787900');
  const w = Buffer.alloc(4);
  assertEquals(w.write('€€'), 3, 'a character never splits');
  assertEquals(w.toString('hex'), 'e282ac00');
  assertEquals(w.write('ab', 2, 'latin1'), 2);
  assertEquals(Buffer.from([1, 2, 3, 4]).swap16().toString('hex'), '02010403');
});

test('integers and floats', () => {
  const b = Buffer.alloc(10);
  assertEquals(b.writeUInt32LE(0xdeadbeef, 2), 6);
  assertEquals(b.toString('hex'), '0000efbeadde00000000');
  assertEquals(b.readInt32LE(2), -559038737);
  assertEquals(b.readUIntBE(2, 3), 15711917);
  assertEquals(b.readUint16LE(2), 0xbeef);
  assertEquals(Buffer.from([0xff]).readInt8(0), -1);
  const d = Buffer.alloc(8);
  d.writeDoubleBE(1.5);
  assertEquals(d.readDoubleBE(0), 1.5);
  d.writeBigUInt64BE(2n ** 63n);
  assertEquals(d.readBigUInt64BE(), 2n ** 63n);
  assertEquals(d.readBigInt64BE(), -(2n ** 63n));
  const v = Buffer.alloc(6);
  v.writeIntLE(-2, 0, 6);
  assertEquals(v.readIntLE(0, 6), -2);
  assertEquals(code(() => b.readUInt32LE(20)), 'ERR_OUT_OF_RANGE');
  assertEquals(code(() => b.writeUInt8(300, 0)), 'ERR_OUT_OF_RANGE');
});

test('StringDecoder keeps characters whole across chunks', () => {
  const d = new StringDecoder('utf8');
  const e = Buffer.from('€uro');
  assertEquals([d.write(e.subarray(0, 1)), d.write(e.subarray(1, 2)), d.write(e.subarray(2)), d.end()], ['', '', '€uro', '']);
  assertEquals(new StringDecoder('utf8').end(Buffer.from([0xe2])), '\ufffd');
  const b = new StringDecoder('base64');
  assertEquals([b.write(Buffer.from('ab')), b.write(Buffer.from('c')), b.end()], ['', 'YWJj', '']);
  const u = new StringDecoder('utf16le');
  assertEquals(u.write(Buffer.from([0x61])) + u.write(Buffer.from([0x00])), 'a');
});

test('util', async () => {
  assertEquals(util.format('%s=%d %j', 'a', 42, { x: 1 }), 'a=42 {"x":1}');
  assertEquals(util.inspect({ a: [1, 2], b: 'x' }), "{ a: [ 1, 2 ], b: 'x' }");
  assertEquals(util.inspect(Buffer.from('hi')), '<Buffer 68 69>');
  assertEquals(util.inspect({ [util.inspect.custom]: () => 'custom!' }), 'custom!');
  assert(isDate(new Date()) && !isDate({ [Symbol.toStringTag]: 'Date' }));
  assert(isUint8Array(Buffer.alloc(1)) && !isUint8Array(new Uint16Array(1)));
  function A() {}
  function B() {}
  util.inherits(B, A);
  assert(new B() instanceof A && B.super_ === A);
  const double = util.promisify((x, cb) => setTimeout(() => cb(null, x * 2), 1));
  assertEquals(await double(21), 42);
  const failing = util.promisify((cb) => cb(new Error('no')));
  await assertRejects(Error, failing());
  const viaCallback = await new Promise((resolve) => util.callbackify(async (x) => x + 1)(1, (err, v) => resolve(v)));
  assertEquals(viaCallback, 2);
  assertEquals(util.isDeepStrictEqual({ a: [1, { b: new Map([[1, 2]]) }] }, { a: [1, { b: new Map([[1, 2]]) }] }), true);
  assertEquals(util.isDeepStrictEqual([1], ['1']), false);
  assertEquals(util.types.isPromise(Promise.resolve()), true);
});

test('assert', async () => {
  nodeAssert(true);
  nodeAssert.deepStrictEqual({ a: [1] }, { a: [1] });
  nodeAssert.deepEqual({ a: 1 }, { a: '1' });
  nodeAssert.throws(() => { throw new TypeError('x'); }, TypeError);
  nodeAssert.throws(() => { throw new Error('boom'); }, { message: 'boom' });
  await nodeAssert.rejects(Promise.reject(new Error('boom')), /boom/);
  await nodeAssert.doesNotReject(Promise.resolve(1));
  const err = assertThrows(nodeAssert.AssertionError, () => nodeAssert.strictEqual(1, 2));
  assertEquals([err.code, err.operator, err.actual, err.expected, err.name], ['ERR_ASSERTION', 'strictEqual', 1, 2, 'AssertionError']);
  assertEquals(code(() => nodeAssert.deepStrictEqual({ a: 1 }, { a: '1' })), 'ERR_ASSERTION');
  assertEquals(code(() => strict.equal(1, '1')), 'ERR_ASSERTION');
  assertEquals(code(() => nodeAssert.ok(0)), 'ERR_ASSERTION');
  assertEquals(code(() => nodeAssert.ifError(new RangeError('r'))), 'ERR_ASSERTION');
  nodeAssert.ifError(null);
  nodeAssert.match('abc', /b/);
  assertEquals(code(() => nodeAssert.fail('stop')), 'ERR_ASSERTION');
});

await run();
