// A Workers KV namespace, per https://developers.cloudflare.com/kv/api/.
// The runner binds an empty namespace as the global TEST_KV.
import { test, assert, assertEquals, assertRejects, assertThrows, run } from '../../../testdata/harness.js';

const kv = globalThis.TEST_KV;
const now = () => Math.floor(Date.now() / 1000);
const bytes = (b) => Array.from(new Uint8Array(b));

test('the namespace object', () => {
  assertEquals(typeof kv, 'object');
  assertEquals(Object.prototype.toString.call(kv), '[object KvNamespace]');
  for (const [name, length] of [['get', 1], ['getWithMetadata', 1], ['put', 2], ['delete', 1], ['list', 0]]) {
    assertEquals(typeof kv[name], 'function', name);
    assertEquals(kv[name].name, name);
    assertEquals(kv[name].length, length, name);
    assertEquals(Object.keys(kv).includes(name), false, `${name} is not an own enumerable property`);
  }
  assertThrows(TypeError, () => kv.get.call({}, 'k'));
  assertThrows(TypeError, () => kv.put.call(undefined, 'k', 'v'));
});

test('every method returns a promise', async () => {
  const calls = [() => kv.put('p', 'v'), () => kv.get('p'), () => kv.getWithMetadata('p'), () => kv.list(),
    () => kv.delete('p'), () => kv.get(1), () => kv.put('', 'v')];
  for (const call of calls) {
    const p = call();
    assert(p instanceof Promise);
    await p.catch(() => {});
  }
});

test('put then get as text, the default', async () => {
  assertEquals(await kv.put('greeting', 'hello, wörld ✓'), undefined);
  assertEquals(await kv.get('greeting'), 'hello, wörld ✓');
  assertEquals(await kv.get('greeting', 'text'), 'hello, wörld ✓');
  assertEquals(await kv.get('greeting', { type: 'text' }), 'hello, wörld ✓');
  assertEquals(await kv.get('greeting', {}), 'hello, wörld ✓');
  assertEquals(await kv.get('missing'), null);
  await kv.put('empty', '');
  assertEquals(await kv.get('empty'), '');
});

test('get as json, arrayBuffer and stream', async () => {
  await kv.put('doc', JSON.stringify({ a: [1, 2], b: 'x' }));
  assertEquals(await kv.get('doc', 'json'), { a: [1, 2], b: 'x' });
  assertEquals(await kv.get('doc', { type: 'json', cacheTtl: 60 }), { a: [1, 2], b: 'x' });
  const buf = await kv.get('greeting', 'arrayBuffer');
  assert(buf instanceof ArrayBuffer);
  assertEquals(new TextDecoder().decode(buf), 'hello, wörld ✓');
  const stream = await kv.get('greeting', 'stream');
  assert(stream instanceof ReadableStream);
  const chunks = [];
  const reader = stream.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(...r.value);
  assertEquals(new TextDecoder().decode(new Uint8Array(chunks)), 'hello, wörld ✓');
  const empty = await kv.get('empty', 'stream');
  const { done } = await empty.getReader().read();
  assertEquals(done, true);
  assertEquals(await kv.get('missing', 'stream'), null);
  await kv.put('not-json', '{oops');
  await assertRejects(SyntaxError, kv.get('not-json', 'json'));
});

