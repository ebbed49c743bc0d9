// node:events. module.exports is EventEmitter itself, because CommonJS
// packages do `const EventEmitter = require('events')` and subclass it.
//
// emit runs on every chunk of every socket, so the common shapes stay cheap:
// a single listener is stored as the function itself (no array copy), and
// emit takes a rest parameter, not `arguments`, which in goja costs about
// twice as much per call.
'use strict';
const {
  coded, inspect, invalidArgType, notSupported, validateNumber, validateFunction, validateBoolean, validateAbortSignal, AbortError,
} = require('sockw:internal/node-codes');

const kCapture = Symbol('kCapture');
const kRejection = Symbol.for('nodejs.rejection');
const kErrorMonitor = Symbol('events.errorMonitor');
const kMaxEventTargetListeners = Symbol('events.maxEventTargetListeners');
const kMaxEventTargetListenersWarned = Symbol('events.maxEventTargetListenersWarned');

let defaultMaxListeners = 10;

function checkListener(listener) {
  validateFunction(listener, 'listener');
}

function EventEmitter(opts) {
  EventEmitter.init.call(this, opts);
}
// The bundler may rename the function; messages and inspection use the name.
Object.defineProperty(EventEmitter, 'name', { value: 'EventEmitter' });
module.exports = EventEmitter;

EventEmitter.prototype._events = undefined;
EventEmitter.prototype._eventsCount = 0;
EventEmitter.prototype._maxListeners = undefined;
EventEmitter.prototype[kCapture] = false;

// init is also what old-style subclasses reach through EventEmitter.call(this).
EventEmitter.init = function init(opts) {
  if (this._events === undefined || this._events === Object.getPrototypeOf(this)._events) {
    this._events = Object.create(null);
    this._eventsCount = 0;
  }
  this._maxListeners = this._maxListeners || undefined;
  if (opts && opts.captureRejections !== undefined) {
    validateBoolean(opts.captureRejections, 'options.captureRejections');
    this[kCapture] = Boolean(opts.captureRejections);
  } else if (this[kCapture] !== EventEmitter.prototype[kCapture]) {
    this[kCapture] = EventEmitter.prototype[kCapture];
  }
};

Object.defineProperties(EventEmitter, {
  EventEmitter: { value: EventEmitter, enumerable: true, writable: true, configurable: true },
  usingDomains: { value: false, enumerable: true, writable: true, configurable: true },
  captureRejectionSymbol: { value: kRejection, enumerable: true },
  errorMonitor: { value: kErrorMonitor, enumerable: true },
  kMaxEventTargetListeners: { value: kMaxEventTargetListeners },
  kMaxEventTargetListenersWarned: { value: kMaxEventTargetListenersWarned },
  captureRejections: {
    enumerable: true,
    get() { return EventEmitter.prototype[kCapture]; },
    set(value) {
      validateBoolean(value, 'EventEmitter.captureRejections');
      EventEmitter.prototype[kCapture] = value;
    },
  },
  defaultMaxListeners: {
    enumerable: true,
    get() { return defaultMaxListeners; },
    set(n) {
      validateNumber(n, 'defaultMaxListeners', 0);
      defaultMaxListeners = n;
    },
  },
});

EventEmitter.prototype.setMaxListeners = function setMaxListeners(n) {
  validateNumber(n, 'setMaxListeners', 0);
  this._maxListeners = n;
  return this;
};

function maxListeners(that) {
  return that._maxListeners === undefined ? defaultMaxListeners : that._maxListeners;
}

EventEmitter.prototype.getMaxListeners = function getMaxListeners() {
  return maxListeners(this);
};

// A listener's returned promise is watched only under captureRejections:
// its rejection becomes the emitter's 'error' (or Symbol.for('nodejs.rejection')).
function addCatch(that, promise, type, args) {
  if (!that[kCapture]) return;
  try {
    const then = promise.then;
    if (typeof then === 'function') {
      then.call(promise, undefined, (err) => {
        queueMicrotask(() => emitRejection(that, err, type, args));
      });
    }
  } catch (err) {
    that.emit('error', err);
  }
}

