// Go-backed streams: a ReadableStream of type "bytes" fed by a Go Source and
// a WritableStream draining into a Go Sink. They are ordinary instances of
// the classes above whose controllers carry a `go` handle (the Go side's
// state, opaque here); the controller algorithms call into Go at the points
// where a JS source or sink would be called, and Go reports completions back
// through the functions at the end of this file.

const nPull = natives.pull;
const nCancel = natives.cancel;
const nWrite = natives.write;
const nClose = natives.close;
const nAbort = natives.abort;
const nPipe = natives.pipe;
const nPipeObjects = natives.pipeObjects;
const nByteSize = natives.byteSize;

function newGoReadable(handle, hwm) {
  const s = new RSRec();
  const c = new RBSCRec();
  c.go = handle;
  c.stream = s;
  resetQueue(c);
  c.strategyHWM = hwm;
  // No onPulled/onPullFailed: Go answers a pull through goReadDone, never
  // through a promise, and a socket should not hold two closures for life.
  s.controller = c;
  // Nothing to start: the controller is started at once, so that a high
  // water mark above 0 pulls the first chunk right away.
  c.started = true;
  byteControllerCallPullIfNeeded(c);
  return [pubRS(s), c];
}

function newGoWritable(handle, hwm) {
  const s = new WSRec();
  const c = new WSDCRec();
  c.go = handle;
  // The size algorithm is never called: Go chunks are sized by the byteSize
  // native, which also refuses what is not bytes.
  setUpWritableController(s, c, undefined, undefined, undefined, undefined, hwm, sizeOne);
  return [pubWS(s), c];
}

// The code the write and byteSize natives return for a chunk whose buffer
// is detached (-2 is for a chunk that is not bytes at all).
const goDetached = -3;

// goChunkError is the TypeError a Go-backed writable rejects a write with
// when the chunk is not bytes. Such a write is refused without erroring the
// stream, as workerd does for sockets.
function goChunkError(code) {
  if (code === goDetached) return new TE('The chunk\'s buffer is detached');
  return new TE('This WritableStream only supports writing byte types (ArrayBuffer or ArrayBufferView)');
}

// goWriteNow is writer.write(chunk) on a Go-backed writable with nothing
// queued, in flight or closing: the sink gets the chunk on the spot. If it
// takes all of it, no spec state changes at all (the write would have been
// queued, processed and dequeued at once); otherwise the chunk becomes the
// in-flight write while a goroutine writes the rest.
function goWriteNow(s, c, chunk) {
  let rest;
  try {
    rest = nWrite(c.go, chunk);
  } catch (e) {
    const p = writableStreamAddWriteRequest(s);
    enqueueValueWithSize(c, chunk, 0);
    writableStreamMarkFirstWriteRequestInFlight(s);
    writableControllerWriteFailed(c, e);
    return p;
  }
  if (rest === -1) return resolvedWith(undefined);
  if (rest < -1) return rejectedWith(goChunkError(rest));
  const p = writableStreamAddWriteRequest(s);
  enqueueValueWithSize(c, chunk, rest);
  writableStreamUpdateBackpressure(s, writableControllerGetBackpressure(c));
  writableStreamMarkFirstWriteRequestInFlight(s);
  return p;
}

function goPull(c) {
  nPull(c.go);
}

function goCancel(c, reason) {
  nCancel(c.go, describe(reason, 'stream cancelled'));
  return resolvedWith(undefined);
}

function goReadableErrored(c, e) {
  nCancel(c.go, describe(e, 'stream errored'));
}

