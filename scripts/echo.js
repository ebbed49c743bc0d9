// Echo: every byte the peer sends comes straight back; on a UDP listener,
// every datagram, until the flow's idle timeout ends it.
//
//   sockw run scripts/echo.js --listen tcp://127.0.0.1:8787
//   nc 127.0.0.1 8787
//   sockw run scripts/echo.js --listen udp://127.0.0.1:8787
//   nc -u 127.0.0.1 8787
//
// pipeTo between a socket's own streams runs inside the runtime, so echoed
// bytes (or datagrams) never enter JavaScript.
export default {
  async connect(socket) {
    await socket.readable.pipeTo(socket.writable);
  },
};