function emitRejection(that, err, type, args) {
  if (typeof that[kRejection] === 'function') {
    that[kRejection](err, type, ...args);
    return;
  }
  const prev = that[kCapture];
  try {
    // An 'error' listener that rejects again must not loop.
    that[kCapture] = false;
    that.emit('error', err);
  } finally {
    that[kCapture] = prev;
  }
}

function throwUnhandled(er) {
  if (er instanceof Error) throw er;
  let shown;
  try {
    shown = inspect(er);
  } catch {
    shown = er;
  }
  const err = coded(Error, 'ERR_UNHANDLED_ERROR', 'Unhandled error. (' + shown + ')');
  err.context = er;
  throw err;
}

EventEmitter.prototype.emit = function emit(type, ...args) {
  const events = this._events;
  let doError = type === 'error';
  if (events !== undefined) {
    if (doError && events[kErrorMonitor] !== undefined) this.emit(kErrorMonitor, ...args);
    doError = doError && events.error === undefined;
  } else if (!doError) {
    return false;
  }
  if (doError) throwUnhandled(args[0]);

  const handler = events[type];
  if (handler === undefined) return false;
  if (typeof handler === 'function') {
    const result = handler.apply(this, args);
    if (result !== undefined && result !== null && this[kCapture]) addCatch(this, result, type, args);
    return true;
  }
  // A listener may add or remove listeners; those that were registered when
  // emit began all run, once each.
  const listeners = handler.slice();
  for (let i = 0; i < listeners.length; i++) {
    const result = listeners[i].apply(this, args);
    if (result !== undefined && result !== null && this[kCapture]) addCatch(this, result, type, args);
  }
  return true;
};

function warnMaxListeners(target, type, count) {
  const name = target.constructor && target.constructor.name ? target.constructor.name : 'EventEmitter';
  const w = new Error('Possible EventEmitter memory leak detected. ' + count + ' ' + String(type) + ' listeners added to [' + name +
    ']. MaxListeners is ' + maxListeners(target) + '. Use emitter.setMaxListeners() to increase limit');
  w.name = 'MaxListenersExceededWarning';
  w.emitter = target;
  w.type = type;
  w.count = count;
  // process requires this module; it is complete by the time a listener is added.
  const process = require('node:process');
  if (typeof process.emitWarning === 'function') process.emitWarning(w);
  else console.warn(w.name + ': ' + w.message);
}

function addListener(target, type, listener, prepend) {
  checkListener(listener);
  let events = target._events;
  if (events === undefined) {
    events = target._events = Object.create(null);
    target._eventsCount = 0;
  } else if (events.newListener !== undefined) {
    target.emit('newListener', type, listener.listener ? listener.listener : listener);
    // A 'newListener' listener may have replaced the table.
    events = target._events;
  }
  const existing = events[type];
  if (existing === undefined) {
    events[type] = listener;
    ++target._eventsCount;
    return target;
  }
  let list;
  if (typeof existing === 'function') {
    list = events[type] = prepend ? [listener, existing] : [existing, listener];
  } else {
    list = existing;
    if (prepend) list.unshift(listener);
    else list.push(listener);
  }
  const m = maxListeners(target);
  if (m > 0 && list.length > m && !list.warned) {
    list.warned = true;
    warnMaxListeners(target, type, list.length);
  }
  return target;
}

EventEmitter.prototype.addListener = function addListenerMethod(type, listener) {
  return addListener(this, type, listener, false);
};
EventEmitter.prototype.on = EventEmitter.prototype.addListener;

EventEmitter.prototype.prependListener = function prependListener(type, listener) {
  return addListener(this, type, listener, true);
};

