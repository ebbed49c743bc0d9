// EventTarget, per the DOM Standard §2.7-2.10 (add, remove, dispatch).
import { test, assert, assertEquals, assertThrows, run } from '../../../testdata/harness.js';

test('listeners run in order with this = currentTarget, at AT_TARGET', () => {
  const t = new EventTarget();
  const log = [];
  t.addEventListener('x', function (e) {
    log.push(['a', this === t, e.target === t, e.currentTarget === t, e.eventPhase, e.srcElement === t]);
  });
  t.addEventListener('x', () => log.push('b'));
  t.addEventListener('y', () => log.push('other type'));
  const e = new Event('x');
  assertEquals(t.dispatchEvent(e), true);
  assertEquals(log, [['a', true, true, true, Event.AT_TARGET, true], 'b']);
  assertEquals(e.eventPhase, Event.NONE);
  assertEquals(e.currentTarget, null);
  assertEquals(e.target, t, 'target stays set after dispatch');
});

test('capture listeners run before non-capture ones at the target', () => {
  const t = new EventTarget();
  const log = [];
  t.addEventListener('x', () => log.push('bubble1'));
  t.addEventListener('x', () => log.push('capture1'), true);
  t.addEventListener('x', () => log.push('bubble2'), { capture: false });
  t.addEventListener('x', () => log.push('capture2'), { capture: true });
  t.dispatchEvent(new Event('x'));
  assertEquals(log, ['capture1', 'capture2', 'bubble1', 'bubble2']);
});

test('duplicates (same type, callback, capture) are ignored', () => {
  const t = new EventTarget();
  let n = 0;
  const f = () => n++;
  t.addEventListener('x', f);
  t.addEventListener('x', f);
  t.addEventListener('x', f, { once: true });
  t.addEventListener('x', f, true);
  t.dispatchEvent(new Event('x'));
  assertEquals(n, 2);
  t.dispatchEvent(new Event('x'));
  assertEquals(n, 4, 'the first registration (not once) wins');
});

test('removeEventListener matches on capture', () => {
  const t = new EventTarget();
  let n = 0;
  const f = () => n++;
  t.addEventListener('x', f, true);
  t.removeEventListener('x', f);
  t.dispatchEvent(new Event('x'));
  assertEquals(n, 1);
  t.removeEventListener('x', f, { capture: true });
  t.dispatchEvent(new Event('x'));
  assertEquals(n, 1);
  t.removeEventListener('x', f, true); // absent: no-op
  t.removeEventListener('x', null);
});

test('handleEvent objects, looked up at each call', () => {
  const t = new EventTarget();
  const log = [];
  const obj = { handleEvent(e) { log.push([this === obj, e.type]); } };
  t.addEventListener('x', obj);
  t.dispatchEvent(new Event('x'));
  obj.handleEvent = function () { log.push('replaced'); };
  t.dispatchEvent(new Event('x'));
  assertEquals(log, [[true, 'x'], 'replaced']);
});

test('a function with handleEvent is called as a function', () => {
  const t = new EventTarget();
  const log = [];
  const f = function () { log.push('function'); };
  f.handleEvent = () => log.push('handleEvent');
  t.addEventListener('x', f);
  t.dispatchEvent(new Event('x'));
  assertEquals(log, ['function']);
});

test('exceptions in listeners are reported, not rethrown, and later listeners run', () => {
  const t = new EventTarget();
  const log = [];
  t.addEventListener('x', () => { throw new Error('boom'); });
  t.addEventListener('x', {}); // no handleEvent: TypeError, reported
  t.addEventListener('x', { handleEvent: 1 });
  t.addEventListener('x', () => log.push('after'));
  assertEquals(t.dispatchEvent(new Event('x')), true);
  assertEquals(log, ['after']);
});

test('argument checks', () => {
  const t = new EventTarget();
  assertThrows(TypeError, () => t.addEventListener('x'));
  assertThrows(TypeError, () => t.addEventListener());
  assertThrows(TypeError, () => t.removeEventListener('x'));
  assertThrows(TypeError, () => t.addEventListener('x', 'not a listener'));
  assertThrows(TypeError, () => t.addEventListener('x', 5));
  t.addEventListener('x', null);
  t.addEventListener('x', undefined);
  assertThrows(TypeError, () => t.dispatchEvent());
  assertThrows(TypeError, () => t.dispatchEvent({ type: 'x' }));
  assertThrows(TypeError, () => t.addEventListener('x', () => {}, { signal: null }));
  assertThrows(TypeError, () => t.addEventListener('x', () => {}, { signal: {} }));
  assertThrows(TypeError, () => EventTarget.prototype.addEventListener.call({}, 'x', () => {}));
  assertThrows(TypeError, () => EventTarget.prototype.dispatchEvent.call({}, new Event('x')));
  assertThrows(TypeError, () => EventTarget());
});

