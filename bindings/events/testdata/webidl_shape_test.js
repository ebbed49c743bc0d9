// The WebIDL shape of every web platform global sockw exposes
// (https://webidl.spec.whatwg.org/#es-interfaces): the interface objects on
// the global object, their prototypes, members, constants, iterators, and
// the operations and attributes of the [Global] WorkerGlobalScope, checked
// the way WPT's idlharness checks them, so that a binding that drifts from
// WebIDL fails here. The interfaces are listed explicitly below; a new one
// is added to `interfaces` (and its instances to `instances`).
import { test, assert, assertEquals, assertThrows, run } from '../../../testdata/harness.js';

// r: readonly attribute; rw: attribute with a setter; p: readonly attribute
// of a promise type (a receiver check failure rejects instead of throwing).
// ops: name -> length (the number of required arguments); pops: operations
// returning a promise. constructible: false for "Illegal constructor".
const interfaces = {
  // DOM and WebIDL (package events)
  DOMException: {
    length: 0,
    attrs: { name: 'r', message: 'r', code: 'r' },
    consts: {
      INDEX_SIZE_ERR: 1, DOMSTRING_SIZE_ERR: 2, HIERARCHY_REQUEST_ERR: 3, WRONG_DOCUMENT_ERR: 4,
      INVALID_CHARACTER_ERR: 5, NO_DATA_ALLOWED_ERR: 6, NO_MODIFICATION_ALLOWED_ERR: 7, NOT_FOUND_ERR: 8,
      NOT_SUPPORTED_ERR: 9, INUSE_ATTRIBUTE_ERR: 10, INVALID_STATE_ERR: 11, SYNTAX_ERR: 12,
      INVALID_MODIFICATION_ERR: 13, NAMESPACE_ERR: 14, INVALID_ACCESS_ERR: 15, VALIDATION_ERR: 16,
      TYPE_MISMATCH_ERR: 17, SECURITY_ERR: 18, NETWORK_ERR: 19, ABORT_ERR: 20, URL_MISMATCH_ERR: 21,
      QUOTA_EXCEEDED_ERR: 22, TIMEOUT_ERR: 23, INVALID_NODE_TYPE_ERR: 24, DATA_CLONE_ERR: 25,
    },
  },
  Event: {
    length: 1,
    attrs: {
      type: 'r', target: 'r', srcElement: 'r', currentTarget: 'r', eventPhase: 'r', cancelBubble: 'rw',
      bubbles: 'r', cancelable: 'r', returnValue: 'rw', defaultPrevented: 'r', composed: 'r', timeStamp: 'r',
    },
    ops: { composedPath: 0, stopPropagation: 0, stopImmediatePropagation: 0, preventDefault: 0, initEvent: 1 },
    consts: { NONE: 0, CAPTURING_PHASE: 1, AT_TARGET: 2, BUBBLING_PHASE: 3 },
    unforgeable: ['isTrusted'],
  },
  CustomEvent: { parent: 'Event', length: 1, attrs: { detail: 'r' }, ops: { initCustomEvent: 1 }, unforgeable: ['isTrusted'] },
  ErrorEvent: {
    parent: 'Event', length: 1,
    attrs: { message: 'r', filename: 'r', lineno: 'r', colno: 'r', error: 'r' },
    unforgeable: ['isTrusted'],
  },
  PromiseRejectionEvent: { parent: 'Event', length: 2, attrs: { promise: 'r', reason: 'r' }, unforgeable: ['isTrusted'] },
  EventTarget: { length: 0, ops: { addEventListener: 2, removeEventListener: 2, dispatchEvent: 1 } },
  AbortController: { length: 0, attrs: { signal: 'r' }, ops: { abort: 0 } },
  AbortSignal: {
    parent: 'EventTarget', constructible: false,
    statics: { abort: 0, timeout: 1, any: 1 },
    attrs: { aborted: 'r', reason: 'r', onabort: 'rw' },
    ops: { throwIfAborted: 0 },
  },

  // HR-Time and HTML (package timers)
  Performance: { parent: 'EventTarget', constructible: false, attrs: { timeOrigin: 'r' }, ops: { now: 0, toJSON: 0 } },
  WorkerNavigator: {
    constructible: false,
    attrs: { userAgent: 'r', hardwareConcurrency: 'r' },
    // Direct Sockets' early partial interface, which bindings/sockets adds
    // when installed: an operation of the prototype, not of the instance.
    partialOps: { openTCPSocket: 1 },
  },

  // Streams (package streams)
  ReadableStream: {
    length: 0,
    statics: { from: 1 },
    attrs: { locked: 'r' },
    ops: { getReader: 0, pipeThrough: 1, tee: 0 },
    pops: { cancel: 0, pipeTo: 1 },
    asyncIterable: 'ReadableStream AsyncIterator',
  },
  ReadableStreamDefaultReader: { length: 1, attrs: { closed: 'p' }, ops: { releaseLock: 0 }, pops: { read: 0, cancel: 0 } },
  ReadableStreamBYOBReader: { length: 1, attrs: { closed: 'p' }, ops: { releaseLock: 0 }, pops: { read: 1, cancel: 0 } },
  ReadableStreamDefaultController: {
    constructible: false, attrs: { desiredSize: 'r' }, ops: { close: 0, enqueue: 0, error: 0 },
  },
  ReadableByteStreamController: {
    constructible: false, attrs: { byobRequest: 'r', desiredSize: 'r' }, ops: { close: 0, enqueue: 1, error: 0 },
  },
  ReadableStreamBYOBRequest: { constructible: false, attrs: { view: 'r' }, ops: { respond: 1, respondWithNewView: 1 } },
  WritableStream: { length: 0, attrs: { locked: 'r' }, ops: { getWriter: 0 }, pops: { abort: 0, close: 0 } },
  WritableStreamDefaultWriter: {
    length: 1,
    attrs: { closed: 'p', desiredSize: 'r', ready: 'p' },
    ops: { releaseLock: 0 },
    pops: { abort: 0, close: 0, write: 0 },
  },
  WritableStreamDefaultController: { constructible: false, attrs: { signal: 'r' }, ops: { error: 0 } },
  TransformStream: { length: 0, attrs: { readable: 'r', writable: 'r' } },
  TransformStreamDefaultController: {
    constructible: false, attrs: { desiredSize: 'r' }, ops: { enqueue: 0, error: 0, terminate: 0 },
  },
  ByteLengthQueuingStrategy: { length: 1, attrs: { highWaterMark: 'r', size: 'r' } },
  CountQueuingStrategy: { length: 1, attrs: { highWaterMark: 'r', size: 'r' } },

  // Encoding (package encoding)
  TextEncoder: { length: 0, attrs: { encoding: 'r' }, ops: { encode: 0, encodeInto: 2 } },
  TextDecoder: { length: 0, attrs: { encoding: 'r', fatal: 'r', ignoreBOM: 'r' }, ops: { decode: 0 } },
  TextEncoderStream: { length: 0, attrs: { encoding: 'r', readable: 'r', writable: 'r' } },
  TextDecoderStream: {
    length: 0, attrs: { encoding: 'r', fatal: 'r', ignoreBOM: 'r', readable: 'r', writable: 'r' },
  },

  // Web Crypto (package crypto)
  Crypto: { constructible: false, attrs: { subtle: 'r' }, ops: { getRandomValues: 1, randomUUID: 0 } },
  SubtleCrypto: {
    constructible: false,
    pops: {
      encrypt: 3, decrypt: 3, sign: 3, verify: 4, digest: 2, generateKey: 3, deriveKey: 5, deriveBits: 2,
      importKey: 5, exportKey: 2, wrapKey: 4, unwrapKey: 7,
    },
  },
  CryptoKey: { constructible: false, attrs: { type: 'r', extractable: 'r', algorithm: 'r', usages: 'r' } },

  // URL (package url)
  URL: {
    length: 1,
    statics: { parse: 1, canParse: 1 },
    attrs: {
      href: 'rw', origin: 'r', protocol: 'rw', username: 'rw', password: 'rw', host: 'rw', hostname: 'rw',
      port: 'rw', pathname: 'rw', search: 'rw', searchParams: 'r', hash: 'rw',
    },
    ops: { toJSON: 0, toString: 0 },
  },
  URLSearchParams: {
    length: 0,
    attrs: { size: 'r' },
    ops: { append: 2, delete: 1, get: 1, getAll: 1, has: 1, set: 2, sort: 0, toString: 0 },
    pairIterable: 'URLSearchParams Iterator',
  },
};

