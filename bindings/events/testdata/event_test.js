// Event and CustomEvent, per the DOM Standard §2.2-2.4.
import { test, assert, assertEquals, assertThrows, run } from '../../../testdata/harness.js';

test('constructor defaults', () => {
  const e = new Event('x');
  assertEquals(e.type, 'x');
  assertEquals(e.bubbles, false);
  assertEquals(e.cancelable, false);
  assertEquals(e.composed, false);
  assertEquals(e.defaultPrevented, false);
  assertEquals(e.isTrusted, false);
  assertEquals(e.target, null);
  assertEquals(e.currentTarget, null);
  assertEquals(e.srcElement, null);
  assertEquals(e.eventPhase, Event.NONE);
  assertEquals(e.cancelBubble, false);
  assertEquals(e.returnValue, true);
  assertEquals(e.composedPath().length, 0);
});

test('type is required and converted with ToString', () => {
  assertThrows(TypeError, () => new Event());
  // sockw treats an explicit undefined like a missing argument (WebIDL:
  // type "undefined"), because counting arguments is costly in goja.
  assertThrows(TypeError, () => new Event(undefined));
  assertEquals(new Event(null).type, 'null');
  assertEquals(new Event(1).type, '1');
  assertThrows(TypeError, () => new Event(Symbol('s')));
  assertThrows(TypeError, () => Event('x'));
});

test('EventInit members are read and converted to boolean', () => {
  const read = [];
  const init = {};
  for (const k of ['bubbles', 'cancelable', 'composed']) {
    Object.defineProperty(init, k, { get() { read.push(k); return 1; } });
  }
  const e = new Event('x', init);
  assertEquals(read, ['bubbles', 'cancelable', 'composed']);
  assertEquals(e.bubbles, true);
  assertEquals(e.cancelable, true);
  assertEquals(e.composed, true);
  assertEquals(new Event('x', null).bubbles, false);
  assertThrows(TypeError, () => new Event('x', 1));
  assertThrows(TypeError, () => new Event('x', 'str'));
});

test('preventDefault only cancels cancelable events', () => {
  const a = new Event('a');
  a.preventDefault();
  assertEquals(a.defaultPrevented, false);
  const b = new Event('b', { cancelable: true });
  b.preventDefault();
  assertEquals(b.defaultPrevented, true);
  assertEquals(b.returnValue, false);
});

test('returnValue setter: false cancels, true never uncancels', () => {
  const e = new Event('x', { cancelable: true });
  e.returnValue = true;
  assertEquals(e.defaultPrevented, false);
  e.returnValue = false;
  assertEquals(e.defaultPrevented, true);
  e.returnValue = true;
  assertEquals(e.defaultPrevented, true);
});

test('cancelBubble: true sets the stop propagation flag, false does not clear it', () => {
  const e = new Event('x');
  e.cancelBubble = true;
  assertEquals(e.cancelBubble, true);
  e.cancelBubble = false;
  assertEquals(e.cancelBubble, true);
  const f = new Event('y');
  f.stopPropagation();
  assertEquals(f.cancelBubble, true);
  const g = new Event('z');
  g.stopImmediatePropagation();
  assertEquals(g.cancelBubble, true);
});

test('isTrusted is an own unforgeable accessor', () => {
  const e = new Event('x');
  const d = Object.getOwnPropertyDescriptor(e, 'isTrusted');
  assertEquals(typeof d.get, 'function');
  assertEquals(d.configurable, false);
  assertEquals(d.enumerable, true);
  assertEquals(d.get, Object.getOwnPropertyDescriptor(new Event('y'), 'isTrusted').get);
  assertThrows(TypeError, () => { e.isTrusted = true; });
  assertThrows(TypeError, () => delete e.isTrusted);
  assertThrows(TypeError, () => d.get.call({}));
});

test('timeStamp is a non-decreasing, non-negative number of milliseconds', () => {
  const a = new Event('a');
  const b = new Event('b');
  assertEquals(typeof a.timeStamp, 'number');
  assert(a.timeStamp >= 0);
  assert(b.timeStamp >= a.timeStamp);
});

