// ReadableStream: the class, its record, and the abstract operations that
// work with readable streams as a whole (cancel, close, error, locking).

class RSRec {
  constructor() {
    this.state = 'readable';
    this.reader = undefined;
    this.storedError = undefined;
    this.disturbed = false;
    this.controller = undefined;
    this.pub = undefined;
  }
}

// convertUnderlyingSource converts an UnderlyingSource dictionary, reading
// members in WebIDL (lexicographic) order.
function convertUnderlyingSource(o) {
  const d = { autoAllocateChunkSize: undefined, cancel: undefined, pull: undefined, start: undefined, type: undefined };
  if (o === null) return d;
  let v = o.autoAllocateChunkSize;
  if (v !== undefined) d.autoAllocateChunkSize = toEnforceRangeULL(v, 'autoAllocateChunkSize');
  v = o.cancel;
  if (v !== undefined) d.cancel = toCallback(v, 'underlyingSource.cancel');
  v = o.pull;
  if (v !== undefined) d.pull = toCallback(v, 'underlyingSource.pull');
  v = o.start;
  if (v !== undefined) d.start = toCallback(v, 'underlyingSource.start');
  v = o.type;
  if (v !== undefined) {
    v = `${v}`;
    if (v !== 'bytes') throw new TE(`'${v}' is not a valid value for underlyingSource.type`);
    d.type = v;
  }
  return d;
}

// convertPipeOptions converts a StreamPipeOptions dictionary.
function convertPipeOptions(options) {
  const d = toDictionary(options, 'options');
  const out = { preventAbort: false, preventCancel: false, preventClose: false, signal: undefined };
  if (d === undefined) return out;
  out.preventAbort = !!d.preventAbort;
  out.preventCancel = !!d.preventCancel;
  out.preventClose = !!d.preventClose;
  const signal = d.signal;
  if (signal !== undefined) {
    const AS = globalThis.AbortSignal;
    const ok = typeof AS === 'function'
      ? signal instanceof AS
      : isObject(signal) && typeof signal.addEventListener === 'function';
    if (!ok) throw new TE('options.signal is not an AbortSignal');
    out.signal = signal;
  }
  return out;
}

let rsOf;
let pubRS;

class ReadableStream {
  #s;

  constructor(underlyingSource = undefined, strategy = undefined) {
    if (adopting !== undefined) {
      this.#s = adopting;
      adopting.pub = this;
      adopting = undefined;
      return;
    }
    // WebIDL converts the arguments before the constructor steps run.
    if (underlyingSource !== undefined && !isObject(underlyingSource)) {
      throw new TE('Failed to construct \'ReadableStream\': underlyingSource is not an object');
    }
    const strat = convertStrategy(strategy, 'strategy');
    const source = underlyingSource === undefined ? null : underlyingSource;
    const dict = convertUnderlyingSource(source);
    const s = new RSRec();
    this.#s = s;
    s.pub = this;
    if (dict.type === 'bytes') {
      if (strat.size !== undefined) {
        throw new RE('The strategy for a byte stream cannot have a size function');
      }
      const hwm = extractHighWaterMark(strat, 0);
      setUpByteControllerFromSource(s, source, dict, hwm);
    } else {
      const size = extractSizeAlgorithm(strat);
      const hwm = extractHighWaterMark(strat, 1);
      setUpDefaultControllerFromSource(s, source, dict, hwm, size);
    }
  }

  static from(asyncIterable) {
    return pubRS(readableStreamFromIterable(asyncIterable));
  }

  get locked() {
    const s = rsOf(this);
    if (s === undefined) throw brandError('ReadableStream');
    return s.reader !== undefined;
  }

  cancel(reason = undefined) {
    const s = rsOf(this);
    if (s === undefined) return rejectedWith(brandError('ReadableStream'));
    if (s.reader !== undefined) return rejectedWith(new TE('Cannot cancel a stream that is locked to a reader'));
    return readableStreamCancel(s, reason);
  }

  getReader(options = undefined) {
    const s = rsOf(this);
    if (s === undefined) throw brandError('ReadableStream');
    const d = toDictionary(options, 'options');
    let mode;
    if (d !== undefined) {
      const m = d.mode;
      if (m !== undefined) {
        mode = `${m}`;
        if (mode !== 'byob') throw new TE(`'${mode}' is not a valid value for options.mode`);
      }
    }
    if (mode === undefined) return pubReader(acquireDefaultReader(s));
    return pubReader(acquireBYOBReader(s));
  }

