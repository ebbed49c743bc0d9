// stream.Readable, with Node's state machine: paused and flowing modes,
// 'readable' and 'data', read(n) over a buffer of chunks, pipe, and async
// iteration. Event order follows Node's, with process.nextTick as a
// microtask.
'use strict';
const Stream = require('sockw:internal/node-stream_legacy');
const u = require('sockw:internal/node-stream_util');

const { E, nextTick, nop, errors } = u;
const kPaused = Symbol('kPaused');
// A read() larger than the high water mark raises it, up to this.
const MAX_HWM = 0x40000000;

function ReadableState(options, stream, isDuplex) {
  this.objectMode = !!(options && options.objectMode);
  if (isDuplex) this.objectMode = this.objectMode || !!(options && options.readableObjectMode);
  this.highWaterMark = options ? u.getHighWaterMark(this, options, 'readableHighWaterMark', isDuplex) : u.getDefaultHighWaterMark(false);
  // The chunks, from index head on: shifting an array is linear.
  this.buffer = [];
  this.head = 0;
  this.length = 0;
  this.pipes = [];
  this.flowing = null;
  this.ended = false;
  this.endEmitted = false;
  this.reading = false;
  this.constructed = true;
  // sync: inside _read, so that 'readable' waits for the next tick.
  this.sync = true;
  this.needReadable = false;
  this.emittedReadable = false;
  this.readableListening = false;
  this.resumeScheduled = false;
  this[kPaused] = null;
  this.errorEmitted = false;
  this.emitClose = !options || options.emitClose !== false;
  this.autoDestroy = !options || options.autoDestroy !== false;
  this.destroyed = false;
  this.errored = null;
  this.closed = false;
  this.closeEmitted = false;
  this.defaultEncoding = (options && options.defaultEncoding) || 'utf8';
  this.awaitDrainWriters = null;
  this.multiAwaitDrain = false;
  this.readingMore = false;
  this.dataEmitted = false;
  this.decoder = null;
  this.encoding = null;
  if (options && options.encoding) {
    this.decoder = new u.StringDecoder(options.encoding);
    this.encoding = this.decoder.encoding;
  }
}

function bufferedCount(state) {
  return state.buffer.length - state.head;
}

function bufferFirst(state) {
  return state.buffer[state.head];
}

function bufferShift(state) {
  const chunk = state.buffer[state.head];
  state.buffer[state.head++] = undefined;
  if (state.head === state.buffer.length) {
    state.buffer = [];
    state.head = 0;
  } else if (state.head > 1024 && state.head * 2 > state.buffer.length) {
    state.buffer = state.buffer.slice(state.head);
    state.head = 0;
  }
  return chunk;
}

function bufferUnshift(state, chunk) {
  if (state.head > 0) state.buffer[--state.head] = chunk;
  else state.buffer.unshift(chunk);
}

function bufferClear(state) {
  state.buffer = [];
  state.head = 0;
}

function bufferList(state) {
  return state.head === 0 ? state.buffer : state.buffer.slice(state.head);
}

function Readable(options) {
  if (!(this instanceof Readable)) return new Readable(options);
  this._readableState = new ReadableState(options, this, false);
  if (options) {
    if (typeof options.read === 'function') this._read = options.read;
    if (typeof options.destroy === 'function') this._destroy = options.destroy;
    if (typeof options.construct === 'function') this._construct = options.construct;
    if (options.signal && !this._writableState) u.addAbortSignal(options.signal, this);
  }
  Stream.call(this, options);
  u.construct(this, () => Readable[u.kConstructed](this));
}
Object.setPrototypeOf(Readable.prototype, Stream.prototype);
Object.setPrototypeOf(Readable, Stream);
Object.defineProperty(Readable, 'name', { value: 'Readable' });

Readable.ReadableState = ReadableState;

// Reads wait for _construct; this resumes them (for Duplex too).
Readable[u.kConstructed] = (stream) => {
  if (stream._readableState.needReadable) maybeReadMore(stream, stream._readableState);
};

