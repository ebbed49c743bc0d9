// ReadableByteStreamController, ReadableStreamBYOBRequest and the abstract
// operations of readable byte streams, including pull-into descriptors with
// a minimum fill (BYOB read(view, { min })).
//
// A controller whose `go` field is set is fed by a Go Source (see
// go_streams.js): instead of calling a pull algorithm that returns a promise,
// it asks Go for one chunk and Go answers through goReadDone.

class RBSCRec {
  constructor() {
    this.byte = true;
    this.stream = undefined;
    this.pullAgain = false;
    this.pulling = false;
    this.byobRequest = null; // BYOBRequestRec or null
    this.queue = undefined; // of {buffer, byteOffset, byteLength}
    this.queueTotalSize = 0;
    this.closeRequested = false;
    this.started = false;
    this.strategyHWM = 0;
    this.pullAlgorithm = undefined;
    this.cancelAlgorithm = undefined;
    this.autoAllocateChunkSize = undefined;
    this.pendingPullIntos = new Queue();
    this.onPulled = undefined;
    this.onPullFailed = undefined;
    this.go = undefined;
    this.pub = undefined;
  }
}

class BYOBRequestRec {
  constructor(controller, view) {
    this.controller = controller;
    this.view = view;
    this.pub = undefined;
  }
}

function setUpByteController(s, c, startAlgorithm, pullAlgorithm, cancelAlgorithm, hwm, autoAllocateChunkSize) {
  c.stream = s;
  resetQueue(c);
  c.strategyHWM = hwm;
  c.pullAlgorithm = pullAlgorithm;
  c.cancelAlgorithm = cancelAlgorithm;
  c.autoAllocateChunkSize = autoAllocateChunkSize;
  c.onPulled = () => { byteControllerPulled(c); };
  c.onPullFailed = (e) => { byteControllerError(c, e); };
  s.controller = c;
  const startResult = startAlgorithm();
  thenCall(resolvedWith(startResult), () => {
    c.started = true;
    byteControllerCallPullIfNeeded(c);
  }, (r) => { byteControllerError(c, r); });
}

function setUpByteControllerFromSource(s, source, dict, hwm) {
  const c = new RBSCRec();
  let startAlgorithm = returnUndefined;
  let pullAlgorithm = resolvedUndefinedAlgorithm;
  let cancelAlgorithm = resolvedUndefinedAlgorithm;
  const start = dict.start;
  const pull = dict.pull;
  const cancel = dict.cancel;
  if (start !== undefined) startAlgorithm = () => ReflectApply(start, source, [pubByteController(c)]);
  if (pull !== undefined) pullAlgorithm = () => promiseCall(pull, source, [pubByteController(c)]);
  if (cancel !== undefined) cancelAlgorithm = (reason) => promiseCall(cancel, source, [reason]);
  const autoAllocateChunkSize = dict.autoAllocateChunkSize;
  if (autoAllocateChunkSize === 0) throw new TE('autoAllocateChunkSize must be greater than 0');
  setUpByteController(s, c, startAlgorithm, pullAlgorithm, cancelAlgorithm, hwm, autoAllocateChunkSize);
}

function byteControllerCallPullIfNeeded(c) {
  if (!byteControllerShouldCallPull(c)) return;
  if (c.pulling) {
    c.pullAgain = true;
    return;
  }
  c.pulling = true;
  if (c.go !== undefined) {
    goPull(c);
    return;
  }
  thenCall(c.pullAlgorithm(), c.onPulled, c.onPullFailed);
}

// byteControllerPulled runs when the pull promise fulfills (or Go answered).
function byteControllerPulled(c) {
  c.pulling = false;
  if (c.pullAgain) {
    c.pullAgain = false;
    byteControllerCallPullIfNeeded(c);
  }
}

function byteControllerShouldCallPull(c) {
  const s = c.stream;
  if (s.state !== 'readable') return false;
  if (c.closeRequested) return false;
  if (!c.started) return false;
  const r = s.reader;
  if (r !== undefined && r.requests.size > 0) return true;
  return byteControllerGetDesiredSize(c) > 0;
}

