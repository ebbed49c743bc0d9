// Conformance tests for node:stream and node:stream/promises, checked
// against Node 20 (https://nodejs.org/api/stream.html). They run unchanged
// under `sockw exec` and under Node. Event order is compared only among
// stream events: Node's process.nextTick runs ahead of promise jobs, sockw's
// is a microtask.
import { test, assert, assertEquals, assertThrows, assertRejects, run, flush } from '../../../testdata/harness.js';
import Stream, { Readable, Writable, Duplex, Transform, PassThrough, pipeline, finished, addAbortSignal } from 'node:stream';
import * as streamPromises from 'node:stream/promises';
import EventEmitter from 'node:events';
import * as bufferModule from 'node:buffer';

// Tests that need Buffer (Node hands out Buffers for string chunks) skip
// with a printed reason where node:buffer is not built in yet.
const Buffer = typeof bufferModule.Buffer === 'function' && typeof bufferModule.Buffer.from === 'function' ? bufferModule.Buffer : null;
function testWithBuffer(name, fn) {
  test(name, Buffer ? fn : () => console.log(`skip ${name}: node:buffer is not available`));
}

const text = (chunks) => chunks.map((c) => (typeof c === 'string' ? c : new TextDecoder().decode(c))).join('');
const bytes = (s) => new TextEncoder().encode(s);

function collect(readable) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    readable.on('data', (c) => chunks.push(c));
    readable.on('end', () => resolve(chunks));
    readable.on('error', reject);
  });
}

test('module shape', () => {
  assertEquals(typeof Stream, 'function');
  assertEquals(Stream.Stream, Stream);
  assertEquals(Stream.Readable, Readable);
  assertEquals(Stream.promises.pipeline, streamPromises.pipeline);
  assert(new Readable() instanceof Stream, 'Readable is a Stream');
  assert(new Readable() instanceof EventEmitter, 'Readable is an EventEmitter');
  const d = new Duplex();
  assert(d instanceof Readable && d instanceof Writable, 'a Duplex is Readable and Writable');
  assert(new PassThrough() instanceof Transform, 'PassThrough is a Transform');
  assert(!(new Readable() instanceof Writable), 'a Readable is not Writable');
  assertEquals(Readable.name, 'Readable');
  assertEquals(Stream.getDefaultHighWaterMark(false), 16384);
  assertEquals(Stream.getDefaultHighWaterMark(true), 16);
});

test('Readable: push Uint8Arrays, flowing mode, end and close in order', async () => {
  const events = [];
  const r = new Readable({ read() {} });
  r.push(bytes('ab'));
  r.push(bytes('cd'));
  r.push(null);
  r.on('data', (c) => {
    assert(c instanceof Uint8Array, 'a Uint8Array chunk');
    events.push('data:' + text([c]));
  });
  r.on('end', () => events.push('end'));
  r.on('close', () => events.push('close'));
  await flush();
  assertEquals(events, ['data:ab', 'data:cd', 'end', 'close']);
  assertEquals(r.readableEnded, true);
  assertEquals(r.destroyed, true);
  assertEquals(r.readable, false);
});

test('Readable: setEncoding utf8 joins split characters', async () => {
  const r = new Readable({ read() {} });
  r.setEncoding('utf8');
  const euro = bytes('\u20ac');
  r.push(euro.subarray(0, 1));
  r.push(euro.subarray(1));
  r.push(null);
  const chunks = await collect(r);
  assertEquals(chunks.join(''), '\u20ac');
  assertEquals(r.readableEncoding, 'utf8');
  const r2 = new Readable({ encoding: 'utf8', read() {} });
  r2.push('x');
  r2.push(null);
  assertEquals(await collect(r2), ['x']);
});