Readable.prototype.destroy = u.destroy;
Readable.prototype._undestroy = u.undestroy;
Readable.prototype._destroy = function (err, cb) {
  cb(err);
};
Readable.prototype[require('node:events').captureRejectionSymbol] = function (err) {
  this.destroy(err);
};

Readable.prototype.push = function push(chunk, encoding) {
  return readableAddChunk(this, chunk, encoding, false);
};

Readable.prototype.unshift = function unshift(chunk, encoding) {
  return readableAddChunk(this, chunk, encoding, true);
};

function readableAddChunk(stream, chunk, encoding, addToFront) {
  const state = stream._readableState;
  let err;
  if (!state.objectMode) {
    if (typeof chunk === 'string') {
      encoding = encoding || state.defaultEncoding;
      if (state.encoding !== encoding) {
        if (addToFront && state.encoding) {
          chunk = new u.StringDecoder(state.encoding).end(u.fromString(chunk, encoding));
        } else {
          chunk = u.fromString(chunk, encoding);
          encoding = '';
        }
      }
    } else if (chunk instanceof Uint8Array) {
      chunk = u.asBuffer(chunk);
      encoding = '';
    } else if (chunk != null) {
      err = errors.invalidArgType('chunk', ['string', 'Buffer', 'TypedArray', 'DataView'], chunk);
    }
  }

  if (err) {
    u.errorOrDestroy(stream, err);
  } else if (chunk === null) {
    state.reading = false;
    onEofChunk(stream, state);
  } else if (state.objectMode || (chunk && chunk.length > 0)) {
    if (addToFront) {
      if (state.endEmitted) u.errorOrDestroy(stream, E.unshiftAfterEnd());
      else if (state.destroyed || state.errored) return false;
      else addChunk(stream, state, chunk, true);
    } else if (state.ended) {
      u.errorOrDestroy(stream, E.pushAfterEOF());
    } else if (state.destroyed || state.errored) {
      return false;
    } else {
      state.reading = false;
      if (state.decoder && !encoding) {
        chunk = state.decoder.write(chunk);
        if (state.objectMode || chunk.length !== 0) addChunk(stream, state, chunk, false);
        else maybeReadMore(stream, state);
      } else {
        addChunk(stream, state, chunk, false);
      }
    }
  } else if (!addToFront) {
    state.reading = false;
    maybeReadMore(stream, state);
  }
  return !state.ended && (state.length < state.highWaterMark || state.length === 0);
}

function addChunk(stream, state, chunk, addToFront) {
  if (state.flowing && state.length === 0 && !state.sync && stream.listenerCount('data') > 0) {
    // Flowing with nothing queued: straight to the listeners.
    if (state.multiAwaitDrain) state.awaitDrainWriters.clear();
    else state.awaitDrainWriters = null;
    state.dataEmitted = true;
    stream.emit('data', chunk);
  } else {
    state.length += state.objectMode ? 1 : chunk.length;
    if (addToFront) bufferUnshift(state, chunk);
    else state.buffer.push(chunk);
    if (state.needReadable) emitReadable(stream);
  }
  maybeReadMore(stream, state);
}

Readable.prototype.isPaused = function isPaused() {
  const state = this._readableState;
  return state[kPaused] === true || state.flowing === false;
};

Readable.prototype.setEncoding = function setEncoding(enc) {
  const decoder = new u.StringDecoder(enc);
  const state = this._readableState;
  state.decoder = decoder;
  state.encoding = decoder.encoding;
  let content = '';
  for (const data of bufferList(state)) content += decoder.write(data);
  bufferClear(state);
  if (content !== '') state.buffer.push(content);
  state.length = content.length;
  return this;
};

function computeNewHighWaterMark(n) {
  if (n > MAX_HWM) throw errors.outOfRange('size', '<= 1GiB', n);
  n--;
  n |= n >>> 1;
  n |= n >>> 2;
  n |= n >>> 4;
  n |= n >>> 8;
  n |= n >>> 16;
  return n + 1;
}

