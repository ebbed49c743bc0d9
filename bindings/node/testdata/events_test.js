// Conformance tests for node:events, checked against Node 20's documented
// behaviour (https://nodejs.org/api/events.html). They run unchanged under
// `sockw exec` and under Node.
import { test, assert, assertEquals, assertThrows, assertRejects, run } from '../../../testdata/harness.js';
import EventEmitter, * as events from 'node:events';
import EE2 from 'events';
import process from 'node:process';

test('the module is EventEmitter itself', () => {
  assertEquals(typeof EventEmitter, 'function');
  assertEquals(EventEmitter.EventEmitter, EventEmitter);
  assertEquals(EE2, EventEmitter);
  assertEquals(events.EventEmitter, EventEmitter);
  assertEquals(events.once, EventEmitter.once);
  assertEquals(EventEmitter.name, 'EventEmitter');
  assertEquals(typeof EventEmitter.errorMonitor, 'symbol');
  assertEquals(EventEmitter.captureRejectionSymbol, Symbol.for('nodejs.rejection'));
  assertEquals(EventEmitter.defaultMaxListeners, 10);
  assertEquals(EventEmitter.usingDomains, false);
});

test('on, emit with arguments and this, return value', () => {
  const e = new EventEmitter();
  assertEquals(e.emit('x'), false);
  const seen = [];
  e.on('x', function (...args) {
    seen.push([this === e, ...args]);
  });
  assertEquals(e.emit('x', 1, 2, 3, 4, 5), true);
  e.emit('x');
  e.emit('x', 'a');
  assertEquals(seen, [[true, 1, 2, 3, 4, 5], [true], [true, 'a']]);
});

test('listeners run in order; prependListener goes first', () => {
  const e = new EventEmitter();
  const order = [];
  e.on('x', () => order.push('b'));
  e.addListener('x', () => order.push('c'));
  e.prependListener('x', () => order.push('a'));
  e.emit('x');
  assertEquals(order, ['a', 'b', 'c']);
});

test('once and prependOnceListener fire once', () => {
  const e = new EventEmitter();
  const order = [];
  e.once('x', (v) => order.push('once' + v));
  e.prependOnceListener('x', (v) => order.push('first' + v));
  e.on('x', (v) => order.push('on' + v));
  e.emit('x', 1);
  e.emit('x', 2);
  assertEquals(order, ['first1', 'once1', 'on1', 'on2']);
  assertEquals(e.listenerCount('x'), 1);
});

test('a listener added or removed during emit does not change that emit', () => {
  const e = new EventEmitter();
  const order = [];
  const b = () => order.push('b');
  e.on('x', () => {
    order.push('a');
    e.removeListener('x', b);
    e.on('x', () => order.push('c'));
  });
  e.on('x', b);
  e.emit('x');
  assertEquals(order, ['a', 'b']);
  order.length = 0;
  e.emit('x');
  assertEquals(order, ['a', 'c']);
});

test('removeListener, off, removeAllListeners', () => {
  const e = new EventEmitter();
  const f = () => {};
  const g = () => {};
  e.on('x', f);
  e.on('x', g);
  e.on('x', f);
  e.off('x', f);
  // The last matching registration goes.
  assertEquals(e.listeners('x'), [f, g]);
  e.removeListener('x', f);
  assertEquals(e.listeners('x'), [g]);
  e.removeListener('x', () => {});
  assertEquals(e.listenerCount('x'), 1);
  e.once('y', f);
  e.removeListener('y', f);
  assertEquals(e.listenerCount('y'), 0);
  e.on('y', f);
  e.removeAllListeners('x');
  assertEquals(e.eventNames(), ['y']);
  e.removeAllListeners();
  assertEquals(e.eventNames(), []);
});

test('newListener and removeListener events', () => {
  const e = new EventEmitter();
  const log = [];
  e.on('newListener', (name, fn) => log.push(['new', name, fn.name]));
  // A once listener is named by its wrapper, whose .listener is the original.
  e.on('removeListener', (name, fn) => log.push(['remove', name, fn.listener ? fn.listener.name : fn.name]));
  function a() {}
  function b() {}
  e.on('x', a);
  e.once('x', b);
  e.emit('x');
  e.off('x', a);
  assertEquals(log, [['new', 'removeListener', ''], ['new', 'x', 'a'], ['new', 'x', 'b'], ['remove', 'x', 'b'], ['remove', 'x', 'a']]);
});

