// Node's coded errors (https://nodejs.org/api/errors.html#nodejs-error-codes)
// and the argument checks that throw them, for every node: module here:
// ordinary TypeError, RangeError and Error instances with a `code`, whose
// messages are Node 20's word for word, since drivers and tests match on
// both. The message builders follow Node's lib/internal/errors.js; a code
// only one module throws is built there with coded().
'use strict';

// coded makes an error of class Base with Node's code, whose toString and
// stack read "RangeError [ERR_OUT_OF_RANGE]: ..." as Node's do.
function coded(Base, code, message) {
  const err = new Base(message);
  Object.defineProperty(err, 'code', { value: code, writable: true, enumerable: true, configurable: true });
  Object.defineProperty(err, 'toString', {
    value() { return `${this.name} [${code}]: ${this.message}`; },
    writable: true, enumerable: false, configurable: true,
  });
  if (typeof err.stack === 'string') {
    const stack = err.stack.replace(`${err.name}:`, `${err.name} [${code}]:`);
    Object.defineProperty(err, 'stack', { value: stack, writable: true, enumerable: false, configurable: true });
  }
  return err;
}

// nativeCoded makes an error as Node's C++ throws them (crypto's OpenSSL
// checks, for one): it carries the code, but its toString and stack read
// "RangeError: ..." without it.
function nativeCoded(Base, code, message) {
  const err = new Base(message);
  err.code = code;
  return err;
}

// --- rendering values, as util.inspect does -------------------------------

const controlEscapes = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };

