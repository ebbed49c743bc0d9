// The built-ins a KV namespace uses, captured the first time a namespace of
// the isolate is used, and the stream plumbing that is simplest in
// JavaScript. Go calls these; no script can reach them.
(function () {
  'use strict';
  const parse = JSON.parse;
  const stringify = JSON.stringify;
  const isView = ArrayBuffer.isView;
  const U8 = Uint8Array;
  const KvMap = Map;
  const mapSet = Map.prototype.set;
  const desc = Object.getOwnPropertyDescriptor;
  const call = Function.prototype.call.bind(Function.prototype.call);
  const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype);
  const taBuffer = desc(TypedArrayPrototype, 'buffer').get;
  const taOffset = desc(TypedArrayPrototype, 'byteOffset').get;
  const taLength = desc(TypedArrayPrototype, 'byteLength').get;
  const taName = desc(TypedArrayPrototype, Symbol.toStringTag).get;
  const dvBuffer = desc(DataView.prototype, 'buffer').get;
  const dvOffset = desc(DataView.prototype, 'byteOffset').get;
  const dvLength = desc(DataView.prototype, 'byteLength').get;
  const abByteLength = desc(ArrayBuffer.prototype, 'byteLength').get;

  // viewBytes returns a Uint8Array over the bytes an ArrayBufferView
  // shows, or null if v is none.
  function viewBytes(v) {
    if (!isView(v)) return null;
    if (call(taName, v) !== undefined) return new U8(call(taBuffer, v), call(taOffset, v), call(taLength, v));
    return new U8(call(dvBuffer, v), call(dvOffset, v), call(dvLength, v));
  }

  // chunkBytes accepts what a byte stream may carry: an ArrayBuffer or an
  // ArrayBufferView.
  function chunkBytes(v) {
    const view = viewBytes(v);
    if (view !== null) return view;
    try {
      call(abByteLength, v);
    } catch {
      return null;
    }
    return new U8(v);
  }

  // readAll reads a stream to its end, as one Uint8Array. Past limit bytes
  // it keeps counting without keeping, so the error can tell the length.
  async function readAll(stream, limit, tooLong) {
    const reader = stream.getReader();
    const chunks = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const bytes = chunkBytes(value);
      if (bytes === null) {
        const e = new TypeError('KV put() accepts only strings, ArrayBuffers, ArrayBufferViews, and ReadableStreams as values; the stream gave a chunk that is none of ArrayBuffer or ArrayBufferView.');
        reader.cancel(e).catch(() => {});
        throw e;
      }
      total += bytes.byteLength;
      if (total <= limit) chunks.push(new U8(bytes)); // a copy: the source may reuse its buffers
    }
    if (total > limit) throw tooLong(total);
    const out = new U8(total);
    let at = 0;
    for (let i = 0; i < chunks.length; i++) {
      out.set(chunks[i], at);
      at += chunks[i].byteLength;
    }
    return out;
  }

  return {
    parse,
    stringify,
    viewBytes,
    // putStream reads stream, then hands its bytes to store, whose promise
    // it returns.
    putStream(stream, limit, tooLong, store) {
      return readAll(stream, limit, tooLong).then(store);
    },
    // newStream makes a byte stream of one chunk with the global
    // ReadableStream, as looked up by the caller.
    newStream(ReadableStream, buffer) {
      return new ReadableStream({
        type: 'bytes',
        start(controller) {
          if (call(abByteLength, buffer) > 0) controller.enqueue(new U8(buffer));
          controller.close();
        },
      });
    },
    newMap(keys, values) {
      const m = new KvMap();
      for (let i = 0; i < keys.length; i++) call(mapSet, m, keys[i], values[i]);
      return m;
    },
  };
})
