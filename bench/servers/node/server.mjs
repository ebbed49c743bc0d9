// Comparison servers for bench/run, written once against node:net and
// node:dgram so the identical file runs on Node, Bun and Deno (Deno through
// its node: compatibility layer, not Deno.listen).
//
//   node server.mjs echo PORT    TCP echo: s.pipe(s)
//   node server.mjs greet PORT   write one line, then end
//   node server.mjs udp PORT     UDP echo with dgram
//
//   bun server.mjs echo PORT
//   deno run --allow-net server.mjs echo PORT
//
// The server listens on 127.0.0.1 only.
import net from 'node:net';
import dgram from 'node:dgram';
import process from 'node:process';

const [mode, portArg] = process.argv.slice(2);
const port = Number(portArg);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`usage: server.mjs echo|greet|udp PORT (got port ${JSON.stringify(portArg)})`);
  process.exit(2);
}
const host = '127.0.0.1';
// A peer resetting its connection is normal under load; it must not crash
// the server.
const ignore = () => {};
const ready = () => console.log(`${mode} listening on ${host}:${port}`);

switch (mode) {
  case 'echo':
    net.createServer((s) => {
      s.on('error', ignore);
      s.pipe(s);
    }).listen(port, host, ready);
    break;
  case 'greet':
    net.createServer((s) => {
      s.on('error', ignore);
      // Drain whatever the client sends: a socket with unread input is not
      // fully closed by end() and would pile up under a connection storm.
      s.resume();
      s.end('hello\n');
    }).listen(port, host, ready);
    break;
  case 'udp': {
    const sock = dgram.createSocket('udp4');
    sock.on('error', ignore);
    sock.on('message', (msg, rinfo) => sock.send(msg, rinfo.port, rinfo.address));
    sock.bind(port, host, ready);
    break;
  }
  default:
    console.error(`unknown mode ${JSON.stringify(mode)}: want echo, greet or udp`);
    process.exit(2);
}