function byteControllerClearAlgorithms(c) {
  c.pullAlgorithm = undefined;
  c.cancelAlgorithm = undefined;
}

function byteControllerClearPendingPullIntos(c) {
  byteControllerInvalidateBYOBRequest(c);
  c.pendingPullIntos = new Queue();
}

function byteControllerClose(c) {
  const s = c.stream;
  if (c.closeRequested || s.state !== 'readable') return;
  if (c.queueTotalSize > 0) {
    c.closeRequested = true;
    return;
  }
  if (c.pendingPullIntos.size > 0) {
    const first = c.pendingPullIntos.peek();
    if (first.bytesFilled % first.elementSize !== 0) {
      const e = new TE('Insufficient bytes to fill elements in the given buffer');
      byteControllerError(c, e);
      throw e;
    }
  }
  byteControllerClearAlgorithms(c);
  readableStreamClose(s);
}

function byteControllerCommitPullIntoDescriptor(s, desc) {
  let done = false;
  if (s.state === 'closed') done = true;
  const filledView = byteControllerConvertPullIntoDescriptor(desc);
  if (desc.readerType === 'default') readableStreamFulfillReadRequest(s, filledView, done);
  else readableStreamFulfillReadIntoRequest(s, filledView, done);
}

function byteControllerConvertPullIntoDescriptor(desc) {
  const buffer = nTransfer(desc.buffer);
  return new desc.viewConstructor(buffer, desc.byteOffset, desc.bytesFilled / desc.elementSize);
}

function byteControllerEnqueue(c, chunk) {
  const s = c.stream;
  if (c.closeRequested || s.state !== 'readable') return;
  const kind = viewKind(chunk);
  const buffer = viewBuffer(chunk, kind);
  if (nIsDetached(buffer)) throw new TE('The chunk\'s buffer is detached and so cannot be enqueued');
  const byteOffset = viewByteOffset(chunk, kind);
  const byteLength = viewByteLength(chunk, kind);
  const transferred = nTransfer(buffer);
  byteControllerEnqueueTransferred(c, transferred, byteOffset, byteLength);
}

// byteControllerEnqueueTransferred is ReadableByteStreamControllerEnqueue
// from the step after the chunk's buffer was transferred; Go chunks, which
// are fresh buffers nobody else holds, enter here.
function byteControllerEnqueueTransferred(c, transferred, byteOffset, byteLength) {
  const s = c.stream;
  if (c.pendingPullIntos.size > 0) {
    const first = c.pendingPullIntos.peek();
    if (nIsDetached(first.buffer)) {
      throw new TE('The BYOB request\'s buffer has been detached and so cannot be filled with an enqueued chunk');
    }
    byteControllerInvalidateBYOBRequest(c);
    first.buffer = nTransfer(first.buffer);
    if (first.readerType === 'none') byteControllerEnqueueDetachedPullIntoToQueue(c, first);
  }
  const r = s.reader;
  if (r !== undefined && !r.byob) {
    byteControllerProcessReadRequestsUsingQueue(c);
    if (r.requests.size === 0) {
      byteControllerEnqueueChunkToQueue(c, transferred, byteOffset, byteLength);
    } else {
      if (c.pendingPullIntos.size > 0) c.pendingPullIntos.shift();
      readableStreamFulfillReadRequest(s, new Uint8ArrayCtor(transferred, byteOffset, byteLength), false);
    }
  } else if (r !== undefined) {
    byteControllerEnqueueChunkToQueue(c, transferred, byteOffset, byteLength);
    const filled = byteControllerProcessPullIntoDescriptorsUsingQueue(c);
    for (let i = 0; i < filled.length; i++) byteControllerCommitPullIntoDescriptor(s, filled[i]);
  } else {
    byteControllerEnqueueChunkToQueue(c, transferred, byteOffset, byteLength);
  }
  byteControllerCallPullIfNeeded(c);
}

