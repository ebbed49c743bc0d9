// node:tls: TLS client sockets on the same Socket layer as node:net, either
// fresh (tls.connect({ host, port })) or upgrading a net.Socket in place
// (tls.connect({ socket }): STARTTLS, PostgreSQL's SSLRequest).
'use strict';
const net = require('node:net');
const internal = require('sockw:internal/node');
const { connect: cfConnect } = require('cloudflare:sockets');

const codes = require('sockw:internal/node-codes');

const notSupported = (name) => codes.notSupported('tls.' + name);

class TLSSocket extends net.Socket {
  constructor(socket, options) {
    super(options);
    this.encrypted = true;
    this.authorized = false;
    this.authorizationError = null;
    this.alpnProtocol = false;
    this.servername = undefined;
  }
  _opened(info) {
    this.authorized = this._verify;
    if (!this._verify) this.authorizationError = 'verification skipped (rejectUnauthorized: false)';
    this.alpnProtocol = info && info.alpn ? info.alpn : false;
  }
  getPeerCertificate() { return {}; }
  getCertificate() { return {}; }
  getProtocol() { return null; }
  getCipher() { return null; }
  getSession() { return undefined; }
  isSessionReused() { return false; }
  setServername(name) { this.servername = name; }
  renegotiate() { throw notSupported('TLSSocket.renegotiate'); }
  exportKeyingMaterial() { throw notSupported('TLSSocket.exportKeyingMaterial'); }
}

function normalize(args) {
  let options = {};
  let cb = null;
  if (typeof args[args.length - 1] === 'function') cb = args.pop();
  if (args[0] !== null && typeof args[0] === 'object') {
    options = { ...args[0] };
  } else {
    options.port = args[0];
    if (typeof args[1] === 'string') {
      options.host = args[1];
      if (args[2] && typeof args[2] === 'object') options = { ...args[2], ...options };
    } else if (args[1] && typeof args[1] === 'object') {
      options = { ...args[1], ...options };
    }
  }
  return [options, cb];
}

function connect(...args) {
  const [options, cb] = normalize(args);
  if (options.path !== undefined) throw notSupported('connect to a path');
  const host = options.host || 'localhost';
  const servername = options.servername !== undefined ? options.servername : (net.isIP(host) ? undefined : host);
  const verify = options.rejectUnauthorized !== false;
  const tlsSocket = new TLSSocket(null, options);
  tlsSocket._verify = verify;
  tlsSocket.servername = servername;
  if (cb) tlsSocket.once('secureConnect', cb);
  let plain;
  const upgrading = options.socket;
  try {
    if (upgrading) {
      if (!(upgrading instanceof net.Socket) || !upgrading._cf) throw notSupported('connect over a socket that is not a connected net.Socket');
      plain = upgrading._cf;
      // The plain socket's streams now belong to the TLS one.
      upgrading._upgraded = true;
      upgrading._releaseLoop();
      upgrading._reader.releaseLock();
      upgrading._writer.releaseLock();
    } else {
      plain = cfConnect({ hostname: host, port: Number(options.port) }, {
        secureTransport: 'starttls',
        allowHalfOpen: true,
        alpn: options.ALPNProtocols,
      });
    }
    internal.configureTLS(plain, options.ca, verify);
    const secure = plain.startTls({ expectedServerHostname: servername || host });
    tlsSocket.connecting = true;
    tlsSocket._attach(secure, upgrading ? ['secure', 'secureConnect'] : ['connect', 'secure', 'secureConnect', 'ready'], host, options.port);
  } catch (err) {
    queueMicrotask(() => tlsSocket.destroy(net._nodeError(err, host, options.port)));
  }
  return tlsSocket;
}

module.exports = {
  connect,
  TLSSocket,
  createServer() { throw notSupported('createServer (a worker is given its connections by its listeners)'); },
  Server: class Server { constructor() { throw notSupported('Server'); } },
  createSecureContext(options) { return { context: options || {} }; },
  checkServerIdentity() { return undefined; },
  getCiphers() { return []; },
  rootCertificates: [],
  DEFAULT_MIN_VERSION: 'TLSv1.2',
  DEFAULT_MAX_VERSION: 'TLSv1.3',
  DEFAULT_ECDH_CURVE: 'auto',
};
