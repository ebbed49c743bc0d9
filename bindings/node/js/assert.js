// node:assert (https://nodejs.org/api/assert.html): the legacy (loose) module,
// whose .strict member is node:assert/strict. Failures throw AssertionError
// with Node's code, operator, actual and expected; generated messages say
// the same things as Node's without its multi-line diffs, and assert.ok
// cannot quote the caller's source as Node does.
'use strict';
const {
  invalidArgType, invalidArgValue, invalidReturnValue, missingArgs, notSupported, validateObject,
} = require('sockw:internal/node-codes');
const { isDeepStrictEqual, isDeepLooseEqual } = require('sockw:internal/node-compare');
const types = require('node:util/types');
const { inspect } = require('node:util');

const show = (v) => inspect(v, { depth: 4 });

class AssertionError extends Error {
  constructor(options) {
    validateObject(options, 'options');
    const { message, operator, stackStartFn } = options;
    let generated = false;
    let text = message;
    if (text == null) {
      generated = true;
      text = defaultMessage(options.actual, options.expected, operator);
    }
    super(`${text}`);
    this.generatedMessage = generated;
    this.code = 'ERR_ASSERTION';
    this.actual = options.actual;
    this.expected = options.expected;
    this.operator = operator;
    if (typeof Error.captureStackTrace === 'function' && typeof stackStartFn === 'function') {
      Error.captureStackTrace(this, stackStartFn);
    }
    Object.defineProperty(this, 'name', { value: 'AssertionError', enumerable: false, writable: true, configurable: true });
  }

  toString() {
    return `${this.name} [${this.code}]: ${this.message}`;
  }
}

function defaultMessage(actual, expected, operator) {
  switch (operator) {
    case 'deepStrictEqual':
      return `Expected values to be strictly deep-equal:\n\n${show(actual)}\n\nshould equal\n\n${show(expected)}`;
    case 'strictEqual':
      return `Expected values to be strictly equal:\n\n${show(actual)} !== ${show(expected)}\n`;
    case 'notDeepStrictEqual':
      return `Expected "actual" not to be strictly deep-equal to:\n\n${show(expected)}`;
    case 'notStrictEqual':
      return `Expected "actual" to be strictly unequal to: ${show(expected)}`;
    case 'deepEqual':
      return `Expected values to be loosely deep-equal:\n\n${show(actual)}\n\nshould loosely deep-equal\n\n${show(expected)}`;
    case 'notDeepEqual':
      return `"actual" deepEqual "expected":\n\n${show(actual)}\n\nshould not loosely deep-equal\n\n${show(expected)}`;
    case '==':
    case '!=':
      return `${show(actual)} ${operator} ${show(expected)}`;
    default:
      return `${show(actual)} ${operator} ${show(expected)}`;
  }
}

// innerFail throws message itself when it is an Error, as Node does.
function innerFail(obj) {
  if (obj.message instanceof Error) throw obj.message;
  throw new AssertionError(obj);
}

function innerOk(fn, argLen, value, message) {
  if (value) return;
  let generatedMessage = false;
  if (argLen === 0) {
    generatedMessage = true;
    message = 'No value argument passed to `assert.ok()`';
  } else if (message == null) {
    generatedMessage = true;
    message = `The expression evaluated to a falsy value:\n\n  assert.ok(${show(value)})\n`;
  } else if (message instanceof Error) {
    throw message;
  }
  const err = new AssertionError({ actual: value, expected: true, message, operator: '==', stackStartFn: fn });
  err.generatedMessage = generatedMessage;
  throw err;
}

function assert(...args) {
  innerOk(assert, args.length, ...args);
}

assert.ok = function ok(...args) {
  innerOk(ok, args.length, ...args);
};

function checkArgs(n, names) {
  if (n < 2) {
    throw missingArgs(...names);
  }
}

assert.fail = function fail(actual, expected, message, operator, stackStartFn) {
  const argsLen = arguments.length;
  let internalMessage = false;
  if (argsLen === 0) {
    internalMessage = 'Failed';
  } else if (argsLen === 1) {
    message = actual;
    actual = undefined;
  } else {
    if (argsLen === 2) operator = '!=';
  }
  if (message instanceof Error) throw message;
  const err = new AssertionError({
    actual, expected, operator: operator === undefined ? 'fail' : operator,
    stackStartFn: stackStartFn || fail, message: internalMessage || message,
  });
  if (internalMessage) err.generatedMessage = true;
  throw err;
};

assert.equal = function equal(actual, expected, message) {
  checkArgs(arguments.length, ['actual', 'expected']);
  // eslint-disable-next-line eqeqeq
  if (actual != expected && (!Number.isNaN(actual) || !Number.isNaN(expected))) {
    innerFail({ actual, expected, message, operator: '==', stackStartFn: equal });
  }
};

assert.notEqual = function notEqual(actual, expected, message) {
  checkArgs(arguments.length, ['actual', 'expected']);
  // eslint-disable-next-line eqeqeq
  if (actual == expected || (Number.isNaN(actual) && Number.isNaN(expected))) {
    innerFail({ actual, expected, message, operator: '!=', stackStartFn: notEqual });
  }
};