function byteControllerEnqueueChunkToQueue(c, buffer, byteOffset, byteLength) {
  c.queue.push({ buffer, byteOffset, byteLength });
  c.queueTotalSize += byteLength;
}

function byteControllerEnqueueClonedChunkToQueue(c, buffer, byteOffset, byteLength) {
  let clone;
  try {
    clone = nClone(buffer, byteOffset, byteLength);
  } catch (e) {
    byteControllerError(c, e);
    throw e;
  }
  byteControllerEnqueueChunkToQueue(c, clone, 0, byteLength);
}

function byteControllerEnqueueDetachedPullIntoToQueue(c, desc) {
  if (desc.bytesFilled > 0) {
    byteControllerEnqueueClonedChunkToQueue(c, desc.buffer, desc.byteOffset, desc.bytesFilled);
  }
  c.pendingPullIntos.shift();
}

function byteControllerError(c, e) {
  const s = c.stream;
  if (s.state !== 'readable') return;
  byteControllerClearPendingPullIntos(c);
  resetQueue(c);
  byteControllerClearAlgorithms(c);
  readableStreamError(s, e);
  if (c.go !== undefined) goReadableErrored(c, e);
}

function byteControllerFillPullIntoDescriptorFromQueue(c, desc) {
  const maxBytesToCopy = mathMin(c.queueTotalSize, desc.byteLength - desc.bytesFilled);
  const maxBytesFilled = desc.bytesFilled + maxBytesToCopy;
  let totalBytesToCopyRemaining = maxBytesToCopy;
  let ready = false;
  const remainderBytes = maxBytesFilled % desc.elementSize;
  const maxAlignedBytes = maxBytesFilled - remainderBytes;
  if (maxAlignedBytes >= desc.minimumFill) {
    totalBytesToCopyRemaining = maxAlignedBytes - desc.bytesFilled;
    ready = true;
  }
  const queue = c.queue;
  while (totalBytesToCopyRemaining > 0) {
    const head = queue.peek();
    const bytesToCopy = mathMin(totalBytesToCopyRemaining, head.byteLength);
    const destStart = desc.byteOffset + desc.bytesFilled;
    nCopy(desc.buffer, destStart, head.buffer, head.byteOffset, bytesToCopy);
    if (head.byteLength === bytesToCopy) {
      queue.shift();
    } else {
      head.byteOffset += bytesToCopy;
      head.byteLength -= bytesToCopy;
    }
    c.queueTotalSize -= bytesToCopy;
    desc.bytesFilled += bytesToCopy; // ReadableByteStreamControllerFillHeadPullIntoDescriptor
    totalBytesToCopyRemaining -= bytesToCopy;
  }
  return ready;
}

function byteControllerFillReadRequestFromQueue(c, req) {
  const entry = c.queue.shift();
  c.queueTotalSize -= entry.byteLength;
  byteControllerHandleQueueDrain(c);
  req.chunk(new Uint8ArrayCtor(entry.buffer, entry.byteOffset, entry.byteLength));
}

function byteControllerGetBYOBRequest(c) {
  if (c.byobRequest === null && c.pendingPullIntos.size > 0) {
    const first = c.pendingPullIntos.peek();
    const view = new Uint8ArrayCtor(first.buffer, first.byteOffset + first.bytesFilled,
      first.byteLength - first.bytesFilled);
    c.byobRequest = new BYOBRequestRec(c, view);
  }
  return c.byobRequest;
}

function byteControllerGetDesiredSize(c) {
  const state = c.stream.state;
  if (state === 'errored') return null;
  if (state === 'closed') return 0;
  return c.strategyHWM - c.queueTotalSize;
}

function byteControllerHandleQueueDrain(c) {
  if (c.queueTotalSize === 0 && c.closeRequested) {
    byteControllerClearAlgorithms(c);
    readableStreamClose(c.stream);
  } else {
    byteControllerCallPullIfNeeded(c);
  }
}