// Interfaces a worker must not see (WebIDL exposure: Navigator is the
// Window's, a worker has WorkerNavigator).
const notExposed = ['Navigator', 'Window', 'WorkerGlobalScope', 'DedicatedWorkerGlobalScope'];

// One instance of each interface (like idlharness's add_objects); a factory
// may return a promise.
const instances = {
  DOMException: () => new DOMException('m', 'AbortError'),
  Event: () => new Event('x'),
  CustomEvent: () => new CustomEvent('x', { detail: 1 }),
  ErrorEvent: () => new ErrorEvent('error', { message: 'm', error: new Error('e') }),
  PromiseRejectionEvent: () => new PromiseRejectionEvent('unhandledrejection', { promise: new Promise(() => {}), reason: 1 }),
  EventTarget: () => new EventTarget(),
  AbortController: () => new AbortController(),
  AbortSignal: () => new AbortController().signal,
  Performance: () => performance,
  WorkerNavigator: () => navigator,
  ReadableStream: () => new ReadableStream(),
  ReadableStreamDefaultReader: () => new ReadableStream().getReader(),
  ReadableStreamBYOBReader: () => new ReadableStream({ type: 'bytes' }).getReader({ mode: 'byob' }),
  ReadableStreamDefaultController: () => {
    let c;
    new ReadableStream({ start(x) { c = x; } });
    return c;
  },
  ReadableByteStreamController: () => {
    let c;
    new ReadableStream({ type: 'bytes', start(x) { c = x; } });
    return c;
  },
  ReadableStreamBYOBRequest: () => {
    let c;
    const rs = new ReadableStream({ type: 'bytes', start(x) { c = x; } });
    rs.getReader({ mode: 'byob' }).read(new Uint8Array(1));
    return c.byobRequest;
  },
  WritableStream: () => new WritableStream(),
  WritableStreamDefaultWriter: () => new WritableStream().getWriter(),
  WritableStreamDefaultController: () => {
    let c;
    new WritableStream({ start(x) { c = x; } });
    return c;
  },
  TransformStream: () => new TransformStream(),
  TransformStreamDefaultController: () => {
    let c;
    new TransformStream({ start(x) { c = x; } });
    return c;
  },
  ByteLengthQueuingStrategy: () => new ByteLengthQueuingStrategy({ highWaterMark: 1 }),
  CountQueuingStrategy: () => new CountQueuingStrategy({ highWaterMark: 1 }),
  TextEncoder: () => new TextEncoder(),
  TextDecoder: () => new TextDecoder(),
  TextEncoderStream: () => new TextEncoderStream(),
  TextDecoderStream: () => new TextDecoderStream(),
  Crypto: () => crypto,
  SubtleCrypto: () => crypto.subtle,
  CryptoKey: () => crypto.subtle.importKey('raw', new Uint8Array(16), { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']),
  URL: () => new URL('https://example.com/a?b=c#d'),
  URLSearchParams: () => new URLSearchParams('a=1&b=2'),
};

// The operations and attributes of WorkerGlobalScope and the
// WindowOrWorkerGlobalScope mixin sockw has. Replaceable attributes have a
// setter that replaces them.
const globalOps = {
  setTimeout: 1, setInterval: 1, clearTimeout: 0, clearInterval: 0, queueMicrotask: 1,
  structuredClone: 1, atob: 1, btoa: 1, reportError: 1,
};
const globalAttrs = {
  self: { replaceable: true, value: () => globalThis },
  performance: { replaceable: true, iface: 'Performance' },
  navigator: { replaceable: false, iface: 'WorkerNavigator' },
  crypto: { replaceable: false, iface: 'Crypto' },
};

const IteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));

