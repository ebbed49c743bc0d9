// stream.pipeline: streams, iterables and async generator functions joined
// end to end, all destroyed on the first error, with one callback when the
// last one finished.
'use strict';
const u = require('sockw:internal/node-stream_util');

const { E, nextTick, errors, AbortError } = u;

let PassThrough;

function popCallback(streams) {
  const cb = streams[streams.length - 1];
  errors.validateFunction(cb, 'streams[stream.length - 1]');
  streams.pop();
  return cb;
}

function pipeline(...streams) {
  const callback = popCallback(streams);
  if (Array.isArray(streams[0]) && streams.length === 1) streams = streams[0];
  return pipelineImpl(streams, callback);
}

// destroyer tears stream down unless it already finished on its own.
function destroyer(stream, reading, writing) {
  let finished = false;
  stream.on('close', () => {
    finished = true;
  });
  const cleanup = u.eos(stream, { readable: reading, writable: writing }, (err) => {
    finished = !err;
  });
  return {
    destroy(err) {
      if (finished) return;
      finished = true;
      u.destroyer(stream, err || E.destroyed('pipe'));
    },
    cleanup,
  };
}

// fromReadable makes a stream iterable for a generator stage.
function makeAsyncIterable(val) {
  if (u.isIterable(val)) return val;
  if (u.isReadableNodeStream(val)) return val[Symbol.asyncIterator]();
  throw errors.invalidArgType('val', ['Readable', 'Iterable', 'AsyncIterable'], val);
}

async function pumpToNode(iterable, writable, finish, { end }) {
  let error;
  let onresolve = null;
  const resume = (err) => {
    if (err) error = err;
    if (onresolve) {
      const callback = onresolve;
      onresolve = null;
      callback();
    }
  };
  const wait = () => new Promise((resolve, reject) => {
    if (error) {
      reject(error);
    } else {
      onresolve = () => {
        if (error) reject(error);
        else resolve();
      };
    }
  });
  writable.on('drain', resume);
  const cleanup = u.eos(writable, { readable: false }, resume);
  try {
    if (writable.writableNeedDrain) await wait();
    for await (const chunk of iterable) {
      if (!writable.write(chunk)) await wait();
    }
    if (end) {
      writable.end();
      await wait();
    }
    finish();
  } catch (err) {
    finish(error !== err ? u.aggregateTwoErrors(error, err) : err);
  } finally {
    cleanup();
    writable.off('drain', resume);
  }
}

function pipe(src, dst, finish, { end }) {
  let ended = false;
  dst.on('close', () => {
    if (!ended) finish(E.prematureClose());
  });
  src.pipe(dst, { end: false });
  if (end) {
    const endFn = () => {
      ended = true;
      dst.end();
    };
    if (u.isReadableFinished(src)) nextTick(endFn);
    else src.once('end', endFn);
    u.eos(src, { readable: true, writable: false }, (err) => {
      const r = src._readableState;
      // Closed right after 'end' was pushed: wait for that 'end'.
      if (err && err.code === 'ERR_STREAM_PREMATURE_CLOSE' && r && r.ended && !r.errored && !r.errorEmitted) {
        src.once('end', finish).once('error', finish);
      } else {
        finish(err);
      }
    });
  } else {
    finish();
  }
  return u.eos(dst, { readable: false, writable: true }, finish);
}

