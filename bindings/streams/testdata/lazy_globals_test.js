// sockw sets the streams up on first use; until then the globals are
// accessors. What a script does to them before that must stick.
import { test, assert, assertEquals, run } from '../../../testdata/harness.js';

test('redefining, deleting and assigning globals before first use', () => {
  Object.defineProperty(globalThis, 'CountQueuingStrategy', { value: 42, writable: false, configurable: true });
  delete globalThis.ByteLengthQueuingStrategy;
  globalThis.TransformStreamDefaultController = 'mine';
  const RS = ReadableStream; // first use
  assertEquals(typeof RS, 'function');
  const d = Object.getOwnPropertyDescriptor(globalThis, 'ReadableStream');
  assertEquals([d.value === RS, d.writable, d.enumerable, d.configurable], [true, true, false, true]);
  assertEquals(globalThis.CountQueuingStrategy, 42);
  assert(!('ByteLengthQueuingStrategy' in globalThis), 'a deleted global stays deleted');
  assertEquals(globalThis.TransformStreamDefaultController, 'mine');
  assertEquals(typeof WritableStream, 'function', 'the others are defined');
  assert(new RS() instanceof RS);
});

await run();