function howMuchToRead(n, state) {
  if (n <= 0 || (state.length === 0 && state.ended)) return 0;
  if (state.objectMode) return 1;
  if (Number.isNaN(n)) {
    // Flowing: one chunk at a time.
    if (state.flowing && state.length) return bufferFirst(state).length;
    return state.length;
  }
  if (n <= state.length) return n;
  return state.ended ? state.length : 0;
}

Readable.prototype.read = function read(n) {
  if (n === undefined) n = NaN;
  else if (!Number.isInteger(n)) n = Number.parseInt(n, 10);
  const state = this._readableState;
  const nOrig = n;
  if (n > state.highWaterMark) state.highWaterMark = computeNewHighWaterMark(n);
  if (n !== 0) state.emittedReadable = false;

  // read(0) only kicks the machine: 'readable' if there is enough, or 'end'.
  if (n === 0 && state.needReadable &&
      ((state.highWaterMark !== 0 ? state.length >= state.highWaterMark : state.length > 0) || state.ended)) {
    if (state.length === 0 && state.ended) endReadable(this);
    else emitReadable(this);
    return null;
  }

  n = howMuchToRead(n, state);
  if (n === 0 && state.ended) {
    if (state.length === 0) endReadable(this);
    return null;
  }

  // Refill below the high water mark, unless a _read is under way.
  let doRead = state.needReadable;
  if (state.length === 0 || state.length - n < state.highWaterMark) doRead = true;
  if (state.ended || state.reading || state.destroyed || state.errored || !state.constructed) {
    doRead = false;
  } else if (doRead) {
    state.reading = true;
    state.sync = true;
    if (state.length === 0) state.needReadable = true;
    try {
      this._read(state.highWaterMark);
    } catch (err) {
      u.errorOrDestroy(this, err);
    }
    state.sync = false;
    // A synchronous push may have made more available.
    if (!state.reading) n = howMuchToRead(nOrig, state);
  }

  let ret = n > 0 ? fromList(n, state) : null;
  if (ret === null) {
    state.needReadable = state.length <= state.highWaterMark;
    n = 0;
  } else {
    state.length -= n;
    if (state.multiAwaitDrain) state.awaitDrainWriters.clear();
    else state.awaitDrainWriters = null;
  }

  if (state.length === 0) {
    if (!state.ended) state.needReadable = true;
    if (nOrig !== n && state.ended) endReadable(this);
  }

  if (ret !== null && !state.errorEmitted && !state.closeEmitted) {
    state.dataEmitted = true;
    this.emit('data', ret);
  }
  return ret;
};

// fromList takes n units (bytes, characters, or one object) off the buffer.
function fromList(n, state) {
  if (state.length === 0) return null;
  if (state.objectMode) return bufferShift(state);
  if (!n || n >= state.length) {
    let ret;
    const count = bufferedCount(state);
    if (state.decoder) ret = bufferList(state).join('');
    else if (count === 1) ret = bufferFirst(state);
    else ret = u.concatBytes(bufferList(state), state.length);
    bufferClear(state);
    return ret;
  }
  const first = bufferFirst(state);
  if (n < first.length) {
    if (typeof first === 'string') {
      state.buffer[state.head] = first.slice(n);
      return first.slice(0, n);
    }
    state.buffer[state.head] = first.subarray(n);
    return first.subarray(0, n);
  }
  if (n === first.length) return bufferShift(state);
  // Across chunks.
  if (state.decoder) {
    let ret = '';
    while (ret.length < n) {
      const str = bufferFirst(state);
      const need = n - ret.length;
      if (str.length > need) {
        ret += str.slice(0, need);
        state.buffer[state.head] = str.slice(need);
      } else {
        ret += bufferShift(state);
      }
    }
    return ret;
  }
  const parts = [];
  let got = 0;
  while (got < n) {
    const buf = bufferFirst(state);
    const need = n - got;
    if (buf.length > need) {
      parts.push(buf.subarray(0, need));
      state.buffer[state.head] = buf.subarray(need);
      got = n;
    } else {
      parts.push(bufferShift(state));
      got += buf.length;
    }
  }
  return u.concatBytes(parts, n);
}

