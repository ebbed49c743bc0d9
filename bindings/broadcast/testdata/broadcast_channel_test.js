// BroadcastChannel and MessageEvent, per HTML §9.5 and §9.1, within one
// isolate. Every test closes its channels: an open channel keeps the loop
// alive.
import { test, assert, assertEquals, assertThrows, run } from '../../../testdata/harness.js';

// received returns a promise of the first n message events at channel.
function received(channel, n, type = 'message') {
  return new Promise((resolve) => {
    const events = [];
    channel.addEventListener(type, function listener(e) {
      events.push(e);
      if (events.length === n) {
        channel.removeEventListener(type, listener);
        resolve(events);
      }
    });
  });
}

// PROBE marks the messages drain sends; tests leave them out of their logs.
const PROBE = '\u0000probe';

// drain resolves once every message posted so far in this isolate on
// channels named name has been delivered: messages are delivered in the
// order they were posted, and drain's own message comes last. (A timer
// would not do: a timer and a message task may run in either order.)
async function drain(name) {
  const sender = new BroadcastChannel(name);
  const probe = new BroadcastChannel(name);
  const got = received(probe, 1);
  sender.postMessage(PROBE);
  await got;
  sender.close();
  probe.close();
}

test('the interface', () => {
  assertEquals(typeof BroadcastChannel, 'function');
  assertEquals(BroadcastChannel.name, 'BroadcastChannel');
  assertEquals(BroadcastChannel.length, 1);
  const d = Object.getOwnPropertyDescriptor(globalThis, 'BroadcastChannel');
  assertEquals(d.enumerable, false);
  assertEquals(d.writable, true);
  const c = new BroadcastChannel('iface');
  assert(c instanceof EventTarget);
  assertEquals(Object.prototype.toString.call(c), '[object BroadcastChannel]');
  const tag = Object.getOwnPropertyDescriptor(BroadcastChannel.prototype, Symbol.toStringTag);
  assertEquals([tag.writable, tag.enumerable, tag.configurable], [false, false, true]);
  for (const name of ['postMessage', 'close', 'name', 'onmessage']) {
    assertEquals(Object.getOwnPropertyDescriptor(BroadcastChannel.prototype, name).enumerable, false, name);
  }
  assertEquals(c.onmessage, null);
  assertEquals(c.onmessageerror, null);
  assertEquals(BroadcastChannel.prototype.postMessage.length, 1);
  c.close();
  assertThrows(TypeError, () => new BroadcastChannel());
  assertThrows(TypeError, () => BroadcastChannel('x'));
  assertThrows(TypeError, () => BroadcastChannel.prototype.postMessage.call({}, 1));
  assertThrows(TypeError, () => Object.getOwnPropertyDescriptor(BroadcastChannel.prototype, 'name').get.call({}));
});

test('name is converted to a string and read-only', () => {
  const c = new BroadcastChannel(42);
  assertEquals(c.name, '42');
  assertThrows(TypeError, () => { c.name = 'other'; }, undefined, 'no setter (strict mode)');
  assertEquals(c.name, '42');
  c.close();
  const n = new BroadcastChannel(null);
  assertEquals(n.name, 'null');
  n.close();
});