test('put accepts ArrayBuffer, every ArrayBufferView and ReadableStream values', async () => {
  await kv.put('ab', new Uint8Array([1, 2, 3]).buffer);
  assertEquals(bytes(await kv.get('ab', 'arrayBuffer')), [1, 2, 3]);
  const backing = new Uint8Array([9, 8, 7, 6, 5, 4]).buffer;
  await kv.put('u8', new Uint8Array(backing, 1, 3));
  assertEquals(bytes(await kv.get('u8', 'arrayBuffer')), [8, 7, 6]);
  await kv.put('dv', new DataView(backing, 4));
  assertEquals(bytes(await kv.get('dv', 'arrayBuffer')), [5, 4]);
  await kv.put('u16', new Uint16Array([0x0102]));
  assertEquals(bytes(await kv.get('u16', 'arrayBuffer')), [2, 1]);
  const source = new Uint8Array([1, 1]);
  const p = kv.put('copied', source);
  source[0] = 42; // put copied the bytes when it was called
  await p;
  assertEquals(bytes(await kv.get('copied', 'arrayBuffer')), [1, 1]);
  const stream = new ReadableStream({
    start(c) {
      c.enqueue(new TextEncoder().encode('streamed '));
      c.enqueue(new TextEncoder().encode('value').buffer);
      c.close();
    },
  });
  await kv.put('from-stream', stream);
  assertEquals(await kv.get('from-stream'), 'streamed value');
});

test('put refuses other values with a TypeError', async () => {
  for (const v of [undefined, null, 42, true, {}, [], Symbol('s'), () => {}, new Map()]) {
    const e = await assertRejects(TypeError, kv.put('bad', v));
    assert(e.message.includes('KV put() accepts only strings, ArrayBuffers, ArrayBufferViews, and ReadableStreams'), e.message);
  }
  const stream = new ReadableStream({ start(c) { c.enqueue('a string chunk'); c.close(); } });
  await assertRejects(TypeError, kv.put('bad', stream));
  assertEquals(await kv.get('bad'), null);
});

test('keys must be strings: a clear TypeError', async () => {
  for (const k of [undefined, null, 1, true, {}, Symbol('s'), new String('boxed')]) {
    const e = await assertRejects(TypeError, kv.get(k));
    assert(e.message.includes('key must be a string'), e.message);
    await assertRejects(TypeError, kv.put(k, 'v'));
    await assertRejects(TypeError, kv.delete(k));
    await assertRejects(TypeError, kv.getWithMetadata(k));
  }
});

test('key names: empty, "." and ".." are refused', async () => {
  assertEquals((await assertRejects(TypeError, kv.get(''))).message, 'Key name cannot be empty.');
  assertEquals((await assertRejects(TypeError, kv.put('.', 'v'))).message, '"." is not allowed as a key name.');
  assertEquals((await assertRejects(TypeError, kv.delete('..'))).message, '".." is not allowed as a key name.');
});

test('keys longer than 512 bytes (UTF-8) are refused, naming the limit', async () => {
  await kv.put('k'.repeat(512), 'at the limit');
  assertEquals(await kv.get('k'.repeat(512)), 'at the limit');
  const e = await assertRejects(Error, kv.put('k'.repeat(513), 'v'));
  assertEquals(e.message, 'KV PUT failed: 414 UTF-8 encoded length of 513 exceeds key length limit of 512.');
  const wide = 'é'.repeat(257); // 257 characters, 514 bytes
  const g = await assertRejects(Error, kv.get(wide));
  assertEquals(g.message, 'KV GET failed: 414 UTF-8 encoded length of 514 exceeds key length limit of 512.');
  await assertRejects(Error, kv.delete(wide), undefined);
});

test('values over 25 MiB are refused', async () => {
  const limit = 25 * 1024 * 1024;
  const e = await assertRejects(Error, kv.put('big', new Uint8Array(limit + 1)));
  assertEquals(e.message, `KV PUT failed: 413 Value length of ${limit + 1} exceeds limit of ${limit}.`);
  let sent = 0;
  const stream = new ReadableStream({
    pull(c) {
      if (sent > limit) { c.close(); return; }
      c.enqueue(new Uint8Array(1 << 20));
      sent += 1 << 20;
    },
  });
  const s = await assertRejects(Error, kv.put('big', stream));
  assert(s.message.startsWith('KV PUT failed: 413 Value length of '), s.message);
  assertEquals(await kv.get('big'), null);
});

