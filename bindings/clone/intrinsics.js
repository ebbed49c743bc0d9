// The built-ins structuredClone reads internal slots through, captured when
// the isolate is set up so that a script patching prototypes cannot change
// what is cloned. Each getter throws for objects without the slot.
(function (intrinsicGetOwnPropertyDescriptor) {
  'use strict';
  // Package events hands over the intrinsic, which, unlike the global
  // function, does not build the lazy globals it is asked about: listing
  // the platform interfaces below must not build them all.
  const getOwnPropertyDescriptor = typeof intrinsicGetOwnPropertyDescriptor === 'function'
    ? intrinsicGetOwnPropertyDescriptor : Object.getOwnPropertyDescriptor;
  const ownKeys = Reflect.ownKeys;
  const get = (o, k) => getOwnPropertyDescriptor(o, k).get;
  const toStringTag = Symbol.toStringTag;

  // The ECMAScript built-ins whose prototype carries their name as tag; a
  // global whose prototype does and is none of these is a web platform
  // interface (Event, ReadableStream, TextEncoder, ...).
  const builtins = new Set(['ArrayBuffer', 'AsyncDisposableStack', 'BigInt', 'DataView', 'DisposableStack',
    'FinalizationRegistry', 'Iterator', 'Map', 'Promise', 'Set', 'SharedArrayBuffer', 'Symbol', 'WeakMap',
    'WeakRef', 'WeakSet']);

  // platformPrototypes lists [name, prototype, ...] for the global
  // interfaces added since, reading descriptors only, so that no getter a
  // script defined runs.
  function platformPrototypes(global) {
    const out = [];
    for (const name of ownKeys(global)) {
      if (typeof name !== 'string' || builtins.has(name)) continue;
      const d = getOwnPropertyDescriptor(global, name);
      if (d === undefined || typeof d.value !== 'function') continue;
      const pd = getOwnPropertyDescriptor(d.value, 'prototype');
      if (pd === undefined || typeof pd.value !== 'object' || pd.value === null) continue;
      const td = getOwnPropertyDescriptor(pd.value, toStringTag);
      if (td !== undefined && td.value === name) out.push(name, pd.value);
    }
    return out;
  }
  const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype);
  const flags = [];
  for (const [flag, name] of [['d', 'hasIndices'], ['g', 'global'], ['i', 'ignoreCase'], ['m', 'multiline'],
    ['s', 'dotAll'], ['u', 'unicode'], ['v', 'unicodeSets'], ['y', 'sticky']]) {
    const d = Object.getOwnPropertyDescriptor(RegExp.prototype, name);
    if (d && d.get) flags.push(flag, d.get);
  }
  // [name, prototype, is] for built-ins with internal slots that goja
  // shows as ordinary objects; is(o) throws unless o has the slot (null:
  // inheriting is enough).
  const probe = [{}];
  const apply = Reflect.apply;
  const weakMapHas = WeakMap.prototype.has;
  const weakSetHas = WeakSet.prototype.has;
  const proto = (o) => Object.getPrototypeOf(o);
  const slotted = [
    'DataView', DataView.prototype, get(DataView.prototype, 'byteLength'),
    'WeakMap', WeakMap.prototype, function () { apply(weakMapHas, this, probe); },
    'WeakSet', WeakSet.prototype, function () { apply(weakSetHas, this, probe); },
    'Array Iterator', proto([][Symbol.iterator]()), null,
    'Map Iterator', proto(new Map()[Symbol.iterator]()), null,
    'Set Iterator', proto(new Set()[Symbol.iterator]()), null,
    'String Iterator', proto(''[Symbol.iterator]()), null,
    'RegExp String Iterator', proto(/a/[Symbol.matchAll]('')), null,
    'Generator', proto(proto((function* () {})())), null,
  ];
  if (typeof WeakRef === 'function') slotted.push('WeakRef', WeakRef.prototype, null);
  if (typeof FinalizationRegistry === 'function') slotted.push('FinalizationRegistry', FinalizationRegistry.prototype, null);

  return {
    slotted,
    typedArrayName: get(TypedArrayPrototype, Symbol.toStringTag),
    typedArrayBuffer: get(TypedArrayPrototype, 'buffer'),
    typedArrayByteOffset: get(TypedArrayPrototype, 'byteOffset'),
    typedArrayLength: get(TypedArrayPrototype, 'length'),
    DataView,
    dataViewBuffer: get(DataView.prototype, 'buffer'),
    dataViewByteOffset: get(DataView.prototype, 'byteOffset'),
    dataViewByteLength: get(DataView.prototype, 'byteLength'),
    typedArrays: {
      Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
      Float32Array, Float64Array, BigInt64Array, BigUint64Array,
    },
    Object,
    Boolean,
    booleanValueOf: Boolean.prototype.valueOf,
    Number,
    numberValueOf: Number.prototype.valueOf,
    String,
    stringValueOf: String.prototype.valueOf,
    bigintValueOf: BigInt.prototype.valueOf,
    Date,
    dateGetTime: Date.prototype.getTime,
    RegExp,
    regExpSource: get(RegExp.prototype, 'source'),
    regExpFlags: flags,
    Map,
    mapForEach: Map.prototype.forEach,
    mapSet: Map.prototype.set,
    Set,
    setForEach: Set.prototype.forEach,
    setAdd: Set.prototype.add,
    errors: { Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError },
    getOwnPropertyDescriptor,
    platformPrototypes,
  };
})