function describe(d) {
  if (d === undefined) return 'undefined';
  const out = {};
  for (const k of ['value', 'get', 'set', 'writable', 'enumerable', 'configurable']) {
    if (!(k in d)) continue;
    const v = d[k];
    out[k] = typeof v === 'function' ? `function ${v.name}` : typeof v === 'object' && v !== null ? 'an object' : v;
  }
  return JSON.stringify(out);
}

// assertData checks a data property's attributes (and value, if given).
function assertData(o, key, [writable, enumerable, configurable], what, value) {
  const d = Object.getOwnPropertyDescriptor(o, key);
  assert(d !== undefined, `${what}: missing`);
  assert('value' in d, `${what}: not a data property: ${describe(d)}`);
  assertEquals([d.writable, d.enumerable, d.configurable], [writable, enumerable, configurable], `${what}: writable, enumerable, configurable`);
  if (arguments.length > 4) assertEquals(d.value, value, `${what}: value`);
  return d;
}

// assertFunction checks a built-in function's name and length properties.
function assertFunction(f, name, length, what) {
  assertEquals(typeof f, 'function', `${what} is a function`);
  assertData(f, 'name', [false, false, true], `${what}.name`, name);
  assertData(f, 'length', [false, false, true], `${what}.length`, length);
}

// assertNotConstructor checks that an operation or accessor function is no
// constructor and has no prototype, as built-in functions.
function assertNotConstructor(f, what) {
  assertThrows(TypeError, () => new f(), undefined, `new ${what}`);
  assert(!Object.prototype.hasOwnProperty.call(f, 'prototype'), `${what} has no prototype property`);
}

