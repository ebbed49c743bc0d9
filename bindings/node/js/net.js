// node:net: outbound TCP sockets as Node's net.Socket (a Duplex stream), on
// the same Socket layer and egress policy as connect() from
// cloudflare:sockets. Workers cannot listen: servers are not supported.
'use strict';
const { Duplex } = require('node:stream');
const { Buffer } = require('node:buffer');
const { connect: cfConnect } = require('cloudflare:sockets');
const timers = require('node:timers');
const internal = require('sockw:internal/node');

const { isIP, isIPv4, isIPv6 } = require('sockw:internal/node-ip');

const codes = require('sockw:internal/node-codes');

const notSupported = (name) => codes.notSupported('net.' + name);

// nodeError gives a failed connect the code Node's would carry, keeping
// the message (an egress refusal names its rule).
function nodeError(err, host, port) {
  if (!(err instanceof Error)) err = new Error(String(err));
  if (err.code) return err;
  const msg = err.message;
  const codes = [
    [/egress policy/, 'ERR_EGRESS_DENIED'],
    [/connection refused/, 'ECONNREFUSED'],
    [/connection reset/, 'ECONNRESET'],
    [/timed out|timeout/i, 'ETIMEDOUT'],
    [/no such host|cannot resolve|lookup/, 'ENOTFOUND'],
    [/network is unreachable/, 'ENETUNREACH'],
    [/host is unreachable|no route to host/, 'EHOSTUNREACH'],
    [/broken pipe/, 'EPIPE'],
  ];
  for (const [re, code] of codes) {
    if (re.test(msg)) {
      err.code = code;
      break;
    }
  }
  if (host !== undefined) {
    err.syscall = 'connect';
    err.address = host;
    err.port = port;
  }
  return err;
}

// splitAddress parses "host:port" and "[v6]:port" as opened reports them.
function splitAddress(s) {
  if (typeof s !== 'string') return [undefined, undefined];
  const i = s.lastIndexOf(':');
  if (i < 0) return [s, undefined];
  let host = s.slice(0, i);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return [host, Number(s.slice(i + 1))];
}

function normalizeArgs(args) {
  if (args.length === 0) return [{}, null];
  const last = args[args.length - 1];
  const cb = typeof last === 'function' ? last : null;
  const a0 = args[0];
  if (a0 !== null && typeof a0 === 'object') return [a0, cb];
  if (typeof a0 === 'string' && Number.isNaN(Number(a0))) return [{ path: a0 }, cb];
  const options = { port: a0 };
  if (args.length > 1 && typeof args[1] === 'string') options.host = args[1];
  return [options, cb];
}

function validPort(port) {
  if ((typeof port !== 'number' && typeof port !== 'string') || (typeof port === 'string' && port.trim() === '')) return false;
  const n = Number(port);
  return Number.isInteger(n) && n >= 0 && n <= 65535;
}

class Socket extends Duplex {
  constructor(options) {
    options = options || {};
    super({
      allowHalfOpen: Boolean(options.allowHalfOpen),
      readableHighWaterMark: options.readableHighWaterMark,
      writableHighWaterMark: options.writableHighWaterMark,
      emitClose: true,
      autoDestroy: true,
      decodeStrings: true,
    });
    this.connecting = false;
    this.bytesRead = 0;
    this._bytesWritten = 0;
    this.remoteAddress = undefined;
    this.remotePort = undefined;
    this.remoteFamily = undefined;
    this.localAddress = undefined;
    this.localPort = undefined;
    this._cf = null;
    this._reader = null;
    this._writer = null;
    this._reading = false;
    this._readWanted = false;
    this._upgraded = false;
    this._idle = null;
    this._idleMs = 0;
    this._wantRef = true;
    this._release = null;
  }

  // _hold keeps the event loop alive while the socket is open and ref'd,
  // as an open socket keeps a Node process running.
  _hold() {
    if (this._wantRef && !this._release && !this.destroyed) this._release = internal.holdLoop();
  }

  _releaseLoop() {
    if (this._release) {
      this._release();
      this._release = null;
    }
  }

  connect(...args) {
    const [options, cb] = normalizeArgs(args);
    if (options.path !== undefined) throw notSupported('Socket.connect to a path (Unix sockets)');
    if (this._cf) throw codes.coded(Error, 'ERR_SOCKET_CONNECTION_ALREADY_ESTABLISHED', 'Socket is already connected or connecting');
    if (!validPort(options.port)) {
      throw codes.coded(RangeError, 'ERR_SOCKET_BAD_PORT', `Port should be >= 0 and < 65536. Received ${codes.describe(options.port)}.`);
    }
    const host = options.host || 'localhost';
    const port = Number(options.port);
    if (cb) this.once('connect', cb);
    if (options.timeout) this.setTimeout(options.timeout);
    this.connecting = true;
    let cf;
    try {
      // starttls, so that tls.connect({ socket }) can upgrade it later.
      cf = cfConnect({ hostname: host, port }, { secureTransport: 'starttls', allowHalfOpen: true });
    } catch (err) {
      queueMicrotask(() => this.destroy(nodeError(err, host, port)));
      return this;
    }
    this._attach(cf, ['connect', 'ready'], host, port);
    return this;
  }

