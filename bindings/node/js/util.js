// node:util (https://nodejs.org/api/util.html). format and inspect are the
// console's formatter (Go), so that util.inspect(x) and console.log(x) agree;
// it prints on one line where Node would break long output over several.
'use strict';
const internal = require('sockw:internal/node');
const {
  coded, invalidArgType, notSupported, validateFunction, validateObject, validateString,
} = require('sockw:internal/node-codes');
const types = require('node:util/types');
const { isDeepStrictEqual } = require('sockw:internal/node-compare');
const process = require('node:process');

const kCustomInspect = Symbol.for('nodejs.util.inspect.custom');
const kCustomPromisify = Symbol.for('nodejs.util.promisify.custom');

const defaultOptions = {
  showHidden: false, depth: 2, colors: false, customInspect: true, showProxy: false,
  maxArrayLength: 100, maxStringLength: 10000, breakLength: 128, compact: 3, sorted: false, getters: false,
  numericSeparator: false,
};

// depthOf maps util.inspect's depth option to Go's: -1 for no limit.
function depthOf(depth) {
  if (depth === null || depth === Infinity) return -1;
  if (typeof depth !== 'number' || Number.isNaN(depth)) return defaultOptions.depth;
  return Math.max(0, Math.trunc(depth));
}

function inspect(value, opts) {
  let depth = defaultOptions.depth;
  let customInspect = defaultOptions.customInspect;
  if (typeof opts === 'boolean') {
    // The legacy form: inspect(value, showHidden, depth, colors).
    if (arguments.length >= 3 && arguments[2] !== undefined) depth = arguments[2];
  } else if (opts !== null && typeof opts === 'object') {
    if ('depth' in opts) depth = opts.depth;
    if ('customInspect' in opts) customInspect = !!opts.customInspect;
  }
  return internal.utilInspect(value, depthOf(depth), customInspect);
}
Object.defineProperty(inspect, 'custom', { value: kCustomInspect, enumerable: false, writable: false, configurable: false });
Object.defineProperty(inspect, 'defaultOptions', {
  get() { return defaultOptions; },
  set(options) {
    validateObject(options, 'options');
    Object.assign(defaultOptions, options);
  },
});
// There are no colours in a log line; the tables exist for code that reads them.
inspect.colors = Object.assign(Object.create(null), {
  reset: [0, 0], bold: [1, 22], dim: [2, 22], italic: [3, 23], underline: [4, 24], inverse: [7, 27],
  red: [31, 39], green: [32, 39], yellow: [33, 39], blue: [34, 39], magenta: [35, 39], cyan: [36, 39],
  white: [37, 39], gray: [90, 39], grey: [90, 39],
});
inspect.styles = Object.assign(Object.create(null), {
  special: 'cyan', number: 'yellow', bigint: 'yellow', boolean: 'yellow', undefined: 'grey', null: 'bold',
  string: 'green', symbol: 'green', date: 'magenta', regexp: 'red', module: 'underline',
});

function format(...args) {
  return internal.utilFormat(depthOf(defaultOptions.depth), true, ...args);
}

function formatWithOptions(inspectOptions, ...args) {
  validateObject(inspectOptions, 'inspectOptions');
  const depth = 'depth' in inspectOptions ? inspectOptions.depth : defaultOptions.depth;
  const customInspect = 'customInspect' in inspectOptions ? !!inspectOptions.customInspect : true;
  return internal.utilFormat(depthOf(depth), customInspect, ...args);
}

function inherits(ctor, superCtor) {
  if (ctor === undefined || ctor === null) throw invalidArgType('ctor', 'Function', ctor);
  if (superCtor === undefined || superCtor === null) throw invalidArgType('superCtor', 'Function', superCtor);
  if (superCtor.prototype === undefined) throw invalidArgType('superCtor.prototype', 'Object', superCtor.prototype);
  Object.defineProperty(ctor, 'super_', { value: superCtor, writable: true, configurable: true });
  Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
}

// copyOwn gives a wrapper the original's own properties and prototype, as
// Node does for promisify and callbackify.
function copyOwn(wrapper, original) {
  Object.setPrototypeOf(wrapper, Object.getPrototypeOf(original));
  const descriptors = Object.getOwnPropertyDescriptors(original);
  for (const key of Reflect.ownKeys(descriptors)) {
    try {
      Object.defineProperty(wrapper, key, descriptors[key]);
    } catch { /* a non-configurable property of the wrapper itself */ }
  }
  return wrapper;
}

function promisify(original) {
  validateFunction(original, 'original');
  if (original[kCustomPromisify]) {
    const fn = original[kCustomPromisify];
    validateFunction(fn, 'util.promisify.custom');
    return Object.defineProperty(fn, kCustomPromisify, { value: fn, enumerable: false, writable: false, configurable: true });
  }
  function fn(...args) {
    return new Promise((resolve, reject) => {
      Reflect.apply(original, this, [...args, (err, ...values) => {
        if (err) reject(err);
        else resolve(values[0]);
      }]);
    });
  }
  Object.defineProperty(fn, kCustomPromisify, { value: fn, enumerable: false, writable: false, configurable: true });
  return copyOwn(fn, original);
}
promisify.custom = kCustomPromisify;

