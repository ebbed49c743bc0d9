// structuredClone, per HTML §2.7 (safe passing of structured data).
import { test, assert, assertEquals, assertThrows, run } from '../../../testdata/harness.js';

const clone = (v, opts) => structuredClone(v, opts);

test('primitives clone to themselves', () => {
  for (const v of [undefined, null, true, false, 0, -0, 1.5, NaN, Infinity, -Infinity, '', 'text', 2n ** 70n, -1n]) {
    assert(Object.is(clone(v), v), String(v));
  }
});

test('symbols cannot be cloned', () => {
  assertThrows(DOMException, () => clone(Symbol('s')), 'DataCloneError');
  assertThrows(DOMException, () => clone({ a: Symbol.iterator }), 'DataCloneError');
  const e = assertThrows(DOMException, () => clone(Symbol('s')));
  assertEquals(e.code, 25);
});

test('structuredClone requires an argument; options are checked', () => {
  assertThrows(TypeError, () => structuredClone());
  assertEquals(structuredClone(undefined), undefined);
  assertEquals(clone(1, null), 1);
  assertEquals(clone(1, {}), 1);
  assertEquals(clone(1, { transfer: undefined }), 1);
  assertThrows(TypeError, () => clone(1, 5));
  assertThrows(TypeError, () => clone(1, { transfer: 5 }));
  assertThrows(TypeError, () => clone(1, { transfer: [1] }));
  assertThrows(TypeError, () => clone(1, { transfer: 'ab' }));
  assertEquals(structuredClone.length, 1);
  assertEquals(structuredClone.name, 'structuredClone');
});

test('primitive wrapper objects', () => {
  const b = clone(new Boolean(false));
  assert(b instanceof Boolean && b.valueOf() === false);
  const n = clone(new Number(-0));
  assert(n instanceof Number && Object.is(n.valueOf(), -0));
  const s = clone(new String('abc'));
  assert(s instanceof String && s.valueOf() === 'abc' && s.length === 3);
  const big = clone(Object(5n));
  assertEquals(typeof big, 'object');
  assertEquals(big.valueOf(), 5n);
  assertThrows(DOMException, () => clone(Object(Symbol('x'))), 'DataCloneError');
});

test('wrappers lose extra properties', () => {
  const s = new String('x');
  s.extra = 1;
  assertEquals(clone(s).extra, undefined);
});

test('Date', () => {
  const d = new Date(1700000000123);
  d.extra = 1;
  const c = clone(d);
  assert(c instanceof Date && c !== d);
  assertEquals(c.getTime(), 1700000000123);
  assertEquals(c.extra, undefined);
  assert(Number.isNaN(clone(new Date(NaN)).getTime()));
});

test('RegExp: source and flags, lastIndex reset', () => {
  const r = /a+b/gimsuy;
  r.lastIndex = 3;
  const c = clone(r);
  assert(c instanceof RegExp && c !== r);
  assertEquals(c.source, 'a+b');
  assertEquals(c.flags, r.flags);
  assertEquals(c.lastIndex, 0);
  assertEquals(clone(new RegExp('/', '')).test('/'), true);
});

test('plain objects: own enumerable string keys, in order, getters invoked', () => {
  const log = [];
  const src = { b: 1, a: 2, 1: 'one', 0: 'zero' };
  Object.defineProperty(src, 'hidden', { value: 1, enumerable: false });
  Object.defineProperty(src, 'g', { get() { log.push('g'); return 42; }, enumerable: true });
  src[Symbol('s')] = 3;
  const c = clone(src);
  assertEquals(Object.keys(c), ['0', '1', 'b', 'a', 'g']);
  assertEquals(c.g, 42);
  assertEquals(log, ['g']);
  assertEquals(Object.getOwnPropertyDescriptor(c, 'g').value, 42, 'getters become data properties');
  assertEquals(Object.getOwnPropertySymbols(c).length, 0);
  assertEquals('hidden' in c, false);
});

