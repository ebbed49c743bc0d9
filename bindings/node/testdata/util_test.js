// Conformance tests for node:util and node:util/types
// (https://nodejs.org/api/util.html); they pass under Node 20 too.
import { test, assert, assertEquals, assertThrows, assertRejects, run } from '../../../testdata/harness.js';
import util from 'node:util';
import { format, inspect, promisify, callbackify, inherits, deprecate, debuglog, isDeepStrictEqual } from 'node:util';
import * as types from 'node:util/types';
import utilBare from 'util';

test('module shapes', () => {
  assertEquals(utilBare, util);
  assertEquals(util.types.isDate, types.isDate);
  assertEquals(util.TextEncoder, TextEncoder);
  assertEquals(util.TextDecoder, TextDecoder);
  assertEquals(inspect.custom, Symbol.for('nodejs.util.inspect.custom'));
  assertEquals(promisify.custom, Symbol.for('nodejs.util.promisify.custom'));
});

test('format directives', () => {
  assertEquals(format('%s:%s', 'a', 'b'), 'a:b');
  assertEquals(format('%d + %i', 1.5, 2.7), '1.5 + 2');
  assertEquals(format('%f', '3.25'), '3.25');
  assertEquals(format('%j', { a: [1, 'x'] }), '{"a":[1,"x"]}');
  assertEquals(format('%O', { a: 1 }), '{ a: 1 }');
  assertEquals(format('100%% %s', 'sure'), '100% sure');
  assertEquals(format('%c styled', 'color: red'), ' styled');
  assertEquals(format('%s', 'a', 'extra', 1), 'a extra 1');
  assertEquals(format('%s %s', 'only'), 'only %s');
  assertEquals(format(1, 'two', { three: 3 }), "1 two { three: 3 }");
  assertEquals(format('%s', { a: { b: 1 } }), '{ a: [Object] }');
  assertEquals(format(), '');
  const circular = {};
  circular.self = circular;
  assertEquals(format('%j', circular), '[Circular]');
  assertEquals(util.formatWithOptions({ depth: 0 }, '%s', 'x', { a: { b: 1 } }), 'x { a: [Object] }');
  assertEquals(assertThrows(TypeError, () => util.formatWithOptions(1, 'x')).code, 'ERR_INVALID_ARG_TYPE');
});

test('inspect primitives and containers', () => {
  assertEquals(inspect('str'), "'str'");
  assertEquals(inspect(5), '5');
  assertEquals(inspect(-0), '-0');
  assertEquals(inspect(10n), '10n');
  assertEquals(inspect(null), 'null');
  assertEquals(inspect(undefined), 'undefined');
  assertEquals(inspect(Symbol('s')), 'Symbol(s)');
  assertEquals(inspect([1, 'a', [2]]), "[ 1, 'a', [ 2 ] ]");
  assertEquals(inspect({ a: 1, 'b-c': 2 }), "{ a: 1, 'b-c': 2 }");
  assertEquals(inspect({}), '{}');
  assertEquals(inspect([]), '[]');
  assertEquals(inspect(new Map([['k', 1]])), "Map(1) { 'k' => 1 }");
  assertEquals(inspect(new Set([1, 2])), 'Set(2) { 1, 2 }');
  assertEquals(inspect(new Uint8Array([1, 2])), 'Uint8Array(2) [ 1, 2 ]');
  assertEquals(inspect(Object.create(null)), '[Object: null prototype] {}');
  assertEquals(inspect(new Number(3)), '[Number: 3]');
  assertEquals(inspect(new String('s')), "[String: 's']");
  assertEquals(inspect({ get a() { return 1; } }), '{ a: [Getter] }');
  assertEquals(inspect(new Date(0)), '1970-01-01T00:00:00.000Z');
  assertEquals(inspect(/a+/g), '/a+/g');
  assertEquals(inspect(Promise.resolve(4)), 'Promise { 4 }');
});

test('inspect depth', () => {
  const deep = { a: { b: { c: { d: 1 } } } };
  assertEquals(inspect(deep), '{ a: { b: { c: [Object] } } }');
  assertEquals(inspect(deep, { depth: 0 }), '{ a: [Object] }');
  // Node breaks this one over lines; only the content is compared.
  const flat = (s) => s.replace(/\s+/g, ' ');
  assertEquals(flat(inspect(deep, { depth: null })), '{ a: { b: { c: { d: 1 } } } }');
  assertEquals(flat(inspect(deep, { depth: Infinity })), '{ a: { b: { c: { d: 1 } } } }');
  assertEquals(inspect([[[[1]]]]), '[ [ [ [Array] ] ] ]');
  assertEquals(inspect(deep, false, 1), '{ a: { b: [Object] } }');
});

test('inspect functions and classes', () => {
  function foo() {}
  class Bar {}
  class Baz extends Bar {}
  assertEquals(inspect(foo), '[Function: foo]');
  assertEquals(inspect(Bar), '[class Bar]');
  assertEquals(inspect(Baz), '[class Baz extends Bar]');
  assertEquals(inspect(new Bar()), 'Bar {}');
  const b = new Baz();
  b.x = 1;
  assertEquals(inspect(b), 'Baz { x: 1 }');
});