test('Readable: paused mode with read(n) and the readable event', async () => {
  const r = new Readable({ read() {} });
  r.push(bytes('hello'));
  r.push(bytes(' world'));
  r.push(null);
  const got = [];
  await new Promise((resolve) => {
    r.on('readable', () => {
      let c;
      while ((c = r.read(3)) !== null) got.push(text([c]));
    });
    r.on('end', resolve);
  });
  // The last, short read comes once the stream has ended.
  assertEquals(got, ['hel', 'lo ', 'wor', 'ld']);
});

test('Readable: read() with no argument returns everything buffered', () => {
  const r = new Readable({ read() {} });
  r.push(bytes('ab'));
  r.push(bytes('c'));
  assertEquals(r.readableLength, 3);
  assertEquals(text([r.read()]), 'abc');
  assertEquals(r.readableLength, 0);
  assertEquals(r.read(), null);
});

test('Readable: objectMode and highWaterMark backpressure', () => {
  const r = new Readable({ objectMode: true, highWaterMark: 2, read() {} });
  assertEquals(r.push({ a: 1 }), true);
  assertEquals(r.push({ a: 2 }), false);
  assertEquals(r.readableLength, 2);
  assertEquals(r.readableObjectMode, true);
  assertEquals(r.readableHighWaterMark, 2);
  assertEquals(r.read(), { a: 1 });
  const bin = new Readable({ highWaterMark: 4, read() {} });
  assertEquals(bin.push(bytes('abc')), true);
  assertEquals(bin.push(bytes('de')), false);
});

test('Readable: _read is called for more data, with highWaterMark', async () => {
  let n = 0;
  const sizes = [];
  const r = new Readable({
    highWaterMark: 8,
    read(size) {
      sizes.push(size);
      n++;
      this.push(n <= 3 ? bytes(String(n)) : null);
    },
  });
  assertEquals(text(await collect(r)), '123');
  assertEquals(sizes[0], 8);
});

test('Readable: unshift puts data back in front', () => {
  const r = new Readable({ read() {} });
  r.push(bytes('world'));
  const c = r.read(2);
  r.unshift(c);
  r.unshift(bytes('hello '));
  assertEquals(text([r.read()]), 'hello world');
});

test('Readable: pause, resume, isPaused, readableFlowing', async () => {
  const r = new Readable({ read() {} });
  assertEquals(r.readableFlowing, null);
  assertEquals(r.isPaused(), false);
  const got = [];
  r.on('data', (c) => got.push(text([c])));
  assertEquals(r.readableFlowing, true);
  r.pause();
  assertEquals(r.isPaused(), true);
  assertEquals(r.readableFlowing, false);
  r.push(bytes('a'));
  await flush();
  assertEquals(got, []);
  r.resume();
  await flush();
  assertEquals(got, ['a']);
});

test('Readable: push after EOF and invalid chunks are errors', async () => {
  const r = new Readable({ read() {} });
  r.push(null);
  const err = new Promise((resolve) => r.on('error', resolve));
  r.push(bytes('late'));
  assertEquals((await err).code, 'ERR_STREAM_PUSH_AFTER_EOF');
  const r2 = new Readable({ read() {} });
  const err2 = new Promise((resolve) => r2.on('error', resolve));
  r2.push(42);
  const e2 = await err2;
  assertEquals(e2.code, 'ERR_INVALID_ARG_TYPE');
  assert(e2 instanceof TypeError, 'a TypeError');
});

test('Readable: _read not implemented', async () => {
  const r = new Readable();
  const err = new Promise((resolve) => r.on('error', resolve));
  r.resume();
  const e = await err;
  assertEquals(e.code, 'ERR_METHOD_NOT_IMPLEMENTED');
  assertEquals(e.message, 'The _read() method is not implemented');
});

test('Readable: destroy(err) emits error then close, once', async () => {
  const events = [];
  let destroyArg;
  const r = new Readable({
    read() {},
    destroy(err, cb) {
      destroyArg = err;
      cb(err);
    },
  });
  r.on('error', (e) => events.push('error:' + e.message));
  r.on('close', () => events.push('close'));
  r.destroy(new Error('x'));
  r.destroy(new Error('y'));
  assertEquals(r.destroyed, true);
  await flush();
  assertEquals(events, ['error:x', 'close']);
  assertEquals(destroyArg.message, 'x');
  assertEquals(r.errored.message, 'x');
  assertEquals(r.closed, true);
});

