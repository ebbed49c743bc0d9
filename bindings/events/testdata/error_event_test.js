// HTML's ErrorEvent and PromiseRejectionEvent
// (https://html.spec.whatwg.org/multipage/webappapis.html#the-errorevent-interface).
import { test, assert, assertEquals, assertThrows, run } from '../../../testdata/harness.js';

test('ErrorEvent defaults', () => {
  const e = new ErrorEvent('error');
  assertEquals([e.type, e.message, e.filename, e.lineno, e.colno, e.error], ['error', '', '', 0, 0, undefined]);
  assertEquals([e.bubbles, e.cancelable, e.composed, e.isTrusted], [false, false, false, false]);
  assert(e instanceof Event);
  assertEquals(new ErrorEvent('error', null).message, '');
});

test('ErrorEvent reads its dictionary: EventInit first, then its own members in order, converted', () => {
  const log = [];
  const init = {};
  for (const k of ['bubbles', 'cancelable', 'colno', 'composed', 'error', 'filename', 'lineno', 'message']) {
    Object.defineProperty(init, k, { get() { log.push(k); return undefined; } });
  }
  new ErrorEvent('x', init);
  assertEquals(log, ['bubbles', 'cancelable', 'composed', 'colno', 'error', 'filename', 'lineno', 'message']);
  const err = new TypeError('boom');
  const e = new ErrorEvent('error', {
    message: 42, filename: 'a\uD800b', lineno: -1, colno: 2 ** 32 + 5, error: err, cancelable: true,
  });
  assertEquals(e.message, '42');
  assertEquals(e.filename, 'a\uFFFDb', 'USVString: a lone surrogate becomes U+FFFD');
  assertEquals(e.lineno, 4294967295, 'unsigned long wraps around');
  assertEquals(e.colno, 5);
  assertEquals(e.error, err);
  assertEquals(e.cancelable, true);
  assertEquals(new ErrorEvent('e', { lineno: NaN, colno: Infinity }).lineno, 0);
  assertEquals(new ErrorEvent('e', { filename: '\uD83D\uDE00' }).filename, '\uD83D\uDE00', 'a pair is kept');
  assertEquals(new ErrorEvent('e', { error: null }).error, null);
  assertThrows(TypeError, () => new ErrorEvent('e', { message: Symbol('s') }));
  assertThrows(TypeError, () => new ErrorEvent('e', 1));
  assertThrows(TypeError, () => new ErrorEvent());
});

test('ErrorEvent is dispatched like any event', () => {
  const t = new EventTarget();
  let got = null;
  t.addEventListener('error', (e) => { got = e; });
  const e = new ErrorEvent('error', { message: 'm' });
  assertEquals(t.dispatchEvent(e), true);
  assertEquals(got, e);
  assertEquals(got.target, t);
});

test('PromiseRejectionEvent needs a promise (any object)', () => {
  const p = Promise.resolve(1);
  const e = new PromiseRejectionEvent('unhandledrejection', { promise: p, reason: 'r', cancelable: true });
  assertEquals([e.type, e.promise, e.reason, e.cancelable], ['unhandledrejection', p, 'r', true]);
  assertEquals(new PromiseRejectionEvent('x', { promise: p }).reason, undefined);
  const thenable = { then() {} };
  assertEquals(new PromiseRejectionEvent('x', { promise: thenable }).promise, thenable, 'not converted to a promise');
  assertThrows(TypeError, () => new PromiseRejectionEvent('x'));
  assertThrows(TypeError, () => new PromiseRejectionEvent('x', {}));
  assertThrows(TypeError, () => new PromiseRejectionEvent('x', { promise: undefined }));
  assertThrows(TypeError, () => new PromiseRejectionEvent('x', { promise: 1 }));
  assertThrows(TypeError, () => new PromiseRejectionEvent('x', null));
  assert(new PromiseRejectionEvent('x', { promise: p }) instanceof Event);
});

test('PromiseRejectionEvent reads EventInit, then promise, then reason', () => {
  const log = [];
  const init = {};
  for (const k of ['bubbles', 'cancelable', 'composed', 'promise', 'reason']) {
    Object.defineProperty(init, k, { get() { log.push(k); return k === 'promise' ? {} : undefined; } });
  }
  new PromiseRejectionEvent('x', init);
  assertEquals(log, ['bubbles', 'cancelable', 'composed', 'promise', 'reason']);
});

test('brand checks and subclassing', () => {
  assertThrows(TypeError, () => ErrorEvent.prototype.message);
  assertThrows(TypeError, () => Object.getOwnPropertyDescriptor(ErrorEvent.prototype, 'error').get.call(new Event('x')));
  assertThrows(TypeError, () => Object.getOwnPropertyDescriptor(PromiseRejectionEvent.prototype, 'promise').get.call(new ErrorEvent('x')));
  class MyError extends ErrorEvent {}
  const e = new MyError('error', { lineno: 3 });
  assertEquals([e.lineno, Object.prototype.toString.call(e)], [3, '[object ErrorEvent]']);
});

await run();