  // _attach drives this Duplex from a cloudflare:sockets Socket.
  _attach(cf, events, host, port) {
    this._cf = cf;
    this._hold();
    this._reader = cf.readable.getReader();
    this._writer = cf.writable.getWriter();
    cf.opened.then((info) => {
      if (this.destroyed || this._upgraded) return;
      this.connecting = false;
      [this.remoteAddress, this.remotePort] = splitAddress(info.remoteAddress);
      [this.localAddress, this.localPort] = splitAddress(info.localAddress);
      this.remoteFamily = isIP(this.remoteAddress) === 6 ? 'IPv6' : 'IPv4';
      this._opened(info);
      for (const e of events) this.emit(e);
      if (this._readWanted) this._pump();
    }, (err) => {
      if (!this.destroyed && !this._upgraded) this.destroy(nodeError(err, host, port));
    });
  }

  _opened() {}

  _read() {
    this._readWanted = true;
    if (!this.connecting && this._reader && !this._reading) this._pump();
  }

  async _pump() {
    this._reading = true;
    try {
      for (;;) {
        const { value, done } = await this._reader.read();
        if (this._upgraded || this.destroyed) return;
        if (done) {
          this.push(null);
          return;
        }
        this.bytesRead += value.byteLength;
        this._touch();
        if (!this.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength))) {
          this._readWanted = false;
          return;
        }
      }
    } catch (err) {
      if (!this._upgraded && !this.destroyed) this.destroy(nodeError(err));
    } finally {
      this._reading = false;
    }
  }

  _write(chunk, encoding, callback) {
    if (this.connecting) {
      this._cf.opened.then(() => this._write(chunk, encoding, callback), () => callback());
      return;
    }
    if (!this._writer) {
      callback(new Error('This socket is not connected'));
      return;
    }
    this._touch();
    this._writer.write(chunk).then(() => {
      this._bytesWritten += chunk.byteLength;
      callback();
    }, (err) => callback(nodeError(err)));
  }

  _final(callback) {
    if (!this._writer) return callback();
    const close = () => this._writer.close().then(() => callback(), (err) => callback(nodeError(err)));
    if (this.connecting) this._cf.opened.then(close, () => callback());
    else close();
  }

  _destroy(err, callback) {
    this._clearIdle();
    this._releaseLoop();
    this.connecting = false;
    if (this._cf && !this._upgraded) {
      this._cf.close().catch(() => {});
    }
    callback(err);
  }

  get bytesWritten() { return this._bytesWritten; }
  get pending() { return !this._cf || this.connecting; }
  get bufferSize() { return this.writableLength; }
  get readyState() {
    if (this.connecting) return 'opening';
    if (this.readable && this.writable) return 'open';
    if (this.readable && !this.writable) return 'readOnly';
    if (!this.readable && this.writable) return 'writeOnly';
    return 'closed';
  }

  address() {
    if (this.localAddress === undefined) return {};
    return { address: this.localAddress, family: isIP(this.localAddress) === 6 ? 'IPv6' : 'IPv4', port: this.localPort };
  }

  // Go's TCP connections already have Nagle off and keep-alive on.
  setNoDelay() { return this; }
  setKeepAlive() { return this; }

  // setTimeout emits 'timeout' after msecs without activity; it does not
  // close the socket, as in Node.
  setTimeout(msecs, callback) {
    this._idleMs = msecs;
    this._clearIdle();
    if (callback) {
      if (msecs === 0) this.removeListener('timeout', callback);
      else this.once('timeout', callback);
    }
    if (msecs > 0) {
      this._idle = timers.setTimeout(() => this.emit('timeout'), msecs);
      this._idle.unref();
    }
    return this;
  }

  _touch() {
    if (this._idle) this._idle.refresh();
  }

  _clearIdle() {
    if (this._idle) {
      timers.clearTimeout(this._idle);
      this._idle = null;
    }
  }

  // An unref'd socket does not keep `sockw exec` running (a worker's
  // isolate lives on regardless).
  ref() {
    this._wantRef = true;
    if (this._cf) this._hold();
    return this;
  }

  unref() {
    this._wantRef = false;
    this._releaseLoop();
    return this;
  }

  resetAndDestroy() { return this.destroy(); }
}

function connect(...args) {
  const [options] = normalizeArgs(args);
  const socket = new Socket(options);
  return socket.connect(...args);
}

class Server {
  constructor() { throw notSupported('Server (a worker is given its connections by its listeners)'); }
}

module.exports = {
  Socket,
  Stream: Socket,
  connect,
  createConnection: connect,
  createServer() { throw notSupported('createServer (a worker is given its connections by its listeners)'); },
  Server,
  isIP,
  isIPv4,
  isIPv6,
  BlockList: class BlockList { constructor() { throw notSupported('BlockList'); } },
  SocketAddress: class SocketAddress { constructor() { throw notSupported('SocketAddress'); } },
  getDefaultAutoSelectFamily: () => false,
  setDefaultAutoSelectFamily() {},
  _nodeError: nodeError,
};