test('newListener fires before the listener is added', () => {
  const e = new EventEmitter();
  let countAtNew = -1;
  e.on('newListener', (name) => {
    if (name === 'x') countAtNew = e.listenerCount('x');
  });
  e.on('x', () => {});
  assertEquals(countAtNew, 0);
});

test('removeAllListeners emits removeListener for each, last first', () => {
  const e = new EventEmitter();
  const removed = [];
  function a() {}
  function b() {}
  e.on('x', a);
  e.on('x', b);
  e.on('y', a);
  e.on('removeListener', (name, fn) => removed.push(String(name) + ':' + fn.name));
  e.removeAllListeners('x');
  assertEquals(removed, ['x:b', 'x:a']);
  removed.length = 0;
  e.removeAllListeners();
  // Removing the last listener of all announces nothing.
  assertEquals(removed, ['y:a']);
  assertEquals(e.eventNames(), []);
});

test('listeners unwraps once wrappers, rawListeners does not', () => {
  const e = new EventEmitter();
  const f = () => 'f';
  e.once('x', f);
  assertEquals(e.listeners('x'), [f]);
  const raw = e.rawListeners('x');
  assertEquals(raw.length, 1);
  assert(raw[0] !== f, 'a wrapper');
  assertEquals(raw[0].listener, f);
  assertEquals(raw[0](), 'f');
  assertEquals(e.listenerCount('x'), 0);
  // The copy is not the internal list.
  e.on('y', f);
  e.on('y', f);
  e.listeners('y').pop();
  assertEquals(e.listenerCount('y'), 2);
});

test('listenerCount with a listener argument', () => {
  const e = new EventEmitter();
  const f = () => {};
  e.on('x', f);
  e.once('x', f);
  e.on('x', () => {});
  assertEquals(e.listenerCount('x'), 3);
  assertEquals(e.listenerCount('x', f), 2);
  assertEquals(EventEmitter.listenerCount(e, 'x'), 3);
});

test('eventNames includes symbols', () => {
  const e = new EventEmitter();
  const s = Symbol('s');
  e.on('a', () => {});
  e.on(s, () => {});
  assertEquals(e.eventNames(), ['a', s]);
});

test("'error' without a listener throws", () => {
  const e = new EventEmitter();
  const err = new Error('boom');
  assertEquals(assertThrows(Error, () => e.emit('error', err)), err);
  const u1 = assertThrows(Error, () => e.emit('error', 'boom'));
  assertEquals(u1.code, 'ERR_UNHANDLED_ERROR');
  assertEquals(u1.message, "Unhandled error. ('boom')");
  assertEquals(u1.context, 'boom');
  const u2 = assertThrows(Error, () => e.emit('error'));
  assertEquals(u2.code, 'ERR_UNHANDLED_ERROR');
  assertEquals(u2.message, 'Unhandled error. (undefined)');
  assertEquals(assertThrows(Error, () => e.emit('error', { a: 1 })).message, 'Unhandled error. ({ a: 1 })');
  let got;
  e.on('error', (er) => { got = er; });
  assertEquals(e.emit('error', err), true);
  assertEquals(got, err);
});

test('errorMonitor sees errors before the listeners, and does not handle them', () => {
  const e = new EventEmitter();
  const log = [];
  e.on(EventEmitter.errorMonitor, (er) => log.push('monitor ' + er.message));
  const err = new Error('x');
  assertEquals(assertThrows(Error, () => e.emit('error', err)), err);
  e.on('error', (er) => log.push('listener ' + er.message));
  e.emit('error', err);
  assertEquals(log, ['monitor x', 'monitor x', 'listener x']);
});

test('listener argument validation', () => {
  const e = new EventEmitter();
  const err = assertThrows(TypeError, () => e.on('x', 1));
  assertEquals(err.code, 'ERR_INVALID_ARG_TYPE');
  assertEquals(err.message, 'The "listener" argument must be of type function. Received type number (1)');
  assertEquals(assertThrows(TypeError, () => e.on('x', null)).message, 'The "listener" argument must be of type function. Received null');
  assertEquals(assertThrows(TypeError, () => e.once('x', {})).message, 'The "listener" argument must be of type function. Received an instance of Object');
  assertThrows(TypeError, () => e.removeListener('x', 'f'));
  assertThrows(TypeError, () => e.prependListener('x'));
});