function pipelineImpl(streams, callback, opts) {
  if (streams.length < 2) throw errors.missingArgs('streams');
  const outerSignal = opts && opts.signal;
  const ac = new AbortController();
  const signal = ac.signal;
  const lastStreamCleanup = [];
  const destroys = [];
  let error;
  let value;
  let finishCount = 0;

  const abort = () => finishImpl(new AbortError(undefined, { cause: outerSignal.reason }), false);
  if (outerSignal) {
    errors.validateAbortSignal(outerSignal, 'options.signal');
    outerSignal.addEventListener('abort', abort, { once: true });
  }

  function finish(err) {
    finishImpl(err, --finishCount === 0);
  }

  function finishImpl(err, final) {
    if (err && (!error || error.code === 'ERR_STREAM_PREMATURE_CLOSE')) error = err;
    if (!error && !final) return;
    while (destroys.length) destroys.shift()(error);
    if (outerSignal) outerSignal.removeEventListener('abort', abort);
    ac.abort();
    if (final) {
      if (!error) for (const fn of lastStreamCleanup) fn();
      nextTick(() => callback(error, value));
    }
  }

  let ret;
  for (let i = 0; i < streams.length; i++) {
    const stream = streams[i];
    const reading = i < streams.length - 1;
    const writing = i > 0;
    const end = reading || !opts || opts.end !== false;
    const isLastStream = i === streams.length - 1;

    if (u.isNodeStream(stream)) {
      if (end) {
        const d = destroyer(stream, reading, writing);
        destroys.push(d.destroy);
        if (u.isReadable(stream) && isLastStream) lastStreamCleanup.push(d.cleanup);
      }
      // Errors arrive through finished(); this only keeps them from throwing.
      const onError = (err) => {
        if (err && err.name !== 'AbortError' && err.code !== 'ERR_STREAM_PREMATURE_CLOSE') finish(err);
      };
      stream.on('error', onError);
      if (u.isReadable(stream) && isLastStream) lastStreamCleanup.push(() => stream.removeListener('error', onError));
    }

    if (i === 0) {
      if (typeof stream === 'function') {
        ret = stream({ signal });
        if (!u.isIterable(ret)) throw errors.invalidReturnValue('Iterable, AsyncIterable or Stream', 'source', ret);
      } else if (u.isIterable(stream) || u.isReadableNodeStream(stream)) {
        ret = stream;
      } else {
        throw errors.invalidArgType('source', ['Stream', 'Iterable', 'AsyncIterable', 'Function'], stream);
      }
    } else if (typeof stream === 'function') {
      ret = stream(makeAsyncIterable(ret), { signal });
      if (reading) {
        if (!u.isIterable(ret, true)) throw errors.invalidReturnValue('AsyncIterable', 'transform[' + (i - 1) + ']', ret);
      } else {
        if (!PassThrough) PassThrough = require('sockw:internal/node-stream_duplex').PassThrough;
        // The last function's promise or iterable feeds a PassThrough,
        // whose end is the pipeline's.
        const pt = new PassThrough({ objectMode: true });
        const then = ret && ret.then;
        if (typeof then === 'function') {
          finishCount++;
          then.call(ret, (val) => {
            value = val;
            if (val != null) pt.write(val);
            if (end) pt.end();
            nextTick(finish);
          }, (err) => {
            pt.destroy(err);
            nextTick(() => finish(err));
          });
        } else if (u.isIterable(ret, true)) {
          finishCount++;
          pumpToNode(ret, pt, finish, { end });
        } else {
          throw errors.invalidReturnValue('AsyncIterable or Promise', 'destination', ret);
        }
        ret = pt;
        const d = destroyer(ret, false, true);
        destroys.push(d.destroy);
        if (isLastStream) lastStreamCleanup.push(d.cleanup);
      }
    } else if (u.isNodeStream(stream)) {
      if (u.isReadableNodeStream(ret)) {
        finishCount += 2;
        const cleanup = pipe(ret, stream, finish, { end });
        if (u.isReadable(stream) && isLastStream) lastStreamCleanup.push(cleanup);
      } else if (u.isIterable(ret)) {
        finishCount++;
        pumpToNode(ret, stream, finish, { end });
      } else {
        throw errors.invalidArgType('val', ['Readable', 'Iterable', 'AsyncIterable'], ret);
      }
      ret = stream;
    } else {
      throw errors.invalidArgType('destination', ['Stream', 'Function'], stream);
    }
  }

  if (signal.aborted || (outerSignal && outerSignal.aborted)) nextTick(abort);
  return ret;
}

module.exports = { pipeline, pipelineImpl };