test('a message reaches the other channels of the name, not the sender or other names', async () => {
  const a = new BroadcastChannel('room');
  const b = new BroadcastChannel('room');
  const c = new BroadcastChannel('room');
  const other = new BroadcastChannel('elsewhere');
  const log = [];
  a.onmessage = (e) => e.data !== PROBE && log.push('a');
  other.onmessage = (e) => e.data !== PROBE && log.push('other');
  const got = Promise.all([received(b, 1), received(c, 1)]);
  const payload = { text: 'hi', list: [1, 2], nested: { when: new Date(5) } };
  a.postMessage(payload);
  assertEquals(log, [], 'delivery is not synchronous');
  const [[eb], [ec]] = await got;
  for (const e of [eb, ec]) {
    assert(e instanceof MessageEvent);
    assert(e instanceof Event);
    assertEquals(e.type, 'message');
    assertEquals(e.data.text, 'hi');
    assertEquals(e.data.list, [1, 2]);
    assertEquals(e.data.nested.when.getTime(), 5);
    assert(e.data !== payload, 'the data is a copy');
    assertEquals(e.origin, '');
    assertEquals(e.lastEventId, '');
    assertEquals(e.source, null);
    assertEquals(e.ports.length, 0);
    assert(Object.isFrozen(e.ports));
    assertEquals(e.bubbles, false);
    assertEquals(e.cancelable, false);
  }
  assert(eb.target === b && ec.target === c);
  assert(eb.data !== ec.data, 'each destination gets its own copy');
  await drain('room');
  await drain('elsewhere');
  assertEquals(log, []);
  for (const ch of [a, b, c, other]) ch.close();
});

test('messages arrive in the order they were posted', async () => {
  const a = new BroadcastChannel('order');
  const b = new BroadcastChannel('order');
  const got = received(b, 50);
  for (let i = 0; i < 50; i++) a.postMessage(i);
  assertEquals((await got).map((e) => e.data), Array.from({ length: 50 }, (_, i) => i));
  a.close();
  b.close();
});

test('destinations in creation order, each in a task of its own', async () => {
  const sender = new BroadcastChannel('tasks');
  const first = new BroadcastChannel('tasks');
  const second = new BroadcastChannel('tasks');
  const log = [];
  const done = new Promise((resolve) => {
    first.onmessage = () => {
      log.push('first');
      queueMicrotask(() => log.push('microtask'));
    };
    second.onmessage = () => {
      log.push('second');
      resolve();
    };
  });
  sender.postMessage('m');
  await done;
  assertEquals(log, ['first', 'microtask', 'second']);
  for (const ch of [sender, first, second]) ch.close();
});

test('onmessage and addEventListener both hear; handlers follow HTML', async () => {
  const a = new BroadcastChannel('handlers');
  const b = new BroadcastChannel('handlers');
  const log = [];
  b.addEventListener('message', (e) => e.data !== PROBE && log.push('listener 1'));
  b.onmessage = () => log.push('handler');
  b.addEventListener('message', (e) => e.data !== PROBE && log.push('listener 2'));
  b.onmessage = function (e) { e.data !== PROBE && log.push(`handler again ${this === b} ${e.data}`); };
  a.postMessage('x');
  await drain('handlers');
  assertEquals(log, ['listener 1', 'handler again true x', 'listener 2']);
  b.onmessage = 'not a function';
  assertEquals(b.onmessage, null);
  const f = () => log.push('late');
  b.onmessage = f;
  assertEquals(b.onmessage, f);
  b.onmessage = null;
  log.length = 0;
  a.postMessage('y');
  await drain('handlers');
  assertEquals(log, ['listener 1', 'listener 2']);
  a.close();
  b.close();
});

test('close: postMessage throws InvalidStateError; a closed channel hears nothing more', async () => {
  const a = new BroadcastChannel('closing');
  const b = new BroadcastChannel('closing');
  const log = [];
  b.onmessage = (e) => log.push(e.data);
  a.postMessage('queued before close');
  b.close();
  await drain('closing');
  assertEquals(log, [], 'a message queued for a channel closed since is not delivered');
  b.close(); // idempotent
  const e = assertThrows(DOMException, () => b.postMessage('x'), 'InvalidStateError');
  assertEquals(e.code, 11);
  a.close();
  assertThrows(DOMException, () => a.postMessage('x'), 'InvalidStateError');
});

test('a channel created after a message was posted does not get it', async () => {
  const a = new BroadcastChannel('late');
  const early = new BroadcastChannel('late');
  const got = received(early, 1);
  a.postMessage('first');
  const late = new BroadcastChannel('late');
  const log = [];
  late.onmessage = (e) => e.data !== PROBE && log.push(e.data);
  await got;
  await drain('late');
  assertEquals(log, []);
  a.postMessage('second');
  await drain('late');
  assertEquals(log, ['second']);
  for (const ch of [a, early, late]) ch.close();
});

