// Event and CustomEvent (https://dom.spec.whatwg.org/#interface-event), and
// the dispatch algorithm, which lives here because it mostly works on an
// event's private state. A sockw event target has no parent, so an event's
// path is only its target: dispatch runs the target's capture listeners,
// then its other listeners, both at AT_TARGET.
//
// goja makes some constructs costly, which shapes this file: an object or
// array literal costs about as much as five function calls, and a function
// that mentions `arguments` allocates it on every call. So the event's
// booleans share one flags field, the hot paths allocate nothing, and the
// constructors treat an explicit undefined type like a missing one.

// Event flag bits.
const STOP_PROPAGATION = 1;
const STOP_IMMEDIATE = 2;
const CANCELED = 4;
const IN_PASSIVE = 8;
const INITIALIZED = 16;
const DISPATCH = 32;
const BUBBLES = 64;
const CANCELABLE = 128;
const COMPOSED = 256;
const TRUSTED = 512;

const NONE = 0;
const AT_TARGET = 2;

const now = host.now;

let isEvent;
let dispatch; // (event, target, trusted, listener map) -> !canceled; the DOM's "dispatch"
let cancelEvent; // (event); the DOM's "set the canceled flag"
let initEventInternal; // (event, type, bubbles, cancelable) -> false while dispatching
let isTrustedDescriptor;

// readEventInit converts an EventInit dictionary to flag bits, reading its
// members in WebIDL (lexicographic) order.
function readEventInit(dict, what) {
  if (dict === undefined || dict === null) return 0;
  if (typeof dict !== 'object' && typeof dict !== 'function') {
    throw new TypeError(`Failed to construct '${what}': The provided value is not of type '${what}Init'.`);
  }
  let flags = 0;
  if (dict.bubbles) flags |= BUBBLES;
  if (dict.cancelable) flags |= CANCELABLE;
  if (dict.composed) flags |= COMPOSED;
  return flags;
}

class Event {
  #type;
  #flags;
  #target = null;
  #currentTarget = null;
  #phase = NONE;
  #timeStamp;

  constructor(type, eventInitDict = undefined) {
    if (type === undefined) requireArgs(1, 0, "construct 'Event'");
    this.#type = `${type}`;
    this.#flags = INITIALIZED | readEventInit(eventInitDict, 'Event');
    this.#timeStamp = now();
    defineProperty(this, 'isTrusted', isTrustedDescriptor);
  }

