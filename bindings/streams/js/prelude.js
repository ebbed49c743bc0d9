// Shared helpers for the streams implementation.
//
// The files in js/ are concatenated, in the order script.go lists them, into
// the body of one function expression `(function (natives) { ... })`, so
// every internal function and record below is invisible to user code. The
// public classes keep their internal state in a single private field that
// points at a plain "record" object; the abstract operations of the spec work
// on records, and a record's public object (`pub`) is created only when user
// code can see it.
//
// The built-ins that matter most are captured by Go at Install, before any
// script runs (natives.intrinsics, see intrinsicsProgram in script.go), so
// that a script patching Promise.prototype.then and friends cannot change
// what the streams do. The rest are taken when this runs, on first use.

const intrinsics = natives.intrinsics;
const P = intrinsics[0];
const ReflectApply = intrinsics[3];
const uncurry = ReflectApply(intrinsics[5], intrinsics[5], [intrinsics[4]]); // bind.bind(call)
const thenCall = uncurry(intrinsics[1]);
const promiseResolve = uncurry(intrinsics[2]);
const defineProperty = intrinsics[6];
const getPrototypeOf = intrinsics[7];
const setPrototypeOf = intrinsics[8];
const getOwnPropertyDescriptor = intrinsics[9];
const ObjectFreeze = intrinsics[10];
const TE = intrinsics[12];
const RE = intrinsics[13];
const isView = ArrayBuffer.isView;
const mathMin = Math.min;
const mathTrunc = Math.trunc;
const NumberIsNaN = Number.isNaN;
const symAsyncIterator = Symbol.asyncIterator;
const symIterator = Symbol.iterator;
const symToStringTag = Symbol.toStringTag;
const Uint8ArrayCtor = Uint8Array;
const ArrayBufferCtor = ArrayBuffer;
const DataViewCtor = DataView;
const noArgs = ObjectFreeze([]);

// Views are read through the intrinsic getters: besides ignoring patched
// prototypes, this is much cheaper in goja than a named property lookup on a
// typed array, which first tries to parse the name as a number.
function getterOf(proto, name) { return getOwnPropertyDescriptor(proto, name).get; }
const TypedArrayProto = getPrototypeOf(Uint8Array.prototype);
const typedArrayName = getterOf(TypedArrayProto, symToStringTag);
const taBuffer = getterOf(TypedArrayProto, 'buffer');
const taByteOffset = getterOf(TypedArrayProto, 'byteOffset');
const taByteLength = getterOf(TypedArrayProto, 'byteLength');
const taLength = getterOf(TypedArrayProto, 'length');
const dvBuffer = getterOf(DataView.prototype, 'buffer');
const dvByteOffset = getterOf(DataView.prototype, 'byteOffset');
const dvByteLength = getterOf(DataView.prototype, 'byteLength');

const nTransfer = natives.transfer;
const nIsDetached = natives.isDetached;
const nByteLength = natives.byteLength;
const nCopy = natives.copy;
const nClone = natives.clone;

function noop() {}
function returnUndefined() { return undefined; }

// Promises. `capture` is the one executor every internal promise is built
// with: it hands the resolving functions out through two variables instead of
// allocating a closure per promise (the executor runs synchronously).
let capRes;
let capRej;
function capture(res, rej) { capRes = res; capRej = rej; }

function newPromise() { return new P(capture); }
function resolvedWith(v) { const p = new P(capture); capRes(v); return p; }
function rejectedWith(e) { const p = new P(capture); capRej(e); return p; }
function setHandled(p) { thenCall(p, undefined, noop); }
function queueMicrotaskInternal(fn) { thenCall(resolvedWith(undefined), fn); }

// promiseCall invokes a user callback as WebIDL does for a callback returning
// a promise: an exception becomes a rejection.
function promiseCall(f, thisArg, args) {
  try {
    return resolvedWith(ReflectApply(f, thisArg, args));
  } catch (e) {
    return rejectedWith(e);
  }
}

// Deferred is a promise together with its resolving functions and whether it
// is still pending, for the spec's "if promise is pending" tests. The promise
// is made only when something asks for it: most internal promises (a
// TransformStream's backpressure promise, a locked writer's ready promise)
// are settled without anyone ever looking, and each promise costs
// microseconds in goja. A promise made late is in the state it would have
// been in, so this is not observable, except that adopting a thenable takes
// jobs, so resolving with an object makes the promise at once.
class Deferred {
  constructor() {
    this.p = undefined;
    this.res = undefined;
    this.rej = undefined;
    this.pending = true;
    this.rejected = false;
    this.value = undefined;
  }

  get promise() {
    if (this.p === undefined) {
      this.p = new P(capture);
      this.res = capRes;
      this.rej = capRej;
      if (!this.pending) {
        if (this.rejected) capRej(this.value);
        else capRes(this.value);
        this.value = undefined;
      }
    }
    return this.p;
  }
}
function resolveD(d, v) {
  if (!d.pending) return;
  if (d.p === undefined && isObject(v)) void d.promise;
  d.pending = false;
  if (d.p !== undefined) d.res(v);
  else d.value = v;
}
function rejectD(d, e) {
  if (!d.pending) return;
  d.pending = false;
  if (d.p !== undefined) {
    d.rej(e);
  } else {
    d.rejected = true;
    d.value = e;
  }
}
// CallbackRequest settles like a Deferred but calls back instead of making a
// promise; internal requests that nobody else can see use it.
class CallbackRequest {
  constructor(onSettled) {
    this.p = null; // not undefined: resolveD and rejectD call back at once
    this.res = onSettled;
    this.rej = onSettled;
    this.pending = true;
  }
}

function resolvedDeferred(v) { const d = new Deferred(); resolveD(d, v); return d; }
function rejectedDeferred(e) { const d = new Deferred(); rejectD(d, e); return d; }