test('uncloneable messages throw DataCloneError from postMessage; nothing is sent', async () => {
  const a = new BroadcastChannel('clone');
  const b = new BroadcastChannel('clone');
  const log = [];
  b.onmessage = (e) => e.data !== PROBE && log.push(e.data);
  assertThrows(DOMException, () => a.postMessage(() => {}), 'DataCloneError');
  assertThrows(DOMException, () => a.postMessage({ nested: Symbol('s') }), 'DataCloneError');
  assertThrows(DOMException, () => a.postMessage(new EventTarget()), 'DataCloneError');
  assertThrows(DOMException, () => a.postMessage(a), 'DataCloneError');
  const boom = new Error('getter');
  try {
    a.postMessage({ get x() { throw boom; } });
    assert(false, 'no throw');
  } catch (e) {
    assertEquals(e, boom);
  }
  assertThrows(TypeError, () => a.postMessage());
  await drain('clone');
  assertEquals(log, []);
  a.postMessage(undefined);
  await drain('clone');
  assertEquals(log, [undefined]);
  a.close();
  b.close();
});

test('messages carry every serializable type', async () => {
  const a = new BroadcastChannel('types');
  const b = new BroadcastChannel('types');
  const got = received(b, 1);
  const shared = { s: 1 };
  const buf = new Uint8Array([1, 2, 3]).buffer;
  a.postMessage({ m: new Map([[shared, shared]]), set: new Set([1n]), buf, view: new Uint8Array(buf, 1), re: /x/g,
    err: new RangeError('r'), dom: new DOMException('d', 'AbortError'), shared, lone: '\ud800' });
  const [{ data }] = await got;
  const [k, v] = [...data.m][0];
  assert(k === v && k === data.shared, 'shared references');
  assert(data.set.has(1n));
  assertEquals(Array.from(data.view), [2, 3]);
  assert(data.view.buffer === data.buf);
  assertEquals(data.re.flags, 'g');
  assert(data.err instanceof RangeError && data.err.message === 'r');
  assert(data.dom instanceof DOMException && data.dom.name === 'AbortError');
  assertEquals(data.lone.charCodeAt(0), 0xd800);
  a.close();
  b.close();
});

test('MessageEvent', () => {
  const e = new MessageEvent('message');
  assertEquals(e.data, null);
  assertEquals(e.origin, '');
  assertEquals(e.lastEventId, '');
  assertEquals(e.source, null);
  assertEquals(e.ports, []);
  assertEquals(e.ports, e.ports);
  assert(e.ports === e.ports, 'ports is the same frozen array each time');
  assertEquals(Object.prototype.toString.call(e), '[object MessageEvent]');
  const f = new MessageEvent('custom', { data: { x: 1 }, origin: 7, lastEventId: 'id', bubbles: true, ports: [] });
  assertEquals(f.type, 'custom');
  assertEquals(f.data.x, 1);
  assertEquals(f.origin, '7');
  assertEquals(f.lastEventId, 'id');
  assertEquals(f.bubbles, true);
  assertThrows(TypeError, () => new MessageEvent());
  assertThrows(TypeError, () => new MessageEvent('m', { ports: [{}] }));
  assertThrows(TypeError, () => new MessageEvent('m', { ports: 5 }));
  assertThrows(TypeError, () => new MessageEvent('m', { source: {} }));
  assertThrows(TypeError, () => Object.getOwnPropertyDescriptor(MessageEvent.prototype, 'data').get.call(new Event('x')));
  e.initMessageEvent('re', false, false, 'payload', 'o', 'l');
  assertEquals(e.type, 're');
  assertEquals(e.data, 'payload');
  assertEquals(e.origin, 'o');
  const t = new EventTarget();
  let seen;
  t.addEventListener('x', (ev) => { seen = ev.data; });
  t.dispatchEvent(new MessageEvent('x', { data: 3 }));
  assertEquals(seen, 3);
});

await run();
