// AbortController (https://dom.spec.whatwg.org/#interface-abortcontroller).

class AbortController {
  #signal;

  constructor() {
    this.#signal = createSignal();
  }

  get signal() {
    if (!(#signal in this)) throw illegalInvocation();
    return this.#signal;
  }

  abort(reason = undefined) {
    if (!(#signal in this)) throw illegalInvocation();
    signalAbort(this.#signal, reason);
  }
}
setToStringTag(AbortController, 'AbortController');
defineGlobal('AbortController', AbortController);
