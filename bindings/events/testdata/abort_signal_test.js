// AbortController and AbortSignal, per the DOM Standard §3.1-3.2, and the
// signal option of addEventListener (§2.7).
import { test, assert, assertEquals, assertThrows, run } from '../../../testdata/harness.js';

test('a new controller has a live signal', () => {
  const c = new AbortController();
  const s = c.signal;
  assertEquals(c.signal, s);
  assert(s instanceof AbortSignal);
  assert(s instanceof EventTarget);
  assertEquals(s.aborted, false);
  assertEquals(s.reason, undefined);
  assertEquals(s.onabort, null);
  s.throwIfAborted();
});

test('AbortSignal is not constructible', () => {
  assertThrows(TypeError, () => new AbortSignal());
  assertThrows(TypeError, () => AbortSignal());
});

test('abort() without a reason uses an AbortError DOMException', () => {
  const c = new AbortController();
  c.abort();
  assertEquals(c.signal.aborted, true);
  const r = c.signal.reason;
  assert(r instanceof DOMException);
  assertEquals(r.name, 'AbortError');
  assertEquals(r.code, 20);
  const thrown = assertThrows(DOMException, () => c.signal.throwIfAborted(), 'AbortError');
  assertEquals(thrown, r);
});

test('abort(reason) keeps any reason, including null; undefined means the default', () => {
  const a = new AbortController();
  const reason = { why: 1 };
  a.abort(reason);
  assertEquals(a.signal.reason, reason);
  const b = new AbortController();
  b.abort(null);
  assertEquals(b.signal.aborted, true);
  assertEquals(b.signal.reason, null);
  try { b.signal.throwIfAborted(); throw new Error('no throw'); } catch (e) { assertEquals(e, null); }
  const c = new AbortController();
  c.abort(undefined);
  assertEquals(c.signal.reason.name, 'AbortError');
});

test('abort event fires once, trusted, at the signal; later aborts keep the first reason', () => {
  const c = new AbortController();
  const s = c.signal;
  const log = [];
  s.addEventListener('abort', function (e) {
    log.push([e.type, e.isTrusted, e.target === s, this === s, s.aborted, s.reason, e.bubbles, e.cancelable]);
    c.abort('again'); // re-entrant: no-op
  });
  c.abort('first');
  c.abort('second');
  assertEquals(log, [['abort', true, true, true, true, 'first', false, false]]);
  assertEquals(s.reason, 'first');
});

test('onabort runs in registration order with other listeners', () => {
  const c = new AbortController();
  const s = c.signal;
  const log = [];
  s.addEventListener('abort', () => log.push('listener 1'));
  s.onabort = () => log.push('onabort (replaced)');
  s.addEventListener('abort', () => log.push('listener 2'));
  const handler = function (e) { log.push(['onabort', this === s, e.type]); };
  s.onabort = handler; // keeps the first handler's place
  assertEquals(s.onabort, handler);
  c.abort();
  assertEquals(log, ['listener 1', ['onabort', true, 'abort'], 'listener 2']);
});

test('onabort set to null removes it; setting again appends it at the end', () => {
  const c = new AbortController();
  const s = c.signal;
  const log = [];
  s.onabort = () => log.push('handler');
  s.addEventListener('abort', () => log.push('listener'));
  s.onabort = null;
  assertEquals(s.onabort, null);
  s.onabort = () => log.push('handler again');
  c.abort();
  assertEquals(log, ['listener', 'handler again']);
});

test('onabort: non-objects become null, non-callable objects are kept but do nothing', () => {
  const c = new AbortController();
  const s = c.signal;
  s.onabort = 'code';
  assertEquals(s.onabort, null);
  s.onabort = 5;
  assertEquals(s.onabort, null);
  const obj = { handleEvent() { throw new Error('must not be called'); } };
  s.onabort = obj;
  assertEquals(s.onabort, obj);
  c.abort();
  assertThrows(TypeError, () => Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'onabort').get.call(new EventTarget()));
});

test('an exception in an abort listener is reported and does not stop the others', () => {
  const c = new AbortController();
  const log = [];
  c.signal.onabort = () => { throw new Error('handler boom'); };
  c.signal.addEventListener('abort', () => log.push('after'));
  c.abort();
  assertEquals(log, ['after']);
});