function onEofChunk(stream, state) {
  if (state.ended) return;
  if (state.decoder) {
    const chunk = state.decoder.end();
    if (chunk && chunk.length) {
      state.buffer.push(chunk);
      state.length += state.objectMode ? 1 : chunk.length;
    }
  }
  state.ended = true;
  if (state.sync) {
    // Inside _read: 'readable' must wait for the next tick.
    emitReadable(stream);
  } else {
    state.needReadable = false;
    state.emittedReadable = true;
    emitReadable_(stream);
  }
}

function emitReadable(stream) {
  const state = stream._readableState;
  state.needReadable = false;
  if (!state.emittedReadable) {
    state.emittedReadable = true;
    nextTick(() => emitReadable_(stream));
  }
}

function emitReadable_(stream) {
  const state = stream._readableState;
  if (!state.destroyed && !state.errored && (state.length || state.ended)) {
    stream.emit('readable');
    state.emittedReadable = false;
  }
  state.needReadable = !state.flowing && !state.ended && state.length <= state.highWaterMark;
  flow(stream);
}

// maybeReadMore fills the buffer up to the high water mark ahead of demand.
function maybeReadMore(stream, state) {
  if (!state.readingMore && state.constructed) {
    state.readingMore = true;
    nextTick(() => maybeReadMore_(stream, state));
  }
}

function maybeReadMore_(stream, state) {
  while (!state.reading && !state.ended &&
      (state.length < state.highWaterMark || (state.flowing && state.length === 0))) {
    const len = state.length;
    stream.read(0);
    if (len === state.length) break;
  }
  state.readingMore = false;
}

Readable.prototype._read = function _read() {
  throw E.notImplemented('_read()');
};

Readable.prototype.pipe = function pipe(dest, pipeOpts) {
  const src = this;
  const state = this._readableState;
  if (state.pipes.length === 1 && !state.multiAwaitDrain) {
    state.multiAwaitDrain = true;
    state.awaitDrainWriters = new Set(state.awaitDrainWriters ? [state.awaitDrainWriters] : []);
  }
  state.pipes.push(dest);

  const doEnd = !pipeOpts || pipeOpts.end !== false;
  const endFn = doEnd ? onend : unpipe;
  if (state.endEmitted) nextTick(endFn);
  else src.once('end', endFn);

  dest.on('unpipe', onunpipe);
  function onunpipe(readable, unpipeInfo) {
    if (readable === src && unpipeInfo && unpipeInfo.hasUnpiped === false) {
      unpipeInfo.hasUnpiped = true;
      cleanup();
    }
  }

  function onend() {
    dest.end();
  }

  let ondrain;
  let cleanedUp = false;
  function cleanup() {
    dest.removeListener('close', onclose);
    dest.removeListener('finish', onfinish);
    if (ondrain) dest.removeListener('drain', ondrain);
    dest.removeListener('error', onerror);
    dest.removeListener('unpipe', onunpipe);
    src.removeListener('end', onend);
    src.removeListener('end', unpipe);
    src.removeListener('data', ondata);
    cleanedUp = true;
    // A drain that will never come must not hold the source paused.
    if (ondrain && state.awaitDrainWriters && (!dest._writableState || dest._writableState.needDrain)) ondrain();
  }

  function pause() {
    if (!cleanedUp) {
      if (state.pipes.length === 1 && state.pipes[0] === dest) {
        state.awaitDrainWriters = dest;
        state.multiAwaitDrain = false;
      } else if (state.pipes.length > 1 && state.pipes.includes(dest)) {
        state.awaitDrainWriters.add(dest);
      }
      src.pause();
    }
    if (!ondrain) {
      ondrain = pipeOnDrain(src, dest);
      dest.on('drain', ondrain);
    }
  }

  src.on('data', ondata);
  function ondata(chunk) {
    if (dest.write(chunk) === false) pause();
  }

  function onerror(er) {
    unpipe();
    dest.removeListener('error', onerror);
    if (dest.listenerCount('error') === 0) {
      const s = dest._writableState || dest._readableState;
      if (s && !s.errorEmitted) u.errorOrDestroy(dest, er);
      else dest.emit('error', er);
    }
  }
  dest.prependListener('error', onerror);

  function onclose() {
    dest.removeListener('finish', onfinish);
    unpipe();
  }
  dest.once('close', onclose);
  function onfinish() {
    dest.removeListener('close', onclose);
    unpipe();
  }
  dest.once('finish', onfinish);

  function unpipe() {
    src.unpipe(dest);
  }

  dest.emit('pipe', src);

  if (dest.writableNeedDrain === true) pause();
  else if (!state.flowing) src.resume();
  return dest;
};