// assertRejectsOrThrows checks that fn throws a TypeError or returns a
// promise rejected with one, as WebIDL has operations that return promises
// (and attributes of promise types) report a bad receiver or argument.
async function assertTypeErrorOrRejection(fn, promiseType, what) {
  let result;
  try {
    result = fn();
  } catch (e) {
    assert(!promiseType, `${what}: threw ${e}, but returns a promise and must reject`);
    assert(e instanceof TypeError, `${what}: threw ${e && e.name}, not TypeError: ${e && e.message}`);
    return;
  }
  assert(promiseType, `${what}: did not throw (got ${result})`);
  assert(result instanceof Promise, `${what}: returned ${result}, not a promise`);
  try {
    await result;
  } catch (e) {
    assert(e instanceof TypeError, `${what}: rejected with ${e && e.name}, not TypeError: ${e && e.message}`);
    return;
  }
  throw new Error(`${what}: the promise fulfilled`);
}

const names = Object.keys(interfaces);

// This runs first, before anything used the interfaces: sockw builds them
// on first use, and asking for a descriptor is a use.
test('every interface object is a global data property: writable, configurable, not enumerable', () => {
  for (const name of names) {
    assertData(globalThis, name, [true, false, true], `globalThis.${name}`);
    assertEquals(typeof globalThis[name], 'function', name);
    assert(!Object.keys(globalThis).includes(name), `${name} is enumerable`);
  }
  const all = Object.getOwnPropertyDescriptors(globalThis);
  for (const name of names) assertEquals(all[name].value, globalThis[name], `getOwnPropertyDescriptors: ${name}`);
  for (const name of notExposed) assert(!(name in globalThis), `${name} is exposed`);
});