function onceWrapper() {
  if (!this.fired) {
    this.target.removeListener(this.type, this.wrapFn);
    this.fired = true;
    return arguments.length === 0 ? this.listener.call(this.target) : this.listener.apply(this.target, arguments);
  }
}

function onceWrap(target, type, listener) {
  const state = { fired: false, wrapFn: undefined, target, type, listener };
  const wrapped = onceWrapper.bind(state);
  wrapped.listener = listener;
  state.wrapFn = wrapped;
  return wrapped;
}

EventEmitter.prototype.once = function once(type, listener) {
  checkListener(listener);
  this.on(type, onceWrap(this, type, listener));
  return this;
};

EventEmitter.prototype.prependOnceListener = function prependOnceListener(type, listener) {
  checkListener(listener);
  this.prependListener(type, onceWrap(this, type, listener));
  return this;
};

EventEmitter.prototype.removeListener = function removeListener(type, listener) {
  checkListener(listener);
  const events = this._events;
  if (events === undefined) return this;
  const list = events[type];
  if (list === undefined) return this;
  if (list === listener || list.listener === listener) {
    if (--this._eventsCount === 0) {
      // The last listener: nobody is left to hear of its removal.
      this._events = Object.create(null);
    } else {
      delete events[type];
      if (events.removeListener !== undefined) this.emit('removeListener', type, list.listener || listener);
    }
    return this;
  }
  if (typeof list === 'function') return this;
  let position = -1;
  for (let i = list.length - 1; i >= 0; i--) {
    if (list[i] === listener || list[i].listener === listener) {
      position = i;
      break;
    }
  }
  if (position < 0) return this;
  if (position === 0) list.shift();
  else list.splice(position, 1);
  if (list.length === 1) events[type] = list[0];
  // As Node, this names the listener as given: a once wrapper stays wrapped.
  if (events.removeListener !== undefined) this.emit('removeListener', type, listener);
  return this;
};
EventEmitter.prototype.off = EventEmitter.prototype.removeListener;

EventEmitter.prototype.removeAllListeners = function removeAllListeners(type) {
  const events = this._events;
  if (events === undefined) return this;
  // Without 'removeListener' listeners nobody watches: drop the tables.
  if (events.removeListener === undefined) {
    if (arguments.length === 0) {
      this._events = Object.create(null);
      this._eventsCount = 0;
    } else if (events[type] !== undefined) {
      if (--this._eventsCount === 0) this._events = Object.create(null);
      else delete events[type];
    }
    return this;
  }
  if (arguments.length === 0) {
    for (const key of Reflect.ownKeys(events)) {
      if (key !== 'removeListener') this.removeAllListeners(key);
    }
    this.removeAllListeners('removeListener');
    this._events = Object.create(null);
    this._eventsCount = 0;
    return this;
  }
  const listeners = events[type];
  if (typeof listeners === 'function') {
    this.removeListener(type, listeners);
  } else if (listeners !== undefined) {
    // Last in, first out, as Node does.
    for (let i = listeners.length - 1; i >= 0; i--) this.removeListener(type, listeners[i]);
  }
  return this;
};

function listenersOf(target, type, unwrap) {
  const events = target._events;
  if (events === undefined) return [];
  const l = events[type];
  if (l === undefined) return [];
  if (typeof l === 'function') return unwrap ? [l.listener || l] : [l];
  return unwrap ? l.map((fn) => fn.listener || fn) : l.slice();
}

EventEmitter.prototype.listeners = function listeners(type) {
  return listenersOf(this, type, true);
};

EventEmitter.prototype.rawListeners = function rawListeners(type) {
  return listenersOf(this, type, false);
};

function listenerCount(type, listener) {
  const events = this._events;
  if (events === undefined) return 0;
  const l = events[type];
  if (l === undefined) return 0;
  if (typeof l === 'function') {
    if (listener == null) return 1;
    return l === listener || l.listener === listener ? 1 : 0;
  }
  if (listener == null) return l.length;
  let n = 0;
  for (const fn of l) if (fn === listener || fn.listener === listener) n++;
  return n;
}
EventEmitter.prototype.listenerCount = listenerCount;

