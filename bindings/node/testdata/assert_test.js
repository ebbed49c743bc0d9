// Conformance tests for node:assert and node:assert/strict
// (https://nodejs.org/api/assert.html); they pass under Node 20 too.
import { test, assert as check, assertEquals, assertThrows, assertRejects, run } from '../../../testdata/harness.js';
import assert, { AssertionError } from 'node:assert';
import strict from 'node:assert/strict';
import bare from 'assert';

// fails runs fn and returns the AssertionError it throws.
function fails(fn, operator) {
  const e = assertThrows(AssertionError, fn);
  assertEquals(e.code, 'ERR_ASSERTION');
  assertEquals(e.name, 'AssertionError');
  if (operator !== undefined) assertEquals(e.operator, operator);
  return e;
}

async function failsAsync(p, operator) {
  const e = await assertRejects(AssertionError, p);
  assertEquals(e.code, 'ERR_ASSERTION');
  if (operator !== undefined) assertEquals(e.operator, operator);
  return e;
}

test('module shapes', () => {
  assertEquals(typeof assert, 'function');
  assertEquals(bare, assert);
  assertEquals(assert.strict, strict);
  assertEquals(strict.strict, strict);
  assertEquals(typeof strict, 'function');
  assertEquals(strict.equal, assert.strictEqual);
  assertEquals(strict.deepEqual, assert.deepStrictEqual);
  assertEquals(strict.notEqual, assert.notStrictEqual);
  assertEquals(strict.notDeepEqual, assert.notDeepStrictEqual);
  assertEquals(assert.AssertionError, AssertionError);
  check(new AssertionError({ message: 'm' }) instanceof Error, 'an Error');
});

test('assert and ok', () => {
  assert(true);
  assert(1, 'fine');
  assert.ok('x');
  strict(1);
  const e = fails(() => assert(0), '==');
  assertEquals(e.actual, 0);
  assertEquals(e.expected, true);
  assertEquals(e.generatedMessage, true);
  const m = fails(() => assert.ok(false, 'custom'));
  assertEquals(m.message, 'custom');
  assertEquals(m.generatedMessage, false);
  fails(() => assert.ok());
  const own = new TypeError('mine');
  assertEquals(assertThrows(TypeError, () => assert(false, own)), own);
});

test('AssertionError', () => {
  const e = new AssertionError({ actual: 1, expected: 2, operator: 'strictEqual' });
  assertEquals(e.code, 'ERR_ASSERTION');
  assertEquals(e.actual, 1);
  assertEquals(e.expected, 2);
  assertEquals(e.operator, 'strictEqual');
  assertEquals(e.generatedMessage, true);
  check(e.message.includes('strictly equal'), e.message);
  assertEquals(new AssertionError({ message: 'x' }).message, 'x');
  assertEquals(String(new AssertionError({ message: 'x' })), 'AssertionError [ERR_ASSERTION]: x');
  assertEquals(assertThrows(TypeError, () => new AssertionError()).code, 'ERR_INVALID_ARG_TYPE');
});

test('equal and notEqual are loose', () => {
  assert.equal(1, '1');
  assert.equal(null, undefined);
  assert.equal(NaN, NaN);
  fails(() => assert.equal(1, 2), '==');
  assert.notEqual(1, 2);
  fails(() => assert.notEqual(1, '1'), '!=');
  fails(() => assert.notEqual(NaN, NaN), '!=');
  assertEquals(assertThrows(TypeError, () => assert.equal(1)).code, 'ERR_MISSING_ARGS');
});

test('strictEqual and notStrictEqual use Object.is', () => {
  assert.strictEqual(1, 1);
  assert.strictEqual(NaN, NaN);
  const e = fails(() => assert.strictEqual(1, '1'), 'strictEqual');
  assertEquals(e.actual, 1);
  assertEquals(e.expected, '1');
  fails(() => strict.equal(0, -0), 'strictEqual');
  assert.notStrictEqual(1, '1');
  fails(() => assert.notStrictEqual(1, 1), 'notStrictEqual');
  check(fails(() => assert.strictEqual(1, 2, 'mine')).message.startsWith('mine'), 'the message');
});

test('deepEqual is loose, deepStrictEqual is strict', () => {
  assert.deepEqual({ a: 1, b: [1, 2] }, { a: '1', b: ['1', 2] });
  assert.deepEqual(new Date(1), new Date(1));
  fails(() => assert.deepEqual({ a: 1 }, { a: 2 }), 'deepEqual');
  assert.notDeepEqual({ a: 1 }, { a: 2 });
  fails(() => assert.notDeepEqual({ a: 1 }, { a: '1' }), 'notDeepEqual');
  assert.deepStrictEqual({ a: [1, { b: new Map([[1, 2]]) }] }, { a: [1, { b: new Map([[1, 2]]) }] });
  fails(() => assert.deepStrictEqual({ a: 1 }, { a: '1' }), 'deepStrictEqual');
  fails(() => strict.deepEqual([1], ['1']), 'deepStrictEqual');
  fails(() => assert.deepStrictEqual(Object.create(null), {}), 'deepStrictEqual');
  assert.notDeepStrictEqual({ a: 1 }, { a: '1' });
  fails(() => assert.notDeepStrictEqual([1], [1]), 'notDeepStrictEqual');
  assert.deepStrictEqual(new Set([{ a: 1 }, 2]), new Set([2, { a: 1 }]));
  assert.deepStrictEqual(Buffer.from('ab'), Buffer.from('ab'));
  fails(() => assert.deepStrictEqual(Buffer.from('ab'), new Uint8Array([97, 98])));
  assert.deepStrictEqual(new Error('x'), new Error('x'));
  fails(() => assert.deepStrictEqual(new Error('x'), new TypeError('x')));
});

