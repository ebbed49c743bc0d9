// A minimal SMTP-shaped server that upgrades to TLS with STARTTLS and then
// echoes lines: the server side of socket.startTls().
//
//   sockw run scripts/starttls-echo.js --listen tcp://127.0.0.1:2525
//   openssl s_client -starttls smtp -connect 127.0.0.1:2525 -quiet
//
// Without --cert/--key sockw uses its development certificate.
const enc = new TextEncoder();

// lines yields the CRLF- or LF-terminated lines a readable carries.
async function* lines(readable) {
  const dec = new TextDecoder();
  let buf = '';
  for await (const chunk of readable) {
    buf += dec.decode(chunk, { stream: true });
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      yield buf.slice(0, i).replace(/\r$/, '');
      buf = buf.slice(i + 1);
    }
  }
}

async function converse(socket, secure) {
  const writer = socket.writable.getWriter();
  const reply = (text) => writer.write(enc.encode(text + '\r\n'));
  if (!secure) await reply('220 sockw ESMTP starttls-echo ready');
  for await (const line of lines(socket.readable)) {
    const verb = line.split(' ')[0].toUpperCase();
    if (verb === 'EHLO' || verb === 'HELO') {
      await reply(secure ? '250 sockw' : '250-sockw\r\n250 STARTTLS');
    } else if (verb === 'STARTTLS' && !secure) {
      await reply('220 2.0.0 Ready to start TLS');
      writer.releaseLock();
      return socket.startTls();
    } else if (verb === 'NOOP') {
      await reply('250 2.0.0 OK');
    } else if (verb === 'QUIT') {
      await reply('221 2.0.0 Bye');
      return null;
    } else {
      await reply('250 ' + line);
    }
  }
  return null;
}

export default {
  async connect(socket) {
    const tls = await converse(socket, false);
    if (tls) await converse(tls, true);
  },
};