function byteControllerInvalidateBYOBRequest(c) {
  const req = c.byobRequest;
  if (req === null) return;
  req.controller = undefined;
  req.view = null;
  c.byobRequest = null;
}

function byteControllerProcessPullIntoDescriptorsUsingQueue(c) {
  const filled = [];
  while (c.pendingPullIntos.size > 0) {
    if (c.queueTotalSize === 0) break;
    const desc = c.pendingPullIntos.peek();
    if (byteControllerFillPullIntoDescriptorFromQueue(c, desc)) {
      c.pendingPullIntos.shift();
      filled[filled.length] = desc;
    }
  }
  return filled;
}

function byteControllerProcessReadRequestsUsingQueue(c) {
  const r = c.stream.reader;
  while (r.requests.size > 0) {
    if (c.queueTotalSize === 0) return;
    byteControllerFillReadRequestFromQueue(c, r.requests.shift());
  }
}

function byteControllerPullInto(c, view, min, req) {
  const s = c.stream;
  const kind = viewKind(view);
  const elementSize = kind.size;
  const ctor = kind.ctor;
  const minimumFill = min * elementSize;
  const byteOffset = viewByteOffset(view, kind);
  const byteLength = viewByteLength(view, kind);
  let buffer;
  try {
    buffer = nTransfer(viewBuffer(view, kind));
  } catch (e) {
    req.error(e);
    return;
  }
  const desc = {
    buffer,
    bufferByteLength: nByteLength(buffer),
    byteOffset,
    byteLength,
    bytesFilled: 0,
    minimumFill,
    elementSize,
    viewConstructor: ctor,
    readerType: 'byob',
  };
  if (c.pendingPullIntos.size > 0) {
    c.pendingPullIntos.push(desc);
    s.reader.requests.push(req);
    return;
  }
  if (s.state === 'closed') {
    req.close(new ctor(desc.buffer, desc.byteOffset, 0));
    return;
  }
  if (c.queueTotalSize > 0) {
    if (byteControllerFillPullIntoDescriptorFromQueue(c, desc)) {
      const filledView = byteControllerConvertPullIntoDescriptor(desc);
      byteControllerHandleQueueDrain(c);
      req.chunk(filledView);
      return;
    }
    if (c.closeRequested) {
      const e = new TE('Insufficient bytes to fill elements in the given buffer');
      byteControllerError(c, e);
      req.error(e);
      return;
    }
  }
  c.pendingPullIntos.push(desc);
  s.reader.requests.push(req);
  byteControllerCallPullIfNeeded(c);
}

function byteControllerRespond(c, bytesWritten) {
  const first = c.pendingPullIntos.peek();
  const state = c.stream.state;
  if (state === 'closed') {
    if (bytesWritten !== 0) throw new TE('bytesWritten must be 0 when calling respond() on a closed stream');
  } else {
    if (bytesWritten === 0) throw new TE('bytesWritten must be greater than 0 when calling respond() on a readable stream');
    if (first.bytesFilled + bytesWritten > first.byteLength) throw new RE('bytesWritten out of range');
  }
  first.buffer = nTransfer(first.buffer);
  byteControllerRespondInternal(c, bytesWritten);
}

function byteControllerRespondInClosedState(c, first) {
  if (first.readerType === 'none') c.pendingPullIntos.shift();
  const s = c.stream;
  if (hasBYOBReader(s)) {
    const filled = [];
    while (filled.length < s.reader.requests.size) filled[filled.length] = c.pendingPullIntos.shift();
    for (let i = 0; i < filled.length; i++) byteControllerCommitPullIntoDescriptor(s, filled[i]);
  }
}

