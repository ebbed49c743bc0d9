// BroadcastChannel (https://html.spec.whatwg.org/multipage/web-messaging.html#broadcasting-to-other-browsing-contexts).
// The bookkeeping is here; Go (host) keeps the channels of the isolate by
// name, serializes messages and carries them through the worker's Hub to
// every isolate, this one included, where deliver runs for each
// destination as a task of its own.

let isOpen; // (channel) -> whether it can still receive

class BroadcastChannel extends EventTarget {
  #name;
  #id;
  #closed = false;
  #handlers = null; // type -> {value, listener} for onmessage, onmessageerror

  constructor(name) {
    if (arguments.length < 1) {
      throw new TypeError("Failed to construct 'BroadcastChannel': 1 argument required, but only 0 present.");
    }
    name = `${name}`;
    super();
    this.#name = name;
    this.#id = host.open(this, name);
  }

  get name() {
    if (!(#id in this)) throw illegalInvocation();
    return this.#name;
  }

  postMessage(message) {
    if (!(#id in this)) throw illegalInvocation();
    if (arguments.length < 1) {
      throw new TypeError("Failed to execute 'postMessage' on 'BroadcastChannel': 1 argument required, but only 0 present.");
    }
    if (this.#closed) {
      throw new DOMException("Failed to execute 'postMessage' on 'BroadcastChannel': Channel is closed", 'InvalidStateError');
    }
    host.post(this.#id, this.#name, message);
  }

  close() {
    if (!(#id in this)) throw illegalInvocation();
    if (this.#closed) return;
    this.#closed = true;
    host.close(this.#id, this.#name);
  }

  // onmessage and onmessageerror are HTML event handler attributes: the
  // listener is added when a handler is first set, keeps its place in the
  // listener list while the handler changes, and goes when it is set to
  // null; a value that is no object is null.
  static #getHandler(target, type) {
    const h = target.#handlers === null ? undefined : target.#handlers[type];
    return h === undefined ? null : h.value;
  }

  static #setHandler(target, type, value) {
    if (typeof value !== 'object' && typeof value !== 'function') value = null;
    const handlers = target.#handlers ??= { __proto__: null };
    const h = handlers[type];
    if (value === null) {
      if (h !== undefined) {
        delete handlers[type];
        call(removeEventListener, target, type, h.listener);
      }
      return;
    }
    if (h !== undefined) {
      h.value = value;
      return;
    }
    const state = { value, listener: null };
    state.listener = function (event) {
      const fn = state.value;
      if (typeof fn !== 'function') return;
      if (call(fn, this, event) === false) event.preventDefault();
    };
    handlers[type] = state;
    call(addEventListener, target, type, state.listener);
  }

  get onmessage() {
    if (!(#id in this)) throw illegalInvocation();
    return BroadcastChannel.#getHandler(this, 'message');
  }

  set onmessage(value) {
    if (!(#id in this)) throw illegalInvocation();
    BroadcastChannel.#setHandler(this, 'message', value);
  }

  get onmessageerror() {
    if (!(#id in this)) throw illegalInvocation();
    return BroadcastChannel.#getHandler(this, 'messageerror');
  }

  set onmessageerror(value) {
    if (!(#id in this)) throw illegalInvocation();
    BroadcastChannel.#setHandler(this, 'messageerror', value);
  }

  static {
    isOpen = (channel) => !channel.#closed;
  }
}

// deliver fires a message event with data at channel, unless it has been
// closed since the message was posted.
function deliver(channel, data) {
  if (!isOpen(channel)) return;
  call(dispatchEvent, channel, newMessageEvent('message', data));
}

// deliverError fires messageerror: the message could not be deserialized.
function deliverError(channel) {
  if (!isOpen(channel)) return;
  call(dispatchEvent, channel, new MessageEvent('messageerror'));
}