function pipeOnDrain(src, dest) {
  return function pipeOnDrainFunctionResult() {
    const state = src._readableState;
    if (state.awaitDrainWriters === dest) state.awaitDrainWriters = null;
    else if (state.multiAwaitDrain) state.awaitDrainWriters.delete(dest);
    if ((!state.awaitDrainWriters || state.awaitDrainWriters.size === 0) && src.listenerCount('data')) src.resume();
  };
}

Readable.prototype.unpipe = function unpipe(dest) {
  const state = this._readableState;
  if (state.pipes.length === 0) return this;
  if (!dest) {
    const dests = state.pipes;
    state.pipes = [];
    this.pause();
    for (const d of dests) d.emit('unpipe', this, { hasUnpiped: false });
    return this;
  }
  const index = state.pipes.indexOf(dest);
  if (index === -1) return this;
  state.pipes.splice(index, 1);
  if (state.pipes.length === 0) this.pause();
  dest.emit('unpipe', this, { hasUnpiped: false });
  return this;
};

// Adding a 'data' listener starts the flow; a 'readable' listener takes
// over from it.
Readable.prototype.on = function on(ev, fn) {
  const res = Stream.prototype.on.call(this, ev, fn);
  const state = this._readableState;
  if (ev === 'data') {
    state.readableListening = this.listenerCount('readable') > 0;
    if (state.flowing !== false) this.resume();
  } else if (ev === 'readable') {
    if (!state.endEmitted && !state.readableListening) {
      state.readableListening = state.needReadable = true;
      state.flowing = false;
      state.emittedReadable = false;
      if (state.length) emitReadable(this);
      else if (!state.reading) nextTick(() => this.read(0));
    }
  }
  return res;
};
Readable.prototype.addListener = Readable.prototype.on;

Readable.prototype.removeListener = function removeListener(ev, fn) {
  const res = Stream.prototype.removeListener.call(this, ev, fn);
  if (ev === 'readable') nextTick(() => updateReadableListening(this));
  return res;
};
Readable.prototype.off = Readable.prototype.removeListener;

Readable.prototype.removeAllListeners = function removeAllListeners(ev) {
  const res = Stream.prototype.removeAllListeners.apply(this, arguments);
  if (ev === 'readable' || ev === undefined) nextTick(() => updateReadableListening(this));
  return res;
};

function updateReadableListening(self) {
  const state = self._readableState;
  state.readableListening = self.listenerCount('readable') > 0;
  if (state.resumeScheduled && state[kPaused] === false) state.flowing = true;
  else if (self.listenerCount('data') > 0) self.resume();
  else if (!state.readableListening) state.flowing = null;
}

Readable.prototype.resume = function resume() {
  const state = this._readableState;
  if (!state.flowing) {
    // With a 'readable' listener, resume() does not make it flow.
    state.flowing = !state.readableListening;
    if (!state.resumeScheduled) {
      state.resumeScheduled = true;
      nextTick(() => resume_(this, state));
    }
  }
  state[kPaused] = false;
  return this;
};

function resume_(stream, state) {
  if (!state.reading) stream.read(0);
  state.resumeScheduled = false;
  stream.emit('resume');
  flow(stream);
  if (state.flowing && !state.reading) stream.read(0);
}

