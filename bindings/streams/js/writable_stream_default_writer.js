// WritableStreamDefaultWriter and its abstract operations.

class WriterRec {
  constructor() {
    this.stream = undefined;
    this.ready = undefined; // Deferred
    this.closed = undefined; // Deferred
    this.pub = undefined;
  }
}

function setUpWriter(w, s) {
  if (s.writer !== undefined) throw new TE('WritableStream is already locked to a writer');
  w.stream = s;
  s.writer = w;
  const state = s.state;
  if (state === 'writable') {
    if (!writableStreamCloseQueuedOrInFlight(s) && s.backpressure) w.ready = new Deferred();
    else w.ready = resolvedDeferred(undefined);
    w.closed = new Deferred();
  } else if (state === 'erroring') {
    w.ready = rejectedDeferred(s.storedError);
    setHandled(w.ready.promise);
    w.closed = new Deferred();
  } else if (state === 'closed') {
    w.ready = resolvedDeferred(undefined);
    w.closed = resolvedDeferred(undefined);
  } else {
    const storedError = s.storedError;
    w.ready = rejectedDeferred(storedError);
    setHandled(w.ready.promise);
    w.closed = rejectedDeferred(storedError);
    setHandled(w.closed.promise);
  }
}

function writerCloseWithErrorPropagation(w) {
  const s = w.stream;
  const state = s.state;
  if (writableStreamCloseQueuedOrInFlight(s) || state === 'closed') return resolvedWith(undefined);
  if (state === 'errored') return rejectedWith(s.storedError);
  return writableStreamClose(s);
}

function writerEnsureClosedPromiseRejected(w, error) {
  if (w.closed.pending) rejectD(w.closed, error);
  else w.closed = rejectedDeferred(error);
  setHandled(w.closed.promise);
}

function writerEnsureReadyPromiseRejected(w, error) {
  if (w.ready.pending) rejectD(w.ready, error);
  else w.ready = rejectedDeferred(error);
  setHandled(w.ready.promise);
}

function writerGetDesiredSize(w) {
  const s = w.stream;
  const state = s.state;
  if (state === 'errored' || state === 'erroring') return null;
  if (state === 'closed') return 0;
  return writableControllerGetDesiredSize(s.controller);
}

function writerRelease(w) {
  const s = w.stream;
  const releasedError = new TE('Writer was released and can no longer be used to monitor the stream\'s closedness');
  writerEnsureReadyPromiseRejected(w, releasedError);
  writerEnsureClosedPromiseRejected(w, releasedError);
  s.writer = undefined;
  w.stream = undefined;
}

function writerWrite(w, chunk) {
  const s = w.stream;
  const c = s.controller;
  let chunkSize;
  if (c.go !== undefined) {
    chunkSize = nByteSize(chunk);
    if (chunkSize < 0) return rejectedWith(goChunkError(chunkSize));
  } else {
    chunkSize = writableControllerGetChunkSize(c, chunk);
    if (s !== w.stream) return rejectedWith(new TE('The writer was released while the chunk size was computed'));
  }
  const state = s.state;
  if (state === 'errored') return rejectedWith(s.storedError);
  if (writableStreamCloseQueuedOrInFlight(s) || state === 'closed') {
    return rejectedWith(new TE('The stream is closing or closed and cannot be written to'));
  }
  if (state === 'erroring') return rejectedWith(s.storedError);
  const p = writableStreamAddWriteRequest(s);
  writableControllerWrite(c, chunk, chunkSize);
  return p;
}

// writerWriteInternal is WritableStreamDefaultWriterWrite for the pipe: the
// write request is req, a CallbackRequest, and no promise is made. req is
// settled whatever happens.
function writerWriteInternal(w, chunk, req) {
  const s = w.stream;
  const c = s.controller;
  let chunkSize;
  if (c.go !== undefined) {
    chunkSize = nByteSize(chunk);
    if (chunkSize < 0) {
      // A script's write of such a chunk is refused and leaves the stream
      // alone; a pipe would drop it without noticing, so it errors the
      // destination and the pipe's rules take over.
      const e = goChunkError(chunkSize);
      writableControllerErrorIfNeeded(c, e);
      rejectD(req, e);
      return;
    }
  } else {
    chunkSize = writableControllerGetChunkSize(c, chunk);
  }
  const state = s.state;
  if (state !== 'writable' || writableStreamCloseQueuedOrInFlight(s)) {
    rejectD(req, s.storedError);
    return;
  }
  s.writeRequests.push(req);
  writableControllerWrite(c, chunk, chunkSize);
}

let writerOf;

class WritableStreamDefaultWriter {
  #w;

  constructor(stream) {
    if (adopting !== undefined) {
      this.#w = adopting;
      adopting.pub = this;
      adopting = undefined;
      return;
    }
    const s = wsOf(stream);
    if (s === undefined) throw new TE('WritableStreamDefaultWriter requires a WritableStream');
    const w = new WriterRec();
    setUpWriter(w, s);
    this.#w = w;
    w.pub = this;
  }

  get closed() {
    const w = writerOf(this);
    if (w === undefined) return rejectedWith(brandError('WritableStreamDefaultWriter'));
    return w.closed.promise;
  }

  get desiredSize() {
    const w = writerOf(this);
    if (w === undefined) throw brandError('WritableStreamDefaultWriter');
    if (w.stream === undefined) throw new TE('This writer has been released');
    return writerGetDesiredSize(w);
  }

  get ready() {
    const w = writerOf(this);
    if (w === undefined) return rejectedWith(brandError('WritableStreamDefaultWriter'));
    return w.ready.promise;
  }

  abort(reason = undefined) {
    const w = writerOf(this);
    if (w === undefined) return rejectedWith(brandError('WritableStreamDefaultWriter'));
    if (w.stream === undefined) return rejectedWith(new TE('This writer has been released'));
    return writableStreamAbort(w.stream, reason);
  }

  close() {
    const w = writerOf(this);
    if (w === undefined) return rejectedWith(brandError('WritableStreamDefaultWriter'));
    const s = w.stream;
    if (s === undefined) return rejectedWith(new TE('This writer has been released'));
    if (writableStreamCloseQueuedOrInFlight(s)) return rejectedWith(new TE('Cannot close an already-closing stream'));
    return writableStreamClose(s);
  }

  releaseLock() {
    const w = writerOf(this);
    if (w === undefined) throw brandError('WritableStreamDefaultWriter');
    if (w.stream === undefined) return;
    writerRelease(w);
  }

  write(chunk = undefined) {
    const w = isObject(this) && #w in this ? this.#w : undefined;
    if (w === undefined) return rejectedWith(brandError('WritableStreamDefaultWriter'));
    const s = w.stream;
    if (s === undefined) return rejectedWith(new TE('This writer has been released'));
    if (s.controller.go !== undefined && s.state === 'writable' && s.controller.queue.size === 0 &&
        !writableStreamCloseQueuedOrInFlight(s)) {
      return goWriteNow(s, s.controller, chunk);
    }
    return writerWrite(w, chunk);
  }

  static {
    writerOf = (o) => (isObject(o) && #w in o ? o.#w : undefined);
  }
}
defineTag(WritableStreamDefaultWriter, 'WritableStreamDefaultWriter');

function pubWriter(w) {
  if (w.pub === undefined) {
    adopting = w;
    new WritableStreamDefaultWriter(); // eslint-disable-line no-new
  }
  return w.pub;
}