  get type() {
    if (!(#flags in this)) throw illegalInvocation();
    return this.#type;
  }

  get target() {
    if (!(#flags in this)) throw illegalInvocation();
    return this.#target;
  }

  get srcElement() {
    if (!(#flags in this)) throw illegalInvocation();
    return this.#target;
  }

  get currentTarget() {
    if (!(#flags in this)) throw illegalInvocation();
    return this.#currentTarget;
  }

  composedPath() {
    if (!(#flags in this)) throw illegalInvocation();
    return this.#flags & DISPATCH && this.#currentTarget !== null ? [this.#currentTarget] : [];
  }

  get eventPhase() {
    if (!(#flags in this)) throw illegalInvocation();
    return this.#phase;
  }

  stopPropagation() {
    if (!(#flags in this)) throw illegalInvocation();
    this.#flags |= STOP_PROPAGATION;
  }

  get cancelBubble() {
    if (!(#flags in this)) throw illegalInvocation();
    return (this.#flags & STOP_PROPAGATION) !== 0;
  }

  set cancelBubble(value) {
    if (!(#flags in this)) throw illegalInvocation();
    if (value) this.#flags |= STOP_PROPAGATION;
  }

  stopImmediatePropagation() {
    if (!(#flags in this)) throw illegalInvocation();
    this.#flags |= STOP_PROPAGATION | STOP_IMMEDIATE;
  }

  get bubbles() {
    if (!(#flags in this)) throw illegalInvocation();
    return (this.#flags & BUBBLES) !== 0;
  }

  get cancelable() {
    if (!(#flags in this)) throw illegalInvocation();
    return (this.#flags & CANCELABLE) !== 0;
  }

  get returnValue() {
    if (!(#flags in this)) throw illegalInvocation();
    return (this.#flags & CANCELED) === 0;
  }

  set returnValue(value) {
    if (!(#flags in this)) throw illegalInvocation();
    if (!value) this.#cancel();
  }

  preventDefault() {
    if (!(#flags in this)) throw illegalInvocation();
    this.#cancel();
  }

  #cancel() {
    if ((this.#flags & (CANCELABLE | IN_PASSIVE)) === CANCELABLE) this.#flags |= CANCELED;
  }

  get defaultPrevented() {
    if (!(#flags in this)) throw illegalInvocation();
    return (this.#flags & CANCELED) !== 0;
  }

  get composed() {
    if (!(#flags in this)) throw illegalInvocation();
    return (this.#flags & COMPOSED) !== 0;
  }

  get timeStamp() {
    if (!(#flags in this)) throw illegalInvocation();
    return this.#timeStamp;
  }

  initEvent(type, bubbles = false, cancelable = false) {
    if (!(#flags in this)) throw illegalInvocation();
    if (arguments.length < 1) requireArgs(1, 0, "execute 'initEvent' on 'Event'");
    initEventInternal(this, type, bubbles, cancelable);
  }

  static {
    isEvent = (v) => typeof v === 'object' && v !== null && #flags in v;

    // isTrusted is [LegacyUnforgeable]: an own, non-configurable accessor on
    // every instance, sharing this one getter.
    isTrustedDescriptor = {
      get: {
        isTrusted() {
          if (!(#flags in this)) throw illegalInvocation();
          return (this.#flags & TRUSTED) !== 0;
        },
      }.isTrusted,
      set: undefined,
      enumerable: true,
      configurable: false,
    };

    cancelEvent = (event) => event.#cancel();

    initEventInternal = (event, type, bubbles, cancelable) => {
      if (event.#flags & DISPATCH) return false;
      // The DOM's "initialize" leaves composed alone and clears the rest.
      event.#flags = INITIALIZED | (event.#flags & COMPOSED) | (bubbles ? BUBBLES : 0) | (cancelable ? CANCELABLE : 0);
      event.#target = null;
      event.#type = `${type}`;
      return true;
    };

    // dispatch is the DOM's "dispatch" with its "invoke" and "inner invoke"
    // for each of the two passes at the target. The listener arrays are
    // copy-on-write, so holding the array a pass starts with is the spec's
    // clone of the listener list: listeners added meanwhile do not run,
    // removed ones are skipped by their removed flag.
    dispatch = (event, target, trusted, map) => {
      if (typeof event !== 'object' || event === null || !(#flags in event)) {
        throw new TypeError("Failed to execute 'dispatchEvent' on 'EventTarget': parameter 1 is not of type 'Event'.");
      }
      const flags = event.#flags;
      if ((flags & (DISPATCH | INITIALIZED)) !== INITIALIZED) {
        throw new DOMException(
          "Failed to execute 'dispatchEvent' on 'EventTarget': The event is already being dispatched.",
          'InvalidStateError');
      }
      event.#flags = (flags & ~TRUSTED) | DISPATCH | (trusted ? TRUSTED : 0);
      event.#target = target;
      event.#phase = AT_TARGET;
      try {
        for (let pass = 0; map !== null && pass < 2; pass++) {
          if (event.#flags & STOP_PROPAGATION) break;
          event.#currentTarget = target;
          const listeners = map[event.#type];
          if (listeners === undefined) continue;
          const capture = pass === 0;
          for (let i = 0; i < listeners.length; i++) {
            const l = listeners[i];
            if (l.removed || l.capture !== capture) continue;
            if (l.once) removeListener(target, l);
            if (l.passive) event.#flags |= IN_PASSIVE;
            try {
              const cb = l.callback;
              if (typeof cb === 'function') {
                call(cb, target, event);
              } else {
                const handleEvent = cb.handleEvent;
                if (typeof handleEvent !== 'function') {
                  throw new TypeError("The 'handleEvent' property of the event listener is not callable.");
                }
                call(handleEvent, cb, event);
              }
            } catch (e) {
              report(e);
            }
            event.#flags &= ~IN_PASSIVE;
            if (event.#flags & STOP_IMMEDIATE) break;
          }
        }
      } finally {
        event.#phase = NONE;
        event.#currentTarget = null;
        event.#flags &= ~(DISPATCH | STOP_PROPAGATION | STOP_IMMEDIATE);
      }
      return (event.#flags & CANCELED) === 0;
    };
  }
}

// The eventPhase constants (NONE ...) are defined from Go: see setUp.
setToStringTag(Event, 'Event');
defineGlobal('Event', Event);

class CustomEvent extends Event {
  #detail = null;

  constructor(type, eventInitDict = undefined) {
    if (type === undefined) requireArgs(1, 0, "construct 'CustomEvent'");
    super(type, eventInitDict);
    if (eventInitDict !== undefined && eventInitDict !== null) {
      const detail = eventInitDict.detail;
      if (detail !== undefined) this.#detail = detail;
    }
  }

  get detail() {
    if (!(#detail in this)) throw illegalInvocation();
    return this.#detail;
  }

  initCustomEvent(type, bubbles = false, cancelable = false, detail = null) {
    if (!(#detail in this)) throw illegalInvocation();
    if (arguments.length < 1) requireArgs(1, 0, "execute 'initCustomEvent' on 'CustomEvent'");
    if (initEventInternal(this, type, bubbles, cancelable)) this.#detail = detail;
  }
}
setToStringTag(CustomEvent, 'CustomEvent');
defineGlobal('CustomEvent', CustomEvent);

internals.isEvent = isEvent;
internals.Event = Event;