// quote is util.inspect's string literal: single quotes unless the string
// holds one (then double quotes, then backticks), with control characters,
// backslashes and lone surrogates escaped.
function quote(s) {
  let q = "'";
  if (s.includes("'")) {
    if (!s.includes('"')) q = '"';
    else if (!s.includes('`') && !s.includes('${')) q = '`';
  }
  let out = '';
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc;
    if (c === 39 && q === "'") esc = "\\'";
    else if (c === 92) esc = '\\\\';
    else if (c < 32 || (c > 126 && c < 160)) esc = controlEscapes[c] || `\\x${c.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (c >= 0xd800 && c <= 0xdfff) {
      if (c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        i++; // a surrogate pair: one character, printed as is
        continue;
      }
      esc = `\\u${c.toString(16)}`;
    } else {
      continue;
    }
    out += s.slice(last, i) + esc;
    last = i + 1;
  }
  return q + out + s.slice(last) + q;
}

// inspectString is util.inspect of a string: past 10,000 characters it is
// cut, and past a line's width it is one literal per line, joined by " +".
function inspectString(s) {
  let trailer = '';
  if (s.length > 10000) {
    const rest = s.length - 10000;
    s = s.slice(0, 10000);
    trailer = `... ${rest} more character${rest > 1 ? 's' : ''}`;
  }
  if (s.length <= 124) return quote(s) + trailer;
  const lines = s.split('\n').map((line, i, all) => (i < all.length - 1 ? `${line}\n` : line));
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map(quote).join(' +\n  ') + trailer;
}

let utilInspect;

// inspect is util.inspect(value) with its default options (depth 2), as
// Node's messages show a received value. Objects and functions go to the
// console's formatter (Go), the one node:util's inspect uses, so strings
// inside them are quoted its way; it is reached only when a message needs
// it, so that a script whose calls never fail never builds
// sockw:internal/node for it.
function inspect(value) {
  switch (typeof value) {
    case 'string': return inspectString(value);
    case 'number': return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint': return `${value}n`;
    case 'object':
    case 'function':
      if (value === null) return 'null';
      if (utilInspect === undefined) utilInspect = require('sockw:internal/node').utilInspect;
      return utilInspect(value, 2, true);
    default: return String(value); // undefined, boolean, symbol
  }
}

// describe names a received value as Node's argument errors end: "null",
// "type number (5)", "type string ('abc')", "function f", "an instance of Map".
function describe(value) {
  if (value == null) return String(value);
  switch (typeof value) {
    case 'function':
      return `function ${value.name}`;
    case 'object': {
      const ctor = value.constructor;
      if (ctor && 'name' in ctor) return `an instance of ${ctor.name}`;
      // util.inspect(value, { depth: -1 }) of an object without a constructor.
      const name = Object.getPrototypeOf(value) === null ? 'Object: null prototype' : 'Object';
      return Object.keys(value).length === 0 ? `[${name}] {}` : `[${name}]`;
    }
    case 'string': {
      // Cut before quoting, and quoted as JSON rather than as inspect would.
      const s = value.length > 28 ? `${value.slice(0, 25)}...` : value;
      return `type string (${s.includes("'") ? JSON.stringify(s) : `'${s}'`})`;
    }
    default:
      return `type ${typeof value} (${inspect(value)})`;
  }
}

// separated writes large integers as Node does in range errors: 1_000_000_000_000.
function separated(s) {
  let out = '';
  let i = s.length;
  const start = s[0] === '-' ? 1 : 0;
  for (; i >= start + 4; i -= 3) out = `_${s.slice(i - 3, i)}${out}`;
  return `${s.slice(0, i)}${out}`;
}

// list joins words as Node's messages do: "a", "a or b", "a, b, or c".
function list(words, conj) {
  if (words.length <= 2) return words.join(` ${conj} `);
  return `${words.slice(0, -1).join(', ')}, ${conj} ${words[words.length - 1]}`;
}

// --- Node's common codes --------------------------------------------------

const kinds = ['string', 'function', 'number', 'object', 'Function', 'Object', 'boolean', 'bigint', 'symbol'];

// invalidArgType is ERR_INVALID_ARG_TYPE. expected is one name or a list of
// Node's: a primitive type ('string', 'Object'), a class ('Buffer',
// 'AbortSignal') or a phrase ('{ readable, writable } pair'), worded as
// "of type string or an instance of Buffer or Uint8Array". A name with a
// dot is a property; one ending in " argument" is used as it is.
function invalidArgType(name, expected, actual) {
  if (!Array.isArray(expected)) expected = [expected];
  const types = [];
  const instances = [];
  const other = [];
  for (const e of expected) {
    if (kinds.includes(e)) types.push(e.toLowerCase());
    else if (/^[A-Z][a-zA-Z0-9]*$/.test(e)) instances.push(e);
    else other.push(e);
  }
  // Beside classes, "object" reads better as one more of them.
  if (instances.length > 0 && types.includes('object')) {
    types.splice(types.indexOf('object'), 1);
    instances.push('Object');
  }
  let msg = name.endsWith(' argument') ? `The ${name} must be ` : `The "${name}" ${name.includes('.') ? 'property' : 'argument'} must be `;
  if (types.length > 0) {
    msg += `${types.length > 1 ? 'one of type' : 'of type'} ${list(types, 'or')}`;
    if (instances.length > 0 || other.length > 0) msg += ' or ';
  }
  if (instances.length > 0) {
    msg += `an instance of ${list(instances, 'or')}`;
    if (other.length > 0) msg += ' or ';
  }
  if (other.length > 1) msg += `one of ${list(other, 'or')}`;
  else if (other.length === 1) msg += `${other[0].toLowerCase() !== other[0] ? 'an ' : ''}${other[0]}`;
  return coded(TypeError, 'ERR_INVALID_ARG_TYPE', `${msg}. Received ${describe(actual)}`);
}

// invalidArgValue is ERR_INVALID_ARG_VALUE: "The argument 'name' <reason>.
// Received <value as util.inspect shows it, cut at 128 characters>".
function invalidArgValue(name, value, reason = 'is invalid') {
  let shown = inspect(value);
  if (shown.length > 128) shown = `${shown.slice(0, 128)}...`;
  return coded(TypeError, 'ERR_INVALID_ARG_VALUE', `The ${name.includes('.') ? 'property' : 'argument'} '${name}' ${reason}. Received ${shown}`);
}

// outOfRange is ERR_OUT_OF_RANGE: "The value of "name" is out of range. It
// must be <range>. Received <value>", large integers written 1_000_000.
function outOfRange(name, range, value) {
  let shown;
  if (Number.isInteger(value) && Math.abs(value) > 2 ** 32) {
    shown = separated(String(value));
  } else if (typeof value === 'bigint') {
    shown = String(value);
    if (value > 2n ** 32n || value < -(2n ** 32n)) shown = separated(shown);
    shown += 'n';
  } else {
    shown = inspect(value);
  }
  return coded(RangeError, 'ERR_OUT_OF_RANGE', `The value of "${name}" is out of range. It must be ${range}. Received ${shown}`);
}

// invalidReturnValue is ERR_INVALID_RETURN_VALUE, when the function called
// name returned value where it should have returned input.
function invalidReturnValue(input, name, value) {
  return coded(TypeError, 'ERR_INVALID_RETURN_VALUE',
    `Expected ${input} to be returned from the "${name}" function but got ${describe(value)}.`);
}

// missingArgs is ERR_MISSING_ARGS for the arguments named; a list among
// them means any one of those.
function missingArgs(...names) {
  const quoted = names.map((n) => (Array.isArray(n) ? n.map((x) => `"${x}"`).join(' or ') : `"${n}"`));
  return coded(TypeError, 'ERR_MISSING_ARGS', `The ${list(quoted, 'and')} argument${names.length > 1 ? 's' : ''} must be specified`);
}

// unknownEncoding is ERR_UNKNOWN_ENCODING.
function unknownEncoding(encoding) {
  return coded(TypeError, 'ERR_UNKNOWN_ENCODING', `Unknown encoding: ${encoding}`);
}

// notSupported is what a member sockw deliberately leaves out throws.
function notSupported(name) {
  return coded(Error, 'ERR_NOT_SUPPORTED', `not supported in sockw: ${name}`);
}

// AbortError is Node's, not the DOMException: code ABORT_ERR, and the
// signal's reason as its cause when the caller passes { cause }.
class AbortError extends Error {
  constructor(message = 'The operation was aborted', options = undefined) {
    if (options !== undefined && typeof options !== 'object') throw invalidArgType('options', 'Object', options);
    super(message, options);
    this.code = 'ABORT_ERR';
    this.name = 'AbortError';
  }
}

// --- argument checks, as Node's lib/internal/validators.js ---------------

// validateNumber throws unless value is a number within [min, max] (either
// bound may be left out; NaN is out of any range).
function validateNumber(value, name, min, max) {
  if (typeof value !== 'number') throw invalidArgType(name, 'number', value);
  if ((min != null && value < min) || (max != null && value > max) || ((min != null || max != null) && Number.isNaN(value))) {
    throw outOfRange(name, `${min != null ? `>= ${min}` : ''}${min != null && max != null ? ' && ' : ''}${max != null ? `<= ${max}` : ''}`, value);
  }
}

// validateInteger throws unless value is an integer within [min, max],
// by default the safe integers.
function validateInteger(value, name, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) {
  if (typeof value !== 'number') throw invalidArgType(name, 'number', value);
  if (!Number.isInteger(value)) throw outOfRange(name, 'an integer', value);
  if (value < min || value > max) throw outOfRange(name, `>= ${min} && <= ${max}`, value);
}

// validateFunction throws unless value is a function.
function validateFunction(value, name) {
  if (typeof value !== 'function') throw invalidArgType(name, 'function', value);
}

// validateString throws unless value is a string.
function validateString(value, name) {
  if (typeof value !== 'string') throw invalidArgType(name, 'string', value);
}

// validateBoolean throws unless value is a boolean.
function validateBoolean(value, name) {
  if (typeof value !== 'boolean') throw invalidArgType(name, 'boolean', value);
}

// validateObject throws unless value is an object that is neither null nor
// an array.
function validateObject(value, name) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalidArgType(name, 'Object', value);
}

// validateAbortSignal throws unless signal is undefined or looks like an
// AbortSignal (an object with `aborted`).
function validateAbortSignal(signal, name) {
  if (signal !== undefined && (signal === null || typeof signal !== 'object' || !('aborted' in signal))) {
    throw invalidArgType(name, 'AbortSignal', signal);
  }
}

module.exports = {
  coded, nativeCoded, inspect, describe,
  invalidArgType, invalidArgValue, outOfRange, invalidReturnValue, missingArgs, unknownEncoding, notSupported,
  AbortError,
  validateNumber, validateInteger, validateFunction, validateString, validateBoolean, validateObject, validateAbortSignal,
};