function byteControllerRespondInReadableState(c, bytesWritten, desc) {
  desc.bytesFilled += bytesWritten;
  if (desc.readerType === 'none') {
    byteControllerEnqueueDetachedPullIntoToQueue(c, desc);
    const filled = byteControllerProcessPullIntoDescriptorsUsingQueue(c);
    for (let i = 0; i < filled.length; i++) byteControllerCommitPullIntoDescriptor(c.stream, filled[i]);
    return;
  }
  if (desc.bytesFilled < desc.minimumFill) return;
  c.pendingPullIntos.shift();
  const remainderSize = desc.bytesFilled % desc.elementSize;
  if (remainderSize > 0) {
    const end = desc.byteOffset + desc.bytesFilled;
    byteControllerEnqueueClonedChunkToQueue(c, desc.buffer, end - remainderSize, remainderSize);
  }
  desc.bytesFilled -= remainderSize;
  const filled = byteControllerProcessPullIntoDescriptorsUsingQueue(c);
  byteControllerCommitPullIntoDescriptor(c.stream, desc);
  for (let i = 0; i < filled.length; i++) byteControllerCommitPullIntoDescriptor(c.stream, filled[i]);
}

function byteControllerRespondInternal(c, bytesWritten) {
  const first = c.pendingPullIntos.peek();
  byteControllerInvalidateBYOBRequest(c);
  if (c.stream.state === 'closed') byteControllerRespondInClosedState(c, first);
  else byteControllerRespondInReadableState(c, bytesWritten, first);
  byteControllerCallPullIfNeeded(c);
}

function byteControllerRespondWithNewView(c, view) {
  const first = c.pendingPullIntos.peek();
  const state = c.stream.state;
  const kind = viewKind(view);
  const buffer = viewBuffer(view, kind);
  const byteLength = viewByteLength(view, kind);
  if (state === 'closed') {
    if (byteLength !== 0) throw new TE('The view\'s length must be 0 when calling respondWithNewView() on a closed stream');
  } else if (byteLength === 0) {
    throw new TE('The view\'s length must be greater than 0 when calling respondWithNewView() on a readable stream');
  }
  if (first.byteOffset + first.bytesFilled !== viewByteOffset(view, kind)) {
    throw new RE('The region specified by view does not match byobRequest');
  }
  if (first.bufferByteLength !== nByteLength(buffer)) {
    throw new RE('The buffer of view has different capacity than byobRequest');
  }
  if (first.bytesFilled + byteLength > first.byteLength) {
    throw new RE('The region specified by view is larger than byobRequest');
  }
  first.buffer = nTransfer(buffer);
  byteControllerRespondInternal(c, byteLength);
}

function byteControllerCancelSteps(c, reason) {
  byteControllerClearPendingPullIntos(c);
  resetQueue(c);
  const result = c.go !== undefined ? goCancel(c, reason) : c.cancelAlgorithm(reason);
  byteControllerClearAlgorithms(c);
  return result;
}

function byteControllerPullSteps(c, req) {
  const s = c.stream;
  if (c.queueTotalSize > 0) {
    byteControllerFillReadRequestFromQueue(c, req);
    return;
  }
  const size = c.autoAllocateChunkSize;
  if (size !== undefined) {
    let buffer;
    try {
      buffer = new ArrayBufferCtor(size);
    } catch (e) {
      req.error(e);
      return;
    }
    c.pendingPullIntos.push({
      buffer,
      bufferByteLength: size,
      byteOffset: 0,
      byteLength: size,
      bytesFilled: 0,
      minimumFill: 1,
      elementSize: 1,
      viewConstructor: Uint8ArrayCtor,
      readerType: 'default',
    });
  }
  s.reader.requests.push(req);
  byteControllerCallPullIfNeeded(c);
}

function byteControllerReleaseSteps(c) {
  if (c.pendingPullIntos.size > 0) {
    const first = c.pendingPullIntos.peek();
    first.readerType = 'none';
    c.pendingPullIntos = new Queue();
    c.pendingPullIntos.push(first);
  }
}

let rbscOf;

class ReadableByteStreamController {
  #c;

  constructor() {
    if (adopting === undefined) throw new TE('Illegal constructor');
    this.#c = adopting;
    adopting.pub = this;
    adopting = undefined;
  }

