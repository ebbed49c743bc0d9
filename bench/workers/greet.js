// Greeting worker for the connrate benchmark: write one line and finish.
// When connect() settles the runtime flushes the write and closes the
// connection, so bytes the client might send never hold the socket open
// (the worker equivalent of Node's s.resume(); s.end(line)).
//
//   sockw run bench/workers/greet.js --listen tcp://127.0.0.1:8787
const line = new TextEncoder().encode('hello\n');

export default {
  async connect(socket) {
    const writer = socket.writable.getWriter();
    await writer.write(line);
    await writer.close();
  },
};
