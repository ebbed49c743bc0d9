// node:dns: lookup through the host's resolver (as getaddrinfo would) and
// resolve* for record types drivers ask for, in callback and promise forms.
'use strict';
const internal = require('sockw:internal/node');
const { isIP } = require('sockw:internal/node-ip');

const codes = {
  NODATA: 'ENODATA', FORMERR: 'EFORMERR', SERVFAIL: 'ESERVFAIL', NOTFOUND: 'ENOTFOUND',
  NOTIMP: 'ENOTIMP', REFUSED: 'EREFUSED', BADQUERY: 'EBADQUERY', BADNAME: 'EBADNAME',
  BADFAMILY: 'EBADFAMILY', BADRESP: 'EBADRESP', CONNREFUSED: 'ECONNREFUSED', TIMEOUT: 'ETIMEOUT',
  EOF: 'EOF', FILE: 'EFILE', NOMEM: 'ENOMEM', DESTRUCTION: 'EDESTRUCTION', BADSTR: 'EBADSTR',
  BADFLAGS: 'EBADFLAGS', NONAME: 'ENONAME', BADHINTS: 'EBADHINTS', NOTINITIALIZED: 'ENOTINITIALIZED',
  LOADIPHLPAPI: 'ELOADIPHLPAPI', ADDRGETNETWORKPARAMS: 'EADDRGETNETWORKPARAMS', CANCELLED: 'ECANCELLED',
};

const { invalidArgType, invalidArgValue, notSupported } = require('sockw:internal/node-codes');

const invalidArg = (name, value) => invalidArgType(name, 'function', value);

function lookup(hostname, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = {};
  }
  if (typeof callback !== 'function') throw invalidArg('callback', callback);
  if (typeof options === 'number') options = { family: options };
  options = options || {};
  let family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : Number(options.family) || 0;
  const all = Boolean(options.all);
  if (!hostname) {
    queueMicrotask(() => (all ? callback(null, []) : callback(null, null, family === 6 ? 6 : 4)));
    return {};
  }
  const literal = isIP(hostname);
  if (literal) {
    queueMicrotask(() => (all ? callback(null, [{ address: hostname, family: literal }]) : callback(null, hostname, literal)));
    return {};
  }
  internal.dnsLookup(String(hostname), family, (err, addresses) => {
    if (err) return callback(err);
    if (options.order === 'ipv4first' || (options.order === undefined && options.verbatim === false)) {
      addresses.sort((a, b) => a.family - b.family);
    } else if (options.order === 'ipv6first') {
      addresses.sort((a, b) => b.family - a.family);
    }
    if (all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
  return {};
}

function resolver(rrtype) {
  return function (hostname, callback) {
    if (typeof callback !== 'function') throw invalidArg('callback', callback);
    internal.dnsResolve(String(hostname), rrtype, callback);
    return {};
  };
}

const resolve4 = resolver('A');
const resolve6 = resolver('AAAA');
const resolveCname = resolver('CNAME');
const resolveMx = resolver('MX');
const resolveTxt = resolver('TXT');
const resolveNs = resolver('NS');
const resolveSrv = resolver('SRV');
const byType = { A: resolve4, AAAA: resolve6, CNAME: resolveCname, MX: resolveMx, TXT: resolveTxt, NS: resolveNs, SRV: resolveSrv };

function resolve(hostname, rrtype, callback) {
  if (typeof rrtype === 'function') {
    callback = rrtype;
    rrtype = 'A';
  }
  const fn = byType[rrtype];
  if (!fn) {
    throw invalidArgValue('rrtype', rrtype);
  }
  return fn(hostname, callback);
}

function promisified(fn) {
  return (...args) => new Promise((resolve, reject) => {
    fn(...args, (err, ...values) => (err ? reject(err) : resolve(values.length > 1 ? values : values[0])));
  });
}

// Resolver: each instance asks the same host resolver; servers cannot be
// chosen from a worker.
class Resolver {
  constructor() {}
  cancel() {}
  getServers() { return []; }
  setServers() {
    throw notSupported('dns.Resolver.setServers');
  }
}
Object.assign(Resolver.prototype, { resolve, resolve4, resolve6, resolveCname, resolveMx, resolveTxt, resolveNs, resolveSrv });

const promises = {
  lookup(hostname, options) {
    return new Promise((resolve, reject) => {
      lookup(hostname, options || {}, (err, address, family) => {
        if (err) return reject(err);
        resolve(Array.isArray(address) ? address : { address, family });
      });
    });
  },
  resolve: promisified(resolve),
  resolve4: promisified(resolve4),
  resolve6: promisified(resolve6),
  resolveCname: promisified(resolveCname),
  resolveMx: promisified(resolveMx),
  resolveTxt: promisified(resolveTxt),
  resolveNs: promisified(resolveNs),
  resolveSrv: promisified(resolveSrv),
  Resolver: class extends Resolver {},
  ...codes,
};

module.exports = {
  lookup,
  resolve,
  resolve4,
  resolve6,
  resolveCname,
  resolveMx,
  resolveTxt,
  resolveNs,
  resolveSrv,
  Resolver,
  promises,
  getServers: () => [],
  setDefaultResultOrder() {},
  getDefaultResultOrder: () => 'verbatim',
  ...codes,
};