test('Readable: emitClose false and autoDestroy false', async () => {
  const events = [];
  const r = new Readable({ read() {}, emitClose: false });
  r.on('close', () => events.push('close'));
  r.destroy();
  await flush();
  assertEquals(events, []);
  const r2 = new Readable({ read() {}, autoDestroy: false });
  r2.push(null);
  r2.resume();
  await new Promise((resolve) => r2.on('end', resolve));
  await flush();
  assertEquals(r2.destroyed, false);
});

test('Readable: construct runs before _read', async () => {
  const order = [];
  const r = new Readable({
    construct(cb) {
      order.push('construct');
      setTimeout(() => {
        order.push('constructed');
        cb();
      }, 1);
    },
    read() {
      order.push('read');
      this.push(null);
    },
  });
  r.resume();
  await new Promise((resolve) => r.on('end', resolve));
  assertEquals(order, ['construct', 'constructed', 'read']);
});

test('Readable: async iteration', async () => {
  const r = Readable.from(['a', 'b', 'c']);
  const got = [];
  for await (const c of r) got.push(c);
  assertEquals(got, ['a', 'b', 'c']);
  const bin = new Readable({ read() {} });
  bin.push(bytes('xy'));
  bin.push(null);
  const chunks = [];
  for await (const c of bin) chunks.push(c);
  assertEquals(text(chunks), 'xy');
});

test('Readable: breaking out of for await destroys the stream', async () => {
  const r = new Readable({ objectMode: true, read() {} });
  r.push(1);
  r.push(2);
  const errors = [];
  r.on('error', (e) => errors.push(e.name));
  for await (const c of r) {
    assertEquals(c, 1);
    break;
  }
  assertEquals(r.destroyed, true);
  await flush();
  assertEquals(errors, ['AbortError']);
});

test('Readable: async iteration rethrows the stream error', async () => {
  const r = new Readable({ read() {} });
  setTimeout(() => r.destroy(new Error('kaput')), 0);
  const err = await assertRejects(Error, (async () => {
    for await (const c of r) void c;
  })());
  assertEquals(err.message, 'kaput');
});

test('Readable.from: sync, async and promise-yielding iterables', async () => {
  const got = [];
  for await (const c of Readable.from([1, Promise.resolve(2), 3])) got.push(c);
  assertEquals(got, [1, 2, 3]);
  async function* gen() {
    yield 'x';
    yield 'y';
  }
  const r = Readable.from(gen());
  assertEquals(r.readableObjectMode, true);
  assertEquals(await collect(r), ['x', 'y']);
  assertEquals(await collect(Readable.from('whole')), ['whole']);
  assertEquals(assertThrows(TypeError, () => Readable.from(42)).code, 'ERR_INVALID_ARG_TYPE');
  const nul = Readable.from([null]);
  assertEquals((await assertRejects(TypeError, collect(nul))).code, 'ERR_STREAM_NULL_VALUES');
});

test('Writable: write, callbacks, finish, close', async () => {
  const events = [];
  const written = [];
  const w = new Writable({
    write(chunk, enc, cb) {
      written.push(text([chunk]));
      cb();
    },
  });
  w.on('finish', () => events.push('finish'));
  w.on('close', () => events.push('close'));
  w.write(bytes('a'), () => events.push('cb1'));
  w.write(bytes('b'), () => events.push('cb2'));
  w.end(() => events.push('end cb'));
  assertEquals(w.writableEnded, true);
  assertEquals(w.writableFinished, false);
  await flush();
  assertEquals(written, ['a', 'b']);
  assertEquals(events, ['cb1', 'cb2', 'end cb', 'finish', 'close']);
  assertEquals(w.writableFinished, true);
  assertEquals(w.destroyed, true);
});