Readable.prototype.pause = function pause() {
  const state = this._readableState;
  if (state.flowing !== false) {
    state.flowing = false;
    this.emit('pause');
  }
  state[kPaused] = true;
  return this;
};

function flow(stream) {
  const state = stream._readableState;
  while (state.flowing && stream.read() !== null);
}

// wrap turns an old-style stream (only 'data' and 'end') into a Readable.
Readable.prototype.wrap = function wrap(stream) {
  let paused = false;
  stream.on('data', (chunk) => {
    if (!this.push(chunk) && stream.pause) {
      paused = true;
      stream.pause();
    }
  });
  stream.on('end', () => this.push(null));
  stream.on('error', (err) => u.errorOrDestroy(this, err));
  stream.on('close', () => this.destroy());
  stream.on('destroy', () => this.destroy());
  this._read = () => {
    if (paused && stream.resume) {
      paused = false;
      stream.resume();
    }
  };
  for (const key of Object.keys(stream)) {
    if (this[key] === undefined && typeof stream[key] === 'function') this[key] = stream[key].bind(stream);
  }
  return this;
};

function endReadable(stream) {
  const state = stream._readableState;
  if (!state.endEmitted) {
    state.ended = true;
    nextTick(() => endReadableNT(state, stream));
  }
}

function endReadableNT(state, stream) {
  if (!state.errored && !state.closeEmitted && !state.endEmitted && state.length === 0) {
    state.endEmitted = true;
    stream.emit('end');
    if (stream.writable && stream.allowHalfOpen === false) {
      nextTick(() => {
        if (stream.writable && !stream.writableEnded && !stream.destroyed) stream.end();
      });
    } else if (state.autoDestroy) {
      // A duplex waits for its writable side too.
      const w = stream._writableState;
      if (!w || (w.autoDestroy && (w.finished || w.writable === false))) stream.destroy();
    }
  }
}

// --- async iteration --------------------------------------------------------

Readable.prototype[Symbol.asyncIterator] = function () {
  return createAsyncIterator(this, undefined);
};

Readable.prototype.iterator = function iterator(options) {
  if (options !== undefined) errors.validateObject(options, 'options');
  return createAsyncIterator(this, options);
};

