// WritableStream: the class, its record, and the abstract operations that
// work with writable streams.

class WSRec {
  constructor() {
    this.state = 'writable';
    this.storedError = undefined;
    this.writer = undefined;
    this.controller = undefined;
    this.inFlightWriteRequest = undefined; // Deferred
    this.closeRequest = undefined; // Deferred
    this.inFlightCloseRequest = undefined; // Deferred
    this.pendingAbortRequest = undefined; // {d, reason, wasAlreadyErroring}
    this.writeRequests = new Queue(); // of Deferred
    this.backpressure = false;
    this.pub = undefined;
  }
}

// convertUnderlyingSink converts an UnderlyingSink dictionary.
function convertUnderlyingSink(o) {
  const d = { abort: undefined, close: undefined, start: undefined, type: undefined, write: undefined };
  if (o === null) return d;
  let v = o.abort;
  if (v !== undefined) d.abort = toCallback(v, 'underlyingSink.abort');
  v = o.close;
  if (v !== undefined) d.close = toCallback(v, 'underlyingSink.close');
  v = o.start;
  if (v !== undefined) d.start = toCallback(v, 'underlyingSink.start');
  d.type = o.type;
  v = o.write;
  if (v !== undefined) d.write = toCallback(v, 'underlyingSink.write');
  return d;
}

let wsOf;
let pubWS;

class WritableStream {
  #s;

  constructor(underlyingSink = undefined, strategy = undefined) {
    if (adopting !== undefined) {
      this.#s = adopting;
      adopting.pub = this;
      adopting = undefined;
      return;
    }
    if (underlyingSink !== undefined && !isObject(underlyingSink)) {
      throw new TE('Failed to construct \'WritableStream\': underlyingSink is not an object');
    }
    const strat = convertStrategy(strategy, 'strategy');
    const sink = underlyingSink === undefined ? null : underlyingSink;
    const dict = convertUnderlyingSink(sink);
    if (dict.type !== undefined) throw new RE('Invalid type is specified');
    const s = new WSRec();
    this.#s = s;
    s.pub = this;
    const size = extractSizeAlgorithm(strat);
    const hwm = extractHighWaterMark(strat, 1);
    setUpWritableControllerFromSink(s, sink, dict, hwm, size);
  }

  get locked() {
    const s = wsOf(this);
    if (s === undefined) throw brandError('WritableStream');
    return s.writer !== undefined;
  }

  abort(reason = undefined) {
    const s = wsOf(this);
    if (s === undefined) return rejectedWith(brandError('WritableStream'));
    if (s.writer !== undefined) return rejectedWith(new TE('Cannot abort a stream that already has a writer'));
    return writableStreamAbort(s, reason);
  }

  close() {
    const s = wsOf(this);
    if (s === undefined) return rejectedWith(brandError('WritableStream'));
    if (s.writer !== undefined) return rejectedWith(new TE('Cannot close a stream that already has a writer'));
    if (writableStreamCloseQueuedOrInFlight(s)) return rejectedWith(new TE('Cannot close an already-closing stream'));
    return writableStreamClose(s);
  }

  getWriter() {
    const s = wsOf(this);
    if (s === undefined) throw brandError('WritableStream');
    return pubWriter(acquireWriter(s));
  }

