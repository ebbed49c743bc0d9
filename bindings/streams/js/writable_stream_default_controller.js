// WritableStreamDefaultController and its abstract operations.
//
// A controller whose `go` field is set drains into a Go Sink (see
// go_streams.js): its writes and close go to Go directly instead of through
// promise-returning algorithms.

const closeSentinel = {};

class WSDCRec {
  constructor() {
    this.stream = undefined;
    this.queue = undefined;
    this.queueTotalSize = 0;
    this.abortController = undefined; // created lazily, see signal
    this.abortRequested = false;
    this.abortReason = undefined;
    this.started = false;
    this.strategySizeAlgorithm = undefined;
    this.strategyHWM = 0;
    this.writeAlgorithm = undefined;
    this.closeAlgorithm = undefined;
    this.abortAlgorithm = undefined;
    this.onWritten = undefined;
    this.onWriteFailed = undefined;
    this.go = undefined;
    this.goPipe = undefined; // see setPipeHandle
    this.pub = undefined;
  }
}

function setUpWritableController(s, c, startAlgorithm, writeAlgorithm, closeAlgorithm, abortAlgorithm, hwm, sizeAlgorithm) {
  c.stream = s;
  s.controller = c;
  resetQueue(c);
  c.strategySizeAlgorithm = sizeAlgorithm;
  c.strategyHWM = hwm;
  c.writeAlgorithm = writeAlgorithm;
  c.closeAlgorithm = closeAlgorithm;
  c.abortAlgorithm = abortAlgorithm;
  if (c.go === undefined) {
    // A Go sink reports writes through goWriteDone instead (go_streams.js).
    c.onWritten = () => { writableControllerWriteDone(c); };
    c.onWriteFailed = (reason) => { writableControllerWriteFailed(c, reason); };
  }
  writableStreamUpdateBackpressure(s, writableControllerGetBackpressure(c));
  if (startAlgorithm === undefined) {
    // Go sinks have nothing to start; see go_streams.js.
    c.started = true;
    return;
  }
  const startResult = startAlgorithm();
  thenCall(resolvedWith(startResult), () => {
    c.started = true;
    writableControllerAdvanceQueueIfNeeded(c);
  }, (r) => {
    c.started = true;
    writableStreamDealWithRejection(s, r);
  });
}

function setUpWritableControllerFromSink(s, sink, dict, hwm, sizeAlgorithm) {
  const c = new WSDCRec();
  let startAlgorithm = returnUndefined;
  let writeAlgorithm = resolvedUndefinedAlgorithm;
  let closeAlgorithm = resolvedUndefinedAlgorithm;
  let abortAlgorithm = resolvedUndefinedAlgorithm;
  const start = dict.start;
  const write = dict.write;
  const close = dict.close;
  const abort = dict.abort;
  if (start !== undefined) startAlgorithm = () => ReflectApply(start, sink, [pubWritableController(c)]);
  if (write !== undefined) writeAlgorithm = (chunk) => promiseCall(write, sink, [chunk, pubWritableController(c)]);
  if (close !== undefined) closeAlgorithm = () => promiseCall(close, sink, []);
  if (abort !== undefined) abortAlgorithm = (reason) => promiseCall(abort, sink, [reason]);
  setUpWritableController(s, c, startAlgorithm, writeAlgorithm, closeAlgorithm, abortAlgorithm, hwm, sizeAlgorithm);
}

// writableControllerSignalAbort is "signal abort on controller's
// [[abortController]]". The AbortController is created on first use of
// controller.signal; until then an abort is only remembered.
function writableControllerSignalAbort(c, reason) {
  if (c.abortController !== undefined) {
    c.abortController.abort(reason);
  } else if (!c.abortRequested) {
    c.abortRequested = true;
    c.abortReason = reason;
  }
}

function writableControllerSignal(c) {
  if (c.abortController === undefined) {
    const AC = globalThis.AbortController;
    if (typeof AC !== 'function') throw new TE('AbortController is not available');
    const ac = new AC();
    if (c.abortRequested) ac.abort(c.abortReason);
    c.abortController = ac;
    c.abortReason = undefined;
  }
  return c.abortController.signal;
}

function writableControllerAbortSteps(c, reason) {
  const result = c.go !== undefined ? goAbort(c, reason) : c.abortAlgorithm(reason);
  writableControllerClearAlgorithms(c);
  return result;
}