// createAsyncIterator is Node's async generator over read(), written out:
// next() calls are serialized, return() and throw() finish it as a
// generator's finally block would, destroying the stream unless told not to.
function createAsyncIterator(stream, options) {
  let wake = nop;
  // error: undefined while the stream runs, null once it ended cleanly.
  let error;
  let done = false;
  const onReadable = () => {
    const w = wake;
    wake = nop;
    w();
  };
  stream.on('readable', onReadable);
  const cleanup = u.eos(stream, { writable: false }, (err) => {
    error = err ? u.aggregateTwoErrors(error, err) : null;
    onReadable();
  });

  function finish() {
    if (done) return;
    done = true;
    if ((error || !options || options.destroyOnReturn !== false) &&
        (error === undefined || stream._readableState.autoDestroy)) {
      u.destroyer(stream, null);
    } else {
      stream.off('readable', onReadable);
      cleanup();
    }
  }

  async function step() {
    if (done) return { value: undefined, done: true };
    try {
      for (;;) {
        const chunk = stream.destroyed ? null : stream.read();
        if (chunk !== null) return { value: chunk, done: false };
        if (error) throw error;
        if (error === null) {
          finish();
          return { value: undefined, done: true };
        }
        await new Promise((resolve) => {
          wake = resolve;
        });
      }
    } catch (err) {
      error = u.aggregateTwoErrors(error, err);
      finish();
      throw error;
    }
  }

  let queue = Promise.resolve();
  const serial = (fn) => {
    const p = queue.then(fn);
    queue = p.then(nop, nop);
    return p;
  };
  return {
    next() {
      return serial(step);
    },
    return(value) {
      return serial(() => {
        finish();
        return { value, done: true };
      });
    },
    throw(err) {
      return serial(() => {
        if (!done) {
          error = u.aggregateTwoErrors(error, err);
          finish();
        }
        throw err;
      });
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

// --- getters ----------------------------------------------------------------

function stateGetter(name) {
  return {
    enumerable: false,
    get() {
      return this._readableState ? this._readableState[name] : undefined;
    },
  };
}

Object.defineProperties(Readable.prototype, {
  readable: {
    get() {
      const r = this._readableState;
      return !!r && r.readable !== false && !r.destroyed && !r.errorEmitted && !r.endEmitted;
    },
    set(val) {
      if (this._readableState) this._readableState.readable = !!val;
    },
  },
  readableDidRead: stateGetter('dataEmitted'),
  readableAborted: {
    get() {
      const r = this._readableState;
      return !!(r.readable !== false && (r.destroyed || r.errored) && !r.endEmitted);
    },
  },
  readableHighWaterMark: stateGetter('highWaterMark'),
  readableBuffer: {
    get() {
      return this._readableState && bufferList(this._readableState);
    },
  },
  readableFlowing: {
    get() {
      return this._readableState.flowing;
    },
    set(state) {
      if (this._readableState) this._readableState.flowing = state;
    },
  },
  readableLength: stateGetter('length'),
  readableObjectMode: stateGetter('objectMode'),
  readableEncoding: stateGetter('encoding'),
  errored: stateGetter('errored'),
  closed: stateGetter('closed'),
  destroyed: {
    get() {
      return this._readableState ? this._readableState.destroyed : false;
    },
    set(value) {
      if (this._readableState) this._readableState.destroyed = value;
    },
  },
  readableEnded: stateGetter('endEmitted'),
});

// --- Readable.from ------------------------------------------------------------

Readable.from = function from(iterable, opts) {
  if (typeof iterable === 'string' || (u.getBuffer() !== null && iterable instanceof u.getBuffer())) {
    return new Readable({
      objectMode: true,
      ...opts,
      read() {
        this.push(iterable);
        this.push(null);
      },
    });
  }
  let iterator, isAsync;
  if (iterable && typeof iterable[Symbol.asyncIterator] === 'function') {
    isAsync = true;
    iterator = iterable[Symbol.asyncIterator]();
  } else if (iterable && typeof iterable[Symbol.iterator] === 'function') {
    isAsync = false;
    iterator = iterable[Symbol.iterator]();
  } else {
    throw errors.invalidArgType('iterable', ['Iterable'], iterable);
  }

  const readable = new Readable({ objectMode: true, highWaterMark: 1, ...opts });
  let reading = false;
  readable._read = function () {
    if (!reading) {
      reading = true;
      next();
    }
  };
  readable._destroy = function (error, cb) {
    close(error).then(() => nextTick(() => cb(error)), (e) => nextTick(() => cb(e || error)));
  };

  async function close(error) {
    const hadError = error !== undefined && error !== null;
    if (hadError && typeof iterator.throw === 'function') {
      const { value, done } = await iterator.throw(error);
      await value;
      if (done) return;
    }
    if (typeof iterator.return === 'function') {
      const { value } = await iterator.return();
      await value;
    }
  }

  async function next() {
    for (;;) {
      try {
        const { value, done } = isAsync ? await iterator.next() : iterator.next();
        if (done) {
          readable.push(null);
        } else {
          const res = value && typeof value.then === 'function' ? await value : value;
          if (res === null) {
            reading = false;
            throw E.nullValues();
          } else if (readable.push(res)) {
            continue;
          } else {
            reading = false;
          }
        }
      } catch (err) {
        readable.destroy(err);
      }
      break;
    }
  }
  return readable;
};

// The web stream adapters and the experimental operators are left out.
for (const name of ['fromWeb', 'toWeb']) {
  Readable[name] = function () {
    throw errors.notSupported('stream.Readable.' + name);
  };
}
for (const name of ['map', 'filter', 'forEach', 'toArray', 'some', 'every', 'find', 'reduce', 'flatMap', 'drop', 'take', 'asIndexedPairs', 'compose']) {
  Readable.prototype[name] = function () {
    throw errors.notSupported('stream.Readable.prototype.' + name);
  };
}

module.exports = Readable;