test('metadata: stored as JSON, at most 1024 bytes', async () => {
  await kv.put('with-meta', 'v', { metadata: { owner: 'alice', n: [1, 2] } });
  const r = await kv.getWithMetadata('with-meta');
  assertEquals(r.value, 'v');
  assertEquals(r.metadata, { owner: 'alice', n: [1, 2] });
  assertEquals(r.cacheStatus, null);
  const j = await kv.getWithMetadata('with-meta', 'json').catch((e) => e);
  assert(j instanceof SyntaxError, 'json parse of "v" fails');
  const none = await kv.getWithMetadata('greeting');
  assertEquals(none.metadata, null);
  const missing = await kv.getWithMetadata('missing');
  assertEquals(missing.value, null);
  assertEquals(missing.metadata, null);
  await kv.put('meta-max', 'v', { metadata: 'x'.repeat(1022) }); // 1024 bytes with its quotes
  const e = await assertRejects(Error, kv.put('meta-big', 'v', { metadata: 'x'.repeat(1023) }));
  assertEquals(e.message, 'KV PUT failed: 413 Metadata length of 1025 exceeds limit of 1024.');
  const cyclic = {};
  cyclic.self = cyclic;
  await assertRejects(TypeError, kv.put('meta-cyclic', 'v', { metadata: cyclic }));
});

test('expirationTtl and expiration are checked as the KV service does', async () => {
  const ttl = await assertRejects(Error, kv.put('e', 'v', { expirationTtl: 30 }));
  assertEquals(ttl.message, 'KV PUT failed: 400 Invalid expiration_ttl of 30. Expiration TTL must be at least 60.');
  const zero = await assertRejects(Error, kv.put('e', 'v', { expirationTtl: 0 }));
  assertEquals(zero.message, 'KV PUT failed: 400 Invalid expiration_ttl of 0. Please specify integer greater than 0.');
  const past = await assertRejects(Error, kv.put('e', 'v', { expiration: 1000 }));
  assertEquals(past.message, 'KV PUT failed: 400 Invalid expiration of 1000. Please specify integer greater than the current number of seconds since the UNIX epoch.');
  const soon = now() + 10;
  const near = await assertRejects(Error, kv.put('e', 'v', { expiration: soon }));
  assertEquals(near.message, `KV PUT failed: 400 Invalid expiration of ${soon}. Expiration times must be at least 60 seconds in the future.`);
  await assertRejects(TypeError, kv.put('e', 'v', 5));
  assertEquals(await kv.get('e'), null);
  const cache = await assertRejects(Error, kv.get('greeting', { cacheTtl: 10 }));
  assertEquals(cache.message, 'KV GET failed: 400 Invalid cache_ttl of 10. Cache TTL must be at least 60.');
});

test('entries with an expiration list it', async () => {
  const before = now();
  await kv.put('exp/ttl', 'v', { expirationTtl: 3600 });
  await kv.put('exp/abs', 'v', { expiration: before + 7200, metadata: { m: 1 } });
  await kv.put('exp/none', 'v');
  const { keys } = await kv.list({ prefix: 'exp/' });
  assertEquals(keys.map((k) => k.name), ['exp/abs', 'exp/none', 'exp/ttl']);
  assertEquals(keys[0].expiration, before + 7200);
  assertEquals(keys[0].metadata, { m: 1 });
  assertEquals('expiration' in keys[1], false);
  assertEquals('metadata' in keys[1], false);
  assert(keys[2].expiration >= before + 3600 && keys[2].expiration <= now() + 3600, String(keys[2].expiration));
});

test('unknown types are a TypeError', async () => {
  const e = await assertRejects(TypeError, kv.get('greeting', 'blob'));
  assertEquals(e.message, 'Unknown response type. Possible types are "text", "arrayBuffer", "json", and "stream".');
  await assertRejects(TypeError, kv.get('greeting', { type: 'xml' }));
});

