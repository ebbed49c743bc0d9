// DOMException, as WebIDL defines it (https://webidl.spec.whatwg.org/#idl-DOMException).
//
// Instances are real error objects (see newError): goja gives them a lazily
// formatted `stack` ("AbortError: message\n\tat ...") built from the name
// and message getters below. The state lives in private fields so that the
// only own property an instance shows is `stack`, as in browsers. The
// interface object's [[Prototype]] is %Function.prototype% and its
// prototype's is %Error.prototype%, as WebIDL says.

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
let domExceptionAccessors; // the name, message and code getters, for DOMException.prototype

// newError makes the object a DOMException is: a real error object, so that
// goja gives it a `stack`. Calling Error, not extending it, keeps
// %Function.prototype% the [[Prototype]] of the DOMException interface
// object, as WebIDL wants (a derived class would have Error there, and a
// class whose [[Prototype]] is changed afterwards cannot call super()).
const newError = Error;
const setPrototypeOf = Object.setPrototypeOf;

// identity returns its argument from a constructor call, so a class
// extending it (DOMExceptionState) stamps its private fields onto an object
// made elsewhere: the error object newError made.
function identity(o) {
  return o;
}

// DOMExceptionState holds a DOMException's name and message in private
// fields, which only the accessors below can read.
class DOMExceptionState extends identity {
  #name;
  #message;

  constructor(o, message, name) {
    super(o);
    this.#message = message;
    this.#name = name;
  }

  static {
    isDOMException = (v) => typeof v === 'object' && v !== null && #name in v;
    domExceptionFields = (e) => [e.#name, e.#message];
    domExceptionAccessors = {
      get name() {
        if (!(#name in this)) throw illegalInvocation();
        return this.#name;
      },
      get message() {
        if (!(#name in this)) throw illegalInvocation();
        return this.#message;
      },
      get code() {
        if (!(#name in this)) throw illegalInvocation();
        return domExceptionCodes[this.#name] || 0;
      },
    };
  }
}

class DOMException {
  constructor(message = '', name = 'Error') {
    message = `${message}`;
    name = `${name}`;
    // WebIDL's "get the prototype from the constructor", so that
    // subclasses work.
    let proto = new.target.prototype;
    if (typeof proto !== 'object' && typeof proto !== 'function' || proto === null) proto = DOMException.prototype;
    const e = newError();
    setPrototypeOf(e, proto);
    new DOMExceptionState(e, message, name);
    return e;
  }
}
for (const key of ['name', 'message', 'code']) {
  const get = Object.getOwnPropertyDescriptor(domExceptionAccessors, key).get;
  defineProperty(DOMException.prototype, key, { get, set: undefined, enumerable: true, configurable: true });
}
setPrototypeOf(DOMException.prototype, Error.prototype);

// The legacy code constants (ABORT_ERR ...) are defined from Go, which is
// cheaper than a descriptor object per constant here: see setUp.
setToStringTag(DOMException, 'DOMException');
defineGlobal('DOMException', DOMException);

internals.DOMException = DOMException;
internals.isDOMException = isDOMException;
internals.domExceptionFields = domExceptionFields;
