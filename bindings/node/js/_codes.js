// Node's coded errors (https://nodejs.org/api/errors.html#nodejs-error-codes):
// ordinary TypeError, RangeError and Error instances with a `code`, whose
// message says what was received in Node's words, since drivers and tests
// match on both.
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

// separated writes large integers as Node does in range errors: 1_000_000_000_000.
function separated(s) {
  let out = '';
  let i = s.length;
  const start = s[0] === '-' ? 1 : 0;
  for (; i >= start + 4; i -= 3) out = `_${s.slice(i - 3, i)}${out}`;
  return `${s.slice(0, i)}${out}`;
}

function quote(s) {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

// brief renders a primitive for "Received type number (5)".
function brief(v) {
  let s;
  switch (typeof v) {
    case 'string': s = quote(v); break;
    case 'bigint': s = `${v}n`; break;
    case 'symbol': s = v.toString(); break;
    case 'number': s = Object.is(v, -0) ? '-0' : String(v); break;
    default: s = String(v);
  }
  return s.length > 28 ? `${s.slice(0, 25)}...` : s;
}

// received is the end of an ERR_INVALID_ARG_TYPE message.
function received(v) {
  if (v == null) return ` Received ${v}`;
  if (typeof v === 'function') return ` Received function ${v.name}`;
  if (typeof v === 'object') {
    const ctor = v.constructor;
    if (ctor && ctor.name) return ` Received an instance of ${ctor.name}`;
    return ' Received [Object: null prototype]';
  }
  return ` Received type ${typeof v} (${brief(v)})`;
}

const kinds = ['string', 'function', 'number', 'object', 'boolean', 'bigint', 'symbol'];

// expectation turns a list like ['string', 'Buffer', 'Uint8Array'] into
// "of type string or an instance of Buffer or Uint8Array", in Node's words.
function expectation(expected) {
  if (!Array.isArray(expected)) expected = [expected];
  const types = [];
  const instances = [];
  const other = [];
  for (const e of expected) {
    if (kinds.includes(e)) types.push(e);
    else if (e === 'Function' || e === 'Object') types.push(e.toLowerCase());
    else if (/^[A-Z][a-zA-Z0-9]*$/.test(e)) instances.push(e);
    else other.push(e);
  }
  let msg = '';
  if (types.length > 2) msg += `one of type ${types.slice(0, -1).join(', ')}, or ${types[types.length - 1]}`;
  else if (types.length === 2) msg += `one of type ${types[0]} or ${types[1]}`;
  else if (types.length === 1) msg += `of type ${types[0]}`;
  if (types.length && (instances.length || other.length)) msg += ' or ';
  if (instances.length > 2) msg += `an instance of ${instances.slice(0, -1).join(', ')}, or ${instances[instances.length - 1]}`;
  else if (instances.length) msg += `an instance of ${instances.join(' or ')}`;
  if (instances.length && other.length) msg += ' or ';
  if (other.length > 2) msg += `one of ${other.slice(0, -1).join(', ')}, or ${other[other.length - 1]}`;
  else if (other.length === 2) msg += `one of ${other[0]} or ${other[1]}`;
  else if (other.length === 1) msg += `${other[0].toLowerCase() !== other[0] ? 'an ' : ''}${other[0]}`;
  return msg;
}

function invalidArgType(name, expected, actual) {
  let subject;
  if (name.endsWith(' argument')) subject = `The ${name}`;
  else subject = `The "${name}" ${name.includes('.') ? 'property' : 'argument'}`;
  return coded(TypeError, 'ERR_INVALID_ARG_TYPE', `${subject} must be ${expectation(expected)}.${received(actual)}`);
}

function outOfRange(name, range, value) {
  let shown;
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) > 2 ** 32) shown = separated(String(value));
  else if (typeof value === 'bigint') {
    shown = String(value);
    if (value > 2n ** 32n || value < -(2n ** 32n)) shown = separated(shown);
    shown += 'n';
  } else shown = typeof value === 'string' ? quote(value) : String(value);
  return coded(RangeError, 'ERR_OUT_OF_RANGE', `The value of "${name}" is out of range. It must be ${range}. Received ${shown}`);
}

function invalidArgValue(name, value, reason = 'is invalid') {
  const kind = name.includes('.') ? 'property' : 'argument';
  const shown = value !== null && typeof value === 'object' ? '[object]' : brief(value);
  return coded(TypeError, 'ERR_INVALID_ARG_VALUE', `The ${kind} '${name}' ${reason}. Received ${shown}`);
}

function validateNumber(value, name, min, max) {
  if (typeof value !== 'number') throw invalidArgType(name, 'number', value);
  if ((min != null && value < min) || (max != null && value > max) || ((min != null || max != null) && Number.isNaN(value))) {
    throw outOfRange(name, `${min != null ? `>= ${min}` : ''}${min != null && max != null ? ' && ' : ''}${max != null ? `<= ${max}` : ''}`, value);
  }
}

function validateFunction(value, name) {
  if (typeof value !== 'function') throw invalidArgType(name, 'function', value);
}

function validateString(value, name) {
  if (typeof value !== 'string') throw invalidArgType(name, 'string', value);
}

function validateObject(value, name) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalidArgType(name, 'object', value);
}

// notSupported is what a member sockw deliberately leaves out throws.
function notSupported(name) {
  return coded(Error, 'ERR_NOT_SUPPORTED', `not supported in sockw: ${name}`);
}

module.exports = {
  coded, invalidArgType, outOfRange, invalidArgValue, notSupported,
  validateNumber, validateFunction, validateString, validateObject,
};
