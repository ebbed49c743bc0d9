// ReadableStreamDefaultController and its abstract operations.

class RSDCRec {
  constructor() {
    this.byte = false;
    this.stream = undefined;
    this.queue = undefined;
    this.queueTotalSize = 0;
    this.started = false;
    this.closeRequested = false;
    this.pullAgain = false;
    this.pulling = false;
    this.strategySizeAlgorithm = undefined;
    this.strategyHWM = 0;
    this.pullAlgorithm = undefined;
    this.cancelAlgorithm = undefined;
    this.onPulled = undefined;
    this.onPullFailed = undefined;
    this.goPipe = undefined; // see setPipeHandle
    this.pub = undefined;
  }
}

function setUpDefaultController(s, c, startAlgorithm, pullAlgorithm, cancelAlgorithm, hwm, sizeAlgorithm) {
  c.stream = s;
  resetQueue(c);
  c.strategySizeAlgorithm = sizeAlgorithm;
  c.strategyHWM = hwm;
  c.pullAlgorithm = pullAlgorithm;
  c.cancelAlgorithm = cancelAlgorithm;
  // The reactions to a pull promise, made once per controller.
  c.onPulled = () => {
    c.pulling = false;
    if (c.pullAgain) {
      c.pullAgain = false;
      defaultControllerCallPullIfNeeded(c);
    }
  };
  c.onPullFailed = (e) => { defaultControllerError(c, e); };
  s.controller = c;
  const startResult = startAlgorithm();
  thenCall(resolvedWith(startResult), () => {
    c.started = true;
    defaultControllerCallPullIfNeeded(c);
  }, (r) => { defaultControllerError(c, r); });
}

function setUpDefaultControllerFromSource(s, source, dict, hwm, sizeAlgorithm) {
  const c = new RSDCRec();
  let startAlgorithm = returnUndefined;
  let pullAlgorithm = resolvedUndefinedAlgorithm;
  let cancelAlgorithm = resolvedUndefinedAlgorithm;
  const start = dict.start;
  const pull = dict.pull;
  const cancel = dict.cancel;
  if (start !== undefined) startAlgorithm = () => ReflectApply(start, source, [pubDefaultController(c)]);
  if (pull !== undefined) pullAlgorithm = () => promiseCall(pull, source, [pubDefaultController(c)]);
  if (cancel !== undefined) cancelAlgorithm = (reason) => promiseCall(cancel, source, [reason]);
  setUpDefaultController(s, c, startAlgorithm, pullAlgorithm, cancelAlgorithm, hwm, sizeAlgorithm);
}

function resolvedUndefinedAlgorithm() { return resolvedWith(undefined); }

function defaultControllerCallPullIfNeeded(c) {
  if (!defaultControllerShouldCallPull(c)) return;
  if (c.pulling) {
    c.pullAgain = true;
    return;
  }
  c.pulling = true;
  thenCall(c.pullAlgorithm(), c.onPulled, c.onPullFailed);
}

function defaultControllerShouldCallPull(c) {
  if (!defaultControllerCanCloseOrEnqueue(c)) return false;
  if (!c.started) return false;
  const s = c.stream;
  if (s.reader !== undefined && s.reader.requests.size > 0) return true;
  return defaultControllerGetDesiredSize(c) > 0;
}

function defaultControllerClearAlgorithms(c) {
  c.pullAlgorithm = undefined;
  c.cancelAlgorithm = undefined;
  c.strategySizeAlgorithm = undefined;
}

function defaultControllerClose(c) {
  if (!defaultControllerCanCloseOrEnqueue(c)) return;
  c.closeRequested = true;
  if (c.queue.size === 0) {
    defaultControllerClearAlgorithms(c);
    readableStreamClose(c.stream);
  }
}

function defaultControllerEnqueue(c, chunk) {
  if (!defaultControllerCanCloseOrEnqueue(c)) return;
  const s = c.stream;
  if (s.reader !== undefined && s.reader.requests.size > 0) {
    readableStreamFulfillReadRequest(s, chunk, false);
  } else {
    let size;
    try {
      size = c.strategySizeAlgorithm(chunk);
    } catch (e) {
      defaultControllerError(c, e);
      throw e;
    }
    try {
      enqueueValueWithSize(c, chunk, size);
    } catch (e) {
      defaultControllerError(c, e);
      throw e;
    }
  }
  defaultControllerCallPullIfNeeded(c);
}

function defaultControllerError(c, e) {
  const s = c.stream;
  if (s.state !== 'readable') return;
  resetQueue(c);
  defaultControllerClearAlgorithms(c);
  readableStreamError(s, e);
}

function defaultControllerGetDesiredSize(c) {
  const state = c.stream.state;
  if (state === 'errored') return null;
  if (state === 'closed') return 0;
  return c.strategyHWM - c.queueTotalSize;
}

function defaultControllerHasBackpressure(c) {
  return !defaultControllerShouldCallPull(c);
}

function defaultControllerCanCloseOrEnqueue(c) {
  return !c.closeRequested && c.stream.state === 'readable';
}

function defaultControllerCancelSteps(c, reason) {
  resetQueue(c);
  const result = c.cancelAlgorithm(reason);
  defaultControllerClearAlgorithms(c);
  return result;
}

function defaultControllerPullSteps(c, req) {
  const s = c.stream;
  if (c.queue.size > 0) {
    const chunk = dequeueValue(c);
    if (c.closeRequested && c.queue.size === 0) {
      defaultControllerClearAlgorithms(c);
      readableStreamClose(s);
    } else {
      defaultControllerCallPullIfNeeded(c);
    }
    req.chunk(chunk);
  } else {
    s.reader.requests.push(req);
    defaultControllerCallPullIfNeeded(c);
  }
}

let rsdcOf;

class ReadableStreamDefaultController {
  #c;

  constructor() {
    if (adopting === undefined) throw new TE('Illegal constructor');
    this.#c = adopting;
    adopting.pub = this;
    adopting = undefined;
  }

  get desiredSize() {
    const c = rsdcOf(this);
    if (c === undefined) throw brandError('ReadableStreamDefaultController');
    return defaultControllerGetDesiredSize(c);
  }

  close() {
    const c = rsdcOf(this);
    if (c === undefined) throw brandError('ReadableStreamDefaultController');
    if (!defaultControllerCanCloseOrEnqueue(c)) throw new TE('The stream is not in a state that permits close');
    defaultControllerClose(c);
  }

  enqueue(chunk = undefined) {
    const c = rsdcOf(this);
    if (c === undefined) throw brandError('ReadableStreamDefaultController');
    if (!defaultControllerCanCloseOrEnqueue(c)) throw new TE('The stream is not in a state that permits enqueue');
    defaultControllerEnqueue(c, chunk);
  }

  error(e = undefined) {
    const c = rsdcOf(this);
    if (c === undefined) throw brandError('ReadableStreamDefaultController');
    defaultControllerError(c, e);
  }

  static {
    rsdcOf = (o) => (isObject(o) && #c in o ? o.#c : undefined);
  }
}
defineTag(ReadableStreamDefaultController, 'ReadableStreamDefaultController');

function pubDefaultController(c) {
  if (c.pub === undefined) {
    adopting = c;
    new ReadableStreamDefaultController(); // eslint-disable-line no-new
  }
  return c.pub;
}