for (const name of names) {
  const spec = interfaces[name];
  const constructible = spec.constructible !== false;

  test(`${name}: interface object`, () => {
    const I = globalThis[name];
    assertFunction(I, name, spec.length ?? 0, name);
    assertEquals(Object.prototype.toString.call(I), '[object Function]', `${name}'s class string`);
    const parent = spec.parent ? globalThis[spec.parent] : Function.prototype;
    assert(Object.getPrototypeOf(I) === parent, `${name}'s [[Prototype]] is ${spec.parent ?? 'Function.prototype'}`);
    assertThrows(TypeError, () => I(), undefined, `${name}() without new`);
    if (!constructible) assertThrows(TypeError, () => new I(), undefined, `new ${name}()`);
    for (const [s, length] of Object.entries(spec.statics ?? {})) {
      const d = assertData(I, s, [true, true, true], `${name}.${s}`);
      assertFunction(d.value, s, length, `${name}.${s}`);
      assertNotConstructor(d.value, `${name}.${s}`);
      if (length > 0) assertThrows(TypeError, () => d.value.call(I), undefined, `${name}.${s}() without arguments`);
    }
    const expected = ['length', 'name', 'prototype', ...Object.keys(spec.statics ?? {}), ...Object.keys(spec.consts ?? {})];
    assertEquals(Object.getOwnPropertyNames(I).sort(), expected.sort(), `${name}'s own properties`);
    assertEquals(Object.getOwnPropertySymbols(I).length, 0, `${name}'s own symbols`);
  });

  test(`${name}: interface prototype object`, () => {
    const I = globalThis[name];
    const proto = assertData(I, 'prototype', [false, false, false], `${name}.prototype`).value;
    const parentProto = spec.parent ? globalThis[spec.parent].prototype
      : name === 'DOMException' ? Error.prototype : Object.prototype;
    assert(Object.getPrototypeOf(proto) === parentProto, `${name}.prototype's [[Prototype]]`);
    assertData(proto, 'constructor', [true, false, true], `${name}.prototype.constructor`, I);
    assertData(proto, Symbol.toStringTag, [false, false, true], `${name}.prototype[@@toStringTag]`, name);
    assertEquals(Object.prototype.toString.call(proto), `[object ${name}]`);
    const members = [
      'constructor', ...Object.keys(spec.attrs ?? {}), ...Object.keys(spec.ops ?? {}), ...Object.keys(spec.pops ?? {}),
      ...Object.keys(spec.consts ?? {}),
    ];
    if (spec.pairIterable) members.push('entries', 'keys', 'values', 'forEach');
    if (spec.asyncIterable) members.push('values');
    for (const [op, length] of Object.entries(spec.partialOps ?? {})) {
      if (!Object.prototype.hasOwnProperty.call(proto, op)) continue;
      members.push(op);
      const d = assertData(proto, op, [true, true, true], `${name}.prototype.${op}`);
      assertFunction(d.value, op, length, `${name}.prototype.${op}`);
    }
    assertEquals(Object.getOwnPropertyNames(proto).sort(), members.sort(), `${name}.prototype's own properties`);
    const symbols = [Symbol.toStringTag];
    if (spec.pairIterable) symbols.push(Symbol.iterator);
    if (spec.asyncIterable) symbols.push(Symbol.asyncIterator);
    assertEquals(Object.getOwnPropertySymbols(proto).length, symbols.length, `${name}.prototype's own symbols`);
    for (const s of symbols) assert(Object.prototype.hasOwnProperty.call(proto, s), `${name}.prototype[${String(s)}]`);
  });

  if (spec.consts) {
    test(`${name}: constants`, () => {
      const I = globalThis[name];
      for (const [c, value] of Object.entries(spec.consts)) {
        assertData(I, c, [false, true, false], `${name}.${c}`, value);
        assertData(I.prototype, c, [false, true, false], `${name}.prototype.${c}`, value);
      }
    });
  }

  test(`${name}: operations`, async () => {
    const proto = globalThis[name].prototype;
    for (const [ops, promiseType] of [[spec.ops ?? {}, false], [spec.pops ?? {}, true]]) {
      for (const [op, length] of Object.entries(ops)) {
        const d = assertData(proto, op, [true, true, true], `${name}.prototype.${op}`);
        assertFunction(d.value, op, length, `${name}.prototype.${op}`);
        assertNotConstructor(d.value, `${name}.prototype.${op}`);
        // The receiver check: this is the prototype, no instance.
        const args = [];
        for (let i = 0; i < length; i++) args.push(undefined);
        await assertTypeErrorOrRejection(() => d.value.apply(proto, args), promiseType, `${name}.prototype.${op}.call(${name}.prototype)`);
        await assertTypeErrorOrRejection(() => d.value.apply({}, args), promiseType, `${name}.prototype.${op}.call({})`);
      }
    }
  });

  test(`${name}: attributes`, async () => {
    const proto = globalThis[name].prototype;
    for (const [attr, kind] of Object.entries(spec.attrs ?? {})) {
      const d = Object.getOwnPropertyDescriptor(proto, attr);
      assert(d && 'get' in d, `${name}.prototype.${attr} is an accessor: ${describe(d)}`);
      assertEquals([d.enumerable, d.configurable], [true, true], `${name}.prototype.${attr}: enumerable, configurable`);
      assertFunction(d.get, `get ${attr}`, 0, `${name}.prototype.${attr} getter`);
      assertNotConstructor(d.get, `${name}.prototype.${attr} getter`);
      if (kind === 'rw') {
        assertFunction(d.set, `set ${attr}`, 1, `${name}.prototype.${attr} setter`);
        assertNotConstructor(d.set, `${name}.prototype.${attr} setter`);
        assertThrows(TypeError, () => d.set.call({}, 'x'), undefined, `${name}.prototype.${attr} setter on {}`);
      } else {
        assertEquals(d.set, undefined, `${name}.prototype.${attr} has no setter`);
      }
      await assertTypeErrorOrRejection(() => proto[attr], kind === 'p', `${name}.prototype.${attr}`);
      await assertTypeErrorOrRejection(() => d.get.call({}), kind === 'p', `${name}.prototype.${attr} getter on {}`);
    }
  });

  test(`${name}: an instance`, async () => {
    const I = globalThis[name];
    const o = await instances[name]();
    assert(Object.getPrototypeOf(o) === I.prototype, `${name} instance's [[Prototype]]`);
    assert(o instanceof I, `instanceof ${name}`);
    if (spec.parent) assert(o instanceof globalThis[spec.parent], `instanceof ${spec.parent}`);
    assertEquals(Object.prototype.toString.call(o), `[object ${name}]`);
    const own = Object.getOwnPropertyNames(o).filter((k) => !(name === 'DOMException' && k === 'stack'));
    assertEquals(own.sort(), [...(spec.unforgeable ?? [])].sort(),
      `${name} instance's own properties (WebIDL puts attributes and operations on ${name}.prototype)`);
    for (const u of spec.unforgeable ?? []) {
      const d = Object.getOwnPropertyDescriptor(o, u);
      assert('get' in d, `${u} is an accessor`);
      assertEquals([d.enumerable, d.configurable], [true, false], `${u}: [LegacyUnforgeable]`);
    }
    for (const attr of Object.keys(spec.attrs ?? {})) {
      void o[attr]; // the getter accepts an instance
    }
    // Too few arguments: WebIDL throws a TypeError (rejects, for a promise).
    for (const [ops, promiseType] of [[spec.ops ?? {}, false], [spec.pops ?? {}, true]]) {
      for (const [op, length] of Object.entries(ops)) {
        for (let n = 0; n < length; n++) {
          const args = [];
          for (let i = 0; i < n; i++) args.push(undefined);
          await assertTypeErrorOrRejection(() => o[op](...args), promiseType, `${name}.prototype.${op} with ${n} argument(s)`);
        }
      }
    }
  });
}