test('setMaxListeners and getMaxListeners', () => {
  const e = new EventEmitter();
  assertEquals(e.getMaxListeners(), 10);
  assertEquals(e.setMaxListeners(3), e);
  assertEquals(e.getMaxListeners(), 3);
  const r = assertThrows(RangeError, () => e.setMaxListeners(-1));
  assertEquals(r.code, 'ERR_OUT_OF_RANGE');
  assertEquals(r.message, 'The value of "setMaxListeners" is out of range. It must be >= 0. Received -1');
  assertEquals(assertThrows(TypeError, () => e.setMaxListeners('a')).code, 'ERR_INVALID_ARG_TYPE');
  assertThrows(RangeError, () => e.setMaxListeners(NaN));
  assertEquals(assertThrows(RangeError, () => { EventEmitter.defaultMaxListeners = -1; }).code, 'ERR_OUT_OF_RANGE');
  assertEquals(EventEmitter.getMaxListeners(e), 3);
  EventEmitter.setMaxListeners(5, e);
  assertEquals(e.getMaxListeners(), 5);
});

test('MaxListenersExceededWarning, once per event', async () => {
  const e = new EventEmitter();
  e.setMaxListeners(2);
  const warnings = [];
  const onWarning = (w) => warnings.push(w);
  process.on('warning', onWarning);
  const origWarn = console.warn;
  const origError = console.error;
  // Node prints through console.error in some versions and stderr directly in others.
  console.warn = console.error = () => {};
  try {
    for (let i = 0; i < 5; i++) e.on('foo', () => {});
    await new Promise((r) => setTimeout(r, 5));
  } finally {
    console.warn = origWarn;
    console.error = origError;
    process.off('warning', onWarning);
  }
  assertEquals(warnings.length, 1);
  const w = warnings[0];
  assertEquals(w.name, 'MaxListenersExceededWarning');
  assertEquals(w.emitter, e);
  assertEquals(w.type, 'foo');
  assertEquals(w.count, 3);
  assertEquals(w.message, 'Possible EventEmitter memory leak detected. 3 foo listeners added to [EventEmitter]. MaxListeners is 2. Use emitter.setMaxListeners() to increase limit');
});

test('subclasses: class syntax and EventEmitter.call(this)', () => {
  class Sub extends EventEmitter {
    constructor() {
      super();
      this.n = 0;
      this.on('x', () => this.n++);
    }
  }
  const s = new Sub();
  s.emit('x');
  assertEquals(s.n, 1);
  assert(s instanceof EventEmitter);

  function Old() {
    EventEmitter.call(this);
  }
  Object.setPrototypeOf(Old.prototype, EventEmitter.prototype);
  const o = new Old();
  let got;
  o.on('y', (v) => { got = v; });
  o.emit('y', 7);
  assertEquals(got, 7);
  // Instances do not share listener tables.
  assertEquals(new Old().listenerCount('y'), 0);
});

test('captureRejections turns a rejected listener into an error event', async () => {
  const e = new EventEmitter({ captureRejections: true });
  const got = new Promise((resolve) => e.on('error', resolve));
  e.on('x', async () => {
    throw new Error('async boom');
  });
  e.emit('x');
  assertEquals((await got).message, 'async boom');
  assertEquals(assertThrows(TypeError, () => new EventEmitter({ captureRejections: 1 })).code, 'ERR_INVALID_ARG_TYPE');
  const e2 = new EventEmitter({ captureRejections: true });
  const seen = new Promise((resolve) => {
    e2[Symbol.for('nodejs.rejection')] = (err, type, arg) => resolve([err.message, type, arg]);
  });
  e2.on('y', async () => {
    throw new Error('r');
  });
  e2.emit('y', 1);
  assertEquals(await seen, ['r', 'y', 1]);
});

test('events.once resolves with the arguments', async () => {
  const e = new EventEmitter();
  setTimeout(() => e.emit('x', 1, 2), 0);
  assertEquals(await events.once(e, 'x'), [1, 2]);
  assertEquals(e.listenerCount('x'), 0);
  assertEquals(e.listenerCount('error'), 0);
});