test('Writable: write returns false past highWaterMark, then drain', async () => {
  const pending = [];
  const w = new Writable({
    highWaterMark: 5,
    write(chunk, enc, cb) {
      pending.push(cb);
    },
  });
  assertEquals(w.write(bytes('abc')), true);
  assertEquals(w.write(bytes('de')), false);
  assertEquals(w.writableLength, 5);
  assertEquals(w.writableNeedDrain, true);
  assertEquals(w.writableHighWaterMark, 5);
  let drained = false;
  w.on('drain', () => { drained = true; });
  pending.shift()();
  await flush();
  assertEquals(drained, false);
  pending.shift()();
  await flush();
  assertEquals(drained, true);
  assertEquals(w.writableNeedDrain, false);
  assertEquals(w.writableLength, 0);
});

test('Writable: objectMode counts objects', () => {
  const w = new Writable({ objectMode: true, highWaterMark: 2, write(c, e, cb) {} });
  assertEquals(w.write({}), true);
  assertEquals(w.write({}), false);
  assertEquals(w.writableLength, 2);
  assertEquals(w.writableObjectMode, true);
});

test('Writable: cork and uncork batch into _writev', async () => {
  const calls = [];
  const w = new Writable({
    write(chunk, enc, cb) {
      calls.push(['write', text([chunk])]);
      cb();
    },
    writev(chunks, cb) {
      calls.push(['writev', chunks.map((c) => text([c.chunk]))]);
      cb();
    },
  });
  w.cork();
  w.write(bytes('a'));
  w.write(bytes('b'));
  w.write(bytes('c'));
  assertEquals(w.writableCorked, 1);
  assertEquals(calls, []);
  w.uncork();
  assertEquals(calls, [['writev', ['a', 'b', 'c']]]);
  assertEquals(w.writableCorked, 0);
  await flush();
  w.cork();
  w.write(bytes('d'));
  w.end(bytes('e'));
  await flush();
  assertEquals(calls[1], ['writev', ['d', 'e']]);
});

test('Writable: _final runs before finish, prefinish first', async () => {
  const events = [];
  const w = new Writable({
    write(c, e, cb) { cb(); },
    final(cb) {
      events.push('final');
      setTimeout(() => {
        events.push('final done');
        cb();
      }, 1);
    },
  });
  w.on('prefinish', () => events.push('prefinish'));
  w.on('finish', () => events.push('finish'));
  w.end(bytes('x'));
  await new Promise((resolve) => w.on('close', resolve));
  assertEquals(events, ['final', 'final done', 'prefinish', 'finish']);
});

test('Writable: errors from _write destroy the stream', async () => {
  const w = new Writable({
    write(c, e, cb) {
      cb(new Error('disk full'));
    },
  });
  const events = [];
  w.on('error', (e) => events.push('error:' + e.message));
  w.on('close', () => events.push('close'));
  let cbErr;
  w.write(bytes('x'), (err) => { cbErr = err; });
  await flush();
  assertEquals(cbErr.message, 'disk full');
  assertEquals(events, ['error:disk full', 'close']);
  assertEquals(w.errored.message, 'disk full');
  assertEquals(w.writable, false);
});

test('Writable: write after end', async () => {
  const w = new Writable({ write(c, e, cb) { cb(); } });
  w.end();
  const err = new Promise((resolve) => w.on('error', resolve));
  let cbErr;
  w.write(bytes('late'), (e) => { cbErr = e; });
  const e = await err;
  assertEquals(e.code, 'ERR_STREAM_WRITE_AFTER_END');
  assertEquals(e.message, 'write after end');
  assertEquals(cbErr, e);
});

test('Writable: bad chunks throw', () => {
  const w = new Writable({ write(c, e, cb) { cb(); } });
  assertEquals(assertThrows(TypeError, () => w.write(null)).code, 'ERR_STREAM_NULL_VALUES');
  assertEquals(assertThrows(TypeError, () => w.write(42)).code, 'ERR_INVALID_ARG_TYPE');
  assertEquals(assertThrows(TypeError, () => w.write('x', 'nope')).code, 'ERR_UNKNOWN_ENCODING');
  assertEquals(assertThrows(TypeError, () => w.setDefaultEncoding('nope')).code, 'ERR_UNKNOWN_ENCODING');
});

