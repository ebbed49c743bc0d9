// What Readable, Writable, Duplex and pipeline share: Node's stream errors,
// chunk conversion, the string decoder behind setEncoding, destroy() and
// finished() (end-of-stream), and the predicates over stream states.
'use strict';
const errors = require('sockw:internal/node-codes');

const { coded, invalidArgType, AbortError } = errors;

const nextTick = queueMicrotask;
const nop = () => {};

// E builds the errors of Node's streams; the codes shared with other
// modules come from sockw:internal/node-codes.
const E = {
  pushAfterEOF: () => coded(Error, 'ERR_STREAM_PUSH_AFTER_EOF', 'stream.push() after EOF'),
  unshiftAfterEnd: () => coded(Error, 'ERR_STREAM_UNSHIFT_AFTER_END_EVENT', 'stream.unshift() after end event'),
  writeAfterEnd: () => coded(Error, 'ERR_STREAM_WRITE_AFTER_END', 'write after end'),
  destroyed: (name) => coded(Error, 'ERR_STREAM_DESTROYED', 'Cannot call ' + name + ' after a stream was destroyed'),
  alreadyFinished: (name) => coded(Error, 'ERR_STREAM_ALREADY_FINISHED', 'Cannot call ' + name + ' after a stream was finished'),
  nullValues: () => coded(TypeError, 'ERR_STREAM_NULL_VALUES', 'May not write null values to stream'),
  prematureClose: () => coded(Error, 'ERR_STREAM_PREMATURE_CLOSE', 'Premature close'),
  cannotPipe: () => coded(Error, 'ERR_STREAM_CANNOT_PIPE', 'Cannot pipe, not readable'),
  multipleCallback: () => coded(Error, 'ERR_MULTIPLE_CALLBACK', 'Callback called multiple times'),
  notImplemented: (name) => coded(Error, 'ERR_METHOD_NOT_IMPLEMENTED', 'The ' + name + ' method is not implemented'),
};

// --- chunks ----------------------------------------------------------------

// node:buffer is reached lazily: streams work on plain Uint8Arrays when it
// is absent, and hand out Buffers (as Node does) when it is there.
let BufferCtor;
function getBuffer() {
  if (BufferCtor === undefined) {
    BufferCtor = null;
    try {
      const B = require('node:buffer').Buffer;
      if (typeof B === 'function' && typeof B.from === 'function') BufferCtor = B;
    } catch {
      // left null: no Buffer in this build
    }
  }
  return BufferCtor;
}

function isUint8Array(v) {
  return v instanceof Uint8Array;
}

// asBuffer views a Uint8Array's bytes as a Buffer, without copying.
function asBuffer(u8) {
  const B = getBuffer();
  if (B === null || u8 instanceof B) return u8;
  return B.from(u8.buffer, u8.byteOffset, u8.byteLength);
}

const encodings = new Map([
  ['utf8', 'utf8'], ['utf-8', 'utf8'], ['ucs2', 'utf16le'], ['ucs-2', 'utf16le'], ['utf16le', 'utf16le'],
  ['utf-16le', 'utf16le'], ['latin1', 'latin1'], ['binary', 'latin1'], ['base64', 'base64'],
  ['base64url', 'base64url'], ['hex', 'hex'], ['ascii', 'ascii'],
]);

// normalizeEncoding returns Node's canonical name of enc, or undefined.
function normalizeEncoding(enc) {
  if (enc === undefined || enc === null || enc === '') return 'utf8';
  const s = String(enc);
  return encodings.get(s) || encodings.get(s.toLowerCase());
}

const utf8Encoder = new TextEncoder();

// fromString encodes a string chunk: a Buffer when node:buffer exists, else
// (UTF-8 only) a Uint8Array.
function fromString(str, encoding) {
  const B = getBuffer();
  if (B !== null) return B.from(str, encoding);
  if (normalizeEncoding(encoding) === 'utf8') return utf8Encoder.encode(str);
  throw errors.notSupported('stream: ' + encoding + ' string chunks without node:buffer');
}