test('AbortSignal.abort()', () => {
  const s = AbortSignal.abort();
  assertEquals(s.aborted, true);
  assertEquals(s.reason.name, 'AbortError');
  assert(AbortSignal.abort().reason !== s.reason, 'a fresh reason each time');
  assertEquals(AbortSignal.abort('why').reason, 'why');
  let fired = false;
  s.onabort = () => { fired = true; };
  assertEquals(fired, false);
});

test('AbortSignal.timeout() argument conversion ([EnforceRange] unsigned long long)', () => {
  assertThrows(TypeError, () => AbortSignal.timeout());
  assertThrows(TypeError, () => AbortSignal.timeout(-1));
  assertThrows(TypeError, () => AbortSignal.timeout(NaN));
  assertThrows(TypeError, () => AbortSignal.timeout(Infinity));
  assertThrows(TypeError, () => AbortSignal.timeout(2 ** 53));
  assertThrows(TypeError, () => AbortSignal.timeout(1n));
  assertEquals(AbortSignal.timeout(-0.5).aborted, false);
  assertEquals(AbortSignal.timeout('100000').aborted, false);
});

test('AbortSignal.timeout() aborts with a TimeoutError, asynchronously', async () => {
  const s = AbortSignal.timeout(5);
  assertEquals(s.aborted, false);
  let timer;
  const result = await new Promise((resolve) => {
    s.onabort = (e) => resolve([e.isTrusted, s.reason]);
    timer = setTimeout(() => resolve('timeout never fired'), 2000);
  });
  clearTimeout(timer);
  assert(Array.isArray(result), String(result));
  assertEquals(result[0], true);
  assert(result[1] instanceof DOMException);
  assertEquals(result[1].name, 'TimeoutError');
  assertEquals(result[1].code, 23);
});

test('addEventListener signal: the listener is removed on abort', () => {
  const t = new EventTarget();
  const c = new AbortController();
  let n = 0;
  t.addEventListener('x', () => n++, { signal: c.signal });
  t.dispatchEvent(new Event('x'));
  c.abort();
  t.dispatchEvent(new Event('x'));
  assertEquals(n, 1);
});

test('addEventListener signal: an aborted signal adds nothing', () => {
  const t = new EventTarget();
  let n = 0;
  t.addEventListener('x', () => n++, { signal: AbortSignal.abort() });
  t.dispatchEvent(new Event('x'));
  assertEquals(n, 0);
});

test('addEventListener signal: one signal for several listeners, and with capture', () => {
  const t = new EventTarget();
  const c = new AbortController();
  let n = 0;
  const f = () => n++;
  t.addEventListener('x', f, { signal: c.signal });
  t.addEventListener('x', f, { signal: c.signal, capture: true });
  t.addEventListener('y', f, { signal: c.signal });
  t.dispatchEvent(new Event('x'));
  t.dispatchEvent(new Event('y'));
  assertEquals(n, 3);
  c.abort();
  t.dispatchEvent(new Event('x'));
  t.dispatchEvent(new Event('y'));
  assertEquals(n, 3);
});

test('addEventListener signal: removeEventListener still works, and a later add is independent', () => {
  const t = new EventTarget();
  const c = new AbortController();
  let n = 0;
  const f = () => n++;
  t.addEventListener('x', f, { signal: c.signal });
  t.removeEventListener('x', f);
  t.addEventListener('x', f);
  c.abort();
  t.dispatchEvent(new Event('x'));
  assertEquals(n, 1, 'the second registration has no signal');
});

test('addEventListener signal: a duplicate add with a signal does not remove the original on abort', () => {
  const t = new EventTarget();
  const c = new AbortController();
  let n = 0;
  const f = () => n++;
  t.addEventListener('x', f);
  t.addEventListener('x', f, { signal: c.signal });
  c.abort();
  t.dispatchEvent(new Event('x'));
  assertEquals(n, 1);
});

test('addEventListener signal: aborting from a listener stops later listeners', () => {
  const t = new EventTarget();
  const c = new AbortController();
  const log = [];
  t.addEventListener('x', () => { log.push('a'); c.abort(); }, { signal: c.signal });
  t.addEventListener('x', () => log.push('b'), { signal: c.signal });
  t.addEventListener('x', () => log.push('c'));
  t.dispatchEvent(new Event('x'));
  assertEquals(log, ['a', 'c']);
});