test('options are read in order: capture, once, passive, signal', () => {
  const t = new EventTarget();
  const read = [];
  const opts = {};
  for (const k of ['signal', 'passive', 'once', 'capture']) {
    Object.defineProperty(opts, k, { get() { read.push(k); return undefined; } });
  }
  t.addEventListener('x', () => {}, opts);
  assertEquals(read, ['capture', 'once', 'passive', 'signal']);
  const read2 = [];
  const opts2 = {};
  for (const k of ['once', 'capture']) {
    Object.defineProperty(opts2, k, { get() { read2.push(k); return false; } });
  }
  t.removeEventListener('x', () => {}, opts2);
  assertEquals(read2, ['capture']);
});

test('non-object options are a capture boolean', () => {
  const t = new EventTarget();
  const log = [];
  t.addEventListener('x', () => log.push('str-capture'), 'yes');
  t.addEventListener('x', () => log.push('plain'), 0);
  t.dispatchEvent(new Event('x'));
  assertEquals(log, ['str-capture', 'plain']);
});

test('dispatchEvent returns !defaultPrevented', () => {
  const t = new EventTarget();
  t.addEventListener('x', (e) => e.preventDefault());
  assertEquals(t.dispatchEvent(new Event('x', { cancelable: true })), false);
  assertEquals(t.dispatchEvent(new Event('x')), true);
});

test('passive listeners cannot cancel; later non-passive ones can', () => {
  const t = new EventTarget();
  const seen = [];
  t.addEventListener('x', (e) => { e.preventDefault(); seen.push(e.defaultPrevented); }, { passive: true });
  t.addEventListener('x', (e) => { e.returnValue = false; seen.push(e.defaultPrevented); }, { passive: true, capture: true });
  t.addEventListener('x', (e) => { e.preventDefault(); seen.push(e.defaultPrevented); });
  assertEquals(t.dispatchEvent(new Event('x', { cancelable: true })), false);
  assertEquals(seen, [false, false, true]);
});

test('once listeners are removed before they run', () => {
  const t = new EventTarget();
  let n = 0;
  t.addEventListener('x', () => {
    n++;
    t.dispatchEvent(new Event('x')); // nested dispatch must not run it again
  }, { once: true });
  t.dispatchEvent(new Event('x'));
  t.dispatchEvent(new Event('x'));
  assertEquals(n, 1);
});

test('listeners added during dispatch do not run for that dispatch', () => {
  const t = new EventTarget();
  const log = [];
  t.addEventListener('x', () => {
    log.push('a');
    t.addEventListener('x', () => log.push('added'));
  });
  t.dispatchEvent(new Event('x'));
  assertEquals(log, ['a']);
  t.dispatchEvent(new Event('x'));
  assertEquals(log, ['a', 'a', 'added']);
});

test('a non-capture listener added by a capture listener runs in the same dispatch', () => {
  const t = new EventTarget();
  const log = [];
  t.addEventListener('x', () => {
    log.push('capture');
    t.addEventListener('x', () => log.push('bubble added'));
  }, { capture: true, once: true });
  t.dispatchEvent(new Event('x'));
  assertEquals(log, ['capture', 'bubble added']);
});

test('listeners removed during dispatch do not run', () => {
  const t = new EventTarget();
  const log = [];
  const b = () => log.push('b');
  t.addEventListener('x', () => { log.push('a'); t.removeEventListener('x', b); });
  t.addEventListener('x', b);
  t.dispatchEvent(new Event('x'));
  assertEquals(log, ['a']);
});

test('removing and re-adding during dispatch does not run the new one', () => {
  const t = new EventTarget();
  const log = [];
  const b = () => log.push('b');
  t.addEventListener('x', () => {
    t.removeEventListener('x', b);
    t.addEventListener('x', b);
  }, { once: true });
  t.addEventListener('x', b);
  t.dispatchEvent(new Event('x'));
  assertEquals(log, []);
  t.dispatchEvent(new Event('x'));
  assertEquals(log, ['b']);
});

