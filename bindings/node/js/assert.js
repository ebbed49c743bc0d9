// node:assert: the assertion functions and AssertionError; node:assert/strict
// is the same module with the strict comparisons.
'use strict';
const { isDeepStrictEqual, isDeepEqual } = require('sockw:internal/node-comparisons');
const { inspect } = require('node:util');

class AssertionError extends Error {
  constructor(options) {
    if (typeof options !== 'object' || options === null) {
      const err = new TypeError('The "options" argument must be of type object. Received ' + typeof options);
      err.code = 'ERR_INVALID_ARG_TYPE';
      throw err;
    }
    const { message, actual, expected, operator } = options;
    super(message !== undefined ? String(message)
      : `${inspect(actual)} ${operator === 'fail' ? '' : operator + ' '}${inspect(expected)}`);
    this.generatedMessage = message === undefined;
    this.code = 'ERR_ASSERTION';
    this.actual = actual;
    this.expected = expected;
    this.operator = operator;
  }
  get name() { return 'AssertionError'; }
}

function fail(actual, expected, message, operator, stackStartFn) {
  if (message instanceof Error) throw message;
  const err = new AssertionError({ actual, expected, message, operator });
  if (Error.captureStackTrace && stackStartFn) Error.captureStackTrace(err, stackStartFn);
  throw err;
}

function ok(value, message) {
  if (!value) {
    if (arguments.length === 0) message = 'No value argument passed to `assert.ok()`';
    else if (message === undefined) message = 'The expression evaluated to a falsy value:\n\n  assert.ok(' + inspect(value) + ')\n';
    fail(value, true, message, '==', ok);
  }
}

function assert(value, message) {
  if (!value) {
    if (arguments.length === 0) message = 'No value argument passed to `assert.ok()`';
    else if (message === undefined) message = 'The expression evaluated to a falsy value:\n\n  assert(' + inspect(value) + ')\n';
    fail(value, true, message, '==', assert);
  }
}

function matches(err, expected, fnName) {
  if (expected === undefined) return true;
  if (typeof expected === 'function') {
    if (expected.prototype !== undefined && err instanceof expected) return true;
    if (Error.isPrototypeOf(expected) || expected === Error) return false;
    return expected.call({}, err) === true;
  }
  if (expected instanceof RegExp) return expected.test(String(err));
  if (typeof expected === 'object' && expected !== null) {
    for (const key of Object.keys(expected)) {
      const want = expected[key];
      const got = err == null ? undefined : err[key];
      if (want instanceof RegExp && typeof got === 'string') {
        if (!want.test(got)) return false;
      } else if (!isDeepStrictEqual(got, want)) {
        return false;
      }
    }
    return true;
  }
  const e = new TypeError(`The "expected" argument of ${fnName} must be a function, RegExp, object or Error class.`);
  e.code = 'ERR_INVALID_ARG_TYPE';
  throw e;
}

const NO_EXCEPTION = Symbol('no exception');

function caught(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return NO_EXCEPTION;
}

async function caughtAsync(promiseOrFn) {
  try {
    await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
  } catch (e) {
    return e;
  }
  return NO_EXCEPTION;
}

function expectThrows(name, err, expected, message, start) {
  if (typeof expected === 'string') {
    message = expected;
    expected = undefined;
  }
  if (err === NO_EXCEPTION) {
    fail(undefined, expected, message !== undefined ? message : `Missing expected ${name === 'rejects' ? 'rejection' : 'exception'}${message ? ': ' + message : '.'}`, name, start);
  }
  if (!matches(err, expected, name)) {
    if (typeof expected === 'function' && expected.prototype !== undefined && !(err instanceof expected)) throw err;
    fail(err, expected, message !== undefined ? message : `The ${name === 'rejects' ? 'rejection' : 'error'} did not match the expected one`, name, start);
  }
}