test('Writable: decodeStrings false keeps strings', async () => {
  const got = [];
  const w = new Writable({
    decodeStrings: false,
    write(chunk, enc, cb) {
      got.push([chunk, enc]);
      cb();
    },
  });
  w.write('hi', 'utf8');
  w.end();
  await flush();
  assertEquals(got, [['hi', 'utf8']]);
});

testWithBuffer('Writable: strings become Buffers', async () => {
  const got = [];
  const w = new Writable({
    write(chunk, enc, cb) {
      got.push([Buffer.isBuffer(chunk), chunk.toString('hex'), enc]);
      cb();
    },
  });
  w.write('hi');
  w.write('6869', 'hex');
  w.write(new Uint8Array([1]));
  w.end();
  await flush();
  assertEquals(got, [[true, '6869', 'buffer'], [true, '6869', 'buffer'], [true, '01', 'buffer']]);
});

testWithBuffer('Readable: chunks are Buffers; setEncoding hex and base64', async () => {
  const r = new Readable({ read() {} });
  r.push('abc');
  r.push(new Uint8Array([100]));
  r.push(null);
  const chunks = await collect(r);
  assert(chunks.every((c) => Buffer.isBuffer(c)), 'Buffers');
  assertEquals(Buffer.concat(chunks).toString(), 'abcd');
  const r2 = new Readable({ read() {} });
  r2.setEncoding('base64');
  r2.push(Buffer.from('ab'));
  r2.push(Buffer.from('cd'));
  r2.push(null);
  assertEquals((await collect(r2)).join(''), Buffer.from('abcd').toString('base64'));
  const r3 = new Readable({ encoding: 'hex', read() {} });
  r3.push(Buffer.from([0xde, 0xad]));
  r3.push(null);
  assertEquals((await collect(r3)).join(''), 'dead');
});

test('Writable: construct holds writes back', async () => {
  const order = [];
  const w = new Writable({
    construct(cb) {
      setTimeout(() => {
        order.push('constructed');
        cb();
      }, 1);
    },
    write(c, e, cb) {
      order.push('write ' + text([c]));
      cb();
    },
  });
  w.write(bytes('a'));
  w.end(bytes('b'));
  await new Promise((resolve) => w.on('finish', resolve));
  assertEquals(order, ['constructed', 'write a', 'write b']);
});

test('Writable: destroy fails pending writes', async () => {
  let inFlight;
  const w = new Writable({ write(c, e, cb) { inFlight = cb; } });
  w.write(bytes('a'));
  let err;
  w.write(bytes('b'), (e) => { err = e; });
  w.destroy();
  await flush();
  // The buffered write fails once the one under way returns.
  assertEquals(err, undefined);
  inFlight();
  await flush();
  assertEquals(err.code, 'ERR_STREAM_DESTROYED');
  assertEquals(err.message, 'Cannot call write after a stream was destroyed');
});

test('Duplex: both sides, allowHalfOpen', async () => {
  const written = [];
  const d = new Duplex({
    read() {},
    write(c, e, cb) {
      written.push(text([c]));
      cb();
    },
  });
  assertEquals(d.allowHalfOpen, true);
  d.write(bytes('to'));
  d.push(bytes('from'));
  d.push(null);
  const got = await collect(d);
  assertEquals(text(got), 'from');
  assertEquals(written, ['to']);
  // Half open: the writable side stays up after 'end'.
  assertEquals(d.writable, true);
  d.end();
  await new Promise((resolve) => d.on('close', resolve));

  const closed = new Duplex({ allowHalfOpen: false, read() {}, write(c, e, cb) { cb(); } });
  let finished = false;
  closed.on('finish', () => { finished = true; });
  closed.push(null);
  closed.resume();
  await new Promise((resolve) => closed.on('close', resolve));
  assertEquals(finished, true);
});