// Queue is a FIFO that does not depend on (patchable) Array methods and does
// not copy on every shift.
class Queue {
  // The array is made on the first push: most queues of a socket's streams
  // (BYOB pull-intos, queued writes) stay empty for the connection's life,
  // and an idle connection should not hold their arrays.
  constructor() { this.a = undefined; this.h = 0; this.size = 0; }
  push(v) {
    if (this.a === undefined) this.a = [];
    this.a[this.h + this.size] = v;
    this.size++;
  }
  peek() { return this.size === 0 ? undefined : this.a[this.h]; }
  shift() {
    if (this.size === 0) return undefined;
    const a = this.a;
    const v = a[this.h];
    a[this.h] = undefined;
    this.h++;
    this.size--;
    if (this.size === 0) {
      this.h = 0;
    } else if (this.h >= 512 && this.h * 2 >= this.h + this.size) {
      const b = [];
      for (let i = 0; i < this.size; i++) b[i] = a[this.h + i];
      this.a = b;
      this.h = 0;
    }
    return v;
  }
}

// The queue-with-sizes of the spec (for default controllers).
function dequeueValue(c) {
  const pair = c.queue.shift();
  c.queueTotalSize -= pair.size;
  if (c.queueTotalSize < 0) c.queueTotalSize = 0; // rounding errors
  return pair.value;
}
function enqueueValueWithSize(c, value, size) {
  if (typeof size !== 'number' || NumberIsNaN(size) || size < 0 || size === Infinity) {
    throw new RE('The return value of a queuing strategy\'s size function must be a finite, non-NaN, non-negative number');
  }
  c.queue.push({ value, size });
  c.queueTotalSize += size;
}
function resetQueue(c) {
  c.queue = new Queue();
  c.queueTotalSize = 0;
}

// WebIDL conversions.
function toDictionary(v, what) {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' && typeof v !== 'function') {
    throw new TE(`${what} cannot be converted to a dictionary`);
  }
  return v;
}
function toCallback(v, what) {
  if (typeof v !== 'function') throw new TE(`${what} is not a function`);
  return v;
}
function toEnforceRangeULL(v, what) {
  let x = +v;
  if (NumberIsNaN(x) || x === Infinity || x === -Infinity) {
    throw new TE(`${what} is not a finite number`);
  }
  x = mathTrunc(x);
  if (x < 0 || x > 9007199254740991) throw new TE(`${what} is outside the accepted range`);
  return x + 0; // -0 becomes +0
}
function isObject(v) {
  return (typeof v === 'object' && v !== null) || typeof v === 'function';
}

// Array buffers. goja has no ArrayBuffer.prototype.transfer; natives.transfer
// moves the backing bytes to a new ArrayBuffer (no copy) and detaches the old
// one with goja's ArrayBuffer.Detach.
const viewKinds = {
  __proto__: null,
  Int8Array: { ctor: Int8Array, size: 1 },
  Uint8Array: { ctor: Uint8Array, size: 1 },
  Uint8ClampedArray: { ctor: Uint8ClampedArray, size: 1 },
  Int16Array: { ctor: Int16Array, size: 2 },
  Uint16Array: { ctor: Uint16Array, size: 2 },
  Int32Array: { ctor: Int32Array, size: 4 },
  Uint32Array: { ctor: Uint32Array, size: 4 },
  Float32Array: { ctor: Float32Array, size: 4 },
  Float64Array: { ctor: Float64Array, size: 8 },
  BigInt64Array: { ctor: BigInt64Array, size: 8 },
  BigUint64Array: { ctor: BigUint64Array, size: 8 },
};
const dataViewKind = { ctor: DataView, size: 1 };
// viewKind returns the intrinsic constructor and element size of an
// ArrayBufferView from its [[TypedArrayName]], never from view.constructor.
function viewKind(view) {
  const name = ReflectApply(typedArrayName, view, noArgs);
  return name === undefined ? dataViewKind : viewKinds[name];
}

// The internal slots of an ArrayBufferView, given its viewKind. goja throws
// on byteOffset and byteLength of a view over a detached buffer; callers
// check viewBuffer first where that can happen.
function viewBuffer(view, kind) {
  return ReflectApply(kind === dataViewKind ? dvBuffer : taBuffer, view, noArgs);
}
function viewByteOffset(view, kind) {
  return ReflectApply(kind === dataViewKind ? dvByteOffset : taByteOffset, view, noArgs);
}
function viewByteLength(view, kind) {
  return ReflectApply(kind === dataViewKind ? dvByteLength : taByteLength, view, noArgs);
}
// viewLength is [[ArrayLength]] for a typed array, [[ByteLength]] for a DataView.
function viewLength(view, kind) {
  return ReflectApply(kind === dataViewKind ? dvByteLength : taLength, view, noArgs);
}

// describe turns a cancel/abort reason into the text a Go source or sink
// receives; it must not throw whatever the reason is.
function describe(reason, fallback) {
  if (reason === undefined) return fallback;
  try {
    if (isObject(reason) && typeof reason.message === 'string') {
      const name = typeof reason.name === 'string' ? reason.name : 'Error';
      return reason.message === '' ? name : `${name}: ${reason.message}`;
    }
    return `${reason}`;
  } catch (e) {
    return fallback;
  }
}

// Public objects are created around an existing record by setting `adopting`
// and calling the class's constructor, which then skips its public steps.
// Classes whose constructor the spec makes illegal check for it.
let adopting;

function brandError(what) {
  return new TE(`Illegal invocation: receiver is not a ${what}`);
}
function defineTag(C, tag) {
  defineProperty(C.prototype, symToStringTag, { value: tag, configurable: true });
}