// goWrite is the write algorithm for a queued chunk.
function goWrite(c, chunk) {
  let rest;
  try {
    rest = nWrite(c.go, chunk);
  } catch (e) {
    writableControllerWriteFailed(c, e);
    return;
  }
  if (rest === -1) {
    writableControllerWriteDone(c);
    return;
  }
  if (rest < -1) {
    writableControllerWriteFailed(c, new TE('The chunk\'s buffer was detached before it could be written'));
    return;
  }
  // Part of the chunk was accepted; only the rest still weighs on
  // backpressure while Go writes it.
  const head = c.queue.peek();
  c.queueTotalSize -= head.size - rest;
  head.size = rest;
  const s = c.stream;
  if (!writableStreamCloseQueuedOrInFlight(s) && s.state === 'writable') {
    writableStreamUpdateBackpressure(s, writableControllerGetBackpressure(c));
  }
}

function goClose(c) {
  nClose(c.go);
}

function goAbort(c, reason) {
  nAbort(c.go, describe(reason, 'stream aborted'));
  return resolvedWith(undefined);
}

function goSinkErrored(c, reason) {
  nAbort(c.go, describe(reason, 'stream errored'));
}

// goTryPipe starts the Go pump for source.pipeTo(dest) if both are Go-backed,
// nothing is queued on either side, and the sink can pump from the source.
// then runs once the pump has returned and its outcome was applied.
function goTryPipe(source, dest, then) {
  const sc = source.controller;
  const dc = dest.controller;
  if (!sc.byte || sc.go === undefined || dc.go === undefined) return false;
  if (source.state !== 'readable' || sc.closeRequested || sc.queueTotalSize > 0 || sc.pendingPullIntos.size > 0) return false;
  if (dest.state !== 'writable' || writableStreamCloseQueuedOrInFlight(dest) || dc.queue.size > 0 || !dc.started) return false;
  return nPipe(sc.go, dc.go, (err, fromSource) => {
    // The pump may have left a pull of the source unanswered.
    sc.pulling = false;
    sc.pullAgain = false;
    if (source.state === 'readable' && dest.state === 'writable') {
      if (err === undefined) {
        goEOF(sc);
      } else if (fromSource) {
        byteControllerError(sc, new Error(err));
      } else {
        writableControllerErrorIfNeeded(dc, new Error(err));
      }
    }
    then();
  });
}

// Default (object) streams that a binding builds in JavaScript over its own
// Go natives (UDP sockets) may carry a Go handle (setPipeHandle). A pipe from
// such a readable into such a writable can then be carried out by Go (an
// ObjectPiper): the chunks never become JavaScript values. Go reports how it
// ended with one of these outcomes, shared with object_pipe.go.
const pipeSourceEnded = 0;
const pipeSourceErrored = 1;
const pipeSinkErrored = 2;

// setPipeHandle is Streams.SetPipeHandle: it gives a default readable or a
// writable that is not Go-backed a Go handle for goTryPipeObjects.
function setPipeHandle(stream, handle) {
  const r = rsOf(stream);
  if (r !== undefined) {
    if (r.controller.byte) return false;
    r.controller.goPipe = handle;
    return true;
  }
  const w = wsOf(stream);
  if (w === undefined || w.controller.go !== undefined) return false;
  w.controller.goPipe = handle;
  return true;
}

// goTryPipeObjects offers source.pipeTo(dest) to Go when both carry a pipe
// handle, nothing is queued on either side and no pull of the source is in
// flight. It does not wait for the streams' start algorithms: the Go side
// knows whether its ends are usable (a UDP socket's streams start once it is
// open), and the pipe would otherwise miss every stream made and piped in
// the same task. then runs once the outcome was applied.
function goTryPipeObjects(source, dest, then) {
  const sc = source.controller;
  const dc = dest.controller;
  if (sc.byte || sc.goPipe === undefined || dc.goPipe === undefined) return false;
  if (source.state !== 'readable' || sc.closeRequested || sc.pulling || sc.queue.size > 0) return false;
  if (dest.state !== 'writable' || writableStreamCloseQueuedOrInFlight(dest) || dc.queue.size > 0) return false;
  return nPipeObjects(sc.goPipe, dc.goPipe, (outcome, reason) => {
    // What already happened to either stream stands; the outcome is applied
    // only to streams it finds untouched.
    if (source.state === 'readable' && dest.state === 'writable') {
      if (outcome === pipeSourceEnded) defaultControllerClose(sc);
      else if (outcome === pipeSourceErrored) defaultControllerError(sc, reason);
      else writableControllerErrorIfNeeded(dc, reason);
    }
    then();
  });
}