test('Duplex: readableObjectMode and writableObjectMode apart', () => {
  const d = new Duplex({ readableObjectMode: true, read() {}, write(c, e, cb) { cb(); } });
  assertEquals(d.readableObjectMode, true);
  assertEquals(d.writableObjectMode, false);
  assertEquals(d.readableHighWaterMark, 16);
  assertEquals(d.writableHighWaterMark, 16384);
});

test('Duplex: subclassing with class syntax and with Duplex.call(this)', async () => {
  class Echo extends Duplex {
    _read() {}
    _write(chunk, enc, cb) {
      this.push(chunk);
      cb();
    }
    _final(cb) {
      this.push(null);
      cb();
    }
  }
  const e = new Echo();
  e.end(bytes('ping'));
  assertEquals(text(await collect(e)), 'ping');

  function OldSocket(opts) {
    if (!(this instanceof OldSocket)) return new OldSocket(opts);
    Duplex.call(this, opts);
    this.kind = 'old';
  }
  Object.setPrototypeOf(OldSocket.prototype, Duplex.prototype);
  Object.setPrototypeOf(OldSocket, Duplex);
  OldSocket.prototype._read = function () {
    this.push(bytes('x'));
    this.push(null);
  };
  OldSocket.prototype._write = function (c, e, cb) { cb(); };
  const s = new OldSocket({ allowHalfOpen: false });
  assert(s instanceof Duplex && s instanceof Writable, 'instanceof');
  assertEquals(s.allowHalfOpen, false);
  assertEquals(s.kind, 'old');
  assertEquals(text(await collect(s)), 'x');

  function R() {
    Readable.call(this, { objectMode: true });
  }
  Object.setPrototypeOf(R.prototype, Readable.prototype);
  R.prototype._read = function () {
    this.push('r');
    this.push(null);
  };
  assertEquals(await collect(new R()), ['r']);
});

test('Transform: transform and flush', async () => {
  const t = new Transform({
    transform(chunk, enc, cb) {
      cb(null, text([chunk]).toUpperCase());
    },
    flush(cb) {
      cb(null, '!');
    },
  });
  t.setEncoding('utf8');
  t.write(bytes('ab'));
  t.end(bytes('c'));
  assertEquals((await collect(t)).join(''), 'ABC!');
});

test('Transform: push several and errors', async () => {
  const t = new Transform({
    objectMode: true,
    transform(n, enc, cb) {
      if (n === 3) return cb(new Error('three'));
      this.push(n);
      this.push(n * 10);
      cb();
    },
  });
  const got = [];
  t.on('data', (v) => got.push(v));
  const err = new Promise((resolve) => t.on('error', resolve));
  t.write(1);
  t.write(2);
  t.write(3);
  assertEquals((await err).message, 'three');
  assertEquals(got, [1, 10, 2, 20]);
  assertEquals(t.destroyed, true);
});

