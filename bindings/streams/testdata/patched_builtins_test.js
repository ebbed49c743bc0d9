// Scripts that patch built-ins before their first use of a stream must not
// reach the streams' internals (the first use is when sockw sets the streams
// up; the built-ins that matter were captured before any script ran).
import { test, assert, assertEquals, run } from '../../../testdata/harness.js';

test('a patched Promise.prototype.then and Reflect.apply are not used by pipes, tees and readers', async () => {
  const then = Promise.prototype.then;
  const apply = Reflect.apply;
  let thenCalls = 0;
  let applyCalls = 0;
  // Only calls made from inside the implementation count: the test runner's
  // own promises may use the patched functions while this test is suspended.
  const fromStreams = () => /streams\.js/.test(new Error().stack);
  Promise.prototype.then = function (...args) { if (fromStreams()) thenCalls++; return apply(then, this, args); };
  Reflect.apply = function (...args) { if (fromStreams()) applyCalls++; return apply(apply, this, args); };
  const got = [];
  try {
    const rs = new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); c.close(); } });
    const [a, b] = rs.tee();
    const ws = new WritableStream({ write(chunk) { got.push(chunk); } });
    await a.pipeTo(ws);
    const r = b.getReader();
    while (!(await r.read()).done) { /* drain */ }
    await r.closed;
  } finally {
    Promise.prototype.then = then;
    Reflect.apply = apply;
  }
  assertEquals(got, [1, 2]);
  assertEquals(thenCalls, 0, 'patched then calls');
  assertEquals(applyCalls, 0, 'patched Reflect.apply calls');
});

await run();
