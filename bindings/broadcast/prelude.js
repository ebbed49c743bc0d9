// What the classes that follow share. (Symbol is not touched: making goja
// build it would cost more than the rest of the setup; Go defines the
// Symbol.toStringTag of the prototypes.)
// broadcast.go wraps the files in one
// function of (global, host), run when BroadcastChannel or MessageEvent is
// first read; everything here is captured then, so that scripts patching
// built-ins later cannot change how channels behave.

const Event = global.Event;
const EventTarget = global.EventTarget;
if (typeof Event !== 'function' || typeof EventTarget !== 'function') {
  throw new TypeError('BroadcastChannel needs Event and EventTarget (package events)');
}
const DOMException = global.DOMException;
const call = Function.prototype.call.bind(Function.prototype.call);
const freeze = Object.freeze;
const initEvent = Event.prototype.initEvent;
const eventPhase = Object.getOwnPropertyDescriptor(Event.prototype, 'eventPhase').get;
const addEventListener = EventTarget.prototype.addEventListener;
const removeEventListener = EventTarget.prototype.removeEventListener;
const dispatchEvent = EventTarget.prototype.dispatchEvent;

let isMessageEvent;
let newMessageEvent; // (type, data): a MessageEvent whose data may be undefined

function illegalInvocation() {
  return new TypeError('Illegal invocation');
}