assert.strictEqual = function strictEqual(actual, expected, message) {
  checkArgs(arguments.length, ['actual', 'expected']);
  if (!Object.is(actual, expected)) {
    innerFail({ actual, expected, message, operator: 'strictEqual', stackStartFn: strictEqual });
  }
};

assert.notStrictEqual = function notStrictEqual(actual, expected, message) {
  checkArgs(arguments.length, ['actual', 'expected']);
  if (Object.is(actual, expected)) {
    innerFail({ actual, expected, message, operator: 'notStrictEqual', stackStartFn: notStrictEqual });
  }
};

assert.deepEqual = function deepEqual(actual, expected, message) {
  checkArgs(arguments.length, ['actual', 'expected']);
  if (!isDeepLooseEqual(actual, expected)) {
    innerFail({ actual, expected, message, operator: 'deepEqual', stackStartFn: deepEqual });
  }
};

assert.notDeepEqual = function notDeepEqual(actual, expected, message) {
  checkArgs(arguments.length, ['actual', 'expected']);
  if (isDeepLooseEqual(actual, expected)) {
    innerFail({ actual, expected, message, operator: 'notDeepEqual', stackStartFn: notDeepEqual });
  }
};

assert.deepStrictEqual = function deepStrictEqual(actual, expected, message) {
  checkArgs(arguments.length, ['actual', 'expected']);
  if (!isDeepStrictEqual(actual, expected)) {
    innerFail({ actual, expected, message, operator: 'deepStrictEqual', stackStartFn: deepStrictEqual });
  }
};

assert.notDeepStrictEqual = function notDeepStrictEqual(actual, expected, message) {
  checkArgs(arguments.length, ['actual', 'expected']);
  if (isDeepStrictEqual(actual, expected)) {
    innerFail({ actual, expected, message, operator: 'notDeepStrictEqual', stackStartFn: notDeepStrictEqual });
  }
};

// --- throws and rejects ---------------------------------------------------

const NO_EXCEPTION = Symbol('no exception');

function getActual(fn) {
  if (typeof fn !== 'function') throw invalidArgType('fn', 'function', fn);
  try {
    fn();
  } catch (e) {
    return e;
  }
  return NO_EXCEPTION;
}

function checkIsPromise(obj) {
  return types.isPromise(obj) ||
    (obj !== null && typeof obj === 'object' && typeof obj.then === 'function' && typeof obj.catch === 'function');
}

async function waitForActual(promiseFn) {
  let resultPromise;
  if (typeof promiseFn === 'function') {
    resultPromise = promiseFn();
    if (!checkIsPromise(resultPromise)) {
      throw invalidReturnValue('instance of Promise', 'promiseFn', resultPromise);
    }
  } else if (checkIsPromise(promiseFn)) {
    resultPromise = promiseFn;
  } else {
    throw invalidArgType('promiseFn', ['function', 'Promise'], promiseFn);
  }
  try {
    await resultPromise;
  } catch (e) {
    return e;
  }
  return NO_EXCEPTION;
}

// expectedException checks a thrown (or rejected) value against what the
// caller expects: a class, a RegExp, a validation function or an object
// whose properties must match.
function expectedException(actual, expected, message, fn) {
  if (typeof expected !== 'function') {
    if (types.isRegExp(expected)) {
      const str = String(actual);
      if (expected.test(str)) return;
      innerFail({
        actual, expected, operator: fn.name, stackStartFn: fn,
        message: message || `The input did not match the regular expression ${show(expected)}. Input:\n\n${show(str)}\n`,
      });
    }
    if (typeof actual !== 'object' || actual === null) {
      innerFail({
        actual, expected, operator: 'deepStrictEqual', stackStartFn: fn,
        message: message || `The "${fn.name === 'rejects' ? 'rejection' : 'error'}" is expected to be an object. Received ${show(actual)}`,
      });
    }
    const keys = Object.keys(expected);
    if (expected instanceof Error) keys.push('name', 'message');
    else if (keys.length === 0) throw invalidArgValue('error', expected, 'may not be an empty object');
    for (const key of keys) {
      const want = expected[key];
      const got = actual[key];
      if (typeof got === 'string' && types.isRegExp(want) && want.test(got)) continue;
      if (!(key in actual) || !isDeepStrictEqual(got, want)) {
        innerFail({
          actual, expected, operator: 'deepStrictEqual', stackStartFn: fn,
          message: message || `Expected values to be strictly deep-equal: property "${key}" is ${show(got)}, expected ${show(want)}`,
        });
      }
    }
    return;
  }
  if (expected.prototype !== undefined && actual instanceof expected) return;
  if (Error.isPrototypeOf(expected) || expected === Error) {
    if (actual instanceof Error) {
      const err = new AssertionError({
        actual, expected, operator: fn.name, stackStartFn: fn,
        message: message || `The error is expected to be an instance of "${expected.name}". Received "${actual.constructor && actual.constructor.name}"\n\nError message:\n\n${actual.message}`,
      });
      err.generatedMessage = !message;
      throw err;
    }
    throw actual;
  }
  const res = Reflect.apply(expected, {}, [actual]);
  if (res !== true) {
    innerFail({
      actual, expected, operator: fn.name, stackStartFn: fn,
      message: message || `The ${fn.name === 'rejects' ? 'rejection' : 'error'} validation function is expected to return "true". Received ${show(res)}`,
    });
  }
}

