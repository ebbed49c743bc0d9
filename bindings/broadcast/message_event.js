// MessageEvent (https://html.spec.whatwg.org/multipage/comms.html#messageevent),
// a subclass of the isolate's Event. sockw has no MessagePort and no
// windows, so ports is always empty and source always null.

function portsError(what) {
  return new TypeError(`Failed to ${what}: Failed to read the 'ports' property from 'MessageEventInit': Failed to convert value to 'MessagePort'.`);
}

class MessageEvent extends Event {
  #data = null;
  #origin = '';
  #lastEventId = '';
  #source = null;
  #ports = null; // a frozen empty array, made when first read

  constructor(type, eventInitDict = undefined) {
    if (type === undefined && arguments.length < 1) {
      throw new TypeError("Failed to construct 'MessageEvent': 1 argument required, but only 0 present.");
    }
    // Event reads bubbles, cancelable and composed; the members of
    // MessageEventInit follow in WebIDL's (lexicographic) order.
    super(type, eventInitDict);
    if (eventInitDict === undefined || eventInitDict === null) return;
    const data = eventInitDict.data;
    if (data !== undefined) this.#data = data;
    const lastEventId = eventInitDict.lastEventId;
    if (lastEventId !== undefined) this.#lastEventId = `${lastEventId}`;
    const origin = eventInitDict.origin;
    if (origin !== undefined) this.#origin = `${origin}`;
    const ports = eventInitDict.ports;
    if (ports !== undefined) {
      if (typeof ports !== 'object' || ports === null) {
        throw new TypeError("Failed to construct 'MessageEvent': Failed to read the 'ports' property from 'MessageEventInit': The provided value cannot be converted to a sequence.");
      }
      for (const _ of ports) throw portsError("construct 'MessageEvent'"); // a TypeError too if not iterable
    }
    const source = eventInitDict.source;
    if (source !== undefined && source !== null) {
      throw new TypeError("Failed to construct 'MessageEvent': Failed to read the 'source' property from 'MessageEventInit': The provided value is not of type '(MessagePort or ServiceWorker or Window)'.");
    }
  }

  get data() {
    if (!(#data in this)) throw illegalInvocation();
    return this.#data;
  }

  get origin() {
    if (!(#data in this)) throw illegalInvocation();
    return this.#origin;
  }

  get lastEventId() {
    if (!(#data in this)) throw illegalInvocation();
    return this.#lastEventId;
  }

  get source() {
    if (!(#data in this)) throw illegalInvocation();
    return this.#source;
  }

  get ports() {
    if (!(#data in this)) throw illegalInvocation();
    return this.#ports ??= freeze([]);
  }

  initMessageEvent(type, bubbles = false, cancelable = false, data = null, origin = '', lastEventId = '',
    source = null, ports = []) {
    if (!(#data in this)) throw illegalInvocation();
    if (arguments.length < 1) {
      throw new TypeError("Failed to execute 'initMessageEvent' on 'MessageEvent': 1 argument required, but only 0 present.");
    }
    if (source !== null) {
      throw new TypeError("Failed to execute 'initMessageEvent' on 'MessageEvent': parameter 7 is not of type '(MessagePort or ServiceWorker or Window)'.");
    }
    for (const _ of ports) throw portsError("execute 'initMessageEvent' on 'MessageEvent'");
    // As Event's initEvent, it does nothing while the event is dispatched.
    if (call(eventPhase, this) !== 0) return;
    call(initEvent, this, type, bubbles, cancelable);
    this.#data = data;
    this.#origin = `${origin}`;
    this.#lastEventId = `${lastEventId}`;
  }

  static {
    isMessageEvent = (v) => typeof v === 'object' && v !== null && #data in v;
    newMessageEvent = (type, data) => {
      const e = new MessageEvent(type);
      e.#data = data;
      return e;
    };
  }
}
