// ReadableStreamDefaultReader and ReadableStreamBYOBReader, their records,
// and the read requests that connect readers to controllers.
//
// A read request is any object with chunk(chunk), close() and error(e); a
// read-into request has close(chunk) instead.

class ReaderRec {
  constructor(byob) {
    this.byob = byob;
    this.stream = undefined;
    this.closed = undefined; // Deferred
    this.requests = new Queue();
    this.pub = undefined;
  }
}

// PromiseReadRequest settles the promise returned by reader.read().
class PromiseReadRequest {
  constructor(res, rej) { this.res = res; this.rej = rej; }
  chunk(chunk) { this.res({ value: chunk, done: false }); }
  close(chunk) { this.res({ value: chunk, done: true }); }
  error(e) { this.rej(e); }
}

function acquireDefaultReader(s) {
  const r = new ReaderRec(false);
  setUpDefaultReader(r, s);
  return r;
}

function acquireBYOBReader(s) {
  const r = new ReaderRec(true);
  setUpBYOBReader(r, s);
  return r;
}

function setUpDefaultReader(r, s) {
  if (s.reader !== undefined) throw new TE('ReadableStream is already locked to a reader');
  readerGenericInitialize(r, s);
}

function setUpBYOBReader(r, s) {
  if (s.reader !== undefined) throw new TE('ReadableStream is already locked to a reader');
  if (!s.controller.byte) {
    throw new TE('Cannot use a BYOB reader with a stream that is not a readable byte stream');
  }
  readerGenericInitialize(r, s);
}

function readerGenericInitialize(r, s) {
  r.stream = s;
  s.reader = r;
  if (s.state === 'readable') {
    r.closed = new Deferred();
  } else if (s.state === 'closed') {
    r.closed = resolvedDeferred(undefined);
  } else {
    r.closed = rejectedDeferred(s.storedError);
    setHandled(r.closed.promise);
  }
}

function readerGenericCancel(r, reason) {
  return readableStreamCancel(r.stream, reason);
}

function readerGenericRelease(r) {
  const s = r.stream;
  const e = new TE('Reader was released and can no longer be used to monitor the stream\'s closedness');
  if (s.state === 'readable') rejectD(r.closed, e);
  else r.closed = rejectedDeferred(e);
  setHandled(r.closed.promise);
  const c = s.controller;
  if (c.byte) byteControllerReleaseSteps(c);
  s.reader = undefined;
  r.stream = undefined;
}

function defaultReaderRead(r, req) {
  const s = r.stream;
  s.disturbed = true;
  if (s.state === 'closed') {
    req.close(undefined);
  } else if (s.state === 'errored') {
    req.error(s.storedError);
  } else {
    const c = s.controller;
    if (c.byte) byteControllerPullSteps(c, req);
    else defaultControllerPullSteps(c, req);
  }
}

function byobReaderRead(r, view, min, req) {
  const s = r.stream;
  s.disturbed = true;
  if (s.state === 'errored') req.error(s.storedError);
  else byteControllerPullInto(s.controller, view, min, req);
}

// readerRelease is ReadableStreamDefaultReaderRelease and
// ReadableStreamBYOBReaderRelease.
function readerRelease(r) {
  readerGenericRelease(r);
  errorReadRequests(r, new TE('Reader was released'));
}

function errorReadRequests(r, e) {
  const q = r.requests;
  r.requests = new Queue();
  while (q.size > 0) q.shift().error(e);
}

let readerOf;

class ReadableStreamDefaultReader {
  #r;

  constructor(stream) {
    if (adopting !== undefined) {
      this.#r = adopting;
      adopting.pub = this;
      adopting = undefined;
      return;
    }
    const s = rsOf(stream);
    if (s === undefined) throw new TE('ReadableStreamDefaultReader requires a ReadableStream');
    const r = new ReaderRec(false);
    setUpDefaultReader(r, s);
    this.#r = r;
    r.pub = this;
  }

  get closed() {
    const r = readerOf(this, false);
    if (r === undefined) return rejectedWith(brandError('ReadableStreamDefaultReader'));
    return r.closed.promise;
  }

  cancel(reason = undefined) {
    const r = readerOf(this, false);
    if (r === undefined) return rejectedWith(brandError('ReadableStreamDefaultReader'));
    if (r.stream === undefined) return rejectedWith(new TE('This reader has been released'));
    return readerGenericCancel(r, reason);
  }