function writableControllerAdvanceQueueIfNeeded(c) {
  const s = c.stream;
  if (!c.started) return;
  if (s.inFlightWriteRequest !== undefined) return;
  if (s.state === 'erroring') {
    writableStreamFinishErroring(s);
    return;
  }
  if (c.queue.size === 0) return;
  const value = c.queue.peek().value;
  if (value === closeSentinel) writableControllerProcessClose(c);
  else writableControllerProcessWrite(c, value);
}

function writableControllerClearAlgorithms(c) {
  c.writeAlgorithm = undefined;
  c.closeAlgorithm = undefined;
  c.abortAlgorithm = undefined;
  c.strategySizeAlgorithm = undefined;
}

function writableControllerClose(c) {
  enqueueValueWithSize(c, closeSentinel, 0);
  writableControllerAdvanceQueueIfNeeded(c);
}

function writableControllerError(c, error) {
  writableControllerClearAlgorithms(c);
  writableStreamStartErroring(c.stream, error);
}

function writableControllerErrorIfNeeded(c, error) {
  if (c.stream.state === 'writable') writableControllerError(c, error);
}

function writableControllerGetBackpressure(c) {
  return writableControllerGetDesiredSize(c) <= 0;
}

function writableControllerGetChunkSize(c, chunk) {
  if (c.strategySizeAlgorithm === undefined) return 1;
  try {
    return c.strategySizeAlgorithm(chunk);
  } catch (e) {
    writableControllerErrorIfNeeded(c, e);
    return 1;
  }
}

function writableControllerGetDesiredSize(c) {
  return c.strategyHWM - c.queueTotalSize;
}

function writableControllerProcessClose(c) {
  const s = c.stream;
  writableStreamMarkCloseRequestInFlight(s);
  dequeueValue(c);
  if (c.go !== undefined) {
    writableControllerClearAlgorithms(c);
    goClose(c);
    return;
  }
  const sinkClosePromise = c.closeAlgorithm();
  writableControllerClearAlgorithms(c);
  thenCall(sinkClosePromise, () => {
    writableStreamFinishInFlightClose(s);
  }, (reason) => {
    writableStreamFinishInFlightCloseWithError(s, reason);
  });
}

function writableControllerProcessWrite(c, chunk) {
  writableStreamMarkFirstWriteRequestInFlight(c.stream);
  if (c.go !== undefined) {
    goWrite(c, chunk);
    return;
  }
  thenCall(c.writeAlgorithm(chunk), c.onWritten, c.onWriteFailed);
}

// writableControllerWriteDone and writableControllerWriteFailed are the
// reactions to the sink's write promise in WritableStreamDefaultControllerProcessWrite.
function writableControllerWriteDone(c) {
  const s = c.stream;
  writableStreamFinishInFlightWrite(s);
  dequeueValue(c);
  if (!writableStreamCloseQueuedOrInFlight(s) && s.state === 'writable') {
    writableStreamUpdateBackpressure(s, writableControllerGetBackpressure(c));
  }
  writableControllerAdvanceQueueIfNeeded(c);
}

function writableControllerWriteFailed(c, reason) {
  const s = c.stream;
  if (s.state === 'writable') writableControllerClearAlgorithms(c);
  writableStreamFinishInFlightWriteWithError(s, reason);
}

function writableControllerWrite(c, chunk, chunkSize) {
  try {
    enqueueValueWithSize(c, chunk, chunkSize);
  } catch (e) {
    writableControllerErrorIfNeeded(c, e);
    return;
  }
  const s = c.stream;
  if (!writableStreamCloseQueuedOrInFlight(s) && s.state === 'writable') {
    writableStreamUpdateBackpressure(s, writableControllerGetBackpressure(c));
  }
  writableControllerAdvanceQueueIfNeeded(c);
}

let wsdcOf;

class WritableStreamDefaultController {
  #c;

  constructor() {
    if (adopting === undefined) throw new TE('Illegal constructor');
    this.#c = adopting;
    adopting.pub = this;
    adopting = undefined;
  }

  get signal() {
    const c = wsdcOf(this);
    if (c === undefined) throw brandError('WritableStreamDefaultController');
    return writableControllerSignal(c);
  }

  error(e = undefined) {
    const c = wsdcOf(this);
    if (c === undefined) throw brandError('WritableStreamDefaultController');
    if (c.stream.state !== 'writable') return;
    writableControllerError(c, e);
  }

  static {
    wsdcOf = (o) => (isObject(o) && #c in o ? o.#c : undefined);
  }
}
defineTag(WritableStreamDefaultController, 'WritableStreamDefaultController');

function pubWritableController(c) {
  if (c.pub === undefined) {
    adopting = c;
    new WritableStreamDefaultController(); // eslint-disable-line no-new
  }
  return c.pub;
}
