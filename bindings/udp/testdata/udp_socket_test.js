// Direct Sockets' UDPSocket as sockw exposes it (API.md §3): the interface
// object, its errors, and the life of a connected socket. Data exchange is
// tested from Go against real peers (udp_test.go). Needs loopback to be
// allowed, as under `sockw exec`.
import { test, assert, assertEquals, assertThrows, run } from '../../../testdata/harness.js';

test('UDPSocket is a WebIDL interface', () => {
  const d = Object.getOwnPropertyDescriptor(globalThis, 'UDPSocket');
  assert(d && d.writable && d.configurable && !d.enumerable, 'global property attributes');
  assertEquals(UDPSocket.name, 'UDPSocket');
  assertEquals(UDPSocket.length, 1);
  assertEquals(Object.prototype.toString.call(UDPSocket.prototype), '[object UDPSocket]');
  for (const name of ['opened', 'closed']) {
    const g = Object.getOwnPropertyDescriptor(UDPSocket.prototype, name);
    assert(g && typeof g.get === 'function' && g.set === undefined, name + ' is a getter');
  }
  assertEquals(typeof UDPSocket.prototype.close, 'function');
  assertThrows(TypeError, () => UDPSocket.prototype.opened, 'TypeError');
});

test('bad options are TypeErrors', () => {
  assertThrows(TypeError, () => new UDPSocket());
  assertThrows(TypeError, () => new UDPSocket({}));
  assertThrows(TypeError, () => new UDPSocket({ remoteAddress: '127.0.0.1' }));
  assertThrows(TypeError, () => new UDPSocket({ remoteAddress: '127.0.0.1', remotePort: 0 }));
  assertThrows(TypeError, () => new UDPSocket({ remoteAddress: '127.0.0.1', remotePort: 1.5 }));
  assertThrows(TypeError, () => new UDPSocket({ remoteAddress: '127.0.0.1', remotePort: 9, localAddress: '127.0.0.1' }));
});

test('close() resolves closed and ends the readable', async () => {
  const s = new UDPSocket({ remoteAddress: '127.0.0.1', remotePort: 9 });
  const { readable, writable } = await s.opened;
  const r = readable.getReader();
  const pending = r.read();
  const p = s.close();
  assert(p instanceof Promise, 'close() returns a promise');
  await s.closed;
  const { done } = await pending;
  assert(done, 'the readable ends');
  let threw = false;
  try { await writable.getWriter().write(new Uint8Array(1)); } catch { threw = true; }
  assert(threw, 'writes after close reject');
});

await run();
