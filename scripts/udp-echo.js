// UDP echo: each source address is one connect event (a flow); every
// datagram it sends comes back as one datagram. The flow ends after the
// listener's idle timeout.
//
//   sockw run scripts/udp-echo.js --listen udp://127.0.0.1:5353
export default {
  async connect(socket) {
    const writer = socket.writable.getWriter();
    for await (const datagram of socket.readable) await writer.write(datagram);
  },
};
