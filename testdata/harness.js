// A small test harness for conformance tests that run under `sockw exec`
// (and, unchanged, under Deno or Node for comparison). A test file registers
// tests, then ends with `await run()`, which prints one line per test and a
// closing "N passed, N failed" line, and throws if any test failed so that
// `sockw exec` exits non-zero.

const tests = [];

export function test(name, fn) {
  tests.push({ name, fn });
}

export class AssertionError extends Error {
  constructor(message) {
    super(message);
    this.name = 'AssertionError';
  }
}

function show(v) {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (Object.is(v, -0)) return '-0';
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}[${Array.prototype.join.call(v, ',')}]`;
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (v && typeof v === 'object') {
    try { return JSON.stringify(v); } catch { return String(v); }
  }
  return String(v);
}

export function assert(cond, message = 'assertion failed') {
  if (!cond) throw new AssertionError(message);
}

// assertEquals compares with SameValue, and element by element for arrays and
// typed arrays, and key by key for plain objects.
export function assertEquals(actual, expected, message) {
  if (!equal(actual, expected)) {
    throw new AssertionError(`${message ? message + ': ' : ''}expected ${show(expected)}, got ${show(actual)}`);
  }
}

function equal(a, b) {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || ArrayBuffer.isView(a)) {
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equal(a[i], b[i])) return false;
    return true;
  }
  if (Object.getPrototypeOf(a) !== Object.prototype || Object.getPrototypeOf(b) !== Object.prototype) return false;
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && equal(a[k], b[k]));
}

function checkError(e, ErrorType, name, message) {
  if (ErrorType && !(e instanceof ErrorType)) {
    throw new AssertionError(`${message ? message + ': ' : ''}expected ${ErrorType.name}, got ${e && e.constructor && e.constructor.name}: ${e && e.message}`);
  }
  if (name !== undefined && e.name !== name) {
    throw new AssertionError(`${message ? message + ': ' : ''}expected error name ${name}, got ${e.name}: ${e.message}`);
  }
}

// assertThrows calls fn and checks that it throws an instance of ErrorType
// (and, if given, with that name, as for DOMException).
export function assertThrows(ErrorType, fn, name, message) {
  try {
    fn();
  } catch (e) {
    checkError(e, ErrorType, name, message);
    return e;
  }
  throw new AssertionError(`${message ? message + ': ' : ''}expected ${ErrorType ? ErrorType.name : 'an exception'}, nothing was thrown`);
}

// assertRejects awaits p and checks that it rejects like assertThrows.
export async function assertRejects(ErrorType, p, name, message) {
  try {
    await p;
  } catch (e) {
    checkError(e, ErrorType, name, message);
    return e;
  }
  throw new AssertionError(`${message ? message + ': ' : ''}expected a rejection with ${ErrorType ? ErrorType.name : 'an error'}, it fulfilled`);
}

// flush waits until the microtask queue and one turn of the task queue ran.
export function flush() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

// run runs the registered tests in order and reports them.
export async function run() {
  let passed = 0, failed = 0;
  for (const { name, fn } of tests) {
    try {
      await fn();
      passed++;
      console.log(`ok   ${name}`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${name}: ${e && e.stack ? e.stack : e}`);
    }
  }
  tests.length = 0;
  console.log(`${passed} passed, ${failed} failed`);
  if (failed > 0) throw new Error(`${failed} test(s) failed`);
}
