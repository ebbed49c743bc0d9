// setTimeout, setInterval, clearTimeout, clearInterval and queueMicrotask,
// per HTML §8.6 (timers) and §8.7 (microtask queuing).
import { test, assert, assertEquals, assertThrows, flush, run } from '../../../testdata/harness.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('ids are positive integers, distinct, shared by timeouts and intervals', () => {
  const a = setTimeout(() => {}, 1000);
  const b = setInterval(() => {}, 1000);
  const c = setTimeout(() => {}, 1000);
  for (const id of [a, b, c]) {
    assertEquals(typeof id, 'number');
    assert(Number.isInteger(id) && id > 0, String(id));
  }
  assert(a !== b && b !== c && a !== c);
  clearInterval(a); // one id space: clearInterval clears a timeout
  clearTimeout(b);
  clearTimeout(c);
});

test('a string handler is a TypeError (no eval in workers)', () => {
  assertThrows(TypeError, () => setTimeout('globalThis.x = 1', 0));
  assertThrows(TypeError, () => setInterval('globalThis.x = 1', 0));
  assertThrows(TypeError, () => setTimeout());
  assertThrows(TypeError, () => setTimeout({}, 0));
  assertThrows(TypeError, () => setTimeout(() => {}, Symbol('x')));
  assertThrows(TypeError, () => setTimeout(() => {}, 1n));
});

test('timers run after the current task and its microtasks', async () => {
  const log = [];
  setTimeout(() => log.push('timeout'), 0);
  Promise.resolve().then(() => log.push('microtask'));
  queueMicrotask(() => log.push('queueMicrotask'));
  log.push('sync');
  await sleep(5);
  assertEquals(log, ['sync', 'microtask', 'queueMicrotask', 'timeout']);
});