test('throws', () => {
  assert.throws(() => { throw new TypeError('bad thing'); });
  assert.throws(() => { throw new TypeError('bad thing'); }, TypeError);
  assert.throws(() => { throw new TypeError('bad thing'); }, Error);
  assert.throws(() => { throw new TypeError('bad thing'); }, /bad/);
  assert.throws(() => { throw new TypeError('bad thing'); }, { name: 'TypeError', message: /thing/ });
  assert.throws(() => { throw new TypeError('bad thing'); }, (e) => e instanceof TypeError);
  const missing = fails(() => assert.throws(() => {}), 'throws');
  assertEquals(missing.message, 'Missing expected exception.');
  assertEquals(fails(() => assert.throws(() => {}, TypeError)).message, 'Missing expected exception (TypeError).');
  assertEquals(fails(() => assert.throws(() => {}, 'why')).message, 'Missing expected exception: why');
  fails(() => assert.throws(() => { throw new Error('a'); }, /b/));
  fails(() => assert.throws(() => { throw new Error('a'); }, { message: 'b' }));
  fails(() => assert.throws(() => { throw new Error('a'); }, TypeError));
  const other = assertThrows(RangeError, () => assert.throws(() => { throw new RangeError('r'); }, () => { throw new RangeError('from validator'); }));
  assertEquals(other.message, 'from validator');
  fails(() => assert.throws(() => { throw new Error('a'); }, () => false));
  assertEquals(assertThrows(TypeError, () => assert.throws('not a function')).code, 'ERR_INVALID_ARG_TYPE');
  assertEquals(assertThrows(TypeError, () => assert.throws(() => { throw new Error(); }, {})).code, 'ERR_INVALID_ARG_VALUE');
});

test('doesNotThrow', () => {
  assert.doesNotThrow(() => {});
  const e = fails(() => assert.doesNotThrow(() => { throw new Error('oops'); }), 'doesNotThrow');
  check(e.message.includes('Got unwanted exception') && e.message.includes('oops'), e.message);
  const passthrough = assertThrows(TypeError, () => assert.doesNotThrow(() => { throw new TypeError('t'); }, RangeError));
  assertEquals(passthrough.message, 't');
  fails(() => assert.doesNotThrow(() => { throw new TypeError('t'); }, TypeError));
});

test('rejects and doesNotReject', async () => {
  await assert.rejects(Promise.reject(new TypeError('r')), TypeError);
  await assert.rejects(async () => { throw new Error('r'); }, /r/);
  await assert.rejects(() => Promise.reject(new Error('r')), { message: 'r' });
  const missing = await failsAsync(assert.rejects(Promise.resolve(1)), 'rejects');
  assertEquals(missing.message, 'Missing expected rejection.');
  await failsAsync(assert.rejects(Promise.reject(new Error('a')), /b/));
  const notPromise = await assertRejects(TypeError, assert.rejects(() => 1));
  assertEquals(notPromise.code, 'ERR_INVALID_RETURN_VALUE');
  assertEquals((await assertRejects(TypeError, assert.rejects(1))).code, 'ERR_INVALID_ARG_TYPE');
  await assert.doesNotReject(Promise.resolve(1));
  await assert.doesNotReject(async () => 1);
  const e = await failsAsync(assert.doesNotReject(Promise.reject(new Error('no'))), 'doesNotReject');
  check(e.message.includes('Got unwanted rejection'), e.message);
});

test('match and doesNotMatch', () => {
  assert.match('abc', /b/);
  const e = fails(() => assert.match('abc', /x/), 'match');
  assertEquals(e.actual, 'abc');
  check(e.expected instanceof RegExp, 'expected is the RegExp');
  fails(() => assert.match(123, /1/), 'match');
  assertEquals(assertThrows(TypeError, () => assert.match('abc', 'b')).code, 'ERR_INVALID_ARG_TYPE');
  assert.doesNotMatch('abc', /x/);
  fails(() => assert.doesNotMatch('abc', /b/), 'doesNotMatch');
});

test('fail', () => {
  const e = fails(() => assert.fail(), 'fail');
  assertEquals(e.message, 'Failed');
  assertEquals(fails(() => assert.fail('boom')).message, 'boom');
  const own = new RangeError('own');
  assertEquals(assertThrows(RangeError, () => assert.fail(own)), own);
});

test('ifError', () => {
  assert.ifError(null);
  assert.ifError(undefined);
  const e = fails(() => assert.ifError(new Error('cause')), 'ifError');
  assertEquals(e.message, 'ifError got unwanted exception: cause');
  check(e.actual instanceof Error, 'actual is the error');
  assertEquals(fails(() => assert.ifError('str')).message, "ifError got unwanted exception: 'str'");
});

await run();