test('delete', async () => {
  await kv.put('doomed', 'v');
  assertEquals(await kv.delete('doomed'), undefined);
  assertEquals(await kv.get('doomed'), null);
  assertEquals(await kv.delete('never-there'), undefined);
});

test('list: lexicographic order, prefix, limit and cursor', async () => {
  const names = ['list/b', 'list/a', 'list/c/1', 'list/c/0', 'list/é', 'list/Z'];
  await Promise.all(names.map((n) => kv.put(n, n)));
  const all = await kv.list({ prefix: 'list/' });
  assertEquals(all.keys.map((k) => k.name), ['list/Z', 'list/a', 'list/b', 'list/c/0', 'list/c/1', 'list/é']);
  assertEquals(all.list_complete, true);
  assertEquals('cursor' in all, false);
  assertEquals(all.cacheStatus, null);
  const seen = [];
  let cursor;
  for (let pages = 0; ; pages++) {
    assert(pages < 10, 'pagination ends');
    const page = await kv.list({ prefix: 'list/', limit: 2, cursor });
    assert(page.keys.length <= 2);
    seen.push(...page.keys.map((k) => k.name));
    if (page.list_complete) break;
    assertEquals(typeof page.cursor, 'string');
    cursor = page.cursor;
  }
  assertEquals(seen, all.keys.map((k) => k.name));
  const sub = await kv.list({ prefix: 'list/c/' });
  assertEquals(sub.keys.map((k) => k.name), ['list/c/0', 'list/c/1']);
  assertEquals((await kv.list({ prefix: 'nothing-here/' })).keys, []);
  const everything = await kv.list();
  assert(everything.keys.length > names.length);
});

test('list: limit above 1000 and bad cursors are refused; a non-positive limit is the default', async () => {
  const e = await assertRejects(Error, kv.list({ limit: 1001 }));
  assertEquals(e.message, 'KV GET failed: 400 Invalid key_count_limit of 1001. Please specify an integer less than 1000.');
  await assertRejects(Error, kv.list({ cursor: '!!not a cursor!!' }));
  const page = await kv.list({ limit: 0, prefix: 'list/' });
  assertEquals(page.keys.length, 6);
  await assertRejects(Error, kv.list({ prefix: 'p'.repeat(513) }));
  await assertRejects(TypeError, kv.list('prefix'));
});

test('bulk get: a Map of up to 100 keys, text or json', async () => {
  await kv.put('bulk/1', '{"n":1}');
  await kv.put('bulk/2', '{"n":2}', { metadata: { m: 2 } });
  const m = await kv.get(['bulk/1', 'bulk/2', 'bulk/missing']);
  assert(m instanceof Map);
  assertEquals([...m.keys()], ['bulk/1', 'bulk/2', 'bulk/missing']);
  assertEquals(m.get('bulk/1'), '{"n":1}');
  assertEquals(m.get('bulk/missing'), null);
  const j = await kv.get(['bulk/1', 'bulk/2'], 'json');
  assertEquals(j.get('bulk/2'), { n: 2 });
  const w = await kv.getWithMetadata(['bulk/2'], { type: 'json' });
  assertEquals(w.get('bulk/2').value, { n: 2 });
  assertEquals(w.get('bulk/2').metadata, { m: 2 });
  const keys = Array.from({ length: 101 }, (_, i) => `bulk/${i}`);
  await assertRejects(Error, kv.get(keys));
  await assertRejects(Error, kv.get(['bulk/1'], 'arrayBuffer'));
  await assertRejects(TypeError, kv.get(['bulk/1', 2]));
});

test('exceptions while reading arguments reject the promise', async () => {
  const boom = new RangeError('boom');
  const opts = { get type() { throw boom; } };
  const p = kv.get('greeting', opts);
  assert(p instanceof Promise);
  const e = await p.catch((x) => x);
  assertEquals(e, boom);
});

await run();