function expectsError(fn, actual, error, message) {
  if (typeof error === 'string') {
    if (message !== undefined) throw invalidArgType('error', ['Object', 'Error', 'Function', 'RegExp'], error);
    message = error;
    error = undefined;
  } else if (error != null && typeof error !== 'object' && typeof error !== 'function') {
    throw invalidArgType('error', ['Object', 'Error', 'Function', 'RegExp'], error);
  }
  if (actual === NO_EXCEPTION) {
    let details = '';
    if (error && error.name) details += ` (${error.name})`;
    details += message ? `: ${message}` : '.';
    const fnType = fn.name === 'rejects' ? 'rejection' : 'exception';
    innerFail({ actual: undefined, expected: error, operator: fn.name, message: `Missing expected ${fnType}${details}`, stackStartFn: fn });
  }
  if (error) expectedException(actual, error, message, fn);
}

function expectsNoError(fn, actual, error, message) {
  if (actual === NO_EXCEPTION) return;
  if (typeof error === 'string') {
    message = error;
    error = undefined;
  }
  if (!error || hasMatchingError(actual, error)) {
    const details = message ? `: ${message}` : '.';
    const fnType = fn.name === 'doesNotReject' ? 'rejection' : 'exception';
    innerFail({
      actual, expected: error, operator: fn.name, stackStartFn: fn,
      message: `Got unwanted ${fnType}${details}\nActual message: "${actual && actual.message}"`,
    });
  }
  throw actual;
}

function hasMatchingError(actual, expected) {
  if (typeof expected !== 'function') {
    if (types.isRegExp(expected)) return expected.test(String(actual));
    throw invalidArgType('expected', ['Function', 'RegExp'], expected);
  }
  if (expected.prototype !== undefined && actual instanceof expected) return true;
  if (Error.isPrototypeOf(expected)) return false;
  return Reflect.apply(expected, {}, [actual]) === true;
}

assert.throws = function throws(promiseFn, ...args) {
  expectsError(throws, getActual(promiseFn), ...args);
};

assert.rejects = async function rejects(promiseFn, ...args) {
  expectsError(rejects, await waitForActual(promiseFn), ...args);
};

assert.doesNotThrow = function doesNotThrow(fn, ...args) {
  expectsNoError(doesNotThrow, getActual(fn), ...args);
};

assert.doesNotReject = async function doesNotReject(fn, ...args) {
  expectsNoError(doesNotReject, await waitForActual(fn), ...args);
};

assert.ifError = function ifError(err) {
  if (err === null || err === undefined) return;
  let message = 'ifError got unwanted exception: ';
  if (typeof err === 'object' && typeof err.message === 'string') {
    if (err.message.length === 0 && err.constructor) message += err.constructor.name;
    else message += err.message;
  } else {
    message += show(err);
  }
  const newErr = new AssertionError({ actual: err, expected: null, operator: 'ifError', message, stackStartFn: ifError });
  newErr.generatedMessage = false;
  throw newErr;
};

function internalMatch(string, regexp, message, fn) {
  if (!types.isRegExp(regexp)) throw invalidArgType('regexp', 'RegExp', regexp);
  const match = fn === assert.match;
  if (typeof string !== 'string' || regexp.test(string) !== match) {
    if (message instanceof Error) throw message;
    const generatedMessage = !message;
    message = message || (typeof string !== 'string'
      ? `The "string" argument must be of type string. Received type ${typeof string} (${show(string)})`
      : (match
        ? 'The input did not match the regular expression '
        : 'The input was expected to not match the regular expression ') + `${show(regexp)}. Input:\n\n${show(string)}\n`);
    const err = new AssertionError({ actual: string, expected: regexp, message, operator: fn.name, stackStartFn: fn });
    err.generatedMessage = generatedMessage;
    throw err;
  }
}

assert.match = function match(string, regexp, message) {
  internalMatch(string, regexp, message, match);
};

assert.doesNotMatch = function doesNotMatch(string, regexp, message) {
  internalMatch(string, regexp, message, doesNotMatch);
};

assert.AssertionError = AssertionError;

// CallTracker is deprecated in Node 20 and needs process exit hooks a
// worker does not have.
assert.CallTracker = function CallTracker() {
  throw notSupported('assert.CallTracker');
};

// assert.strict is the same module with the strict comparisons under the
// loose names.
function strict(...args) {
  innerOk(strict, args.length, ...args);
}
assert.strict = Object.assign(strict, assert, {
  equal: assert.strictEqual,
  deepEqual: assert.deepStrictEqual,
  notEqual: assert.notStrictEqual,
  notDeepEqual: assert.notDeepStrictEqual,
});
assert.strict.strict = assert.strict;

module.exports = assert;
