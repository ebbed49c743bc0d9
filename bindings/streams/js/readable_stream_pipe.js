// ReadableStreamPipeTo.
//
// Shutdown and the propagation of errors and closing follow the reference
// implementation of the spec step by step. How chunks move while both
// streams are locked is up to the implementation (the spec only requires
// that nothing is read while the destination's desiredSize is <= 0); here the
// loop runs on callbacks rather than a chain of promises, since each promise
// costs microseconds in goja. When Go can move the chunks itself (both ends
// Go-backed byte streams whose sink can pump from the source, see goTryPipe;
// or default streams a binding marked, see goTryPipeObjects), the pipe starts
// with that pump and continues with the JS loop below once the pump returns,
// which then observes whatever state the pump left behind.

function readableStreamPipeTo(source, dest, preventClose, preventAbort, preventCancel, signal) {
  const reader = acquireDefaultReader(source);
  const writer = acquireWriter(dest);
  source.disturbed = true;
  const d = new Deferred();
  if (signal === undefined) {
    const resume = () => {
      pipeLoopJS(source, dest, reader, writer, preventClose, preventAbort, preventCancel, undefined, d, true);
    };
    if (goTryPipe(source, dest, resume) || goTryPipeObjects(source, dest, resume)) return d.promise;
  }
  pipeLoopJS(source, dest, reader, writer, preventClose, preventAbort, preventCancel, signal, d, false);
  return d.promise;
}

