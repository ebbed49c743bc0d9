// The readable and writable of a UDP socket: default (object) streams of
// datagrams built on the global stream classes, whose sources call the Go
// natives. Run once per isolate, on its first UDP socket, with built-ins
// captured at install (before any script could replace them); it returns
// makeStreams.
(function (natives, ArrayBufferCtor, isView, TypeErrorCtor) {
  'use strict';
  const { tryRead, waitRead, send } = natives;

  const isBufferSource = (v) => v instanceof ArrayBufferCtor || isView(v);

  // makeStreams(h, opened, ReadableStream, WritableStream) returns
  // [readable, writable, end]: end(reason) closes the readable (or errors
  // it with reason) and errors the writable, when the socket closes.
  // opened is undefined or a promise the streams wait for before the first
  // read or write.
  return function makeStreams(h, opened, RS, WS) {
    let rc, wc;
    const settle = (m) => {
      try {
        if (m === null) rc.close();
        else rc.enqueue(m);
      } catch (e) {
        // The stream was closed or cancelled while the read was out.
      }
    };
    const readable = new RS({
      start(c) { rc = c; return opened; },
      pull() {
        const m = tryRead(h);
        if (m !== undefined) { settle(m); return; }
        // Go calls settle when the datagram (or the end) arrives, then
        // fulfills the promise.
        return waitRead(h, settle);
      },
    }, { highWaterMark: 0 });
    const writable = new WS({
      start(c) { wc = c; return opened; },
      write(chunk) {
        let data = chunk, address, port;
        if (!isBufferSource(chunk)) {
          if (chunk === null || typeof chunk !== 'object') {
            throw new TypeErrorCtor('A UDP socket writes a Datagram, an ArrayBuffer or an ArrayBufferView, or { data }.');
          }
          data = chunk.data;
          address = chunk.remoteAddress;
          port = chunk.remotePort;
          if (!isBufferSource(data)) {
            throw new TypeErrorCtor('The datagram\'s data must be an ArrayBuffer or an ArrayBufferView.');
          }
        }
        return send(h, data, address, port);
      },
    }, { highWaterMark: 1 });
    const end = (reason) => {
      try {
        if (reason === undefined) rc.close();
        else rc.error(reason);
      } catch (e) {
        // Already closed or errored.
      }
      try {
        wc.error(reason);
      } catch (e) {
        // Already errored.
      }
    };
    return [readable, writable, end];
  };
})