test('DOMException: an Error whose interface object is no Error', () => {
  assert(Object.getPrototypeOf(DOMException) === Function.prototype, 'DOMException.[[Prototype]]');
  assert(Object.getPrototypeOf(DOMException.prototype) === Error.prototype, 'DOMException.prototype.[[Prototype]]');
  const e = new DOMException('went wrong', 'AbortError');
  assert(e instanceof Error);
  assertEquals(String(e), 'AbortError: went wrong');
  assertEquals(typeof e.stack, 'string');
  class Sub extends DOMException {}
  const s = new Sub('m', 'SyntaxError');
  assert(Object.getPrototypeOf(s) === Sub.prototype);
  assertEquals([s.name, s.message, s.code], ['SyntaxError', 'm', 12]);
});

test('URLSearchParams: pair iterator (entries, keys, values, forEach, @@iterator)', () => {
  const proto = URLSearchParams.prototype;
  for (const [m, length] of [['entries', 0], ['keys', 0], ['values', 0], ['forEach', 1]]) {
    const d = assertData(proto, m, [true, true, true], `URLSearchParams.prototype.${m}`);
    assertFunction(d.value, m, length, `URLSearchParams.prototype.${m}`);
    assertNotConstructor(d.value, m);
    assertThrows(TypeError, () => d.value.call({}, () => {}), undefined, `${m}.call({})`);
  }
  assertData(proto, Symbol.iterator, [true, false, true], 'URLSearchParams.prototype[@@iterator]', proto.entries);
  const params = new URLSearchParams('a=1&b=2');
  const its = [params.entries(), params.keys(), params.values(), params[Symbol.iterator]()];
  const itProto = Object.getPrototypeOf(its[0]);
  for (const it of its) assert(Object.getPrototypeOf(it) === itProto, 'one iterator prototype');
  assert(Object.getPrototypeOf(itProto) === IteratorPrototype, "the iterator prototype's [[Prototype]] is %IteratorPrototype%");
  assertEquals(Object.getOwnPropertyNames(itProto), ['next'], 'the iterator prototype has next only');
  const next = assertData(itProto, 'next', [true, true, true], 'next').value;
  assertFunction(next, 'next', 0, 'next');
  assertThrows(TypeError, () => next.call({}));
  assertThrows(TypeError, () => next.call(itProto));
  assertData(itProto, Symbol.toStringTag, [false, false, true], '@@toStringTag', 'URLSearchParams Iterator');
  assertEquals(Object.prototype.toString.call(its[0]), '[object URLSearchParams Iterator]');
  assertEquals(Object.getOwnPropertyNames(its[0]), [], 'an iterator has no own properties');
  assertEquals([...params.entries()].map((p) => p.join('=')), ['a=1', 'b=2']);
  assertEquals(its[0][Symbol.iterator](), its[0], '%IteratorPrototype%[@@iterator] returns this');
  const r = its[1].next();
  assertEquals([r.value, r.done, Object.getPrototypeOf(r) === Object.prototype], ['a', false, true]);
});

