// Conformance tests for node:timers, node:timers/promises, node:process and
// node:dns lookups, checked against Node 20 as well.
import { test, assert, assertEquals, assertRejects, run } from '../../../testdata/harness.js';
import timers from 'node:timers';
import { setTimeout as sleep, setImmediate as immediate, setInterval as every } from 'node:timers/promises';
import process from 'node:process';
import dns from 'node:dns';

test('setTimeout returns a Timeout that converts to a number', async () => {
  let calls = 0;
  const t = timers.setTimeout(function (a, b) { calls += a + b; assertEquals(this, t); }, 1, 2, 3);
  assertEquals(typeof t, 'object');
  assertEquals(t.hasRef(), true);
  assertEquals(t.unref(), t);
  assertEquals(t.hasRef(), false);
  t.ref();
  assertEquals(typeof +t, 'number');
  await sleep(20);
  assertEquals(calls, 5);
});

test('clearTimeout takes the Timeout or its number', async () => {
  let fired = 0;
  const a = timers.setTimeout(() => fired++, 1);
  const b = timers.setTimeout(() => fired++, 1);
  timers.clearTimeout(a);
  timers.clearTimeout(+b);
  timers.clearTimeout(undefined);
  await sleep(20);
  assertEquals(fired, 0);
});

test('refresh restarts the timer', async () => {
  const start = Date.now();
  let at = 0;
  const t = timers.setTimeout(() => { at = Date.now() - start; }, 40);
  await sleep(25);
  t.refresh();
  await sleep(80);
  assert(at >= 60, 'fired after ' + at + ' ms');
});

test('setInterval repeats until cleared; setImmediate runs soon', async () => {
  let n = 0;
  const i = timers.setInterval(() => { if (++n === 3) timers.clearInterval(i); }, 1);
  const order = [];
  timers.setImmediate((x) => order.push(x), 'immediate');
  await sleep(50);
  assertEquals(n, 3);
  assertEquals(order, ['immediate']);
});

test('timers/promises', async () => {
  assertEquals(await sleep(1, 'v'), 'v');
  assertEquals(await immediate('w'), 'w');
  const ac = new AbortController();
  const p = sleep(10000, 1, { signal: ac.signal });
  ac.abort();
  const err = await assertRejects(Error, p);
  assertEquals([err.name, err.code], ['AbortError', 'ABORT_ERR']);
  const seen = [];
  for await (const v of every(1, 'tick')) {
    seen.push(v);
    if (seen.length === 3) break;
  }
  assertEquals(seen, ['tick', 'tick', 'tick']);
});

test('process.nextTick passes arguments; env is an object', async () => {
  const got = await new Promise((resolve) => process.nextTick((a, b) => resolve([a, b]), 1, 2));
  assertEquals(got, [1, 2]);
  assertEquals(typeof process.env, 'object');
  assertEquals(typeof process.version, 'string');
});

test('dns.lookup of a literal and of localhost', async () => {
  const lit = await new Promise((resolve, reject) => dns.lookup('127.0.0.1', (err, address, family) => (err ? reject(err) : resolve([address, family]))));
  assertEquals(lit, ['127.0.0.1', 4]);
  const all = await dns.promises.lookup('localhost', { all: true });
  assert(all.some((a) => a.address === '127.0.0.1' || a.address === '::1'), JSON.stringify(all));
  const v4 = await dns.promises.lookup('localhost', { family: 4 });
  assertEquals(v4, { address: '127.0.0.1', family: 4 });
});

await run();
