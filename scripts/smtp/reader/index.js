// Lists the mail the SMTP worker stored: run it on the same data directory
// while the SMTP worker is stopped (the KV file is locked by its writer), and
// connect to it. It writes one JSON object per stored message,
// {key, metadata, message}, then a line "END", and closes.
//
//   sockw run scripts/smtp/reader --listen tcp://127.0.0.1:2526
//   nc 127.0.0.1 2526
//
// The first line the client sends, if any within 200 ms, is a key prefix
// to list instead of "mailbox/" (e.g. "mailbox/alice@example.com/").
const enc = new TextEncoder();
const dec = new TextDecoder();

async function firstLine(socket) {
  const reader = socket.readable.getReader();
  let buf = '';
  const timeout = new Promise((r) => setTimeout(() => r(null), 200));
  while (!buf.includes('\n')) {
    const r = await Promise.race([reader.read(), timeout]);
    if (!r || r.done) break;
    buf += dec.decode(r.value, { stream: true });
  }
  reader.releaseLock();
  return buf.split('\n')[0].trim();
}

export default {
  async connect(socket, env) {
    const prefix = (await firstLine(socket)) || 'mailbox/';
    const writer = socket.writable.getWriter();
    let cursor;
    do {
      const page = await env.MAILBOX.list({ prefix, cursor });
      for (const k of page.keys) {
        const message = await env.MAILBOX.get(k.name, { type: 'text' });
        await writer.write(enc.encode(JSON.stringify({ key: k.name, metadata: k.metadata, message }) + '\n'));
      }
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
    await writer.write(enc.encode('END\n'));
    await writer.close();
  },
};
