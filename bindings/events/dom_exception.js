// DOMException, as WebIDL defines it (https://webidl.spec.whatwg.org/#idl-DOMException).
//
// It extends Error so that instances are real error objects: goja then gives
// them a lazily formatted `stack` ("AbortError: message\n\tat ...") built
// from the name and message getters below. The state lives in private fields
// so that the only own property an instance shows is `stack`, as in browsers.

// The legacy codes of the WebIDL error names table. QuotaExceededError keeps
// 22 as browsers do, although WebIDL now also defines it as an interface.
const domExceptionCodes = {
  __proto__: null,
  IndexSizeError: 1,
  HierarchyRequestError: 3,
  WrongDocumentError: 4,
  InvalidCharacterError: 5,
  NoModificationAllowedError: 7,
  NotFoundError: 8,
  NotSupportedError: 9,
  InUseAttributeError: 10,
  InvalidStateError: 11,
  SyntaxError: 12,
  InvalidModificationError: 13,
  NamespaceError: 14,
  InvalidAccessError: 15,
  TypeMismatchError: 17,
  SecurityError: 18,
  NetworkError: 19,
  AbortError: 20,
  URLMismatchError: 21,
  QuotaExceededError: 22,
  TimeoutError: 23,
  InvalidNodeTypeError: 24,
  DataCloneError: 25,
};


let isDOMException;
let domExceptionFields; // (e) -> [name, message], for structuredClone

class DOMException extends Error {
  #name;
  #message;

  constructor(message = '', name = 'Error') {
    super();
    this.#message = `${message}`;
    this.#name = `${name}`;
  }

  get name() {
    if (!(#name in this)) throw illegalInvocation();
    return this.#name;
  }

  get message() {
    if (!(#name in this)) throw illegalInvocation();
    return this.#message;
  }

  get code() {
    if (!(#name in this)) throw illegalInvocation();
    return domExceptionCodes[this.#name] || 0;
  }

  static {
    isDOMException = (v) => typeof v === 'object' && v !== null && #name in v;
    domExceptionFields = (e) => [e.#name, e.#message];
  }
}

// The legacy code constants (ABORT_ERR ...) are defined from Go, which is
// cheaper than a descriptor object per constant here: see setUp.
setToStringTag(DOMException, 'DOMException');
defineGlobal('DOMException', DOMException);

internals.DOMException = DOMException;
internals.isDOMException = isDOMException;
internals.domExceptionFields = domExceptionFields;