  get byobRequest() {
    const c = rbscOf(this);
    if (c === undefined) throw brandError('ReadableByteStreamController');
    const req = byteControllerGetBYOBRequest(c);
    return req === null ? null : pubBYOBRequest(req);
  }

  get desiredSize() {
    const c = rbscOf(this);
    if (c === undefined) throw brandError('ReadableByteStreamController');
    return byteControllerGetDesiredSize(c);
  }

  close() {
    const c = rbscOf(this);
    if (c === undefined) throw brandError('ReadableByteStreamController');
    if (c.closeRequested) throw new TE('The stream has already been closed; do not close it again');
    if (c.stream.state !== 'readable') throw new TE('The stream is not in the readable state and cannot be closed');
    byteControllerClose(c);
  }

  enqueue(chunk) {
    const c = rbscOf(this);
    if (c === undefined) throw brandError('ReadableByteStreamController');
    if (!isView(chunk)) throw new TE('chunk must be an ArrayBufferView');
    const kind = viewKind(chunk);
    const buffer = viewBuffer(chunk, kind);
    if (nIsDetached(buffer)) throw new TE('The chunk\'s buffer is detached');
    if (viewByteLength(chunk, kind) === 0) throw new TE('chunk must have non-zero byteLength');
    if (nByteLength(buffer) === 0) throw new TE('chunk\'s buffer must have non-zero byteLength');
    if (c.closeRequested) throw new TE('The stream is closed or draining');
    if (c.stream.state !== 'readable') throw new TE('The stream is not in the readable state and cannot be enqueued to');
    byteControllerEnqueue(c, chunk);
  }

  error(e = undefined) {
    const c = rbscOf(this);
    if (c === undefined) throw brandError('ReadableByteStreamController');
    byteControllerError(c, e);
  }

  static {
    rbscOf = (o) => (isObject(o) && #c in o ? o.#c : undefined);
  }
}
defineTag(ReadableByteStreamController, 'ReadableByteStreamController');

function pubByteController(c) {
  if (c.pub === undefined) {
    adopting = c;
    new ReadableByteStreamController(); // eslint-disable-line no-new
  }
  return c.pub;
}

let byobRequestOf;

class ReadableStreamBYOBRequest {
  #q;

  constructor() {
    if (adopting === undefined) throw new TE('Illegal constructor');
    this.#q = adopting;
    adopting.pub = this;
    adopting = undefined;
  }

  get view() {
    const q = byobRequestOf(this);
    if (q === undefined) throw brandError('ReadableStreamBYOBRequest');
    return q.view;
  }

  respond(bytesWritten) {
    const q = byobRequestOf(this);
    if (q === undefined) throw brandError('ReadableStreamBYOBRequest');
    const n = toEnforceRangeULL(bytesWritten, 'bytesWritten');
    if (q.controller === undefined) throw new TE('This BYOB request has been invalidated');
    if (nIsDetached(ReflectApply(taBuffer, q.view, noArgs))) throw new TE('The BYOB request\'s buffer has been detached');
    byteControllerRespond(q.controller, n);
  }

  respondWithNewView(view) {
    const q = byobRequestOf(this);
    if (q === undefined) throw brandError('ReadableStreamBYOBRequest');
    if (!isView(view)) throw new TE('respondWithNewView() requires an ArrayBufferView');
    if (q.controller === undefined) throw new TE('This BYOB request has been invalidated');
    if (nIsDetached(viewBuffer(view, viewKind(view)))) throw new TE('The given view\'s buffer has been detached');
    byteControllerRespondWithNewView(q.controller, view);
  }

  static {
    byobRequestOf = (o) => (isObject(o) && #q in o ? o.#q : undefined);
  }
}
defineTag(ReadableStreamBYOBRequest, 'ReadableStreamBYOBRequest');

function pubBYOBRequest(q) {
  if (q.pub === undefined) {
    adopting = q;
    new ReadableStreamBYOBRequest(); // eslint-disable-line no-new
  }
  return q.pub;
}