test("events.once rejects on 'error'", async () => {
  const e = new EventEmitter();
  const err = new Error('nope');
  setTimeout(() => e.emit('error', err), 0);
  assertEquals(await assertRejects(Error, events.once(e, 'x')), err);
  assertEquals(e.listenerCount('x'), 0);
  setTimeout(() => e.emit('error', err), 0);
  assertEquals(await events.once(e, 'error'), [err]);
});

test('events.once with an AbortSignal', async () => {
  const e = new EventEmitter();
  const ac = new AbortController();
  const p = events.once(e, 'x', { signal: ac.signal });
  ac.abort();
  const err = await assertRejects(Error, p);
  assertEquals(err.name, 'AbortError');
  assertEquals(err.code, 'ABORT_ERR');
  assertEquals(e.listenerCount('x'), 0);
  const err2 = await assertRejects(Error, events.once(e, 'x', { signal: ac.signal }));
  assertEquals(err2.code, 'ABORT_ERR');
});

test('events.once works with an EventTarget', async () => {
  const t = new EventTarget();
  setTimeout(() => t.dispatchEvent(new Event('ping')), 0);
  const [ev] = await events.once(t, 'ping');
  assertEquals(ev.type, 'ping');
});

test('events.on iterates until return', async () => {
  const e = new EventEmitter();
  setTimeout(() => {
    e.emit('x', 1);
    e.emit('x', 2, 'b');
    e.emit('x', 3);
  }, 0);
  const got = [];
  for await (const args of events.on(e, 'x')) {
    got.push(args);
    if (got.length === 3) break;
  }
  assertEquals(got, [[1], [2, 'b'], [3]]);
  assertEquals(e.listenerCount('x'), 0);
  assertEquals(e.listenerCount('error'), 0);
});

test('events.on rejects on error and on abort', async () => {
  const e = new EventEmitter();
  const it = events.on(e, 'x');
  const err = new Error('bad');
  setTimeout(() => e.emit('error', err), 0);
  assertEquals(await assertRejects(Error, it.next()), err);
  assertEquals((await it.next()).done, true);

  const ac = new AbortController();
  const it2 = events.on(e, 'x', { signal: ac.signal });
  const p = it2.next();
  ac.abort();
  assertEquals((await assertRejects(Error, p)).name, 'AbortError');
  assertEquals(e.listenerCount('x'), 0);
});

test('getEventListeners and static setMaxListeners', () => {
  const e = new EventEmitter();
  const f = () => {};
  e.on('x', f);
  assertEquals(events.getEventListeners(e, 'x'), [f]);
  const before = EventEmitter.defaultMaxListeners;
  events.setMaxListeners(20);
  assertEquals(EventEmitter.defaultMaxListeners, 20);
  assertEquals(new EventEmitter().getMaxListeners(), 20);
  events.setMaxListeners(before);
  // Libraries silence the warning on AbortSignals this way.
  events.setMaxListeners(50, new AbortController().signal);
});

test('addAbortListener', async () => {
  const ac = new AbortController();
  let calls = 0;
  events.addAbortListener(ac.signal, () => calls++);
  ac.abort();
  assertEquals(calls, 1);
  let late = 0;
  events.addAbortListener(ac.signal, () => late++);
  assertEquals(late, 0);
  await null;
  assertEquals(late, 1);
  const ac2 = new AbortController();
  let removed = 0;
  const disposable = events.addAbortListener(ac2.signal, () => removed++);
  const dispose = Object.getOwnPropertySymbols(disposable)[0];
  disposable[dispose]();
  ac2.abort();
  assertEquals(removed, 0);
  assertThrows(TypeError, () => events.addAbortListener(ac.signal, 'x'));
});

test('process is an EventEmitter', () => {
  assert(process instanceof EventEmitter, 'instanceof');
  let got;
  process.once('custom-event', (v) => { got = v; });
  assertEquals(process.emit('custom-event', 42), true);
  assertEquals(got, 42);
  assertEquals(process.listenerCount('custom-event'), 0);
  assertEquals(typeof process.nextTick, 'function');
  assertEquals(typeof process.env, 'object');
});

await run();