test('stopImmediatePropagation stops the remaining listeners', () => {
  const t = new EventTarget();
  const log = [];
  t.addEventListener('x', (e) => { log.push('a'); e.stopImmediatePropagation(); }, true);
  t.addEventListener('x', () => log.push('b'), true);
  t.addEventListener('x', () => log.push('c'));
  t.dispatchEvent(new Event('x'));
  assertEquals(log, ['a']);
});

test('stopPropagation at the target still runs the listeners of the target', () => {
  const t = new EventTarget();
  const log = [];
  t.addEventListener('x', (e) => { log.push('a'); e.stopPropagation(); }, true);
  t.addEventListener('x', () => log.push('b'), true);
  t.addEventListener('x', () => log.push('c'));
  const e = new Event('x');
  t.dispatchEvent(e);
  assertEquals(log, ['a', 'b']);
  assertEquals(e.cancelBubble, false, 'flags are cleared after dispatch');
});

test('an event stopped before dispatch runs no listener', () => {
  const t = new EventTarget();
  let n = 0;
  t.addEventListener('x', () => n++);
  const e = new Event('x');
  e.stopPropagation();
  t.dispatchEvent(e);
  assertEquals(n, 0);
  t.dispatchEvent(e); // the flag was cleared by the first dispatch
  assertEquals(n, 1);
});

test('dispatching an event that is being dispatched throws InvalidStateError', () => {
  const a = new EventTarget();
  const b = new EventTarget();
  let err = null;
  a.addEventListener('x', (e) => {
    try { b.dispatchEvent(e); } catch (x) { err = x; }
  });
  a.dispatchEvent(new Event('x'));
  assert(err instanceof DOMException, String(err));
  assertEquals(err.name, 'InvalidStateError');
  assertEquals(err.code, 11);
});

test('an event can be dispatched again after dispatch', () => {
  const a = new EventTarget();
  const b = new EventTarget();
  const e = new Event('x', { cancelable: true });
  let targets = [];
  const f = (ev) => targets.push(ev.target);
  a.addEventListener('x', f);
  b.addEventListener('x', (ev) => { targets.push(ev.target); ev.preventDefault(); });
  a.dispatchEvent(e);
  assertEquals(b.dispatchEvent(e), false);
  assertEquals(targets[0], a);
  assertEquals(targets[1], b);
  assertEquals(e.defaultPrevented, true, 'canceled flag survives dispatch');
});

test('isTrusted is false for dispatchEvent', () => {
  const t = new EventTarget();
  let trusted = null;
  t.addEventListener('x', (e) => { trusted = e.isTrusted; });
  t.dispatchEvent(new Event('x'));
  assertEquals(trusted, false);
});

test('listeners of a subclass and an EventTarget subclass instance', () => {
  class Emitter extends EventTarget {
    emit(type) { return this.dispatchEvent(new Event(type)); }
  }
  const em = new Emitter();
  let got = null;
  em.addEventListener('ping', (e) => { got = e.target; });
  em.emit('ping');
  assertEquals(got, em);
  assertEquals(Object.prototype.toString.call(em), '[object EventTarget]');
});

test('types are case-sensitive and any string works', () => {
  const t = new EventTarget();
  const log = [];
  t.addEventListener('X', () => log.push('X'));
  t.addEventListener('__proto__', () => log.push('proto'));
  t.addEventListener('', () => log.push('empty'));
  t.dispatchEvent(new Event('x'));
  t.dispatchEvent(new Event('__proto__'));
  t.dispatchEvent(new Event(''));
  assertEquals(log, ['proto', 'empty']);
});

test('dispatch does not depend on patched builtins', () => {
  const t = new EventTarget();
  let n = 0;
  t.addEventListener('x', () => n++);
  const apply = Reflect.apply;
  const call = Function.prototype.call;
  const bind = Function.prototype.bind;
  Reflect.apply = () => { throw new Error('patched'); };
  Function.prototype.call = () => { throw new Error('patched'); };
  Function.prototype.bind = () => { throw new Error('patched'); };
  try {
    t.dispatchEvent(new Event('x'));
  } finally {
    Reflect.apply = apply;
    Function.prototype.call = call;
    Function.prototype.bind = bind;
  }
  assertEquals(n, 1);
});

await run();
