// The service-worker example from the 2021 Socket Workers announcement,
// verbatim: it answers "Hello World" and closes.
//
//   sockw run scripts/seed-hello.js --listen tcp://127.0.0.1:8787
addEventListener('connect', (event) => {
  const enc = new TextEncoder();
  const writer = event.socket.writable.getWriter();
  writer.write(enc.encode('Hello World'));
  writer.close();
});