function goEOF(c) {
  try {
    byteControllerClose(c);
    // A pending BYOB read is answered "done" as a source must after close().
    if (c.stream.state === 'closed' && c.pendingPullIntos.size > 0) byteControllerRespond(c, 0);
  } catch (e) {
    // byteControllerClose has errored the stream already.
  }
}

// goReadDone receives the outcome of one Source.Read: a fresh ArrayBuffer
// holding n bytes, or no buffer and err null (EOF) or an error message.
function goReadDone(c, buffer, n, err) {
  const s = c.stream;
  const r = s.reader;
  if (buffer !== undefined && s.state === 'readable' && !c.closeRequested && r !== undefined && !r.byob &&
      r.requests.size > 0 && c.queueTotalSize === 0 && c.pendingPullIntos.size === 0) {
    // The common case, a read waiting for this chunk: enqueueing it would
    // hand it straight to that read.
    readableStreamFulfillReadRequest(s, new Uint8ArrayCtor(buffer, 0, n), false);
    c.pulling = false;
    c.pullAgain = false;
    byteControllerCallPullIfNeeded(c);
    return;
  }
  if (s.state === 'readable' && !c.closeRequested) {
    if (buffer !== undefined) {
      byteControllerEnqueueTransferred(c, buffer, 0, n);
    } else if (err === null) {
      goEOF(c);
    } else {
      byteControllerError(c, new Error(err));
    }
  }
  byteControllerPulled(c);
}

// goWriteDone receives the outcome of a Sink.Write that TryWrite left.
function goWriteDone(c, err) {
  if (err === undefined) writableControllerWriteDone(c);
  else writableControllerWriteFailed(c, new Error(err));
}

// goCloseDone receives the outcome of Sink.Close.
function goCloseDone(c, err) {
  const s = c.stream;
  if (err === undefined) writableStreamFinishInFlightClose(s);
  else writableStreamFinishInFlightCloseWithError(s, new Error(err));
}

// errorStream is Streams.ErrorStream: it errors a readable as its controller's
// error() would and a writable as a failed sink operation would.
function errorStream(stream, reason) {
  const r = rsOf(stream);
  if (r !== undefined) {
    const c = r.controller;
    if (c.byte) byteControllerError(c, reason);
    else defaultControllerError(c, reason);
    return true;
  }
  const w = wsOf(stream);
  if (w !== undefined) {
    writableControllerErrorIfNeeded(w.controller, reason);
    return true;
  }
  return false;
}

// flushWritable is Streams.Flush: writer.close() whatever holds the lock.
function flushWritable(stream) {
  const s = wsOf(stream);
  if (s === undefined) return rejectedWith(new TE('Flush needs a WritableStream'));
  const state = s.state;
  if (state === 'closed') return resolvedWith(undefined);
  if (state === 'errored') return rejectedWith(s.storedError);
  if (s.closeRequest !== undefined) return s.closeRequest.promise;
  if (s.inFlightCloseRequest !== undefined) return s.inFlightCloseRequest.promise;
  return writableStreamClose(s);
}

// closeReadable is Streams.CloseReadable. The source will not be read again,
// so a Read still out is cancelled.
function closeReadable(stream) {
  const r = rsOf(stream);
  if (r === undefined) return false;
  const c = r.controller;
  if (!c.byte) {
    defaultControllerClose(c);
    return true;
  }
  goEOF(c);
  if (c.go !== undefined) nCancel(c.go, 'stream closed');
  return true;
}
