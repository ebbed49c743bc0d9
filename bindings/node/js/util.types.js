// node:util/types (https://nodejs.org/api/util.html#utiltypes). Each check
// is a brand check where JavaScript has one (calling an intrinsic getter or
// method that throws for anything else), so that an object that merely
// claims a Symbol.toStringTag, or inherits from the prototype, is not taken
// for the real thing; Go answers for promises, proxies and errors.
'use strict';
const internal = require('sockw:internal/node');

const uncurry = (fn) => (self, ...args) => fn.apply(self, args);
const getter = (proto, name) => uncurry(Object.getOwnPropertyDescriptor(proto, name).get);

const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype);
const typedArrayTag = getter(TypedArrayPrototype, Symbol.toStringTag);
const arrayBufferByteLength = getter(ArrayBuffer.prototype, 'byteLength');
const sharedArrayBufferByteLength = typeof SharedArrayBuffer === 'function'
  ? getter(SharedArrayBuffer.prototype, 'byteLength') : null;
const dataViewByteLength = getter(DataView.prototype, 'byteLength');
const mapSize = getter(Map.prototype, 'size');
const setSize = getter(Set.prototype, 'size');
const weakMapHas = uncurry(WeakMap.prototype.has);
const weakSetHas = uncurry(WeakSet.prototype.has);
const dateGetTime = uncurry(Date.prototype.getTime);
const numberValueOf = uncurry(Number.prototype.valueOf);
const stringValueOf = uncurry(String.prototype.valueOf);
const booleanValueOf = uncurry(Boolean.prototype.valueOf);
const bigIntValueOf = uncurry(BigInt.prototype.valueOf);
const symbolValueOf = uncurry(Symbol.prototype.valueOf);

const AsyncFunctionPrototype = Object.getPrototypeOf(async function () {});
const GeneratorFunctionPrototype = Object.getPrototypeOf(function* () {});
const GeneratorPrototype = GeneratorFunctionPrototype.prototype;
const MapIteratorPrototype = Object.getPrototypeOf(new Map().entries());
const SetIteratorPrototype = Object.getPrototypeOf(new Set().values());

function isObject(v) {
  return (typeof v === 'object' && v !== null) || typeof v === 'function';
}

// brand runs a check that throws for the wrong kind of object.
function brand(check) {
  return (v) => {
    if (!isObject(v)) return false;
    try {
      check(v);
      return true;
    } catch {
      return false;
    }
  };
}

const isArrayBuffer = brand(arrayBufferByteLength);
const isSharedArrayBuffer = sharedArrayBufferByteLength ? brand(sharedArrayBufferByteLength) : () => false;
const isDataView = brand(dataViewByteLength);

function isTypedArray(v) {
  return typedArrayTag(v) !== undefined;
}

function typedArrayOf(name) {
  return (v) => typedArrayTag(v) === name;
}

function isRegExp(v) {
  // RegExp.prototype's own getters accept RegExp.prototype itself; it is
  // not a regular expression.
  if (!isObject(v) || v === RegExp.prototype) return false;
  return internal.utilClassOf(v) === 'RegExp';
}

function isDate(v) {
  if (!isObject(v)) return false;
  try {
    dateGetTime(v);
    return true;
  } catch {
    return false;
  }
}

function isModuleNamespaceObject(v) {
  return isObject(v) && Object.getPrototypeOf(v) === null && v[Symbol.toStringTag] === 'Module' &&
    !Object.isExtensible(v);
}

module.exports = {
  isExternal: () => false,
  isDate,
  isArgumentsObject: (v) => isObject(v) && !Array.isArray(v) && Object.prototype.toString.call(v) === '[object Arguments]',
  isBigIntObject: brand(bigIntValueOf),
  isBooleanObject: brand(booleanValueOf),
  isNumberObject: brand(numberValueOf),
  isStringObject: brand(stringValueOf),
  isSymbolObject: brand(symbolValueOf),
  isBoxedPrimitive: (v) => module.exports.isNumberObject(v) || module.exports.isStringObject(v) ||
    module.exports.isBooleanObject(v) || module.exports.isBigIntObject(v) || module.exports.isSymbolObject(v),
  isNativeError: (v) => internal.utilClassOf(v) === 'Error',
  isRegExp,
  isAsyncFunction: (v) => typeof v === 'function' && Object.getPrototypeOf(v) === AsyncFunctionPrototype,
  isGeneratorFunction: (v) => typeof v === 'function' && Object.getPrototypeOf(v) === GeneratorFunctionPrototype,
  isGeneratorObject: (v) => isObject(v) && GeneratorPrototype.isPrototypeOf(v),
  isPromise: (v) => internal.utilClassOf(v) === 'Promise',
  isMap: brand(mapSize),
  isSet: brand(setSize),
  isMapIterator: (v) => isObject(v) && Object.getPrototypeOf(v) === MapIteratorPrototype,
  isSetIterator: (v) => isObject(v) && Object.getPrototypeOf(v) === SetIteratorPrototype,
  isWeakMap: brand((v) => weakMapHas(v, {})),
  isWeakSet: brand((v) => weakSetHas(v, {})),
  isArrayBuffer,
  isDataView,
  isSharedArrayBuffer,
  isProxy: (v) => internal.utilClassOf(v) === 'Proxy',
  isModuleNamespaceObject,
  isAnyArrayBuffer: (v) => isArrayBuffer(v) || isSharedArrayBuffer(v),
  isArrayBufferView: (v) => ArrayBuffer.isView(v),
  isTypedArray,
  isUint8Array: typedArrayOf('Uint8Array'),
  isUint8ClampedArray: typedArrayOf('Uint8ClampedArray'),
  isUint16Array: typedArrayOf('Uint16Array'),
  isUint32Array: typedArrayOf('Uint32Array'),
  isInt8Array: typedArrayOf('Int8Array'),
  isInt16Array: typedArrayOf('Int16Array'),
  isInt32Array: typedArrayOf('Int32Array'),
  isFloat32Array: typedArrayOf('Float32Array'),
  isFloat64Array: typedArrayOf('Float64Array'),
  isBigInt64Array: typedArrayOf('BigInt64Array'),
  isBigUint64Array: typedArrayOf('BigUint64Array'),
  isKeyObject: () => false,
  isCryptoKey: (v) => typeof CryptoKey === 'function' && v instanceof CryptoKey,
};
