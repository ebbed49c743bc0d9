// Echo with an explicit reader/writer loop: the shape of a real protocol
// handler, which looks at every chunk before answering.
//
//   sockw run scripts/echo-loop.js --listen tcp://127.0.0.1:8787
export default {
  async connect(socket) {
    const reader = socket.readable.getReader();
    const writer = socket.writable.getWriter();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      await writer.write(value);
    }
    await writer.close();
  },
};
