// stream.Duplex (a Readable that is also a Writable), stream.Transform and
// stream.PassThrough. net.Socket subclasses Duplex, in both the class and
// the Duplex.call(this, options) style.
'use strict';
const Stream = require('sockw:internal/node-stream_legacy');
const Readable = require('sockw:internal/node-stream_readable');
const Writable = require('sockw:internal/node-stream_writable');
const u = require('sockw:internal/node-stream_util');

const { E, nextTick, errors } = u;

function Duplex(options) {
  if (!(this instanceof Duplex)) return new Duplex(options);
  this._readableState = new Readable.ReadableState(options, this, true);
  this._writableState = new Writable.WritableState(options, this, true);
  if (options) {
    this.allowHalfOpen = options.allowHalfOpen !== false;
    if (options.readable === false) {
      const r = this._readableState;
      r.readable = false;
      r.ended = true;
      r.endEmitted = true;
    }
    if (options.writable === false) {
      const w = this._writableState;
      w.writable = false;
      w.ending = true;
      w.ended = true;
      w.finished = true;
    }
    if (typeof options.read === 'function') this._read = options.read;
    if (typeof options.write === 'function') this._write = options.write;
    if (typeof options.writev === 'function') this._writev = options.writev;
    if (typeof options.destroy === 'function') this._destroy = options.destroy;
    if (typeof options.final === 'function') this._final = options.final;
    if (typeof options.construct === 'function') this._construct = options.construct;
    if (options.signal) u.addAbortSignal(options.signal, this);
  } else {
    this.allowHalfOpen = true;
  }
  Stream.call(this, options);
  u.construct(this, () => {
    Readable[u.kConstructed](this);
    Writable[u.kConstructed](this);
  });
}
Object.setPrototypeOf(Duplex.prototype, Readable.prototype);
Object.setPrototypeOf(Duplex, Readable);
Object.defineProperty(Duplex, 'name', { value: 'Duplex' });

// Writable's methods and getters, except those Readable already defines
// (destroy and the shared state getters are merged below).
for (const key of Object.getOwnPropertyNames(Writable.prototype)) {
  if (key === 'constructor' || Object.prototype.hasOwnProperty.call(Duplex.prototype, key)) continue;
  if (Object.prototype.hasOwnProperty.call(Readable.prototype, key) && key !== 'destroy') continue;
  Object.defineProperty(Duplex.prototype, key, Object.getOwnPropertyDescriptor(Writable.prototype, key));
}

Object.defineProperties(Duplex.prototype, {
  destroyed: {
    get() {
      if (this._readableState === undefined || this._writableState === undefined) return false;
      return this._readableState.destroyed && this._writableState.destroyed;
    },
    set(value) {
      if (this._readableState && this._writableState) {
        this._readableState.destroyed = value;
        this._writableState.destroyed = value;
      }
    },
  },
  closed: {
    get() {
      return !!(this._readableState && this._readableState.closed && this._writableState && this._writableState.closed);
    },
  },
  errored: {
    get() {
      return (this._readableState && this._readableState.errored) || (this._writableState && this._writableState.errored) || null;
    },
  },
});

for (const name of ['from', 'fromWeb', 'toWeb']) {
  Duplex[name] = function () {
    throw errors.notSupported('stream.Duplex.' + name);
  };
}

const kCallback = Symbol('kCallback');

// Transform runs each written chunk through _transform into the readable
// side; end() flushes through _flush, then ends the readable side.
function Transform(options) {
  if (!(this instanceof Transform)) return new Transform(options);
  // A zero readable high water mark would stall _write's callback.
  const readableHighWaterMark = options ? u.getHighWaterMark(this, options, 'readableHighWaterMark', true) : null;
  if (readableHighWaterMark === 0) {
    options = {
      ...options,
      highWaterMark: null,
      readableHighWaterMark,
      writableHighWaterMark: options.writableHighWaterMark || 0,
    };
  }
  Duplex.call(this, options);
  // No reading ahead: data comes from writes, not _read.
  this._readableState.sync = false;
  this[kCallback] = null;
  if (options) {
    if (typeof options.transform === 'function') this._transform = options.transform;
    if (typeof options.flush === 'function') this._flush = options.flush;
  }
  this.on('prefinish', prefinish);
}
Object.setPrototypeOf(Transform.prototype, Duplex.prototype);
Object.setPrototypeOf(Transform, Duplex);
Object.defineProperty(Transform, 'name', { value: 'Transform' });

function final(cb) {
  if (typeof this._flush === 'function' && !this.destroyed) {
    this._flush((er, data) => {
      if (er) {
        if (cb) cb(er);
        else this.destroy(er);
        return;
      }
      if (data != null) this.push(data);
      this.push(null);
      if (cb) cb();
    });
  } else {
    this.push(null);
    if (cb) cb();
  }
}

// A subclass that overrides _final still gets its _flush.
function prefinish() {
  if (this._final !== final) final.call(this);
}

Transform.prototype._final = final;

Transform.prototype._transform = function () {
  throw E.notImplemented('_transform()');
};

Transform.prototype._write = function (chunk, encoding, callback) {
  const r = this._readableState;
  const w = this._writableState;
  const length = r.length;
  this._transform(chunk, encoding, (err, val) => {
    if (err) {
      callback(err);
      return;
    }
    if (val != null) this.push(val);
    if (r.ended) {
      nextTick(callback);
    } else if (w.ended || length === r.length || r.length < r.highWaterMark) {
      callback();
    } else {
      // Backpressure: the next _read releases the write.
      this[kCallback] = callback;
    }
  });
};

Transform.prototype._read = function () {
  if (this[kCallback]) {
    const callback = this[kCallback];
    this[kCallback] = null;
    callback();
  }
};

function PassThrough(options) {
  if (!(this instanceof PassThrough)) return new PassThrough(options);
  Transform.call(this, options);
}
Object.setPrototypeOf(PassThrough.prototype, Transform.prototype);
Object.setPrototypeOf(PassThrough, Transform);
Object.defineProperty(PassThrough, 'name', { value: 'PassThrough' });

PassThrough.prototype._transform = function (chunk, encoding, cb) {
  cb(null, chunk);
};

module.exports = { Duplex, Transform, PassThrough };