  static {
    wsOf = (o) => (isObject(o) && #s in o ? o.#s : undefined);
    pubWS = (rec) => {
      if (rec.pub === undefined) {
        adopting = rec;
        new WritableStream(); // eslint-disable-line no-new
      }
      return rec.pub;
    };
  }
}
defineTag(WritableStream, 'WritableStream');

function acquireWriter(s) {
  const w = new WriterRec();
  setUpWriter(w, s);
  return w;
}

function createWritableStream(startAlgorithm, writeAlgorithm, closeAlgorithm, abortAlgorithm, hwm, sizeAlgorithm) {
  const s = new WSRec();
  const c = new WSDCRec();
  setUpWritableController(s, c, startAlgorithm, writeAlgorithm, closeAlgorithm, abortAlgorithm, hwm, sizeAlgorithm);
  return s;
}

function writableStreamAbort(s, reason) {
  if (s.state === 'closed' || s.state === 'errored') return resolvedWith(undefined);
  writableControllerSignalAbort(s.controller, reason);
  const state = s.state;
  if (state === 'closed' || state === 'errored') return resolvedWith(undefined);
  if (s.pendingAbortRequest !== undefined) return s.pendingAbortRequest.d.promise;
  let wasAlreadyErroring = false;
  if (state === 'erroring') {
    wasAlreadyErroring = true;
    reason = undefined;
  }
  const d = new Deferred();
  s.pendingAbortRequest = { d, reason, wasAlreadyErroring };
  if (!wasAlreadyErroring) writableStreamStartErroring(s, reason);
  return d.promise;
}

function writableStreamClose(s) {
  const state = s.state;
  if (state === 'closed' || state === 'errored') {
    return rejectedWith(new TE(`The stream (in ${state} state) is not in the writable state and cannot be closed`));
  }
  const d = new Deferred();
  s.closeRequest = d;
  const w = s.writer;
  if (w !== undefined && s.backpressure && state === 'writable') resolveD(w.ready, undefined);
  writableControllerClose(s.controller);
  return d.promise;
}

function writableStreamAddWriteRequest(s) {
  const d = new Deferred();
  s.writeRequests.push(d);
  return d.promise;
}

function writableStreamCloseQueuedOrInFlight(s) {
  return s.closeRequest !== undefined || s.inFlightCloseRequest !== undefined;
}

function writableStreamDealWithRejection(s, error) {
  if (s.state === 'writable') {
    writableStreamStartErroring(s, error);
    return;
  }
  writableStreamFinishErroring(s);
}

function writableStreamFinishErroring(s) {
  s.state = 'errored';
  resetQueue(s.controller); // [[ErrorSteps]]
  const storedError = s.storedError;
  const q = s.writeRequests;
  s.writeRequests = new Queue();
  while (q.size > 0) rejectD(q.shift(), storedError);
  const abortRequest = s.pendingAbortRequest;
  if (abortRequest === undefined) {
    writableStreamRejectCloseAndClosedPromiseIfNeeded(s);
    return;
  }
  s.pendingAbortRequest = undefined;
  if (abortRequest.wasAlreadyErroring) {
    rejectD(abortRequest.d, storedError);
    writableStreamRejectCloseAndClosedPromiseIfNeeded(s);
    return;
  }
  const p = writableControllerAbortSteps(s.controller, abortRequest.reason);
  thenCall(p, () => {
    resolveD(abortRequest.d, undefined);
    writableStreamRejectCloseAndClosedPromiseIfNeeded(s);
  }, (reason) => {
    rejectD(abortRequest.d, reason);
    writableStreamRejectCloseAndClosedPromiseIfNeeded(s);
  });
}

function writableStreamFinishInFlightClose(s) {
  resolveD(s.inFlightCloseRequest, undefined);
  s.inFlightCloseRequest = undefined;
  if (s.state === 'erroring') {
    s.storedError = undefined;
    if (s.pendingAbortRequest !== undefined) {
      resolveD(s.pendingAbortRequest.d, undefined);
      s.pendingAbortRequest = undefined;
    }
  }
  s.state = 'closed';
  const w = s.writer;
  if (w !== undefined) resolveD(w.closed, undefined);
}

function writableStreamFinishInFlightCloseWithError(s, error) {
  rejectD(s.inFlightCloseRequest, error);
  s.inFlightCloseRequest = undefined;
  if (s.pendingAbortRequest !== undefined) {
    rejectD(s.pendingAbortRequest.d, error);
    s.pendingAbortRequest = undefined;
  }
  writableStreamDealWithRejection(s, error);
}

function writableStreamFinishInFlightWrite(s) {
  resolveD(s.inFlightWriteRequest, undefined);
  s.inFlightWriteRequest = undefined;
}

function writableStreamFinishInFlightWriteWithError(s, error) {
  rejectD(s.inFlightWriteRequest, error);
  s.inFlightWriteRequest = undefined;
  writableStreamDealWithRejection(s, error);
}

function writableStreamHasOperationMarkedInFlight(s) {
  return s.inFlightWriteRequest !== undefined || s.inFlightCloseRequest !== undefined;
}

function writableStreamMarkCloseRequestInFlight(s) {
  s.inFlightCloseRequest = s.closeRequest;
  s.closeRequest = undefined;
}

function writableStreamMarkFirstWriteRequestInFlight(s) {
  s.inFlightWriteRequest = s.writeRequests.shift();
}

function writableStreamRejectCloseAndClosedPromiseIfNeeded(s) {
  if (s.closeRequest !== undefined) {
    rejectD(s.closeRequest, s.storedError);
    s.closeRequest = undefined;
  }
  const w = s.writer;
  if (w !== undefined) {
    rejectD(w.closed, s.storedError);
    setHandled(w.closed.promise);
  }
}

function writableStreamStartErroring(s, reason) {
  const c = s.controller;
  s.state = 'erroring';
  s.storedError = reason;
  const w = s.writer;
  if (w !== undefined) writerEnsureReadyPromiseRejected(w, reason);
  if (c.go !== undefined) goSinkErrored(c, reason);
  if (!writableStreamHasOperationMarkedInFlight(s) && c.started) writableStreamFinishErroring(s);
}

function writableStreamUpdateBackpressure(s, backpressure) {
  const w = s.writer;
  if (w !== undefined && backpressure !== s.backpressure) {
    if (backpressure) w.ready = new Deferred();
    else resolveD(w.ready, undefined);
  }
  s.backpressure = backpressure;
}