test('inspect circular references', () => {
  const o = { name: 'o' };
  o.self = o;
  assertEquals(inspect(o), "<ref *1> { name: 'o', self: [Circular *1] }");
  const a = [1];
  a.push(a);
  assertEquals(inspect(a), '<ref *1> [ 1, [Circular *1] ]');
  const inner = {};
  const outer = { inner };
  inner.outer = outer;
  assertEquals(inspect(outer), '<ref *1> { inner: { outer: [Circular *1] } }');
});

test('inspect errors show their stack', () => {
  const e = new Error('boom');
  const s = inspect(e);
  assert(s.startsWith('Error: boom'), s);
  assert(/\n\s+at /.test(s), 'has frames');
});

test('inspect.custom', () => {
  const o = { [inspect.custom]() { return 'CUSTOM'; } };
  assertEquals(inspect(o), 'CUSTOM');
  assertEquals(inspect({ x: o }), '{ x: CUSTOM }');
  const viaObject = { [inspect.custom]() { return { replaced: true }; } };
  assertEquals(inspect(viaObject), '{ replaced: true }');
  assert(inspect(o, { customInspect: false }) !== 'CUSTOM', 'customInspect: false');
  let depthSeen;
  const probe = { [inspect.custom](depth, options, insp) { depthSeen = depth; return insp({ n: 1 }, options); } };
  assertEquals(inspect(probe), '{ n: 1 }');
  assertEquals(depthSeen, 2);
});

test('inherits', () => {
  function Animal() {}
  Animal.prototype.speak = function () { return 'hi'; };
  function Dog() { Animal.call(this); }
  inherits(Dog, Animal);
  assertEquals(Dog.super_, Animal);
  assertEquals(new Dog().speak(), 'hi');
  assert(new Dog() instanceof Animal, 'instanceof');
  assertEquals(assertThrows(TypeError, () => inherits(Dog, undefined)).code, 'ERR_INVALID_ARG_TYPE');
  assertEquals(assertThrows(TypeError, () => inherits(undefined, Animal)).code, 'ERR_INVALID_ARG_TYPE');
});

test('promisify', async () => {
  const add = (a, b, cb) => cb(null, a + b);
  assertEquals(await promisify(add)(1, 2), 3);
  const failing = (cb) => cb(new Error('nope'));
  await assertRejects(Error, promisify(failing)());
  function custom() {}
  custom[promisify.custom] = () => Promise.resolve('custom');
  assertEquals(promisify(custom), custom[promisify.custom]);
  assertEquals(await promisify(custom)(), 'custom');
  const obj = { v: 7, get(cb) { cb(null, this.v); } };
  assertEquals(await promisify(obj.get).call(obj), 7);
  const p = promisify(add);
  assertEquals(promisify(p), p);
  assertEquals(assertThrows(TypeError, () => promisify(1)).code, 'ERR_INVALID_ARG_TYPE');
});

test('callbackify', async () => {
  const ok = callbackify(async (x) => x * 2);
  const result = await new Promise((resolve) => ok(21, (err, v) => resolve([err, v])));
  assertEquals(result, [null, 42]);
  const bad = callbackify(async () => { throw new TypeError('t'); });
  const err = await new Promise((resolve) => bad((e) => resolve(e)));
  assert(err instanceof TypeError, 'the rejection');
  const falsy = callbackify(() => Promise.reject(null));
  const wrapped = await new Promise((resolve) => falsy((e) => resolve(e)));
  assertEquals(wrapped.code, 'ERR_FALSY_VALUE_REJECTION');
  assertEquals(wrapped.reason, null);
  assertEquals(assertThrows(TypeError, () => ok(1)).code, 'ERR_INVALID_ARG_TYPE');
});

test('deprecate wraps and still calls', () => {
  const fn = deprecate((a) => a + 1, 'fn is old', 'SOCKW_TEST_DEP');
  assertEquals(fn(1), 2);
  assertEquals(fn(2), 3);
  class Old { constructor(v) { this.v = v; } }
  const NewOld = deprecate(Old, 'Old is old');
  assertEquals(new NewOld(3).v, 3);
});

test('debuglog is off', () => {
  const log = debuglog('sockw');
  assertEquals(typeof log, 'function');
  assertEquals(log.enabled, false);
  log('nothing %s', 'printed');
  assertEquals(util.debug, util.debuglog);
});