function expectNoThrow(name, err, expected, message, start) {
  if (err === NO_EXCEPTION) return;
  if (typeof expected === 'string') {
    message = expected;
    expected = undefined;
  }
  if (expected === undefined || matches(err, expected, name)) {
    fail(err, expected, `Got unwanted ${name === 'doesNotReject' ? 'rejection' : 'exception'}${message ? ': ' + message : '.'}\nActual message: "${err && err.message}"`, name, start);
  }
  throw err;
}

Object.assign(assert, {
  ok,
  fail(message = 'Failed') {
    if (message instanceof Error) throw message;
    fail(undefined, undefined, message, 'fail', assert.fail);
  },
  equal(actual, expected, message) {
    if (!(actual == expected || (actual !== actual && expected !== expected))) fail(actual, expected, message, '==', assert.equal); // eslint-disable-line eqeqeq
  },
  notEqual(actual, expected, message) {
    if (actual == expected || (actual !== actual && expected !== expected)) fail(actual, expected, message, '!=', assert.notEqual); // eslint-disable-line eqeqeq
  },
  strictEqual(actual, expected, message) {
    if (!Object.is(actual, expected)) fail(actual, expected, message, 'strictEqual', assert.strictEqual);
  },
  notStrictEqual(actual, expected, message) {
    if (Object.is(actual, expected)) fail(actual, expected, message, 'notStrictEqual', assert.notStrictEqual);
  },
  deepEqual(actual, expected, message) {
    if (!isDeepEqual(actual, expected)) fail(actual, expected, message, 'deepEqual', assert.deepEqual);
  },
  notDeepEqual(actual, expected, message) {
    if (isDeepEqual(actual, expected)) fail(actual, expected, message, 'notDeepEqual', assert.notDeepEqual);
  },
  deepStrictEqual(actual, expected, message) {
    if (!isDeepStrictEqual(actual, expected)) fail(actual, expected, message, 'deepStrictEqual', assert.deepStrictEqual);
  },
  notDeepStrictEqual(actual, expected, message) {
    if (isDeepStrictEqual(actual, expected)) fail(actual, expected, message, 'notDeepStrictEqual', assert.notDeepStrictEqual);
  },
  throws(fn, expected, message) {
    expectThrows('throws', caught(fn), expected, message, assert.throws);
  },
  doesNotThrow(fn, expected, message) {
    expectNoThrow('doesNotThrow', caught(fn), expected, message, assert.doesNotThrow);
  },
  async rejects(promiseOrFn, expected, message) {
    expectThrows('rejects', await caughtAsync(promiseOrFn), expected, message, assert.rejects);
  },
  async doesNotReject(promiseOrFn, expected, message) {
    expectNoThrow('doesNotReject', await caughtAsync(promiseOrFn), expected, message, assert.doesNotReject);
  },
  match(string, regexp, message) {
    if (typeof string !== 'string' || !regexp.test(string)) fail(string, regexp, message, 'match', assert.match);
  },
  doesNotMatch(string, regexp, message) {
    if (typeof string !== 'string' || regexp.test(string)) fail(string, regexp, message, 'doesNotMatch', assert.doesNotMatch);
  },
  ifError(value) {
    if (value !== null && value !== undefined) {
      const what = value instanceof Error && typeof value.message === 'string' ? value.message : inspect(value);
      fail(value, null, `ifError got unwanted exception: ${what}`, 'ifError', assert.ifError);
    }
  },
  AssertionError,
});

const strict = function strict(value, message) {
  if (!value) fail(value, true, arguments.length === 0 ? 'No value argument passed to `assert.ok()`' : message, '==', strict);
};
Object.assign(strict, assert, {
  equal: assert.strictEqual,
  notEqual: assert.notStrictEqual,
  deepEqual: assert.deepStrictEqual,
  notDeepEqual: assert.notDeepStrictEqual,
});
strict.strict = strict;
assert.strict = strict;

module.exports = assert;