test('equal delays fire in the order they were set', async () => {
  const log = [];
  for (let i = 0; i < 10; i++) setTimeout(() => log.push(i), 5);
  await sleep(30);
  assertEquals(log, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('shorter delays fire first; delay coercion (NaN, negative, strings, undefined are 0)', async () => {
  const log = [];
  setTimeout(() => log.push('20'), 20);
  setTimeout(() => log.push('NaN'), NaN);
  setTimeout(() => log.push('-5'), -5);
  setTimeout(() => log.push("'3'"), '3');
  setTimeout(() => log.push('undefined'));
  setTimeout(() => log.push('object'), { valueOf: () => 10 });
  await sleep(50);
  assertEquals(log.slice(0, 3), ['NaN', '-5', 'undefined']);
  assertEquals(log.slice(3), ["'3'", 'object', '20']);
});

test('a delay of 2^32 + 1 wraps to 1 (WebIDL long)', async () => {
  let fired = false;
  setTimeout(() => { fired = true; }, 2 ** 32 + 1);
  await sleep(30);
  assertEquals(fired, true);
});

test('extra arguments are passed to the callback, this is the global object', async () => {
  let got = null;
  setTimeout(function (...args) { got = [this === globalThis, args]; }, 0, 'a', 2, null);
  await sleep(5);
  assertEquals(got[0], true);
  assertEquals(got[1], ['a', 2, null]);
});

test('nested timers: a timer set by a callback runs after the already due ones', async () => {
  const log = [];
  setTimeout(() => {
    log.push('outer 1');
    setTimeout(() => log.push('nested'), 0);
  }, 0);
  setTimeout(() => log.push('outer 2'), 0);
  await sleep(20);
  assertEquals(log, ['outer 1', 'outer 2', 'nested']);
});

test('clearTimeout inside a callback cancels a later timer', async () => {
  const log = [];
  let second;
  setTimeout(() => { log.push('first'); clearTimeout(second); }, 0);
  second = setTimeout(() => log.push('second'), 0);
  await sleep(20);
  assertEquals(log, ['first']);
});

test('clearTimeout of unknown, cleared, finished or odd ids is a no-op', async () => {
  clearTimeout();
  clearTimeout(undefined);
  clearTimeout(null);
  clearTimeout('nope');
  clearTimeout(-1);
  clearTimeout(1e10);
  clearTimeout({});
  const id = setTimeout(() => {}, 0);
  await sleep(5);
  clearTimeout(id);
  clearTimeout(id);
});

test('a cleared timeout never fires', async () => {
  let fired = false;
  const id = setTimeout(() => { fired = true; }, 1);
  clearTimeout(id);
  await sleep(20);
  assertEquals(fired, false);
});

test('setInterval repeats and can be cleared from inside itself', async () => {
  let n = 0;
  const id = setInterval(() => {
    n++;
    if (n === 3) clearInterval(id);
  }, 1);
  await sleep(60);
  assertEquals(n, 3);
});

test('setInterval with arguments and a zero delay', async () => {
  const seen = [];
  const id = setInterval((a, b) => {
    seen.push(a + b);
    if (seen.length === 2) clearInterval(id);
  }, 0, 1, 2);
  await sleep(30);
  assertEquals(seen, [3, 3]);
});

test('queueMicrotask: argument check and FIFO order with promise jobs', async () => {
  assertThrows(TypeError, () => queueMicrotask());
  assertThrows(TypeError, () => queueMicrotask('code'));
  assertThrows(TypeError, () => queueMicrotask({}));
  const log = [];
  queueMicrotask(() => log.push(1));
  Promise.resolve().then(() => log.push(2));
  queueMicrotask(() => {
    log.push(3);
    queueMicrotask(() => log.push(5));
  });
  Promise.resolve().then(() => log.push(4));
  assertEquals(log, []);
  await flush();
  assertEquals(log, [1, 2, 3, 4, 5]);
});

test('queueMicrotask: the callback gets no arguments and this is undefined', async () => {
  let got = null;
  queueMicrotask(function (...args) { got = [this, args.length]; });
  await flush();
  assertEquals(got[0], undefined);
  assertEquals(got[1], 0);
});

test('performance.now() is monotonic, sub-millisecond, relative to the time origin', async () => {
  const a = performance.now();
  assertEquals(typeof a, 'number');
  assert(a >= 0);
  await sleep(5);
  const b = performance.now();
  assert(b - a >= 4, `${b} - ${a}`);
  let fractional = false;
  for (let i = 0; i < 100 && !fractional; i++) fractional = performance.now() % 1 !== 0;
  assert(fractional, 'no sub-millisecond precision');
  const origin = performance.timeOrigin;
  assert(Math.abs(origin + performance.now() - Date.now()) < 1000, 'timeOrigin + now() is about Date.now()');
});

test('performance is a Performance; toJSON; brand checks', () => {
  assert(performance instanceof Performance);
  assertEquals(Object.prototype.toString.call(performance), '[object Performance]');
  assertEquals(JSON.parse(JSON.stringify(performance)).timeOrigin, performance.timeOrigin);
  assertEquals(performance.toJSON().timeOrigin, performance.timeOrigin);
  assertThrows(TypeError, () => new Performance());
  assertThrows(TypeError, () => Performance.prototype.now.call({}));
  assertThrows(TypeError, () => Performance.prototype.timeOrigin);
  const { now } = performance;
  assertThrows(TypeError, () => now());
});

test('navigator is a WorkerNavigator', () => {
  assertEquals(navigator.userAgent, 'sockw');
  assert(Number.isInteger(navigator.hardwareConcurrency) && navigator.hardwareConcurrency >= 1);
  assert(navigator instanceof WorkerNavigator);
  assertEquals(Object.prototype.toString.call(navigator), '[object WorkerNavigator]');
  assertThrows(TypeError, () => new WorkerNavigator());
  assertThrows(TypeError, () => WorkerNavigator.prototype.userAgent);
  assert(!('Navigator' in globalThis), 'Navigator is the Window\'s');
});

test('operations of the [Global] global object are writable, enumerable, configurable; names and lengths', () => {
  const lengths = { setTimeout: 1, setInterval: 1, clearTimeout: 0, clearInterval: 0, queueMicrotask: 1 };
  for (const [name, length] of Object.entries(lengths)) {
    const d = Object.getOwnPropertyDescriptor(globalThis, name);
    assertEquals([d.writable, d.enumerable, d.configurable], [true, true, true], name);
    assertEquals(d.value.name, name);
    assertEquals(d.value.length, length, name);
  }
  for (const name of ['performance', 'navigator']) {
    const d = Object.getOwnPropertyDescriptor(globalThis, name);
    assertEquals([typeof d.get, d.enumerable, d.configurable], ['function', true, true], name);
  }
  for (const name of ['Performance', 'WorkerNavigator']) {
    const d = Object.getOwnPropertyDescriptor(globalThis, name);
    assertEquals([typeof d.value, d.writable, d.enumerable, d.configurable], ['function', true, false, true], name);
  }
});

await run();