test('ReadableStream: async iterator (values, @@asyncIterator)', async () => {
  const proto = ReadableStream.prototype;
  const values = assertData(proto, 'values', [true, true, true], 'ReadableStream.prototype.values').value;
  assertFunction(values, 'values', 0, 'values');
  assertThrows(TypeError, () => values.call({}));
  assertData(proto, Symbol.asyncIterator, [true, false, true], 'ReadableStream.prototype[@@asyncIterator]', values);
  const rs = new ReadableStream({ start(c) { c.enqueue('a'); c.close(); } });
  const it = rs.values();
  const itProto = Object.getPrototypeOf(it);
  assert(Object.getPrototypeOf(new ReadableStream()[Symbol.asyncIterator]()) === itProto, 'one iterator prototype');
  const asyncIteratorProto = Object.getPrototypeOf(itProto);
  assertEquals(asyncIteratorProto[Symbol.asyncIterator].call(it), it, '%AsyncIteratorPrototype%[@@asyncIterator] returns this');
  assertEquals(Object.getOwnPropertyNames(itProto).sort(), ['next', 'return']);
  const next = assertData(itProto, 'next', [true, true, true], 'next').value;
  assertFunction(next, 'next', 0, 'next');
  const ret = assertData(itProto, 'return', [true, true, true], 'return').value;
  assertFunction(ret, 'return', 1, 'return');
  await assertTypeErrorOrRejection(() => next.call({}), true, 'next.call({})');
  await assertTypeErrorOrRejection(() => ret.call({}), true, 'return.call({})');
  assertData(itProto, Symbol.toStringTag, [false, false, true], '@@toStringTag', 'ReadableStream AsyncIterator');
  assertEquals(Object.prototype.toString.call(it), '[object ReadableStream AsyncIterator]');
  const r = await it.next();
  assertEquals([r.value, r.done], ['a', false]);
  assertEquals((await it.next()).done, true);
});