function callbackify(original) {
  validateFunction(original, 'original');
  function callbackified(...args) {
    const maybeCb = args.pop();
    validateFunction(maybeCb, 'last argument');
    const cb = maybeCb.bind(this);
    Reflect.apply(original, this, args).then(
      (ret) => process.nextTick(cb, null, ret),
      (reason) => {
        if (!reason) {
          const err = coded(Error, 'ERR_FALSY_VALUE_REJECTION', 'Promise was rejected with falsy value');
          err.reason = reason;
          reason = err;
        }
        process.nextTick(cb, reason);
      });
  }
  return copyOwn(callbackified, original);
}

const warnedCodes = new Set();

// deprecate warns once, on the first call, through console.warn (a
// worker's log), as Node's process warning would.
function deprecate(fn, msg, code) {
  validateFunction(fn, 'fn');
  if (code !== undefined) validateString(code, 'code');
  if (process.noDeprecation === true) return fn;
  let warned = false;
  function deprecated(...args) {
    if (!warned && !process.noDeprecation) {
      warned = true;
      if (code === undefined || !warnedCodes.has(code)) {
        if (code !== undefined) warnedCodes.add(code);
        console.warn(`${code ? `[${code}] ` : ''}DeprecationWarning: ${msg}`);
      }
    }
    if (new.target) return Reflect.construct(fn, args, new.target);
    return Reflect.apply(fn, this, args);
  }
  Object.setPrototypeOf(deprecated, fn);
  if (fn.prototype) deprecated.prototype = fn.prototype;
  return deprecated;
}

// debuglog would print when NODE_DEBUG names the section; a worker has no
// such switch, so the logger is always off.
function debuglog(section, callback) {
  const logger = function debug() {};
  Object.defineProperty(logger, 'enabled', { get() { return false; }, enumerable: true, configurable: true });
  if (typeof callback === 'function') callback(logger);
  return logger;
}

function stripVTControlCharacters(str) {
  validateString(str, 'str');
  // CSI sequences (ESC [ ... final byte) and OSC sequences (ESC ] ... BEL or ST).
  return str.replace(/(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g, '');
}

function toUSVString(input) {
  const str = `${input}`;
  let out = '';
  let start = 0;
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff && i + 1 < str.length) {
      const d = str.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
    }
    out += `${str.slice(start, i)}\ufffd`;
    start = i + 1;
  }
  return start === 0 ? str : out + str.slice(start);
}

function aborted(signal, resource) {
  if (signal === undefined || signal === null || typeof signal !== 'object' || !('aborted' in signal)) {
    throw invalidArgType('signal', 'AbortSignal', signal);
  }
  if (resource === null || (typeof resource !== 'object' && typeof resource !== 'function')) {
    throw invalidArgType('resource', 'object', resource);
  }
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

function extend(target, source) {
  if (source === null || typeof source !== 'object') return target;
  for (const key of Object.keys(source)) target[key] = source[key];
  return target;
}

const unsupported = (name) => function () { throw notSupported(`util.${name}`); };

module.exports = {
  format,
  formatWithOptions,
  inspect,
  inherits,
  promisify,
  callbackify,
  deprecate,
  debuglog,
  debug: debuglog,
  isDeepStrictEqual,
  types,
  TextEncoder: globalThis.TextEncoder,
  TextDecoder: globalThis.TextDecoder,
  stripVTControlCharacters,
  toUSVString,
  aborted,
  _extend: extend,
  // Legacy type checks, deprecated in Node but still used by old packages.
  isArray: Array.isArray,
  isBoolean: (v) => typeof v === 'boolean',
  isBuffer: (v) => require('node:buffer').Buffer.isBuffer(v),
  isNull: (v) => v === null,
  isNullOrUndefined: (v) => v === null || v === undefined,
  isNumber: (v) => typeof v === 'number',
  isString: (v) => typeof v === 'string',
  isSymbol: (v) => typeof v === 'symbol',
  isUndefined: (v) => v === undefined,
  isRegExp: types.isRegExp,
  isObject: (v) => v !== null && typeof v === 'object',
  isDate: types.isDate,
  isError: (v) => types.isNativeError(v) || v instanceof Error,
  isFunction: (v) => typeof v === 'function',
  isPrimitive: (v) => v === null || (typeof v !== 'object' && typeof v !== 'function'),
  // Host and process facilities a worker does not have.
  getSystemErrorName: unsupported('getSystemErrorName'),
  getSystemErrorMap: unsupported('getSystemErrorMap'),
  parseArgs: unsupported('parseArgs'),
  MIMEType: unsupported('MIMEType'),
  MIMEParams: unsupported('MIMEParams'),
  transferableAbortSignal: unsupported('transferableAbortSignal'),
  transferableAbortController: unsupported('transferableAbortController'),
};
