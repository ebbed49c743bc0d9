// node:util/types: brand checks that do not trust Symbol.toStringTag where
// a built-in method can tell.
'use strict';

function brand(method) {
  return (v) => {
    if (typeof v !== 'object' || v === null) return false;
    try {
      method.call(v);
      return true;
    } catch {
      return false;
    }
  };
}

const typedArrayProto = Object.getPrototypeOf(Uint8Array.prototype);
const typedArrayTag = Object.getOwnPropertyDescriptor(typedArrayProto, Symbol.toStringTag).get;
const tagIs = (name) => (v) => typedArrayTag.call(v) === name;
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
const GeneratorFunction = Object.getPrototypeOf(function* () {}).constructor;
const generatorProto = Object.getPrototypeOf(Object.getPrototypeOf((function* () {})()));
const arrayBufferByteLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength').get;
const sharedByteLength = typeof SharedArrayBuffer === 'function'
  ? Object.getOwnPropertyDescriptor(SharedArrayBuffer.prototype, 'byteLength').get : undefined;
const dataViewBuffer = Object.getOwnPropertyDescriptor(DataView.prototype, 'buffer').get;

const isArrayBuffer = brand(arrayBufferByteLength);
const isSharedArrayBuffer = sharedByteLength ? brand(sharedByteLength) : () => false;

const types = {
  isArrayBuffer,
  isSharedArrayBuffer,
  isAnyArrayBuffer: (v) => isArrayBuffer(v) || isSharedArrayBuffer(v),
  isArrayBufferView: (v) => ArrayBuffer.isView(v),
  isDataView: brand(dataViewBuffer),
  isTypedArray: (v) => typedArrayTag.call(v) !== undefined,
  isUint8Array: tagIs('Uint8Array'),
  isUint8ClampedArray: tagIs('Uint8ClampedArray'),
  isUint16Array: tagIs('Uint16Array'),
  isUint32Array: tagIs('Uint32Array'),
  isInt8Array: tagIs('Int8Array'),
  isInt16Array: tagIs('Int16Array'),
  isInt32Array: tagIs('Int32Array'),
  isFloat32Array: tagIs('Float32Array'),
  isFloat64Array: tagIs('Float64Array'),
  isBigInt64Array: tagIs('BigInt64Array'),
  isBigUint64Array: tagIs('BigUint64Array'),
  isDate: brand(Date.prototype.getTime),
  isRegExp: brand(Object.getOwnPropertyDescriptor(RegExp.prototype, 'source').get),
  isMap: brand(Object.getOwnPropertyDescriptor(Map.prototype, 'size').get),
  isSet: brand(Object.getOwnPropertyDescriptor(Set.prototype, 'size').get),
  isWeakMap: brand(function () { return WeakMap.prototype.has.call(this, {}); }),
  isWeakSet: brand(function () { return WeakSet.prototype.has.call(this, {}); }),
  isMapIterator: (v) => Object.prototype.toString.call(v) === '[object Map Iterator]',
  isSetIterator: (v) => Object.prototype.toString.call(v) === '[object Set Iterator]',
  isPromise: (v) => v instanceof Promise,
  isNativeError: (v) => v instanceof Error,
  isAsyncFunction: (v) => v instanceof AsyncFunction,
  isGeneratorFunction: (v) => v instanceof GeneratorFunction,
  isGeneratorObject: (v) => typeof v === 'object' && v !== null && generatorProto.isPrototypeOf(v),
  isNumberObject: brand(Number.prototype.valueOf),
  isStringObject: brand(String.prototype.valueOf),
  isBooleanObject: brand(Boolean.prototype.valueOf),
  isBigIntObject: brand(BigInt.prototype.valueOf),
  isSymbolObject: brand(Symbol.prototype.valueOf),
  isArgumentsObject: (v) => Object.prototype.toString.call(v) === '[object Arguments]',
  isModuleNamespaceObject: (v) => typeof v === 'object' && v !== null && v[Symbol.toStringTag] === 'Module' && Object.getPrototypeOf(v) === null,
  // Neither can be told from JavaScript; nothing in a worker is either.
  isProxy: () => false,
  isExternal: () => false,
  isKeyObject: () => false,
  isCryptoKey: (v) => typeof CryptoKey === 'function' && v instanceof CryptoKey,
};
types.isBoxedPrimitive = (v) => types.isNumberObject(v) || types.isStringObject(v) || types.isBooleanObject(v) ||
  types.isBigIntObject(v) || types.isSymbolObject(v);

module.exports = types;