test('WorkerGlobalScope operations: own, writable, enumerable, configurable properties', async () => {
  for (const [op, length] of Object.entries(globalOps)) {
    const d = assertData(globalThis, op, [true, true, true], `globalThis.${op}`);
    assertFunction(d.value, op, length, op);
    assertNotConstructor(d.value, op);
    assert(Object.keys(globalThis).includes(op), `${op} is listed by Object.keys`);
    if (length > 0) await assertTypeErrorOrRejection(() => d.value(), false, `${op}()`);
  }
});

test('WorkerGlobalScope attributes: enumerable, configurable accessors', () => {
  for (const [attr, { replaceable, iface, value }] of Object.entries(globalAttrs)) {
    const d = Object.getOwnPropertyDescriptor(globalThis, attr);
    assert(d && 'get' in d, `${attr} is an accessor: ${describe(d)}`);
    assertEquals([d.enumerable, d.configurable], [true, true], `${attr}: enumerable, configurable`);
    assertFunction(d.get, `get ${attr}`, 0, `${attr} getter`);
    assertNotConstructor(d.get, `${attr} getter`);
    if (replaceable) {
      assertFunction(d.set, `set ${attr}`, 1, `${attr} setter`);
      assertThrows(TypeError, () => d.set.call(globalThis), undefined, `${attr} setter without an argument`);
    } else {
      assertEquals(d.set, undefined, `${attr} has no setter`);
      assertThrows(TypeError, () => { globalThis[attr] = 1; }, undefined, `assigning ${attr}`);
    }
    const v = globalThis[attr];
    assert(d.get.call(undefined) === v, `${attr} getter with an undefined this`);
    assertThrows(TypeError, () => d.get.call({}), undefined, `${attr} getter on {}`);
    assert(globalThis[attr] === v, `[SameObject] ${attr}`);
    if (iface) {
      assert(v instanceof globalThis[iface], `${attr} instanceof ${iface}`);
      assert(Object.getPrototypeOf(v) === globalThis[iface].prototype, `${attr}'s [[Prototype]]`);
    }
    if (value) assert(v === value(), `${attr}'s value`);
  }
});

test('[Replaceable] self and performance: assigning replaces the accessor', () => {
  for (const attr of ['self', 'performance']) {
    const original = Object.getOwnPropertyDescriptor(globalThis, attr);
    try {
      globalThis[attr] = 42;
      assertData(globalThis, attr, [true, true, true], `${attr} after assignment`, 42);
    } finally {
      Object.defineProperty(globalThis, attr, original);
    }
    assert(Object.getOwnPropertyDescriptor(globalThis, attr).get === original.get, `${attr} restored`);
  }
  assert(self === globalThis);
});

test('performance is an EventTarget', () => {
  assert(performance instanceof EventTarget);
  let fired = 0;
  const listener = () => { fired++; };
  performance.addEventListener('x', listener);
  performance.dispatchEvent(new Event('x'));
  performance.removeEventListener('x', listener);
  assertEquals(fired, 1);
});

await run();
