// TransformStream and TransformStreamDefaultController, including the
// transformer's cancel algorithm and the controller's finish promise.

class TSRec {
  constructor() {
    this.readable = undefined;
    this.writable = undefined;
    this.backpressure = undefined;
    this.backpressureChangePromise = undefined; // Deferred
    this.controller = undefined;
    this.pub = undefined;
  }
}

class TSDCRec {
  constructor() {
    this.stream = undefined;
    this.transformAlgorithm = undefined;
    this.flushAlgorithm = undefined;
    this.cancelAlgorithm = undefined;
    this.finishPromise = undefined; // Deferred
    this.pub = undefined;
  }
}

function convertTransformer(o) {
  const d = { cancel: undefined, flush: undefined, readableType: undefined, start: undefined, transform: undefined, writableType: undefined };
  if (o === null) return d;
  let v = o.cancel;
  if (v !== undefined) d.cancel = toCallback(v, 'transformer.cancel');
  v = o.flush;
  if (v !== undefined) d.flush = toCallback(v, 'transformer.flush');
  d.readableType = o.readableType;
  v = o.start;
  if (v !== undefined) d.start = toCallback(v, 'transformer.start');
  v = o.transform;
  if (v !== undefined) d.transform = toCallback(v, 'transformer.transform');
  d.writableType = o.writableType;
  return d;
}

let tsOf;

class TransformStream {
  #t;

  constructor(transformer = undefined, writableStrategy = undefined, readableStrategy = undefined) {
    if (transformer !== undefined && !isObject(transformer)) {
      throw new TE('Failed to construct \'TransformStream\': transformer is not an object');
    }
    const wStrat = convertStrategy(writableStrategy, 'writableStrategy');
    const rStrat = convertStrategy(readableStrategy, 'readableStrategy');
    const t = transformer === undefined ? null : transformer;
    const dict = convertTransformer(t);
    if (dict.readableType !== undefined) throw new RE('Invalid readableType specified');
    if (dict.writableType !== undefined) throw new RE('Invalid writableType specified');
    const readableHWM = extractHighWaterMark(rStrat, 0);
    const readableSize = extractSizeAlgorithm(rStrat);
    const writableHWM = extractHighWaterMark(wStrat, 1);
    const writableSize = extractSizeAlgorithm(wStrat);
    const ts = new TSRec();
    this.#t = ts;
    ts.pub = this;
    const startPromise = new Deferred();
    initializeTransformStream(ts, startPromise.promise, writableHWM, writableSize, readableHWM, readableSize);
    setUpTransformControllerFromTransformer(ts, t, dict);
    if (dict.start !== undefined) {
      resolveD(startPromise, ReflectApply(dict.start, t, [pubTransformController(ts.controller)]));
    } else {
      resolveD(startPromise, undefined);
    }
  }

  get readable() {
    const ts = tsOf(this);
    if (ts === undefined) throw brandError('TransformStream');
    return pubRS(ts.readable);
  }

  get writable() {
    const ts = tsOf(this);
    if (ts === undefined) throw brandError('TransformStream');
    return pubWS(ts.writable);
  }

