// Echo: every byte the peer sends comes straight back.
//
//   sockw run scripts/echo.js --listen tcp://127.0.0.1:8787
//   nc 127.0.0.1 8787
//
// pipeTo between a socket's own streams runs inside the runtime, so echoed
// bytes never enter JavaScript.
export default {
  async connect(socket) {
    await socket.readable.pipeTo(socket.writable);
  },
};