  pipeThrough(transform, options = undefined) {
    const s = rsOf(this);
    if (s === undefined) throw brandError('ReadableStream');
    const pair = toDictionary(transform, 'transform');
    const readable = pair === undefined ? undefined : pair.readable;
    if (readable === undefined) throw new TE('transform.readable is required');
    if (rsOf(readable) === undefined) throw new TE('transform.readable is not a ReadableStream');
    const writable = pair.writable;
    if (writable === undefined) throw new TE('transform.writable is required');
    const w = wsOf(writable);
    if (w === undefined) throw new TE('transform.writable is not a WritableStream');
    const o = convertPipeOptions(options);
    if (s.reader !== undefined) throw new TE('Cannot pipe a stream that is locked to a reader');
    if (w.writer !== undefined) throw new TE('Cannot pipe to a WritableStream that is locked to a writer');
    const p = readableStreamPipeTo(s, w, o.preventClose, o.preventAbort, o.preventCancel, o.signal);
    setHandled(p);
    return readable;
  }

  pipeTo(destination, options = undefined) {
    const s = rsOf(this);
    if (s === undefined) return rejectedWith(brandError('ReadableStream'));
    const w = wsOf(destination);
    if (w === undefined) return rejectedWith(new TE('pipeTo destination is not a WritableStream'));
    let o;
    try {
      o = convertPipeOptions(options);
    } catch (e) {
      return rejectedWith(e);
    }
    if (s.reader !== undefined) return rejectedWith(new TE('Cannot pipe a stream that is locked to a reader'));
    if (w.writer !== undefined) return rejectedWith(new TE('Cannot pipe to a WritableStream that is locked to a writer'));
    return readableStreamPipeTo(s, w, o.preventClose, o.preventAbort, o.preventCancel, o.signal);
  }

  tee() {
    const s = rsOf(this);
    if (s === undefined) throw brandError('ReadableStream');
    const branches = readableStreamTee(s, false);
    return [pubRS(branches[0]), pubRS(branches[1])];
  }

  values(options = undefined) {
    const s = rsOf(this);
    if (s === undefined) throw brandError('ReadableStream');
    const d = toDictionary(options, 'options');
    const preventCancel = d === undefined ? false : !!d.preventCancel;
    return newStreamAsyncIterator(acquireDefaultReader(s), preventCancel);
  }

  static {
    rsOf = (o) => (isObject(o) && #s in o ? o.#s : undefined);
    pubRS = (rec) => {
      if (rec.pub === undefined) {
        adopting = rec;
        new ReadableStream(); // eslint-disable-line no-new
      }
      return rec.pub;
    };
  }
}
defineProperty(ReadableStream.prototype, symAsyncIterator, {
  value: ReadableStream.prototype.values, writable: true, configurable: true,
});
defineTag(ReadableStream, 'ReadableStream');

function createReadableStream(startAlgorithm, pullAlgorithm, cancelAlgorithm, highWaterMark = 1, sizeAlgorithm = sizeOne) {
  const s = new RSRec();
  const c = new RSDCRec();
  setUpDefaultController(s, c, startAlgorithm, pullAlgorithm, cancelAlgorithm, highWaterMark, sizeAlgorithm);
  return s;
}

function createReadableByteStream(startAlgorithm, pullAlgorithm, cancelAlgorithm) {
  const s = new RSRec();
  const c = new RBSCRec();
  setUpByteController(s, c, startAlgorithm, pullAlgorithm, cancelAlgorithm, 0, undefined);
  return s;
}

function readableStreamCancel(s, reason) {
  s.disturbed = true;
  if (s.state === 'closed') return resolvedWith(undefined);
  if (s.state === 'errored') return rejectedWith(s.storedError);
  readableStreamClose(s);
  const r = s.reader;
  if (r !== undefined && r.byob) {
    const q = r.requests;
    r.requests = new Queue();
    while (q.size > 0) q.shift().close(undefined);
  }
  const c = s.controller;
  const p = c.byte ? byteControllerCancelSteps(c, reason) : defaultControllerCancelSteps(c, reason);
  return thenCall(p, returnUndefined);
}

function readableStreamClose(s) {
  s.state = 'closed';
  const r = s.reader;
  if (r === undefined) return;
  resolveD(r.closed, undefined);
  if (!r.byob) {
    const q = r.requests;
    r.requests = new Queue();
    while (q.size > 0) q.shift().close();
  }
}

function readableStreamError(s, e) {
  s.state = 'errored';
  s.storedError = e;
  const r = s.reader;
  if (r === undefined) return;
  rejectD(r.closed, e);
  setHandled(r.closed.promise);
  errorReadRequests(r, e);
}

function readableStreamFulfillReadRequest(s, chunk, done) {
  const req = s.reader.requests.shift();
  if (done) req.close();
  else req.chunk(chunk);
}

function readableStreamFulfillReadIntoRequest(s, chunk, done) {
  const req = s.reader.requests.shift();
  if (done) req.close(chunk);
  else req.chunk(chunk);
}

function hasDefaultReader(s) {
  return s.reader !== undefined && !s.reader.byob;
}

function hasBYOBReader(s) {
  return s.reader !== undefined && s.reader.byob;
}

function numReadRequests(s) {
  return s.reader.requests.size;
}