// pipeLoopJS runs the pipe from its start, or from where a Go pump left it
// (afterPump). The loop resumed after a pump has read nothing, so nothing
// can be left to write: a shutdown its first checks find due acts at once
// instead of a microtask later. The destination's close (or abort) has then
// started when the pump's end returns to Go, ordered before whatever the
// binding does next: a UDP socket erroring its writable as it closes no
// longer beats the pipe's close of it.
function pipeLoopJS(source, dest, reader, writer, preventClose, preventAbort, preventCancel, signal, d, afterPump) {
  let shuttingDown = false;
  let abortAlgorithm;
  let immediate = afterPump;

  // Writes the pipe made that have not settled yet, and who to tell when
  // there are none (see waitForWritesToFinish). Pipe writes use callback
  // write requests instead of promises: nobody else can see them.
  let writesInFlight = 0;
  let writesDone;
  const writeSettled = () => {
    writesInFlight--;
    if (writesInFlight === 0 && writesDone !== undefined) {
      const done = writesDone;
      writesDone = undefined;
      resolveD(done, undefined);
    }
  };

  function finalize(isError, error) {
    writerRelease(writer);
    readerRelease(reader);
    if (signal !== undefined) signal.removeEventListener('abort', abortAlgorithm);
    if (isError) rejectD(d, error);
    else resolveD(d, undefined);
  }

  // waitForWritesToFinish settles once every chunk read has been written
  // (its write settled), like the reference implementation's chain of
  // currentWrite promises.
  function waitForWritesToFinish() {
    if (writesInFlight === 0) return resolvedWith(undefined);
    if (writesDone === undefined) writesDone = new Deferred();
    return writesDone.promise;
  }

  function shutdownWithAnAction(action, originalIsError, originalError) {
    if (shuttingDown) return;
    shuttingDown = true;
    const doTheRest = () => {
      thenCall(action(), () => finalize(originalIsError, originalError), (newError) => finalize(true, newError));
    };
    if (dest.state === 'writable' && !writableStreamCloseQueuedOrInFlight(dest) && !immediate) {
      thenCall(waitForWritesToFinish(), doTheRest, noop);
    } else {
      doTheRest();
    }
  }

  function shutdown(isError, error) {
    if (shuttingDown) return;
    shuttingDown = true;
    if (dest.state === 'writable' && !writableStreamCloseQueuedOrInFlight(dest) && !immediate) {
      thenCall(waitForWritesToFinish(), () => finalize(isError, error), noop);
    } else {
      finalize(isError, error);
    }
  }

  if (signal !== undefined) {
    abortAlgorithm = () => {
      const error = signal.reason;
      const actions = [];
      if (!preventAbort) {
        actions[actions.length] = () => (dest.state === 'writable' ? writableStreamAbort(dest, error) : resolvedWith(undefined));
      }
      if (!preventCancel) {
        actions[actions.length] = () => (source.state === 'readable' ? readableStreamCancel(source, error) : resolvedWith(undefined));
      }
      shutdownWithAnAction(() => waitForAll(actions), true, error);
    };
    if (signal.aborted) {
      abortAlgorithm();
      return;
    }
    signal.addEventListener('abort', abortAlgorithm);
  }

  // The read loop: read while the destination wants more, write each chunk
  // as it arrives, and wait for writer.ready when it does not. A read that
  // completes at once continues the loop; one that completes later restarts it.
  let reading = false;
  let looping = false;
  // sourceEnded stops the loop once a read reported the end: the shutdown
  // that follows runs in a later microtask, and a closed or errored reader
  // answers every further read at once, so without it the loop would spin.
  let sourceEnded = false;
  const readRequest = {
    chunk(chunk) {
      reading = false;
      writesInFlight++;
      writerWriteInternal(writer, chunk, new CallbackRequest(writeSettled));
      if (!looping) pipeLoop();
    },
    close() { reading = false; sourceEnded = true; },
    error() { reading = false; sourceEnded = true; },
  };
  function pipeLoop() {
    looping = true;
    while (!shuttingDown && !reading && !sourceEnded) {
      const desired = writerGetDesiredSize(writer);
      if (desired === null || desired <= 0) {
        if (desired !== null && dest.state === 'writable') thenCall(writer.ready.promise, pipeLoop, noop);
        break;
      }
      reading = true;
      defaultReaderRead(reader, readRequest);
    }
    looping = false;
  }

  // Errors must be propagated forward.
  if (source.state === 'errored') {
    sourceErrored(source.storedError);
  } else {
    thenCall(reader.closed.promise, undefined, sourceErrored);
  }
  function sourceErrored(storedError) {
    if (!preventAbort) shutdownWithAnAction(() => writableStreamAbort(dest, storedError), true, storedError);
    else shutdown(true, storedError);
  }

  // Errors must be propagated backward.
  if (dest.state === 'errored') {
    destErrored(dest.storedError);
  } else {
    thenCall(writer.closed.promise, undefined, destErrored);
  }
  function destErrored(storedError) {
    if (!preventCancel) shutdownWithAnAction(() => readableStreamCancel(source, storedError), true, storedError);
    else shutdown(true, storedError);
  }

  // Closing must be propagated forward.
  if (source.state === 'closed') {
    sourceClosed();
  } else {
    thenCall(reader.closed.promise, sourceClosed, noop);
  }
  function sourceClosed() {
    if (!preventClose) shutdownWithAnAction(() => writerCloseWithErrorPropagation(writer));
    else shutdown();
  }

  // Closing must be propagated backward.
  if (writableStreamCloseQueuedOrInFlight(dest) || dest.state === 'closed') {
    const destClosed = new TE('the destination writable stream closed before all data could be piped to it');
    if (!preventCancel) shutdownWithAnAction(() => readableStreamCancel(source, destClosed), true, destClosed);
    else shutdown(true, destClosed);
  }

  // The first read waits for a microtask, as the reference implementation's
  // first pipeStep waits for writer.ready.
  immediate = false;
  thenCall(writer.ready.promise, pipeLoop, noop);
}

// waitForAll is "getting a promise to wait for all" of the results of actions.
function waitForAll(actions) {
  const n = actions.length;
  const d = new Deferred();
  if (n === 0) {
    resolveD(d, []);
    return d.promise;
  }
  const results = [];
  let remaining = n;
  for (let i = 0; i < n; i++) {
    const index = i;
    thenCall(actions[i](), (v) => {
      results[index] = v;
      remaining--;
      if (remaining === 0) resolveD(d, results);
    }, (e) => rejectD(d, e));
  }
  return d.promise;
}