test('eventPhase constants on the constructor and the prototype', () => {
  const constants = { NONE: 0, CAPTURING_PHASE: 1, AT_TARGET: 2, BUBBLING_PHASE: 3 };
  for (const [k, v] of Object.entries(constants)) {
    assertEquals(Event[k], v);
    assertEquals(Event.prototype[k], v);
    assertEquals(new Event('x')[k], v);
    assertEquals(Object.getOwnPropertyDescriptor(Event, k).writable, false);
  }
});

test('initEvent reinitializes, but not while dispatching', () => {
  const e = new Event('x', { cancelable: true, composed: true });
  e.preventDefault();
  e.stopPropagation();
  e.initEvent('y', true, false);
  assertEquals(e.type, 'y');
  assertEquals(e.bubbles, true);
  assertEquals(e.cancelable, false);
  assertEquals(e.defaultPrevented, false);
  assertEquals(e.cancelBubble, false);
  assertEquals(e.composed, true, 'initEvent keeps composed');
  assertThrows(TypeError, () => e.initEvent());
  const t = new EventTarget();
  t.addEventListener('y', (ev) => {
    ev.initEvent('z', false, false);
    assertEquals(ev.type, 'y');
  });
  t.dispatchEvent(e);
  assertEquals(e.type, 'y');
});

test('brand checks', () => {
  assertThrows(TypeError, () => Event.prototype.type);
  assertThrows(TypeError, () => Event.prototype.preventDefault.call({}));
  assertThrows(TypeError, () => Object.getOwnPropertyDescriptor(Event.prototype, 'target').get.call(new EventTarget()));
});

test('toStringTag, lengths, names', () => {
  assertEquals(Object.prototype.toString.call(new Event('x')), '[object Event]');
  assertEquals(Object.prototype.toString.call(new CustomEvent('x')), '[object CustomEvent]');
  assertEquals(Event.length, 1);
  assertEquals(CustomEvent.length, 1);
  assertEquals(Event.name, 'Event');
  assertEquals(Event.prototype.preventDefault.length, 0);
  assertEquals(Event.prototype.initEvent.length, 1);
});

test('subclasses of Event', () => {
  class MyEvent extends Event {
    constructor() { super('mine', { bubbles: true }); this.extra = 1; }
  }
  const e = new MyEvent();
  assertEquals(e.type, 'mine');
  assertEquals(e.bubbles, true);
  assert(e instanceof Event);
  let seen = null;
  const t = new EventTarget();
  t.addEventListener('mine', (ev) => { seen = ev; });
  t.dispatchEvent(e);
  assertEquals(seen, e);
});

test('CustomEvent detail', () => {
  assertEquals(new CustomEvent('x').detail, null);
  const obj = {};
  const e = new CustomEvent('x', { detail: obj, bubbles: true });
  assertEquals(e.detail, obj);
  assertEquals(e.bubbles, true);
  assert(e instanceof Event);
  assertEquals(new CustomEvent('x', { detail: undefined }).detail, null);
  assertEquals(new CustomEvent('x', { detail: 0 }).detail, 0);
  assertThrows(TypeError, () => new CustomEvent());
  e.initCustomEvent('y', false, true, 5);
  assertEquals(e.type, 'y');
  assertEquals(e.cancelable, true);
  assertEquals(e.detail, 5);
  assertThrows(TypeError, () => Object.getOwnPropertyDescriptor(CustomEvent.prototype, 'detail').get.call(new Event('x')));
});

test('composedPath during dispatch is [target]', () => {
  const t = new EventTarget();
  let path = null;
  t.addEventListener('x', (e) => { path = e.composedPath(); });
  const e = new Event('x');
  t.dispatchEvent(e);
  assertEquals(path.length, 1);
  assertEquals(path[0], t);
  assertEquals(e.composedPath().length, 0);
});

test('Event and CustomEvent follow WebIDL', () => {
  for (const name of ['Event', 'CustomEvent', 'EventTarget']) {
    const d = Object.getOwnPropertyDescriptor(globalThis, name);
    assertEquals(d.enumerable, false, name);
    assertEquals(d.writable, true, name);
    assertEquals(d.configurable, true, name);
  }
  const m = Object.getOwnPropertyDescriptor(Event.prototype, 'preventDefault');
  assertEquals(m.enumerable, true);
  assertEquals(m.writable, true);
  assertEquals(m.configurable, true);
});

await run();
