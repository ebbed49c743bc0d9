// node:net as a client, checked the same way under Node (`node
// net-client.mjs`) and sockw (`sockw exec net-client.mjs`): the echo
// server's port is ECHO_PORT and CLOSED_PORT has nothing listening. Prints
// one line per check and throws on the first failure.
import net from 'node:net';
import { once } from 'node:events';

const echoPort = Number(process.env.ECHO_PORT);
const closedPort = Number(process.env.CLOSED_PORT);

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what);
}

// connect, data events, end: the echo server half-closes after our end().
{
  const s = net.connect(echoPort, '127.0.0.1');
  await once(s, 'connect');
  check(s.remotePort === echoPort && s.remoteAddress === '127.0.0.1', 'remote address ' + s.remoteAddress + ':' + s.remotePort);
  check(typeof s.localPort === 'number', 'local port');
  s.setNoDelay(true);
  s.setKeepAlive(true, 1000);
  const chunks = [];
  s.on('data', (d) => chunks.push(d));
  s.write('hello ');
  s.write(Buffer.from('world'));
  s.end();
  await once(s, 'end');
  const got = Buffer.concat(chunks).toString();
  check(got === 'hello world', 'echo ' + JSON.stringify(got));
  await once(s, 'close');
  check(s.destroyed && s.bytesWritten === 11 && s.bytesRead === 11, `counters ${s.bytesWritten}/${s.bytesRead}`);
  console.log('ok echo');
}

// Backpressure: write() returns false past the high water mark and 'drain'
// follows; every byte comes back in order.
{
  const s = net.createConnection({ port: echoPort, host: '127.0.0.1' });
  await once(s, 'connect');
  const total = 32 << 20;
  const chunk = Buffer.alloc(64 << 10);
  for (let i = 0; i < chunk.length; i++) chunk[i] = i & 0xff;
  let received = 0;
  let mismatch = -1;
  const onData = (d) => {
    for (let i = 0; i < d.length && mismatch < 0; i += 4099) {
      if (d[i] !== ((received + i) & 0xff)) mismatch = received + i;
    }
    received += d.length;
  };
  // Nothing is read until writes back up: the echo server then stalls on
  // its own writes, stops reading, and ours must wait for 'drain'.
  let sent = 0;
  let drains = 0;
  while (sent < total) {
    sent += chunk.length;
    if (!s.write(chunk)) {
      if (drains++ === 0) s.on('data', onData);
      await once(s, 'drain');
    }
  }
  if (drains === 0) s.on('data', onData);
  s.end();
  await once(s, 'end');
  check(received === total, `received ${received} of ${total}`);
  check(mismatch < 0, 'byte mismatch at ' + mismatch);
  check(drains > 0, 'write() never returned false');
  console.log('ok backpressure');
}

// A refused connection is an 'error' with Node's code.
{
  const s = net.connect({ port: closedPort, host: '127.0.0.1' });
  const [err] = await once(s, 'error').catch((e) => [e]);
  check(err.code === 'ECONNREFUSED', 'refused code ' + err.code + ' ' + err.message);
  console.log('ok refused');
}

// setTimeout: 'timeout' after idleness, and the socket stays usable.
{
  const s = net.connect(echoPort, '127.0.0.1');
  await once(s, 'connect');
  s.setTimeout(50);
  await once(s, 'timeout');
  s.setTimeout(0);
  s.write('still here');
  const [d] = await once(s, 'data');
  check(d.toString() === 'still here', 'after timeout ' + d);
  s.destroy();
  await once(s, 'close');
  console.log('ok timeout');
}

console.log(net.isIP('127.0.0.1'), net.isIP('::1'), net.isIP('example.com'));