  static {
    tsOf = (o) => (isObject(o) && #t in o ? o.#t : undefined);
  }
}
defineTag(TransformStream, 'TransformStream');

function initializeTransformStream(ts, startPromise, writableHWM, writableSize, readableHWM, readableSize) {
  const startAlgorithm = () => startPromise;
  ts.writable = createWritableStream(startAlgorithm,
    (chunk) => transformSinkWrite(ts, chunk),
    () => transformSinkClose(ts),
    (reason) => transformSinkAbort(ts, reason),
    writableHWM, writableSize);
  ts.readable = createReadableStream(startAlgorithm,
    () => transformSourcePull(ts),
    (reason) => transformSourceCancel(ts, reason),
    readableHWM, readableSize);
  ts.backpressure = undefined;
  ts.backpressureChangePromise = undefined;
  transformStreamSetBackpressure(ts, true);
  ts.controller = undefined;
}

function transformStreamError(ts, e) {
  defaultControllerError(ts.readable.controller, e);
  transformStreamErrorWritableAndUnblockWrite(ts, e);
}

function transformStreamErrorWritableAndUnblockWrite(ts, e) {
  transformControllerClearAlgorithms(ts.controller);
  writableControllerErrorIfNeeded(ts.writable.controller, e);
  transformStreamUnblockWrite(ts);
}

function transformStreamSetBackpressure(ts, backpressure) {
  if (ts.backpressureChangePromise !== undefined) resolveD(ts.backpressureChangePromise, undefined);
  ts.backpressureChangePromise = new Deferred();
  ts.backpressure = backpressure;
}

function transformStreamUnblockWrite(ts) {
  if (ts.backpressure) transformStreamSetBackpressure(ts, false);
}

function setUpTransformController(ts, c, transformAlgorithm, flushAlgorithm, cancelAlgorithm) {
  c.stream = ts;
  ts.controller = c;
  c.transformAlgorithm = transformAlgorithm;
  c.flushAlgorithm = flushAlgorithm;
  c.cancelAlgorithm = cancelAlgorithm;
}

function setUpTransformControllerFromTransformer(ts, transformer, dict) {
  const c = new TSDCRec();
  let transformAlgorithm = (chunk) => {
    try {
      transformControllerEnqueue(c, chunk);
      return resolvedWith(undefined);
    } catch (e) {
      return rejectedWith(e);
    }
  };
  let flushAlgorithm = resolvedUndefinedAlgorithm;
  let cancelAlgorithm = resolvedUndefinedAlgorithm;
  const transform = dict.transform;
  const flush = dict.flush;
  const cancel = dict.cancel;
  if (transform !== undefined) transformAlgorithm = (chunk) => promiseCall(transform, transformer, [chunk, pubTransformController(c)]);
  if (flush !== undefined) flushAlgorithm = () => promiseCall(flush, transformer, [pubTransformController(c)]);
  if (cancel !== undefined) cancelAlgorithm = (reason) => promiseCall(cancel, transformer, [reason]);
  setUpTransformController(ts, c, transformAlgorithm, flushAlgorithm, cancelAlgorithm);
}

function transformControllerClearAlgorithms(c) {
  c.transformAlgorithm = undefined;
  c.flushAlgorithm = undefined;
  c.cancelAlgorithm = undefined;
}

function transformControllerEnqueue(c, chunk) {
  const ts = c.stream;
  const rc = ts.readable.controller;
  if (!defaultControllerCanCloseOrEnqueue(rc)) throw new TE('Readable side is not in a state that permits enqueue');
  try {
    defaultControllerEnqueue(rc, chunk);
  } catch (e) {
    transformStreamErrorWritableAndUnblockWrite(ts, e);
    throw ts.readable.storedError;
  }
  const backpressure = defaultControllerHasBackpressure(rc);
  if (backpressure !== ts.backpressure) transformStreamSetBackpressure(ts, true);
}

function transformControllerError(c, e) {
  transformStreamError(c.stream, e);
}

function transformControllerPerformTransform(c, chunk) {
  const p = c.transformAlgorithm(chunk);
  return thenCall(p, undefined, (r) => {
    transformStreamError(c.stream, r);
    throw r;
  });
}

function transformControllerTerminate(c) {
  const ts = c.stream;
  defaultControllerClose(ts.readable.controller);
  transformStreamErrorWritableAndUnblockWrite(ts, new TE('TransformStream terminated'));
}

function transformSinkWrite(ts, chunk) {
  const c = ts.controller;
  if (ts.backpressure) {
    return thenCall(ts.backpressureChangePromise.promise, () => {
      const w = ts.writable;
      if (w.state === 'erroring') throw w.storedError;
      return transformControllerPerformTransform(c, chunk);
    });
  }
  return transformControllerPerformTransform(c, chunk);
}

function transformSinkAbort(ts, reason) {
  const c = ts.controller;
  if (c.finishPromise !== undefined) return c.finishPromise.promise;
  const readable = ts.readable;
  const d = new Deferred();
  c.finishPromise = d;
  const cancelPromise = c.cancelAlgorithm(reason);
  transformControllerClearAlgorithms(c);
  thenCall(cancelPromise, () => {
    if (readable.state === 'errored') {
      rejectD(d, readable.storedError);
    } else {
      defaultControllerError(readable.controller, reason);
      resolveD(d, undefined);
    }
  }, (r) => {
    defaultControllerError(readable.controller, r);
    rejectD(d, r);
  });
  return d.promise;
}

function transformSinkClose(ts) {
  const c = ts.controller;
  if (c.finishPromise !== undefined) return c.finishPromise.promise;
  const readable = ts.readable;
  const d = new Deferred();
  c.finishPromise = d;
  const flushPromise = c.flushAlgorithm();
  transformControllerClearAlgorithms(c);
  thenCall(flushPromise, () => {
    if (readable.state === 'errored') {
      rejectD(d, readable.storedError);
    } else {
      defaultControllerClose(readable.controller);
      resolveD(d, undefined);
    }
  }, (r) => {
    defaultControllerError(readable.controller, r);
    rejectD(d, r);
  });
  return d.promise;
}

function transformSourceCancel(ts, reason) {
  const c = ts.controller;
  if (c.finishPromise !== undefined) return c.finishPromise.promise;
  const writable = ts.writable;
  const d = new Deferred();
  c.finishPromise = d;
  const cancelPromise = c.cancelAlgorithm(reason);
  transformControllerClearAlgorithms(c);
  thenCall(cancelPromise, () => {
    if (writable.state === 'errored') {
      rejectD(d, writable.storedError);
    } else {
      writableControllerErrorIfNeeded(writable.controller, reason);
      transformStreamUnblockWrite(ts);
      resolveD(d, undefined);
    }
  }, (r) => {
    writableControllerErrorIfNeeded(writable.controller, r);
    transformStreamUnblockWrite(ts);
    rejectD(d, r);
  });
  return d.promise;
}

function transformSourcePull(ts) {
  transformStreamSetBackpressure(ts, false);
  return ts.backpressureChangePromise.promise;
}

let tsdcOf;

class TransformStreamDefaultController {
  #c;

  constructor() {
    if (adopting === undefined) throw new TE('Illegal constructor');
    this.#c = adopting;
    adopting.pub = this;
    adopting = undefined;
  }

  get desiredSize() {
    const c = tsdcOf(this);
    if (c === undefined) throw brandError('TransformStreamDefaultController');
    return defaultControllerGetDesiredSize(c.stream.readable.controller);
  }

  enqueue(chunk = undefined) {
    const c = tsdcOf(this);
    if (c === undefined) throw brandError('TransformStreamDefaultController');
    transformControllerEnqueue(c, chunk);
  }

  error(reason = undefined) {
    const c = tsdcOf(this);
    if (c === undefined) throw brandError('TransformStreamDefaultController');
    transformControllerError(c, reason);
  }

  terminate() {
    const c = tsdcOf(this);
    if (c === undefined) throw brandError('TransformStreamDefaultController');
    transformControllerTerminate(c);
  }

  static {
    tsdcOf = (o) => (isObject(o) && #c in o ? o.#c : undefined);
  }
}
defineTag(TransformStreamDefaultController, 'TransformStreamDefaultController');

function pubTransformController(c) {
  if (c.pub === undefined) {
    adopting = c;
    new TransformStreamDefaultController(); // eslint-disable-line no-new
  }
  return c.pub;
}