  read() {
    const r = isObject(this) && #r in this ? this.#r : undefined;
    if (r === undefined || r.byob) return rejectedWith(brandError('ReadableStreamDefaultReader'));
    const s = r.stream;
    if (s === undefined) return rejectedWith(new TE('This reader has been released'));
    const p = new P(capture);
    const req = new PromiseReadRequest(capRes, capRej);
    const c = s.controller;
    if (c.go !== undefined && s.state === 'readable' && !c.pulling && c.queueTotalSize === 0 &&
        c.pendingPullIntos.size === 0 && r.requests.size === 0) {
      // A Go-backed stream with nothing queued: what the spec's steps come
      // to here (disturb, add the read request, pull) without the detours.
      s.disturbed = true;
      r.requests.push(req);
      c.pulling = true;
      goPull(c);
      return p;
    }
    defaultReaderRead(r, req);
    return p;
  }

  releaseLock() {
    const r = readerOf(this, false);
    if (r === undefined) throw brandError('ReadableStreamDefaultReader');
    if (r.stream === undefined) return;
    readerRelease(r);
  }

  static {
    readerOf = (o, byob) => {
      if (!isObject(o) || !(#r in o)) return undefined;
      const r = o.#r;
      return r.byob === byob ? r : undefined;
    };
  }
}
defineTag(ReadableStreamDefaultReader, 'ReadableStreamDefaultReader');

let byobReaderOf;

class ReadableStreamBYOBReader {
  #r;

  constructor(stream) {
    if (adopting !== undefined) {
      this.#r = adopting;
      adopting.pub = this;
      adopting = undefined;
      return;
    }
    const s = rsOf(stream);
    if (s === undefined) throw new TE('ReadableStreamBYOBReader requires a ReadableStream');
    const r = new ReaderRec(true);
    setUpBYOBReader(r, s);
    this.#r = r;
    r.pub = this;
  }

  get closed() {
    const r = byobReaderOf(this);
    if (r === undefined) return rejectedWith(brandError('ReadableStreamBYOBReader'));
    return r.closed.promise;
  }

  cancel(reason = undefined) {
    const r = byobReaderOf(this);
    if (r === undefined) return rejectedWith(brandError('ReadableStreamBYOBReader'));
    if (r.stream === undefined) return rejectedWith(new TE('This reader has been released'));
    return readerGenericCancel(r, reason);
  }

  read(view, options = undefined) {
    const r = byobReaderOf(this);
    if (r === undefined) return rejectedWith(brandError('ReadableStreamBYOBReader'));
    if (!isView(view)) return rejectedWith(new TE('read() requires an ArrayBufferView'));
    let min = 1;
    try {
      const d = toDictionary(options, 'options');
      if (d !== undefined && d.min !== undefined) min = toEnforceRangeULL(d.min, 'options.min');
    } catch (e) {
      return rejectedWith(e);
    }
    const kind = viewKind(view);
    const buffer = viewBuffer(view, kind);
    // goja throws on byteLength of a detached view; the spec sees 0 there.
    if (nIsDetached(buffer)) return rejectedWith(new TE('The view\'s buffer has been detached'));
    if (viewByteLength(view, kind) === 0) return rejectedWith(new TE('The view must have a non-zero byteLength'));
    if (nByteLength(buffer) === 0) return rejectedWith(new TE('The view\'s buffer must have a non-zero byteLength'));
    if (min === 0) return rejectedWith(new TE('options.min must be greater than 0'));
    if (min > viewLength(view, kind)) {
      return rejectedWith(new RE(kind === dataViewKind
        ? 'options.min must not exceed the view\'s byteLength'
        : 'options.min must not exceed the view\'s length'));
    }
    if (r.stream === undefined) return rejectedWith(new TE('This reader has been released'));
    const p = new P(capture);
    byobReaderRead(r, view, min, new PromiseReadRequest(capRes, capRej));
    return p;
  }

  releaseLock() {
    const r = byobReaderOf(this);
    if (r === undefined) throw brandError('ReadableStreamBYOBReader');
    if (r.stream === undefined) return;
    readerRelease(r);
  }

  static {
    byobReaderOf = (o) => {
      if (!isObject(o) || !(#r in o)) return undefined;
      return o.#r;
    };
  }
}
defineTag(ReadableStreamBYOBReader, 'ReadableStreamBYOBReader');

// pubReader returns the public object of a reader record.
function pubReader(r) {
  if (r.pub === undefined) {
    adopting = r;
    if (r.byob) new ReadableStreamBYOBReader(); // eslint-disable-line no-new
    else new ReadableStreamDefaultReader(); // eslint-disable-line no-new
  }
  return r.pub;
}
