// QUIC echo: every bidirectional stream is echoed back, and so is every
// datagram, until the connection closes.
//
//   sockw run scripts/quic-echo.js --listen quic://127.0.0.1:4433 --alpn echo
export default {
  async connect(conn) {
    const streams = (async () => {
      for await (const { readable, writable } of conn.incomingBidirectionalStreams) {
        // Each stream pipes on its own; one reset does not end the others.
        readable.pipeTo(writable).catch(() => {});
      }
    })();
    const datagrams = (async () => {
      const writer = conn.datagrams.writable.getWriter();
      for await (const datagram of conn.datagrams.readable) await writer.write(datagram);
    })();
    // The connection lives until the client closes it.
    await Promise.allSettled([streams, datagrams, conn.closed]);
  },
};