test('addEventListener signal: once and signal together', () => {
  const t = new EventTarget();
  const c = new AbortController();
  let n = 0;
  t.addEventListener('x', () => n++, { signal: c.signal, once: true });
  t.dispatchEvent(new Event('x'));
  t.dispatchEvent(new Event('x'));
  c.abort();
  assertEquals(n, 1);
});

test('AbortSignal.any(): argument checks', () => {
  assertThrows(TypeError, () => AbortSignal.any());
  assertThrows(TypeError, () => AbortSignal.any(5));
  assertThrows(TypeError, () => AbortSignal.any('ab'));
  assertThrows(TypeError, () => AbortSignal.any([{}]));
  assertThrows(TypeError, () => AbortSignal.any([new AbortController().signal, null]));
  const s = AbortSignal.any(new Set([new AbortController().signal]));
  assertEquals(s.aborted, false);
  assertEquals(AbortSignal.any([]).aborted, false);
});

test('AbortSignal.any(): already aborted input gives an aborted signal with the first reason', () => {
  const c = new AbortController();
  const s = AbortSignal.any([c.signal, AbortSignal.abort('first'), AbortSignal.abort('second')]);
  assertEquals(s.aborted, true);
  assertEquals(s.reason, 'first');
});

test('AbortSignal.any(): follows its sources; reason and event order', () => {
  const a = new AbortController();
  const b = new AbortController();
  const any = AbortSignal.any([a.signal, b.signal]);
  const log = [];
  a.signal.addEventListener('abort', () => log.push(['a', any.aborted, any.reason]));
  any.addEventListener('abort', (e) => log.push(['any', e.isTrusted]));
  b.signal.addEventListener('abort', () => log.push('b must not fire'));
  a.abort('why');
  assertEquals(any.aborted, true);
  assertEquals(any.reason, 'why');
  assertEquals(log, [['a', true, 'why'], ['any', true]], 'dependents are aborted before the source event');
  b.abort();
  assertEquals(any.reason, 'why');
});

test('AbortSignal.any() of a dependent signal follows the original sources', () => {
  const a = new AbortController();
  const inner = AbortSignal.any([a.signal]);
  const outer = AbortSignal.any([inner]);
  const log = [];
  inner.onabort = () => log.push('inner');
  outer.onabort = () => log.push('outer');
  a.abort();
  assertEquals(outer.aborted, true);
  assertEquals(outer.reason, a.signal.reason);
  assertEquals(log, ['inner', 'outer'], 'dependents abort in creation order');
});

test('AbortSignal.any() with duplicate and mixed signals', () => {
  const a = new AbortController();
  const s = AbortSignal.any([a.signal, a.signal]);
  let n = 0;
  s.onabort = () => n++;
  a.abort();
  assertEquals(n, 1);
});

test('AbortSignal.any() with a timeout signal', async () => {
  const c = new AbortController();
  const s = AbortSignal.any([c.signal, AbortSignal.timeout(5)]);
  let timer;
  const reason = await new Promise((resolve) => {
    s.onabort = () => resolve(s.reason);
    timer = setTimeout(() => resolve('never aborted'), 2000);
  });
  clearTimeout(timer);
  assertEquals(reason.name, 'TimeoutError');
  c.abort(); // a later abort of another source changes nothing
  assertEquals(s.reason, reason);
});

test('prototype shape', () => {
  assertEquals(Object.getPrototypeOf(AbortSignal.prototype), EventTarget.prototype);
  assertEquals(Object.prototype.toString.call(new AbortController()), '[object AbortController]');
  assertEquals(Object.prototype.toString.call(AbortSignal.abort()), '[object AbortSignal]');
  assertEquals(AbortSignal.timeout.length, 1);
  assertEquals(AbortSignal.any.length, 1);
  assertEquals(AbortSignal.abort.length, 0);
  assertEquals(AbortController.prototype.abort.length, 0);
  assertThrows(TypeError, () => AbortController.prototype.abort.call({}));
  assertThrows(TypeError, () => Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted').get.call(new EventTarget()));
});

test('reportError logs and returns undefined', () => {
  assertEquals(typeof reportError, 'function');
  assertEquals(reportError.length, 1);
  assertEquals(reportError(new Error('reported')), undefined);
  assertThrows(TypeError, () => reportError());
});

await run();
