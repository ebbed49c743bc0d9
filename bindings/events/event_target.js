// EventTarget (https://dom.spec.whatwg.org/#interface-eventtarget) and the
// event handler attributes of HTML (onabort) built on it.
//
// A target keeps its listeners per event type, in insertion order, in arrays
// that are never mutated but replaced: dispatch holds the array it started
// with, which is the spec's clone of the listener list, without copying.

let isEventTarget;
let fire; // (target, type); the DOM's "fire an event" with a plain Event
let addListener; // (target, type, callback, capture, once, passive, signal) -> record or null
let removeListener; // (target, record); the DOM's "remove an event listener"
let getEventHandler; // (target, type) -> handler value or null
let setEventHandler; // (target, type, value)

// toListener converts an EventListener? argument: null and undefined mean
// no listener, any object or function is one, anything else is refused.
function toListener(callback, method) {
  if (callback === undefined || callback === null) return null;
  if (typeof callback !== 'object' && typeof callback !== 'function') {
    throw new TypeError(`Failed to execute '${method}' on 'EventTarget': parameter 2 is not of type 'Object'.`);
  }
  return callback;
}

// captureOf is the DOM's "flatten" of an (EventListenerOptions or boolean).
function captureOf(options) {
  if (options === undefined || options === null) return false;
  if (typeof options === 'object' || typeof options === 'function') return !!options.capture;
  return !!options;
}

class EventTarget {
  #listeners = null; // type -> listener records
  #handlers = null; // type -> event handler state

  constructor() {}

  addEventListener(type, callback, options = undefined) {
    if (!(#listeners in this)) throw illegalInvocation();
    if (arguments.length < 2) requireArgs(2, arguments.length, "execute 'addEventListener' on 'EventTarget'");
    type = `${type}`;
    callback = toListener(callback, 'addEventListener');
    let capture = false;
    let once = false;
    let passive = false;
    let signal = null;
    if (typeof options === 'object' && options !== null || typeof options === 'function') {
      capture = !!options.capture;
      once = !!options.once;
      passive = !!options.passive;
      const s = options.signal;
      if (s !== undefined) {
        if (!isAbortSignal(s)) {
          throw new TypeError("Failed to execute 'addEventListener' on 'EventTarget': member signal is not of type 'AbortSignal'.");
        }
        signal = s;
      }
    } else if (options !== undefined && options !== null) {
      capture = !!options;
    }
    if (signal !== null && signalState(signal)[0]) return;
    if (callback === null) return;
    addListener(this, type, callback, capture, once, passive, signal);
  }

  removeEventListener(type, callback, options = undefined) {
    if (!(#listeners in this)) throw illegalInvocation();
    if (arguments.length < 2) requireArgs(2, arguments.length, "execute 'removeEventListener' on 'EventTarget'");
    type = `${type}`;
    callback = toListener(callback, 'removeEventListener');
    const capture = captureOf(options);
    if (callback === null || this.#listeners === null) return;
    const list = this.#listeners[type];
    if (list === undefined) return;
    for (let i = 0; i < list.length; i++) {
      const l = list[i];
      if (l.callback === callback && l.capture === capture) {
        removeListener(this, l);
        return;
      }
    }
  }

  dispatchEvent(event) {
    if (!(#listeners in this)) throw illegalInvocation();
    return dispatch(event, this, false, this.#listeners);
  }

  static {
    isEventTarget = (v) => typeof v === 'object' && v !== null && #listeners in v;

    fire = (target, type) => {
      dispatch(new Event(type), target, true, target.#listeners);
    };

    addListener = (target, type, callback, capture, once, passive, signal) => {
      const map = target.#listeners ??= { __proto__: null };
      const list = map[type];
      const n = list === undefined ? 0 : list.length;
      const next = [];
      for (let i = 0; i < n; i++) {
        const l = list[i];
        if (l.callback === callback && l.capture === capture) return null;
        next[i] = l;
      }
      const record = { type, callback, capture, once, passive, removed: false, unsubscribe: null };
      next[n] = record;
      map[type] = next;
      if (signal !== null) {
        record.unsubscribe = addAlgorithm(signal, () => removeListener(target, record));
      }
      return record;
    };

    removeListener = (target, record) => {
      if (record.removed) return;
      record.removed = true;
      const unsubscribe = record.unsubscribe;
      if (unsubscribe !== null) {
        record.unsubscribe = null;
        unsubscribe();
      }
      const map = target.#listeners;
      const list = map === null ? undefined : map[record.type];
      if (list === undefined) return;
      const next = [];
      for (let i = 0; i < list.length; i++) {
        if (list[i] !== record) next[next.length] = list[i];
      }
      if (next.length === 0) delete map[record.type];
      else map[record.type] = next;
    };

    getEventHandler = (target, type) => {
      const handlers = target.#handlers;
      const entry = handlers === null ? undefined : handlers[type];
      return entry === undefined ? null : entry.value;
    };

    // setEventHandler follows HTML's event handler IDL attribute setter: a
    // non-object is null ([LegacyTreatNonObjectAsNull]); the listener is
    // added when the handler is first set, keeps its place while the
    // handler changes, and is removed when it is set to null.
    setEventHandler = (target, type, value) => {
      if (typeof value !== 'object' && typeof value !== 'function') value = null;
      const handlers = target.#handlers ??= { __proto__: null };
      const entry = handlers[type];
      if (value === null) {
        if (entry !== undefined) {
          delete handlers[type];
          if (entry.listener !== null) removeListener(target, entry.listener);
        }
        return;
      }
      if (entry !== undefined) {
        entry.value = value;
        return;
      }
      const state = { value, listener: null };
      handlers[type] = state;
      state.listener = addListener(target, type, function (event) {
        const fn = state.value;
        if (typeof fn !== 'function') return; // a non-callable object does nothing
        if (call(fn, this, event) === false) cancelEvent(event);
      }, false, false, false, null);
    };
  }
}
setToStringTag(EventTarget, 'EventTarget');
defineGlobal('EventTarget', EventTarget);

// defineEventHandler gives ctor.prototype an on<type> attribute for objects
// that is(v) accepts.
function defineEventHandler(ctor, type, is) {
  const name = `on${type}`;
  const accessors = {
    get [name]() {
      if (!is(this)) throw illegalInvocation();
      return getEventHandler(this, type);
    },
    set [name](value) {
      if (!is(this)) throw illegalInvocation();
      setEventHandler(this, type, value);
    },
  };
  const desc = Object.getOwnPropertyDescriptor(accessors, name);
  defineProperty(ctor.prototype, name, { get: desc.get, set: desc.set, enumerable: true, configurable: true });
}

internals.isEventTarget = isEventTarget;
internals.EventTarget = EventTarget;
