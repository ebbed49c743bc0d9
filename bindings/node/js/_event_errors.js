// Node's error shapes for node:events and node:stream: real TypeError,
// RangeError and Error instances carrying the err.code values drivers test
// (ERR_INVALID_ARG_TYPE, ERR_STREAM_PREMATURE_CLOSE...), with Node's texts.
'use strict';

function make(Base, code, message, options) {
  const err = options === undefined ? new Base(message) : new Base(message, options);
  Object.defineProperty(err, 'code', { value: code, writable: true, enumerable: true, configurable: true });
  return err;
}

// describeReceived renders a value the way Node's argument errors end:
// "Received type number (1)", "Received an instance of Object", "Received null".
function describeReceived(value) {
  if (value == null) return ' Received ' + value;
  if (typeof value === 'function') return ' Received function ' + (value.name || '<anonymous>');
  if (typeof value === 'object') {
    const ctor = value.constructor;
    if (ctor && ctor.name) return ' Received an instance of ' + ctor.name;
    return ' Received ' + inspectShort(value);
  }
  let shown = inspectShort(value);
  if (shown.length > 28) shown = shown.slice(0, 25) + '...';
  return ' Received type ' + typeof value + ' (' + shown + ')';
}

// inspectShort is the small part of util.inspect these messages need.
function inspectShort(value, depth = 1) {
  switch (typeof value) {
    case 'string': return "'" + value.replace(/'/g, "\\'") + "'";
    case 'bigint': return value + 'n';
    case 'symbol': return value.toString();
    case 'function': return '[Function: ' + (value.name || '(anonymous)') + ']';
    case 'object': {
      if (value === null) return 'null';
      if (value instanceof Error) return value.stack || String(value);
      if (Array.isArray(value)) {
        if (depth < 0) return '[Array]';
        return value.length === 0 ? '[]' : '[ ' + value.map((v) => inspectShort(v, depth - 1)).join(', ') + ' ]';
      }
      const name = value.constructor && value.constructor.name;
      const prefix = name && name !== 'Object' ? name + ' ' : '';
      if (depth < 0) return '[' + (name || 'Object') + ']';
      const keys = Object.keys(value);
      if (keys.length === 0) return prefix + '{}';
      const key = (k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : inspectShort(k));
      return prefix + '{ ' + keys.map((k) => key(k) + ': ' + inspectShort(value[k], depth - 1)).join(', ') + ' }';
    }
    default:
      return Object.is(value, -0) ? '-0' : String(value);
  }
}

function argName(name) {
  return name.includes('.') ? 'The "' + name + '" property' : 'The "' + name + '" argument';
}

function invalidArgType(name, expected, value) {
  const list = Array.isArray(expected) ? expected : [expected];
  let types;
  if (list.length === 1) types = 'of type ' + list[0];
  else types = 'one of type ' + list.slice(0, -1).join(', ') + ' or ' + list[list.length - 1];
  return make(TypeError, 'ERR_INVALID_ARG_TYPE', argName(name) + ' must be ' + types + '.' + describeReceived(value));
}

function invalidArgValue(name, value, reason = 'is invalid') {
  const kind = name.includes('.') ? 'property' : 'argument';
  return make(TypeError, 'ERR_INVALID_ARG_VALUE', 'The ' + kind + " '" + name + "' " + reason + '. Received ' + inspectShort(value));
}

function outOfRange(name, range, value) {
  return make(RangeError, 'ERR_OUT_OF_RANGE', 'The value of "' + name + '" is out of range. It must be ' + range + '. Received ' + inspectShort(value));
}

function validateFunction(value, name) {
  if (typeof value !== 'function') throw invalidArgType(name, 'function', value);
}

function validateBoolean(value, name) {
  if (typeof value !== 'boolean') throw invalidArgType(name, 'boolean', value);
}

function validateObject(value, name) {
  if (value === null || typeof value !== 'object') throw invalidArgType(name, 'Object', value);
}

function validateAbortSignal(signal, name) {
  if (signal !== undefined && (signal === null || typeof signal !== 'object' || !('aborted' in signal))) {
    throw invalidArgType(name, 'AbortSignal', signal);
  }
}

// AbortError is Node's, not the DOMException: code ABORT_ERR, the signal's
// reason as its cause.
class AbortError extends Error {
  constructor(message = 'The operation was aborted', options = undefined) {
    if (options !== undefined && typeof options !== 'object') throw invalidArgType('options', 'Object', options);
    super(message, options);
    this.code = 'ABORT_ERR';
    this.name = 'AbortError';
  }
}

// notSupported is the error of a member sockw deliberately leaves out.
function notSupported(name) {
  return make(Error, 'ERR_NOT_SUPPORTED', 'not supported in sockw: ' + name);
}

module.exports = {
  make, inspectShort, invalidArgType, invalidArgValue, outOfRange, notSupported, AbortError,
  validateFunction, validateBoolean, validateObject, validateAbortSignal,
};
