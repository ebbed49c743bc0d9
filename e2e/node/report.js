// report writes one JSON line per step to the connection that asked for a
// run, then "DONE", so that a test reads what a driver did inside a worker.
export async function report(socket, steps) {
  const writer = socket.writable.getWriter();
  const enc = new TextEncoder();
  const say = (obj) => writer.write(enc.encode(JSON.stringify(obj) + '\n'));
  try {
    await steps(say);
  } catch (err) {
    await say({ step: 'uncaught', error: String(err && err.stack || err) });
  }
  await say({ step: 'DONE' });
  await writer.close();
}
