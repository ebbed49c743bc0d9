// TextEncoderStream and TextDecoderStream
// (https://encoding.spec.whatwg.org/#interface-textdecoderstream), built on
// the global TransformStream, which is looked up at construction time so
// that the streams binding may be installed after this one.
// Evaluates to a function that receives the natives and returns the classes.
(function (TextDecoder, decode, encode) {
  'use strict';
  const streamOption = Object.freeze({ stream: true });
  const get = (C, name) => Object.getOwnPropertyDescriptor(C.prototype, name).get;
  const getEncoding = get(TextDecoder, 'encoding');
  const getFatal = get(TextDecoder, 'fatal');
  const getIgnoreBOM = get(TextDecoder, 'ignoreBOM');
  const call = Function.prototype.call.bind(Function.prototype.call);
  const U8 = Uint8Array;

  function transformStream(transformer, name) {
    const TS = globalThis.TransformStream;
    if (typeof TS !== 'function') {
      throw new TypeError(`Failed to construct '${name}': TransformStream is not available`);
    }
    return new TS(transformer);
  }

  function illegalInvocation(member, iface) {
    return new TypeError(`Failed to read '${member}' on '${iface}': Illegal invocation`);
  }

  class TextDecoderStream {
    #decoder;
    #transform;
    constructor(label = undefined, options = undefined) {
      const decoder = new TextDecoder(label, options);
      this.#decoder = decoder;
      this.#transform = transformStream({
        transform(chunk, controller) {
          const s = call(decode, decoder, chunk, streamOption);
          if (s !== '') controller.enqueue(s);
        },
        flush(controller) {
          const s = call(decode, decoder);
          if (s !== '') controller.enqueue(s);
        },
      }, 'TextDecoderStream');
    }
    get encoding() {
      if (!(#decoder in this)) throw illegalInvocation('encoding', 'TextDecoderStream');
      return call(getEncoding, this.#decoder);
    }
    get fatal() {
      if (!(#decoder in this)) throw illegalInvocation('fatal', 'TextDecoderStream');
      return call(getFatal, this.#decoder);
    }
    get ignoreBOM() {
      if (!(#decoder in this)) throw illegalInvocation('ignoreBOM', 'TextDecoderStream');
      return call(getIgnoreBOM, this.#decoder);
    }
    get readable() {
      if (!(#decoder in this)) throw illegalInvocation('readable', 'TextDecoderStream');
      return this.#transform.readable;
    }
    get writable() {
      if (!(#decoder in this)) throw illegalInvocation('writable', 'TextDecoderStream');
      return this.#transform.writable;
    }
  }

  class TextEncoderStream {
    #transform;
    constructor() {
      // A high surrogate that ended the previous chunk waits for its pair.
      let pending = '';
      this.#transform = transformStream({
        transform(chunk, controller) {
          let s = `${chunk}`;
          if (pending !== '') {
            s = pending + s;
            pending = '';
          }
          const last = s.charCodeAt(s.length - 1);
          if (last >= 0xD800 && last <= 0xDBFF) {
            pending = s.slice(-1);
            s = s.slice(0, -1);
          }
          if (s !== '') controller.enqueue(encode(s));
        },
        flush(controller) {
          if (pending !== '') controller.enqueue(new U8([0xEF, 0xBF, 0xBD]));
        },
      }, 'TextEncoderStream');
    }
    get encoding() {
      if (!(#transform in this)) throw illegalInvocation('encoding', 'TextEncoderStream');
      return 'utf-8';
    }
    get readable() {
      if (!(#transform in this)) throw illegalInvocation('readable', 'TextEncoderStream');
      return this.#transform.readable;
    }
    get writable() {
      if (!(#transform in this)) throw illegalInvocation('writable', 'TextEncoderStream');
      return this.#transform.writable;
    }
  }

  // WebIDL attributes are enumerable; class accessors are not.
  for (const C of [TextDecoderStream, TextEncoderStream]) {
    const proto = C.prototype;
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key !== 'constructor') Object.defineProperty(proto, key, { enumerable: true });
    }
    Object.defineProperty(proto, Symbol.toStringTag, { value: C.name, configurable: true });
  }
  return [TextEncoderStream, TextDecoderStream];
})