EventEmitter.listenerCount = function (emitter, type) {
  if (typeof emitter.listenerCount === 'function') return emitter.listenerCount(type);
  return listenerCount.call(emitter, type);
};

EventEmitter.prototype.eventNames = function eventNames() {
  return this._eventsCount > 0 ? Reflect.ownKeys(this._events) : [];
};

function isEventTarget(obj) {
  return obj != null && typeof obj.addEventListener === 'function' && typeof obj.removeEventListener === 'function';
}

EventEmitter.getEventListeners = function getEventListeners(emitterOrTarget, type) {
  if (emitterOrTarget != null && typeof emitterOrTarget.listeners === 'function') return emitterOrTarget.listeners(type);
  if (isEventTarget(emitterOrTarget)) throw notSupported('events.getEventListeners(EventTarget)');
  throw invalidArgType('emitter', ['EventEmitter', 'EventTarget'], emitterOrTarget);
};

EventEmitter.getMaxListeners = function getMaxListeners(emitterOrTarget) {
  if (emitterOrTarget != null && typeof emitterOrTarget.getMaxListeners === 'function') return emitterOrTarget.getMaxListeners();
  if (isEventTarget(emitterOrTarget)) {
    return emitterOrTarget[kMaxEventTargetListeners] === undefined ? defaultMaxListeners : emitterOrTarget[kMaxEventTargetListeners];
  }
  throw invalidArgType('emitter', ['EventEmitter', 'EventTarget'], emitterOrTarget);
};

// setMaxListeners(n, ...targets) also takes EventTargets (AbortSignals
// mostly), which libraries call to silence Node's warning; sockw's
// EventTarget never warns, so the limit is only remembered.
EventEmitter.setMaxListeners = function setMaxListeners(n = defaultMaxListeners, ...targets) {
  validateNumber(n, 'setMaxListeners', 0);
  if (targets.length === 0) {
    defaultMaxListeners = n;
    return;
  }
  for (const target of targets) {
    if (target != null && typeof target.setMaxListeners === 'function') target.setMaxListeners(n);
    else if (isEventTarget(target)) target[kMaxEventTargetListeners] = n;
    else throw invalidArgType('eventTargets', ['EventEmitter', 'EventTarget'], target);
  }
};

function abortError(signal) {
  return new AbortError(undefined, { cause: signal.reason });
}

// once(emitter, name) resolves with the event's arguments as an array; an
// 'error' event first rejects it (unless name is 'error').
EventEmitter.once = function once(emitter, name, options = undefined) {
  return new Promise((resolve, reject) => {
    const signal = options != null ? options.signal : undefined;
    validateAbortSignal(signal, 'options.signal');
    if (signal && signal.aborted) {
      reject(abortError(signal));
      return;
    }
    let cleanup;
    const onAbort = () => {
      cleanup();
      reject(abortError(signal));
    };
    if (isEventTarget(emitter) && typeof emitter.on !== 'function') {
      const listener = (...args) => {
        if (signal) signal.removeEventListener('abort', onAbort);
        resolve(args);
      };
      emitter.addEventListener(name, listener, { once: true });
      cleanup = () => emitter.removeEventListener(name, listener);
    } else {
      let onError;
      const listener = (...args) => {
        if (onError !== undefined) emitter.removeListener('error', onError);
        if (signal) signal.removeEventListener('abort', onAbort);
        resolve(args);
      };
      emitter.once(name, listener);
      if (name !== 'error') {
        onError = (err) => {
          emitter.removeListener(name, listener);
          if (signal) signal.removeEventListener('abort', onAbort);
          reject(err);
        };
        emitter.once('error', onError);
      }
      cleanup = () => {
        emitter.removeListener(name, listener);
        if (onError !== undefined) emitter.removeListener('error', onError);
      };
    }
    if (signal) signal.addEventListener('abort', onAbort, { once: true });
  });
};