test('isDeepStrictEqual', () => {
  assert(isDeepStrictEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), 'nested');
  assert(!isDeepStrictEqual({ a: 1 }, { a: '1' }), 'strict types');
  assert(!isDeepStrictEqual(0, -0), '-0');
  assert(isDeepStrictEqual(NaN, NaN), 'NaN');
  assert(isDeepStrictEqual(new Map([[1, { a: 1 }]]), new Map([[1, { a: 1 }]])), 'maps');
  assert(!isDeepStrictEqual(new Set([1]), new Set(['1'])), 'sets');
  assert(isDeepStrictEqual(new Set([{ a: 1 }]), new Set([{ a: 1 }])), 'sets of objects');
  assert(!isDeepStrictEqual([1, 2], { 0: 1, 1: 2, length: 2 }), 'array vs object');
  assert(!isDeepStrictEqual(Object.create(null), {}), 'prototypes');
  assert(isDeepStrictEqual(new Date(5), new Date(5)) && !isDeepStrictEqual(new Date(5), new Date(6)), 'dates');
  assert(isDeepStrictEqual(/a/g, /a/g) && !isDeepStrictEqual(/a/g, /a/i), 'regexps');
  assert(isDeepStrictEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2])), 'typed arrays');
  assert(!isDeepStrictEqual(new Uint8Array([1, 2]), new Int8Array([1, 2])), 'typed array kinds');
  const a = { x: 1 };
  a.a = a;
  const b = { x: 1 };
  b.a = b;
  assert(isDeepStrictEqual(a, b), 'cycles');
  assert(!isDeepStrictEqual(new Error('a'), new Error('b')), 'errors');
  assert(isDeepStrictEqual(new Number(1), new Number(1)) && !isDeepStrictEqual(new Number(1), new Number(2)), 'boxed');
});

test('types', () => {
  assert(types.isPromise(Promise.resolve()) && !types.isPromise({ then() {} }), 'isPromise');
  assert(types.isRegExp(/x/) && !types.isRegExp({}) && !types.isRegExp(RegExp.prototype), 'isRegExp');
  assert(types.isDate(new Date()) && !types.isDate(Object.create(Date.prototype)), 'isDate');
  assert(types.isUint8Array(new Uint8Array(1)) && !types.isUint8Array(new Int8Array(1)), 'isUint8Array');
  assert(types.isAnyArrayBuffer(new ArrayBuffer(1)) && types.isArrayBuffer(new ArrayBuffer(1)), 'array buffers');
  assert(!types.isAnyArrayBuffer(new Uint8Array(1)), 'a view is not a buffer');
  assert(types.isArrayBufferView(new DataView(new ArrayBuffer(1))) && types.isDataView(new DataView(new ArrayBuffer(1))), 'views');
  assert(types.isTypedArray(new Float64Array(1)) && !types.isTypedArray(new DataView(new ArrayBuffer(1))), 'isTypedArray');
  assert(types.isMap(new Map()) && !types.isMap(new Set()) && types.isSet(new Set()), 'map and set');
  assert(types.isWeakMap(new WeakMap()) && types.isWeakSet(new WeakSet()) && !types.isWeakMap(new Map()), 'weak');
  assert(types.isNativeError(new TypeError()) && !types.isNativeError({ name: 'Error', message: '' }), 'isNativeError');
  class MyError extends Error {}
  assert(types.isNativeError(new MyError()), 'a subclass instance is native');
  assert(types.isAsyncFunction(async () => {}) && !types.isAsyncFunction(() => {}), 'isAsyncFunction');
  assert(types.isGeneratorFunction(function* () {}) && !types.isGeneratorFunction(function () {}), 'isGeneratorFunction');
  assert(types.isGeneratorObject((function* () {})()), 'isGeneratorObject');
  assert(types.isBoxedPrimitive(new String('')) && types.isNumberObject(new Number(1)) && !types.isNumberObject(1), 'boxed');
  assert(types.isBooleanObject(new Boolean(false)) && types.isSymbolObject(Object(Symbol())) && types.isBigIntObject(Object(1n)), 'boxed kinds');
  assert(types.isMapIterator(new Map().keys()) && types.isSetIterator(new Set().values()), 'iterators');
  assert(types.isProxy(new Proxy({}, {})) && !types.isProxy({}), 'isProxy');
  assert(!types.isExternal({}), 'isExternal');
  (function () { assert(types.isArgumentsObject(arguments), 'arguments'); })();
  assert(!types.isArgumentsObject([]), 'an array is not arguments');
});

test('legacy checks', () => {
  assert(util.isArray([]) && util.isString('') && util.isNumber(1) && util.isBoolean(false), 'basics');
  assert(util.isNull(null) && util.isUndefined(undefined) && util.isNullOrUndefined(null), 'nullish');
  assert(util.isObject({}) && !util.isObject(null) && util.isFunction(() => {}), 'objects');
  assert(util.isPrimitive(1) && !util.isPrimitive({}) && util.isRegExp(/a/) && util.isDate(new Date()), 'more');
  assert(util.isError(new Error()) && util.isSymbol(Symbol()), 'errors and symbols');
});

test('stripVTControlCharacters and toUSVString', () => {
  assertEquals(util.stripVTControlCharacters('\u001b[31mred\u001b[0m'), 'red');
  assertEquals(util.toUSVString('a\ud800b'), 'a\ufffdb');
  assertEquals(util.toUSVString('\u{1F600}'), '\u{1F600}');
});

await run();