// concatBytes joins byte chunks into one of total length n.
function concatBytes(list, n) {
  const B = getBuffer();
  if (B !== null) return B.concat(list, n);
  const out = new Uint8Array(n);
  let off = 0;
  for (const c of list) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

// StringDecoder turns byte chunks into strings without splitting a
// character (or a base64 group) across two chunks: what setEncoding needs.
class StringDecoder {
  constructor(encoding) {
    const enc = normalizeEncoding(encoding);
    if (enc === undefined) throw errors.unknownEncoding(encoding);
    this.encoding = enc;
    if (enc === 'utf8' || enc === 'utf16le') {
      this.text = new TextDecoder(enc === 'utf8' ? 'utf-8' : 'utf-16le');
    } else {
      this.text = null;
      // base64 decodes in groups of three bytes; the rest waits.
      this.group = enc === 'base64' || enc === 'base64url' ? 3 : 1;
      this.pending = null;
    }
  }

  write(chunk) {
    if (typeof chunk === 'string') return chunk;
    if (this.text !== null) return this.text.decode(chunk, { stream: true });
    let bytes = chunk;
    if (this.pending !== null) {
      bytes = concatBytes([this.pending, chunk], this.pending.length + chunk.length);
      this.pending = null;
    }
    const keep = bytes.length % this.group;
    if (keep) {
      this.pending = bytes.slice(bytes.length - keep);
      bytes = bytes.subarray(0, bytes.length - keep);
    }
    return this.bytesToString(bytes);
  }

  end(chunk) {
    let out = chunk === undefined ? '' : this.write(chunk);
    if (this.text !== null) return out + this.text.decode();
    if (this.pending !== null) {
      out += this.bytesToString(this.pending);
      this.pending = null;
    }
    return out;
  }

  bytesToString(bytes) {
    if (bytes.length === 0) return '';
    const B = getBuffer();
    if (B === null) throw errors.notSupported('stream: setEncoding(' + this.encoding + ') without node:buffer');
    return asBuffer(bytes).toString(this.encoding);
  }
}

// --- state predicates (Node's internal/streams/utils) ---------------------

function isReadableNodeStream(obj, strict = false) {
  return !!(obj && typeof obj.pipe === 'function' && typeof obj.on === 'function' &&
    (!strict || (typeof obj.pause === 'function' && typeof obj.resume === 'function')) &&
    (!obj._writableState || (obj._readableState && obj._readableState.readable !== false)) &&
    (!obj._writableState || obj._readableState));
}

function isWritableNodeStream(obj) {
  return !!(obj && typeof obj.write === 'function' && typeof obj.on === 'function' &&
    (!obj._readableState || (obj._writableState && obj._writableState.writable !== false)));
}

function isNodeStream(obj) {
  return !!(obj && (obj._readableState || obj._writableState ||
    (typeof obj.write === 'function' && typeof obj.on === 'function') ||
    (typeof obj.pipe === 'function' && typeof obj.on === 'function')));
}

function isIterable(obj, isAsync) {
  if (obj == null) return false;
  if (isAsync === true) return typeof obj[Symbol.asyncIterator] === 'function';
  if (isAsync === false) return typeof obj[Symbol.iterator] === 'function';
  return typeof obj[Symbol.asyncIterator] === 'function' || typeof obj[Symbol.iterator] === 'function';
}

function isDestroyed(stream) {
  if (!isNodeStream(stream)) return null;
  const state = stream._writableState || stream._readableState;
  return !!(stream.destroyed || (state && state.destroyed));
}

function isWritableEnded(stream) {
  if (!isWritableNodeStream(stream)) return null;
  if (stream.writableEnded === true) return true;
  const w = stream._writableState;
  if (w && w.errored) return false;
  if (!w || typeof w.ended !== 'boolean') return null;
  return w.ended;
}

function isWritableFinished(stream, strict) {
  if (!isWritableNodeStream(stream)) return null;
  if (stream.writableFinished === true) return true;
  const w = stream._writableState;
  if (w && w.errored) return false;
  if (!w || typeof w.finished !== 'boolean') return null;
  return !!(w.finished || (strict === false && w.ended === true && w.length === 0));
}

function isReadableFinished(stream, strict) {
  if (!isReadableNodeStream(stream)) return null;
  const r = stream._readableState;
  if (r && r.errored) return false;
  if (!r || typeof r.endEmitted !== 'boolean') return null;
  return !!(r.endEmitted || (strict === false && r.ended === true && r.length === 0));
}

function isReadable(stream) {
  if (!stream || typeof stream.readable !== 'boolean') return null;
  if (isDestroyed(stream)) return false;
  return isReadableNodeStream(stream) && stream.readable && !isReadableFinished(stream);
}

function isWritable(stream) {
  if (!stream || typeof stream.writable !== 'boolean') return null;
  if (isDestroyed(stream)) return false;
  return isWritableNodeStream(stream) && stream.writable && !isWritableEnded(stream);
}

function isFinished(stream) {
  if (!isNodeStream(stream)) return null;
  if (isDestroyed(stream)) return true;
  return !isReadable(stream) && !isWritable(stream);
}

function isClosed(stream) {
  if (!isNodeStream(stream)) return null;
  const w = stream._writableState, r = stream._readableState;
  if ((w && typeof w.closed === 'boolean') || (r && typeof r.closed === 'boolean')) return !!((w && w.closed) || (r && r.closed));
  return null;
}

function willEmitClose(stream) {
  if (!isNodeStream(stream)) return null;
  const state = stream._writableState || stream._readableState;
  return !!(state && state.autoDestroy && state.emitClose && state.closed === false);
}

function writableErrored(stream) {
  if (stream.writableErrored != null) return stream.writableErrored;
  const w = stream._writableState;
  return w && w.errored != null ? w.errored : null;
}

function readableErrored(stream) {
  if (stream.readableErrored != null) return stream.readableErrored;
  const r = stream._readableState;
  return r && r.errored != null ? r.errored : null;
}

function isDisturbed(stream) {
  return !!(stream && (stream.readableDidRead || stream.readableAborted));
}

// isErrored answers as Node's does: the first of these that is set decides,
// so a stream destroyed with an error counts once the error was emitted.
function isErrored(stream) {
  if (!stream) return false;
  const r = stream._readableState, w = stream._writableState;
  return !!(stream.readableErrored ?? stream.writableErrored ?? (r && r.errorEmitted) ?? (w && w.errorEmitted) ??
    (r && r.errored) ?? (w && w.errored));
}

function aggregateTwoErrors(inner, outer) {
  if (inner && outer && inner !== outer) {
    if (Array.isArray(outer.errors)) {
      outer.errors.push(inner);
      return outer;
    }
    const err = new AggregateError([outer, inner], outer.message);
    err.code = outer.code;
    return err;
  }
  return inner || outer;
}

// --- destroy (Node's internal/streams/destroy) ----------------------------

const kDestroy = Symbol('kDestroy');
const kConstruct = Symbol('kConstruct');
// Readable[kConstructed] and Writable[kConstructed] resume a side's work
// once _construct has called back.
const kConstructed = Symbol('kConstructed');

function checkError(err, w, r) {
  if (err) {
    if (w && !w.errored) w.errored = err;
    if (r && !r.errored) r.errored = err;
  }
}

// destroy is Readable's and Writable's destroy(err, cb).
function destroy(err, cb) {
  const r = this._readableState, w = this._writableState;
  const s = w || r;
  if ((w && w.destroyed) || (r && r.destroyed)) {
    if (typeof cb === 'function') cb();
    return this;
  }
  checkError(err, w, r);
  if (w) w.destroyed = true;
  if (r) r.destroyed = true;
  if (!s.constructed) {
    this.once(kDestroy, function (er) {
      destroyNow(this, aggregateTwoErrors(er, err), cb);
    });
  } else {
    destroyNow(this, err, cb);
  }
  return this;
}

function destroyNow(self, err, cb) {
  let called = false;
  function onDestroy(err) {
    if (called) return;
    called = true;
    const r = self._readableState, w = self._writableState;
    checkError(err, w, r);
    if (w) w.closed = true;
    if (r) r.closed = true;
    if (typeof cb === 'function') cb(err);
    if (err) nextTick(() => emitErrorCloseNT(self, err));
    else nextTick(() => emitCloseNT(self));
  }
  try {
    self._destroy(err || null, onDestroy);
  } catch (e) {
    onDestroy(e);
  }
}

function emitErrorCloseNT(self, err) {
  emitErrorNT(self, err);
  emitCloseNT(self);
}

function emitCloseNT(self) {
  const r = self._readableState, w = self._writableState;
  if (w) w.closeEmitted = true;
  if (r) r.closeEmitted = true;
  if ((w && w.emitClose) || (r && r.emitClose)) self.emit('close');
}

function emitErrorNT(self, err) {
  const r = self._readableState, w = self._writableState;
  if ((w && w.errorEmitted) || (r && r.errorEmitted)) return;
  if (w) w.errorEmitted = true;
  if (r) r.errorEmitted = true;
  self.emit('error', err);
}

function undestroy() {
  const r = this._readableState, w = this._writableState;
  if (r) {
    r.constructed = true;
    r.closed = false;
    r.closeEmitted = false;
    r.destroyed = false;
    r.errored = null;
    r.errorEmitted = false;
    r.reading = false;
    r.ended = r.readable === false;
    r.endEmitted = r.readable === false;
  }
  if (w) {
    w.constructed = true;
    w.destroyed = false;
    w.closed = false;
    w.closeEmitted = false;
    w.errored = null;
    w.errorEmitted = false;
    w.finalCalled = false;
    w.prefinished = false;
    w.ended = w.writable === false;
    w.ending = w.writable === false;
    w.finished = w.writable === false;
  }
}

// errorOrDestroy reports an error of the stream's own making: it destroys
// an autoDestroy stream, and otherwise only emits 'error'.
function errorOrDestroy(stream, err, sync) {
  const r = stream._readableState, w = stream._writableState;
  if ((w && w.destroyed) || (r && r.destroyed)) return;
  if ((r && r.autoDestroy) || (w && w.autoDestroy)) {
    stream.destroy(err);
  } else if (err) {
    checkError(err, w, r);
    if (sync) nextTick(() => emitErrorNT(stream, err));
    else emitErrorNT(stream, err);
  }
}

// construct runs stream._construct (if any) a tick after the constructor,
// holding back reads, writes and destroy until its callback.
function construct(stream, cb) {
  if (typeof stream._construct !== 'function') return;
  const r = stream._readableState, w = stream._writableState;
  if (r) r.constructed = false;
  if (w) w.constructed = false;
  stream.once(kConstruct, cb);
  nextTick(() => constructNT(stream));
}

function constructNT(stream) {
  let called = false;
  function onConstruct(err) {
    if (called) {
      errorOrDestroy(stream, err != null ? err : E.multipleCallback());
      return;
    }
    called = true;
    const r = stream._readableState, w = stream._writableState;
    const s = w || r;
    if (r) r.constructed = true;
    if (w) w.constructed = true;
    if (s.destroyed) stream.emit(kDestroy, err);
    else if (err) errorOrDestroy(stream, err, true);
    else nextTick(() => stream.emit(kConstruct));
  }
  try {
    stream._construct((err) => nextTick(() => onConstruct(err)));
  } catch (err) {
    nextTick(() => onConstruct(err));
  }
}

// destroyer destroys any stream-like thing, the way pipeline tears down.
function destroyer(stream, err) {
  if (!stream || isDestroyed(stream)) return;
  if (!err && !isFinished(stream)) err = new AbortError();
  if (typeof stream.destroy === 'function') stream.destroy(err);
  else if (typeof stream.close === 'function') stream.close();
}

// --- finished (Node's internal/streams/end-of-stream) ---------------------

function once(fn) {
  let called = false;
  return function (...args) {
    if (called) return;
    called = true;
    return fn.apply(this, args);
  };
}

// eos calls callback once the stream has ended (readable side), finished
// (writable side), errored or closed too early (ERR_STREAM_PREMATURE_CLOSE),
// and returns a function that removes its listeners.
function eos(stream, options, callback) {
  if (arguments.length === 2) {
    callback = options;
    options = {};
  } else if (options == null) {
    options = {};
  } else {
    errors.validateObject(options, 'options');
  }
  errors.validateFunction(callback, 'callback');
  errors.validateAbortSignal(options.signal, 'options.signal');
  callback = once(callback);
  if (!isNodeStream(stream)) {
    throw invalidArgType('stream', ['ReadableStream', 'WritableStream', 'Stream'], stream);
  }

  const readable = options.readable != null ? options.readable : isReadableNodeStream(stream);
  const writable = options.writable != null ? options.writable : isWritableNodeStream(stream);
  const wState = stream._writableState, rState = stream._readableState;

  const onlegacyfinish = () => {
    if (!stream.writable) onfinish();
  };

  let emitsClose = willEmitClose(stream) && isReadableNodeStream(stream) === readable && isWritableNodeStream(stream) === writable;
  let writableFinished = isWritableFinished(stream, false);
  const onfinish = () => {
    writableFinished = true;
    if (stream.destroyed) emitsClose = false;
    if (emitsClose && (!stream.readable || readable)) return;
    if (!readable || readableFinished) callback.call(stream);
  };

  let readableFinished = isReadableFinished(stream, false);
  const onend = () => {
    readableFinished = true;
    if (stream.destroyed) emitsClose = false;
    if (emitsClose && (!stream.writable || writable)) return;
    if (!writable || writableFinished) callback.call(stream);
  };

  const onerror = (err) => callback.call(stream, err);

  let closed = isClosed(stream);
  const onclose = () => {
    closed = true;
    const errored = writableErrored(stream) || readableErrored(stream);
    if (errored && typeof errored !== 'boolean') return callback.call(stream, errored);
    if (readable && !readableFinished && isReadableNodeStream(stream, true)) {
      if (!isReadableFinished(stream, false)) return callback.call(stream, E.prematureClose());
    }
    if (writable && !writableFinished) {
      if (!isWritableFinished(stream, false)) return callback.call(stream, E.prematureClose());
    }
    callback.call(stream);
  };

  const onclosed = () => {
    closed = true;
    const errored = writableErrored(stream) || readableErrored(stream);
    if (errored && typeof errored !== 'boolean') return callback.call(stream, errored);
    callback.call(stream);
  };

  if (writable && !wState) {
    // A legacy stream has no state to ask.
    stream.on('end', onlegacyfinish);
    stream.on('close', onlegacyfinish);
  }
  if (!emitsClose && typeof stream.aborted === 'boolean') stream.on('aborted', onclose);
  stream.on('end', onend);
  stream.on('finish', onfinish);
  if (options.error !== false) stream.on('error', onerror);
  stream.on('close', onclose);

  if (closed) {
    nextTick(onclose);
  } else if ((wState && wState.errorEmitted) || (rState && rState.errorEmitted)) {
    if (!emitsClose) nextTick(onclosed);
  } else if (!readable && (!emitsClose || isReadable(stream)) && (writableFinished || isWritable(stream) === false)) {
    nextTick(onclosed);
  } else if (!writable && (!emitsClose || isWritable(stream)) && (readableFinished || isReadable(stream) === false)) {
    nextTick(onclosed);
  }

  const cleanup = () => {
    callback = nop;
    stream.removeListener('aborted', onclose);
    stream.removeListener('end', onlegacyfinish);
    stream.removeListener('close', onlegacyfinish);
    stream.removeListener('finish', onfinish);
    stream.removeListener('end', onend);
    stream.removeListener('error', onerror);
    stream.removeListener('close', onclose);
  };

  const signal = options.signal;
  if (signal && !closed) {
    const abort = () => {
      const endCallback = callback;
      cleanup();
      endCallback.call(stream, new AbortError(undefined, { cause: signal.reason }));
    };
    if (signal.aborted) {
      nextTick(abort);
    } else {
      signal.addEventListener('abort', abort, { once: true });
      const original = callback;
      callback = once((...args) => {
        signal.removeEventListener('abort', abort);
        original.apply(stream, args);
      });
    }
  }
  return cleanup;
}

// addAbortSignal destroys stream with an AbortError when signal aborts.
function addAbortSignal(signal, stream) {
  if (!signal || typeof signal !== 'object' || !('aborted' in signal)) throw invalidArgType('signal', 'AbortSignal', signal);
  if (!isNodeStream(stream)) throw invalidArgType('stream', ['ReadableStream', 'WritableStream', 'Stream'], stream);
  const onAbort = () => stream.destroy(new AbortError(undefined, { cause: signal.reason }));
  if (signal.aborted) {
    onAbort();
  } else {
    signal.addEventListener('abort', onAbort, { once: true });
    eos(stream, () => signal.removeEventListener('abort', onAbort));
  }
  return stream;
}

// --- high water marks ------------------------------------------------------

let defaultHighWaterMark = 16 * 1024;
let defaultObjectHighWaterMark = 16;

function getDefaultHighWaterMark(objectMode) {
  return objectMode ? defaultObjectHighWaterMark : defaultHighWaterMark;
}

function setDefaultHighWaterMark(objectMode, value) {
  errors.validateInteger(value, 'value', 0);
  if (objectMode) defaultObjectHighWaterMark = value;
  else defaultHighWaterMark = value;
}

function getHighWaterMark(state, options, duplexKey, isDuplex) {
  let hwm = options.highWaterMark;
  let name = 'options.highWaterMark';
  if (hwm == null && isDuplex) {
    hwm = options[duplexKey];
    name = 'options.' + duplexKey;
  }
  if (hwm != null) {
    if (typeof hwm !== 'number' || !Number.isInteger(hwm) || hwm < 0) throw errors.invalidArgValue(name, hwm);
    return Math.floor(hwm);
  }
  return getDefaultHighWaterMark(state.objectMode);
}

module.exports = {
  E, nextTick, nop, errors, AbortError,
  getBuffer, isUint8Array, asBuffer, fromString, concatBytes, normalizeEncoding, StringDecoder,
  isReadableNodeStream, isWritableNodeStream, isNodeStream, isIterable, isDestroyed, isReadable, isWritable,
  isReadableFinished, isWritableFinished, isWritableEnded, isClosed, isDisturbed, isErrored, aggregateTwoErrors,
  kDestroy, kConstruct, kConstructed, destroy, undestroy, errorOrDestroy, construct, destroyer, eos, addAbortSignal,
  getDefaultHighWaterMark, setDefaultHighWaterMark, getHighWaterMark,
};
