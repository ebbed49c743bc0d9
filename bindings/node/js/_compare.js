// Deep equality as Node's assert.deepStrictEqual / util.isDeepStrictEqual
// (strict) and assert.deepEqual (loose) define it
// (https://nodejs.org/api/assert.html#comparison-details).
'use strict';
const types = require('node:util/types');

const hasOwn = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
const isEnumerable = (o, k) => Object.prototype.propertyIsEnumerable.call(o, k);
const tagOf = (v) => Object.prototype.toString.call(v);

function ownKeys(o, strict) {
  const keys = Object.keys(o);
  if (strict) {
    for (const s of Object.getOwnPropertySymbols(o)) if (isEnumerable(o, s)) keys.push(s);
  }
  return keys;
}

function primitiveEqual(a, b, strict) {
  if (strict) return Object.is(a, b);
  // eslint-disable-next-line eqeqeq
  return a == b || (Number.isNaN(a) && Number.isNaN(b));
}

// isDeepEqual compares a and b; memo holds the pairs being compared, so
// that cycles compare equal when both sides cycle the same way.
function isDeepEqual(a, b, strict, memo) {
  if (a === b) return a !== 0 || !strict || Object.is(a, b);
  // Functions compare as primitives do: only to themselves.
  const aObj = typeof a === 'object' && a !== null;
  const bObj = typeof b === 'object' && b !== null;
  if (!aObj || !bObj) {
    if (strict) return Object.is(a, b);
    return !aObj && !bObj && primitiveEqual(a, b, false);
  }
  if (strict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (tagOf(a) !== tagOf(b)) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;

  if (memo === undefined) memo = new Map();
  let seen = memo.get(a);
  if (seen === undefined) memo.set(a, (seen = new Set()));
  if (seen.has(b)) return true;
  seen.add(b);
  try {
    return compareObjects(a, b, strict, memo);
  } finally {
    seen.delete(b);
  }
}

function compareObjects(a, b, strict, memo) {
  if (Array.isArray(a)) {
    if (a.length !== b.length) return false;
  } else if (types.isDate(a)) {
    if (!types.isDate(b) || a.getTime() !== b.getTime()) return false;
  } else if (types.isRegExp(a)) {
    if (!types.isRegExp(b) || a.source !== b.source || a.flags !== b.flags || a.lastIndex !== b.lastIndex) return false;
  } else if (types.isNativeError(a) || a instanceof Error) {
    if (!(types.isNativeError(b) || b instanceof Error) || a.message !== b.message || a.name !== b.name) return false;
  } else if (types.isArrayBufferView(a)) {
    if (!types.isArrayBufferView(b) || a.byteLength !== b.byteLength) return false;
    if (!strict && (types.isFloat32Array(a) || types.isFloat64Array(a))) {
      if (a.length !== b.length) return false;
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    } else {
      const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
      const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
    }
    // Only the extra properties remain to compare, not the indices.
    return keysEqual(a, b, strict, memo, ownKeys(a, strict).filter((k) => typeof k !== 'string' || !/^\d+$/.test(k)),
      ownKeys(b, strict).filter((k) => typeof k !== 'string' || !/^\d+$/.test(k)));
  } else if (types.isAnyArrayBuffer(a)) {
    if (!types.isAnyArrayBuffer(b) || a.byteLength !== b.byteLength) return false;
    const x = new Uint8Array(a);
    const y = new Uint8Array(b);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  } else if (types.isBoxedPrimitive(a)) {
    if (!types.isBoxedPrimitive(b) || !Object.is(a.valueOf(), b.valueOf())) return false;
  } else if (types.isBoxedPrimitive(b)) {
    return false;
  }
  if (!keysEqual(a, b, strict, memo, ownKeys(a, strict), ownKeys(b, strict))) return false;
  if (types.isMap(a)) return types.isMap(b) && mapsEqual(a, b, strict, memo);
  if (types.isSet(a)) return types.isSet(b) && setsEqual(a, b, strict, memo);
  return true;
}

function keysEqual(a, b, strict, memo, aKeys, bKeys) {
  if (aKeys.length !== bKeys.length) return false;
  for (const k of aKeys) {
    if (!hasOwn(b, k) || (strict && !isEnumerable(b, k))) return false;
  }
  for (const k of aKeys) {
    if (!isDeepEqual(a[k], b[k], strict, memo)) return false;
  }
  return true;
}

function setsEqual(a, b, strict, memo) {
  if (a.size !== b.size) return false;
  let pending = null;
  for (const v of a) {
    if (typeof v === 'object' && v !== null) {
      (pending || (pending = [])).push(v);
    } else if (!b.has(v)) {
      if (strict) return false;
      (pending || (pending = [])).push(v);
    }
  }
  if (pending === null) return true;
  const candidates = [];
  for (const v of b) {
    if ((typeof v === 'object' && v !== null) || (!strict && !a.has(v))) candidates.push(v);
  }
  return matchAll(pending, candidates, (x, y) => isDeepEqual(x, y, strict, memo));
}

function mapsEqual(a, b, strict, memo) {
  if (a.size !== b.size) return false;
  let pending = null;
  for (const [k, v] of a) {
    if (typeof k !== 'object' || k === null) {
      if (b.has(k)) {
        if (!isDeepEqual(v, b.get(k), strict, memo)) return false;
        continue;
      }
      if (strict) return false;
    }
    (pending || (pending = [])).push([k, v]);
  }
  if (pending === null) return true;
  const candidates = [];
  for (const [k, v] of b) {
    if ((typeof k === 'object' && k !== null) || !a.has(k)) candidates.push([k, v]);
  }
  return matchAll(pending, candidates,
    ([k1, v1], [k2, v2]) => isDeepEqual(k1, k2, strict, memo) && isDeepEqual(v1, v2, strict, memo));
}

// matchAll pairs each item with a distinct equal candidate.
function matchAll(items, candidates, equal) {
  if (items.length !== candidates.length) return false;
  const used = new Array(candidates.length).fill(false);
  for (const item of items) {
    let found = false;
    for (let i = 0; i < candidates.length; i++) {
      if (!used[i] && equal(item, candidates[i])) {
        used[i] = true;
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

module.exports = {
  isDeepStrictEqual: (a, b) => isDeepEqual(a, b, true),
  isDeepLooseEqual: (a, b) => isDeepEqual(a, b, false),
};
