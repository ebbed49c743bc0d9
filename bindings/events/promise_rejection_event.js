// PromiseRejectionEvent
// (https://html.spec.whatwg.org/multipage/webappapis.html#promiserejectionevent),
// the event of HTML's unhandledrejection and rejectionhandled. Scripts
// construct it; sockw reports unhandled rejections to the log.

class PromiseRejectionEvent extends Event {
  #promise;
  #reason = undefined;

  constructor(type, eventInitDict) {
    if (arguments.length < 2) requireArgs(2, arguments.length, "construct 'PromiseRejectionEvent'");
    super(type, eventInitDict);
    // PromiseRejectionEventInit: the EventInit members (read by Event's
    // constructor), then promise (required, an object) and reason.
    const promise = eventInitDict === undefined || eventInitDict === null ? undefined : eventInitDict.promise;
    if (promise === undefined) {
      throw new TypeError("Failed to construct 'PromiseRejectionEvent': required member promise is undefined.");
    }
    if (typeof promise !== 'object' && typeof promise !== 'function' || promise === null) {
      throw new TypeError("Failed to construct 'PromiseRejectionEvent': member promise is not an object.");
    }
    this.#promise = promise;
    this.#reason = eventInitDict.reason;
  }

  get promise() {
    if (!(#promise in this)) throw illegalInvocation();
    return this.#promise;
  }

  get reason() {
    if (!(#promise in this)) throw illegalInvocation();
    return this.#reason;
  }
}
setToStringTag(PromiseRejectionEvent, 'PromiseRejectionEvent');
defineGlobal('PromiseRejectionEvent', PromiseRejectionEvent);