test('Transform: backpressure from the readable side', async () => {
  let transformed = 0;
  const t = new Transform({
    readableHighWaterMark: 2,
    writableHighWaterMark: 2,
    objectMode: true,
    transform(v, e, cb) {
      transformed++;
      cb(null, v);
    },
  });
  for (let i = 0; i < 10; i++) t.write(i);
  await flush();
  assert(transformed < 10, 'stalls without a reader: ' + transformed);
  const got = await new Promise((resolve) => {
    const all = [];
    t.on('data', (v) => all.push(v));
    t.on('end', () => resolve(all));
    t.end();
  });
  assertEquals(got, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('PassThrough passes bytes through', async () => {
  const p = new PassThrough();
  p.end(bytes('same'));
  assertEquals(text(await collect(p)), 'same');
});

test('pipe with backpressure delivers everything in order', async () => {
  let i = 0;
  const r = new Readable({
    highWaterMark: 4,
    read() {
      i++;
      this.push(i <= 20 ? bytes(String.fromCharCode(96 + i)) : null);
    },
  });
  const got = [];
  let maxPending = 0;
  const w = new Writable({
    highWaterMark: 2,
    write(c, e, cb) {
      got.push(text([c]));
      maxPending = Math.max(maxPending, this.writableLength);
      setTimeout(cb, 0);
    },
  });
  const events = [];
  w.on('pipe', (src) => events.push(src === r ? 'pipe' : 'pipe?'));
  w.on('unpipe', () => events.push('unpipe'));
  assertEquals(r.pipe(w), w);
  await new Promise((resolve) => w.on('finish', resolve));
  assertEquals(got.join(''), 'abcdefghijklmnopqrst');
  assert(maxPending <= 3, 'backpressure held: ' + maxPending);
  assertEquals(events, ['pipe', 'unpipe']);
});

test('unpipe stops the flow', async () => {
  const r = new Readable({ read() {} });
  const got = [];
  const w = new Writable({ write(c, e, cb) { got.push(text([c])); cb(); } });
  r.pipe(w);
  r.push(bytes('a'));
  await flush();
  r.unpipe(w);
  r.push(bytes('b'));
  await flush();
  assertEquals(got, ['a']);
  assertEquals(r.readableFlowing, false);
});

test('pipe with end: false leaves the destination open', async () => {
  const r = Readable.from([bytes('a')], { objectMode: false });
  const w = new Writable({ write(c, e, cb) { cb(); } });
  r.pipe(w, { end: false });
  await new Promise((resolve) => r.on('end', resolve));
  await flush();
  assertEquals(w.writableEnded, false);
});

test('legacy Stream.prototype.pipe', async () => {
  const src = new Stream();
  const got = [];
  const dest = new Writable({ write(c, e, cb) { got.push(text([c])); cb(); } });
  src.pipe(dest);
  src.emit('data', bytes('a'));
  src.emit('data', bytes('b'));
  src.emit('end');
  await new Promise((resolve) => dest.on('finish', resolve));
  assertEquals(got, ['a', 'b']);
});

test('finished: on end, on finish, on premature close, on error', async () => {
  const r = Readable.from(['a']);
  const p1 = new Promise((resolve) => finished(r, resolve));
  r.resume();
  assertEquals(await p1, undefined);

  const w = new Writable({ write(c, e, cb) { cb(); } });
  const p2 = new Promise((resolve) => finished(w, resolve));
  w.end(bytes('x'));
  assertEquals(await p2, undefined);

  const r3 = new Readable({ read() {} });
  const p3 = new Promise((resolve) => finished(r3, resolve));
  r3.destroy();
  const e3 = await p3;
  assertEquals(e3.code, 'ERR_STREAM_PREMATURE_CLOSE');
  assertEquals(e3.message, 'Premature close');

  const r4 = new Readable({ read() {} });
  const p4 = new Promise((resolve) => finished(r4, resolve));
  r4.on('error', () => {});
  r4.destroy(new Error('e4'));
  assertEquals((await p4).message, 'e4');

  // Called on a stream that already ended: still called back.
  const p5 = new Promise((resolve) => finished(r, resolve));
  assertEquals(await p5, undefined);

  const cleanup = finished(new PassThrough(), () => {});
  assertEquals(typeof cleanup, 'function');
  assertEquals(assertThrows(TypeError, () => finished({}, () => {})).code, 'ERR_INVALID_ARG_TYPE');
});

test('pipeline: streams, in order, with the callback after finish', async () => {
  const out = [];
  const sink = new Writable({
    objectMode: true,
    write(c, e, cb) {
      out.push(c);
      cb();
    },
  });
  const double = new Transform({ objectMode: true, transform(v, e, cb) { cb(null, v * 2); } });
  const err = await new Promise((resolve) => {
    const ret = pipeline(Readable.from([1, 2, 3]), double, sink, resolve);
    assertEquals(ret, sink);
  });
  assertEquals(err, undefined);
  assertEquals(out, [2, 4, 6]);
  assertEquals(sink.writableFinished, true);
});

test('pipeline: an error destroys every stream', async () => {
  const src = new Readable({ read() {} });
  const mid = new PassThrough();
  const sink = new Writable({ write(c, e, cb) { cb(); } });
  const done = new Promise((resolve) => pipeline(src, mid, sink, resolve));
  mid.destroy(new Error('mid failed'));
  const err = await done;
  assertEquals(err.message, 'mid failed');
  assertEquals(src.destroyed, true);
  assertEquals(sink.destroyed, true);
});

test('pipeline: generator functions as source, transform and sink', async () => {
  let result;
  const err = await new Promise((resolve) => {
    pipeline(
      function* () {
        yield 'a';
        yield 'b';
      },
      async function* (source) {
        for await (const c of source) yield c.toUpperCase();
      },
      async function (source) {
        const all = [];
        for await (const c of source) all.push(c);
        return all.join('');
      },
      (e, value) => {
        result = value;
        resolve(e);
      },
    );
  });
  assertEquals(err, undefined);
  assertEquals(result, 'AB');
});

test('pipeline: argument errors', () => {
  assertEquals(assertThrows(TypeError, () => pipeline(new PassThrough(), () => {})).code, 'ERR_MISSING_ARGS');
  assertEquals(assertThrows(TypeError, () => pipeline(new PassThrough(), new PassThrough())).code, 'ERR_INVALID_ARG_TYPE');
});

test('stream/promises: pipeline and finished', async () => {
  const out = [];
  await streamPromises.pipeline(Readable.from(['x', 'y']), new Writable({
    objectMode: true,
    write(c, e, cb) {
      out.push(c);
      cb();
    },
  }));
  assertEquals(out, ['x', 'y']);
  const bad = new Readable({ read() { this.destroy(new Error('src')); } });
  const err = await assertRejects(Error, streamPromises.pipeline(bad, new PassThrough()));
  assertEquals(err.message, 'src');

  const ac = new AbortController();
  const slow = new Readable({ read() {} });
  const p = streamPromises.pipeline(slow, new PassThrough(), { signal: ac.signal });
  ac.abort();
  assertEquals((await assertRejects(Error, p)).name, 'AbortError');

  const w = new PassThrough();
  const f = streamPromises.finished(w);
  w.end();
  w.resume();
  await f;
});

test('addAbortSignal and the signal option destroy with an AbortError', async () => {
  const ac = new AbortController();
  const r = addAbortSignal(ac.signal, new Readable({ read() {} }));
  const err = new Promise((resolve) => r.on('error', resolve));
  ac.abort();
  const e = await err;
  assertEquals(e.name, 'AbortError');
  assertEquals(e.code, 'ABORT_ERR');
  assertEquals(r.destroyed, true);
  const ac2 = new AbortController();
  const w = new Writable({ signal: ac2.signal, write(c, e2, cb) { cb(); } });
  const err2 = new Promise((resolve) => w.on('error', resolve));
  ac2.abort();
  assertEquals((await err2).name, 'AbortError');
  assertEquals(assertThrows(TypeError, () => addAbortSignal({}, new PassThrough())).code, 'ERR_INVALID_ARG_TYPE');
});

test('state helpers', async () => {
  const r = Readable.from(['a']);
  assertEquals(Stream.isReadable(r), true);
  assertEquals(Stream.isDisturbed(r), false);
  r.resume();
  await new Promise((resolve) => r.on('close', resolve));
  assertEquals(Stream.isDisturbed(r), true);
  assertEquals(Stream.isDestroyed(r), true);
  assertEquals(Stream.isReadable(r), false);
  const w = new PassThrough();
  assertEquals(Stream.isWritable(w), true);
  w.on('error', () => {});
  w.destroy(new Error('x'));
  await flush();
  assertEquals(Stream.isErrored(w), true);
});

await run();