test('inherited properties are not cloned; prototypes are lost', () => {
  class Point { constructor() { this.x = 1; } get sum() { return 1; } }
  const c = clone(new Point());
  assertEquals(Object.getPrototypeOf(c), Object.prototype);
  assertEquals(c.x, 1);
  assertEquals(c.sum, undefined);
  const nullProto = Object.create(null);
  nullProto.k = 'v';
  const n = clone(nullProto);
  assertEquals(Object.getPrototypeOf(n), Object.prototype);
  assertEquals(n.k, 'v');
  const child = Object.create({ inherited: 1 });
  assertEquals(clone(child).inherited, undefined);
});

test('class instances with private fields clone as plain objects', () => {
  class Secret { #hidden = 1; visible = 2; }
  const c = clone(new Secret());
  assertEquals(Object.keys(c), ['visible']);
});

test('a getter that throws aborts the clone with its exception', () => {
  const err = new Error('getter');
  const src = { get bad() { throw err; } };
  try { clone(src); throw new Error('no throw'); } catch (e) { assertEquals(e, err); }
});

test('a getter deleting a later property: that property is skipped', () => {
  const src = { get a() { delete this.b; return 1; }, b: 2, c: 3 };
  const c = clone(src);
  assertEquals(Object.keys(c), ['a', 'c']);
});

test('a getter adding a property: it is not cloned', () => {
  const src = { get a() { this.z = 1; return 1; } };
  assertEquals(Object.keys(clone(src)), ['a']);
});

test('__proto__ as an own key stays an own data property', () => {
  const src = JSON.parse('{"__proto__": {"polluted": true}}');
  const c = clone(src);
  assertEquals(Object.getPrototypeOf(c), Object.prototype);
  assertEquals(Object.keys(c), ['__proto__']);
  assertEquals({}.polluted, undefined);
});

test('arrays: holes, length, extra properties', () => {
  const a = [1, , 3];
  a.length = 5;
  a.extra = 'x';
  const c = clone(a);
  assert(Array.isArray(c));
  assertEquals(c.length, 5);
  assertEquals(1 in c, false, 'hole preserved');
  assertEquals(c[2], 3);
  assertEquals(c.extra, 'x');
  assertEquals(Object.keys(c), ['0', '2', 'extra']);
  const sparse = [];
  sparse[100000] = 1;
  const s = clone(sparse);
  assertEquals(s.length, 100001);
  assertEquals(Object.keys(s), ['100000']);
});

test('cycles and shared references are preserved', () => {
  const shared = { s: 1 };
  const src = { a: shared, b: shared, list: [shared] };
  src.self = src;
  src.list.push(src.list);
  const c = clone(src);
  assert(c !== src);
  assertEquals(c.self, c);
  assertEquals(c.a, c.b);
  assert(c.a !== shared);
  assertEquals(c.list[0], c.a);
  assertEquals(c.list[1], c.list);
});

test('Map and Set: entries cloned, identity and cycles kept', () => {
  const key = { k: 1 };
  const m = new Map([[key, 'v'], ['k2', key]]);
  m.set('self', m);
  const c = clone(m);
  assert(c instanceof Map && c !== m);
  assertEquals(c.size, 3);
  const [ck] = c.keys();
  assert(ck !== key && ck.k === 1);
  assertEquals(c.get(ck), 'v');
  assertEquals(c.get('k2'), ck, 'the key and the value are the same clone');
  assertEquals(c.get('self'), c);
  const s = new Set([1, key, key]);
  const cs = clone(s);
  assert(cs instanceof Set);
  assertEquals(cs.size, 2);
  assertEquals([...cs][0], 1);
  class MyMap extends Map {}
  const mm = clone(new MyMap([[1, 2]]));
  assertEquals(Object.getPrototypeOf(mm), Map.prototype);
});

test('Map entries are listed before they are cloned', () => {
  const m = new Map();
  m.set('a', { get x() { m.set('late', 1); return 1; } });
  const c = clone(m);
  assertEquals([...c.keys()], ['a']);
});

test('ArrayBuffer is copied', () => {
  const buf = new Uint8Array([1, 2, 3]).buffer;
  const c = clone(buf);
  assert(c instanceof ArrayBuffer && c !== buf);
  assertEquals(new Uint8Array(c), new Uint8Array([1, 2, 3]));
  new Uint8Array(c)[0] = 9;
  assertEquals(new Uint8Array(buf)[0], 1);
});

test('all typed arrays and DataView, with offsets', () => {
  const buf = new ArrayBuffer(64);
  new Uint8Array(buf).forEach((_, i, a) => { a[i] = i; });
  for (const T of [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
    Float32Array, Float64Array, BigInt64Array, BigUint64Array]) {
    const view = new T(buf, 8, 2);
    const c = clone(view);
    assertEquals(Object.getPrototypeOf(c), T.prototype, T.name);
    assertEquals(c.byteOffset, 8, T.name);
    assertEquals(c.length, 2, T.name);
    assertEquals(c.buffer.byteLength, 64, T.name);
    assertEquals(Array.from(c), Array.from(view), T.name);
  }
  const dv = new DataView(buf, 4, 10);
  const cdv = clone(dv);
  assert(cdv instanceof DataView);
  assertEquals(cdv.byteOffset, 4);
  assertEquals(cdv.byteLength, 10);
  assertEquals(cdv.getUint8(0), 4);
});

test('views sharing a buffer share the cloned buffer', () => {
  const buf = new ArrayBuffer(8);
  const a = new Uint8Array(buf);
  const b = new DataView(buf, 2);
  const c = clone({ a, b, buf });
  assertEquals(c.a.buffer, c.buf);
  assertEquals(c.b.buffer, c.buf);
  c.a[2] = 7;
  assertEquals(c.b.getUint8(0), 7);
  assertEquals(a[2], 0);
});

test('transfer detaches the source ArrayBuffer and moves its bytes', () => {
  const buf = new Uint8Array([5, 6, 7]).buffer;
  const view = new Uint8Array(buf);
  const c = clone({ buf, view }, { transfer: [buf] });
  assertEquals(buf.byteLength, 0, 'detached');
  assertEquals(view.length, 0);
  assertEquals(new Uint8Array(c.buf), new Uint8Array([5, 6, 7]));
  assertEquals(c.view.buffer, c.buf);
  const only = new Uint8Array([1]).buffer;
  const moved = clone(only, { transfer: [only] });
  assertEquals(new Uint8Array(moved)[0], 1);
  assertEquals(only.byteLength, 0);
});

test('transfer: errors and no detachment on failure', () => {
  const buf = new ArrayBuffer(4);
  const view = new Uint8Array(buf);
  assertThrows(DOMException, () => clone(buf, { transfer: [buf, buf] }), 'DataCloneError');
  assertThrows(DOMException, () => clone(1, { transfer: [{}] }), 'DataCloneError');
  assertThrows(DOMException, () => clone(1, { transfer: [new Uint8Array(2)] }), 'DataCloneError');
  assertThrows(DOMException, () => clone({ buf, f() {} }, { transfer: [buf] }), 'DataCloneError');
  assertEquals(buf.byteLength, 4, 'a failed clone detaches nothing');
  clone(buf, { transfer: [buf] });
  assertThrows(DOMException, () => clone(buf, { transfer: [buf] }), 'DataCloneError');
  assertThrows(DOMException, () => clone(buf), 'DataCloneError');
  assertThrows(DOMException, () => clone(view), 'DataCloneError');
});

test('transfer list from any iterable', () => {
  const buf = new ArrayBuffer(1);
  clone(buf, { transfer: new Set([buf]) });
  assertEquals(buf.byteLength, 0);
});

test('Error types: name, message, stack', () => {
  for (const E of [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError]) {
    const e = new E('msg');
    const c = clone(e);
    assert(c instanceof E, E.name);
    assertEquals(Object.getPrototypeOf(c), E.prototype, E.name);
    assertEquals(c.name, E.name);
    assertEquals(c.message, 'msg');
    assertEquals(c.stack, e.stack, E.name);
    assertEquals(Object.getOwnPropertyDescriptor(c, 'message').enumerable, false);
  }
});

test('Error: other names become Error, no message stays none, extras dropped', () => {
  class MyError extends Error { constructor() { super('mine'); this.name = 'MyError'; this.code = 7; } }
  const c = clone(new MyError());
  assertEquals(Object.getPrototypeOf(c), Error.prototype);
  assertEquals(c.name, 'Error');
  assertEquals(c.message, 'mine');
  assertEquals(c.code, undefined);
  const plain = clone(new Error());
  assertEquals(Object.prototype.hasOwnProperty.call(plain, 'message'), false);
  const e = new TypeError('x');
  e.name = new String('RangeError');
  assertEquals(Object.getPrototypeOf(clone(e)), Error.prototype, 'a String object is not a name');
  const m = new Error('y');
  Object.defineProperty(m, 'message', { get() { return 'from getter'; } });
  assertEquals(Object.prototype.hasOwnProperty.call(clone(m), 'message'), false, 'an accessor message is not cloned');
});

test('DOMException keeps name, message and code', () => {
  const d = new DOMException('gone', 'NotFoundError');
  const c = clone(d);
  assert(c instanceof DOMException && c !== d);
  assertEquals(c.name, 'NotFoundError');
  assertEquals(c.message, 'gone');
  assertEquals(c.code, 8);
  assertEquals(c.stack, d.stack);
});

test('functions, promises, weak collections, proxies and platform objects cannot be cloned', () => {
  const cases = [
    () => {}, function named() {}, class K {}, async () => {}, function* g() {},
    Promise.resolve(), new WeakMap(), new WeakSet(), new Proxy({}, {}), new Proxy(() => {}, {}),
    [1, 2][Symbol.iterator](), new Map().entries(), (function* () {})(),
    new EventTarget(), new Event('x'), new AbortController(), AbortSignal.abort(), performance, navigator,
    { nested: { fn() {} } }, [Promise.resolve()], new Map([[1, () => {}]]),
  ];
  for (const v of cases) {
    assertThrows(DOMException, () => clone(v), 'DataCloneError', String(v));
  }
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  assertThrows(DOMException, () => clone(proxy), 'DataCloneError');
});

test('subclasses of platform classes cannot be cloned either', () => {
  class Emitter extends EventTarget {}
  assertThrows(DOMException, () => clone(new Emitter()), 'DataCloneError');
});

test('objects that only inherit from DataView.prototype or WeakMap.prototype are ordinary', () => {
  for (const P of [DataView.prototype, WeakMap.prototype, WeakSet.prototype]) {
    const fake = Object.create(P);
    fake.a = 1;
    const c = clone(fake);
    assertEquals(Object.getPrototypeOf(c), Object.prototype);
    assertEquals(c.a, 1);
  }
});

test('Math, JSON, arguments clone as plain objects; the global object does not', () => {
  assertEquals(Object.keys(clone(Math)), []);
  const args = (function () { return arguments; })(1, 'b');
  const c = clone(args);
  assertEquals(Object.getPrototypeOf(c), Object.prototype);
  assertEquals(c[1], 'b');
  assertThrows(DOMException, () => clone(globalThis), 'DataCloneError');
});

test('the clone does not depend on patched built-ins', () => {
  const src = { m: new Map([[1, 2]]), s: new Set([3]), d: new Date(5), w: new WeakMap() };
  const saved = {
    set: Map.prototype.set, add: Set.prototype.add, forEach: Map.prototype.forEach,
    getTime: Date.prototype.getTime,
  };
  Map.prototype.set = () => { throw new Error('patched'); };
  Set.prototype.add = () => { throw new Error('patched'); };
  Map.prototype.forEach = () => { throw new Error('patched'); };
  Date.prototype.getTime = () => 0;
  const has = WeakMap.prototype.has;
  WeakMap.prototype.has = () => true;
  try {
    assertThrows(DOMException, () => clone(src), 'DataCloneError');
    delete src.w;
    const c = clone(src);
    assertEquals(c.m.size, 1);
    assertEquals(c.s.size, 1);
    assertEquals(saved.getTime.call(c.d), 5);
  } finally {
    Map.prototype.set = saved.set;
    Set.prototype.add = saved.add;
    Map.prototype.forEach = saved.forEach;
    Date.prototype.getTime = saved.getTime;
    WeakMap.prototype.has = has;
  }
});

test('deeply nested values', () => {
  let v = { leaf: true };
  for (let i = 0; i < 1000; i++) v = { next: v };
  let c = clone(v);
  let depth = 0;
  while (c.next) { c = c.next; depth++; }
  assertEquals(depth, 1000);
  assertEquals(c.leaf, true);
});

test('too deeply nested values are a RangeError, not a crash', () => {
  let v = {};
  for (let i = 0; i < 100000; i++) v = [v];
  assertThrows(RangeError, () => clone(v));
});

await run();