// on(emitter, name) is an async iterator over the event's argument arrays.
// It ends on abort (rejecting with AbortError), on an 'error' event (which
// it rethrows), on return(), or on one of options.close's events.
EventEmitter.on = function on(emitter, event, options = undefined) {
  const signal = options != null ? options.signal : undefined;
  validateAbortSignal(signal, 'options.signal');
  if (signal && signal.aborted) throw abortError(signal);
  const closeEvents = (options && options.close) || [];
  const highWater = options && options.highWaterMark !== undefined ? options.highWaterMark : Number.MAX_SAFE_INTEGER;
  const lowWater = options && options.lowWaterMark !== undefined ? options.lowWaterMark : 1;
  const queue = [];
  const waiting = [];
  let error = null;
  let finished = false;
  let paused = false;

  const target = isEventTarget(emitter) && typeof emitter.on !== 'function' ? null : emitter;
  const listen = (name, fn) => {
    if (target) target.on(name, fn);
    else emitter.addEventListener(name, fn);
  };
  const unlisten = (name, fn) => {
    if (target) target.removeListener(name, fn);
    else emitter.removeEventListener(name, fn);
  };

  const onEvent = (...args) => {
    if (waiting.length > 0) {
      waiting.shift().resolve({ value: args, done: false });
      return;
    }
    queue.push(args);
    if (!paused && queue.length > highWater && target && typeof target.pause === 'function') {
      paused = true;
      target.pause();
    }
  };
  const onError = (err) => {
    if (waiting.length > 0) waiting.shift().reject(err);
    else error = err;
    closeHandler();
  };
  const onAbort = () => onError(abortError(signal));
  const closeHandler = () => {
    unlisten(event, onEvent);
    if (event !== 'error' && target) unlisten('error', onError);
    for (const name of closeEvents) unlisten(name, closeHandler);
    if (signal) signal.removeEventListener('abort', onAbort);
    finished = true;
    while (waiting.length > 0) waiting.shift().resolve({ value: undefined, done: true });
  };

  listen(event, onEvent);
  if (event !== 'error' && target) target.on('error', onError);
  for (const name of closeEvents) listen(name, closeHandler);
  if (signal) signal.addEventListener('abort', onAbort, { once: true });

  return {
    next() {
      if (queue.length > 0) {
        const value = queue.shift();
        if (paused && queue.length < lowWater) {
          paused = false;
          target.resume();
        }
        return Promise.resolve({ value, done: false });
      }
      if (error) {
        const p = Promise.reject(error);
        error = null;
        return p;
      }
      if (finished) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    return() {
      closeHandler();
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(err) {
      if (!err || !(err instanceof Error)) throw invalidArgType('EventEmitter.AsyncIterator', 'Error', err);
      onError(err);
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() { return this; },
  };
};

// addAbortListener(signal, listener) returns a Disposable that removes it.
EventEmitter.addAbortListener = function addAbortListener(signal, listener) {
  if (signal === undefined) throw invalidArgType('signal', 'AbortSignal', signal);
  validateAbortSignal(signal, 'signal');
  validateFunction(listener, 'listener');
  let remove;
  if (signal.aborted) {
    queueMicrotask(() => listener());
  } else {
    signal.addEventListener('abort', listener, { once: true });
    remove = () => signal.removeEventListener('abort', listener);
  }
  const dispose = { __proto__: null };
  dispose[Symbol.dispose || Symbol.for('nodejs.dispose')] = () => { if (remove) remove(); };
  return dispose;
};

// EventEmitterAsyncResource needs async_hooks, which sockw does not have.
EventEmitter.EventEmitterAsyncResource = class EventEmitterAsyncResource extends EventEmitter {
  constructor() {
    throw notSupported('events.EventEmitterAsyncResource');
  }
};
