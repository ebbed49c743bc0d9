// node:url: the WHATWG URL (the globals), file URL helpers, and the legacy
// url.parse/format/resolve that older packages still call.
'use strict';
const querystring = require('node:querystring');

const { coded, invalidArgType: invalidArg, notSupported } = require('sockw:internal/node-codes');

function fileURLToPath(u) {
  if (typeof u === 'string') u = new URL(u);
  else if (!(u instanceof URL)) throw invalidArg('path', ['string', 'URL'], u);
  if (u.protocol !== 'file:') throw coded(TypeError, 'ERR_INVALID_URL_SCHEME', 'The URL must be of scheme file');
  if (u.hostname !== '') throw coded(TypeError, 'ERR_INVALID_FILE_URL_HOST', 'File URL host must be "localhost" or empty on linux');
  if (/%2f/i.test(u.pathname)) throw coded(TypeError, 'ERR_INVALID_FILE_URL_PATH', 'File URL path must not include encoded / characters');
  return decodeURIComponent(u.pathname);
}

function pathToFileURL(path) {
  const u = new URL('file://');
  let p = String(path);
  if (!p.startsWith('/')) p = '/' + p;
  u.pathname = p.replace(/%/g, '%25').replace(/\\/g, '%5C').replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/\t/g, '%09');
  return u;
}

function domainToASCII(domain) {
  try {
    return new URL('http://' + domain).hostname;
  } catch {
    return '';
  }
}

function domainToUnicode(domain) {
  // The punycode decoder is not exposed by URL; ASCII names are their own
  // Unicode form.
  const ascii = domainToASCII(domain);
  if (/(^|\.)xn--/i.test(ascii)) throw notSupported('url.domainToUnicode of punycode names');
  return ascii;
}

// Url is the legacy parse result.
function Url() {
  this.protocol = null;
  this.slashes = null;
  this.auth = null;
  this.host = null;
  this.port = null;
  this.hostname = null;
  this.hash = null;
  this.search = null;
  this.query = null;
  this.pathname = null;
  this.path = null;
  this.href = null;
}

const slashedProtocols = new Set(['http:', 'https:', 'ftp:', 'gopher:', 'file:', 'ws:', 'wss:']);

function parse(input, parseQueryString = false, slashesDenoteHost = false) {
  if (input instanceof Url) return input;
  if (typeof input !== 'string') throw invalidArg('url', 'string', input);
  const u = new Url();
  let rest = input.trim();
  const hashAt = rest.indexOf('#');
  if (hashAt >= 0) {
    u.hash = rest.slice(hashAt);
    rest = rest.slice(0, hashAt);
  }
  const queryAt = rest.indexOf('?');
  if (queryAt >= 0) {
    u.search = rest.slice(queryAt);
    u.query = rest.slice(queryAt + 1);
    rest = rest.slice(0, queryAt);
  } else if (parseQueryString) {
    u.search = '';
    u.query = {};
  }
  if (parseQueryString && typeof u.query === 'string') u.query = querystring.parse(u.query);
  const proto = /^([a-zA-Z][a-zA-Z0-9+.-]*:)/.exec(rest);
  if (proto) {
    u.protocol = proto[1].toLowerCase();
    rest = rest.slice(proto[1].length);
  }
  if (rest.startsWith('//') && u.protocol !== 'javascript:') {
    if (proto || slashesDenoteHost) {
      u.slashes = true;
      rest = rest.slice(2);
      let end = rest.search(/[/\\]/);
      if (end < 0) end = rest.length;
      let authority = rest.slice(0, end);
      rest = rest.slice(end);
      const at = authority.lastIndexOf('@');
      if (at >= 0) {
        u.auth = decodeURIComponent(authority.slice(0, at));
        authority = authority.slice(at + 1);
      }
      const port = /:([0-9]*)$/.exec(authority);
      if (port) {
        if (port[1] !== '') u.port = port[1];
        authority = authority.slice(0, port.index);
      }
      u.hostname = authority.toLowerCase();
      if (u.hostname.startsWith('[') && u.hostname.endsWith(']')) u.hostname = u.hostname.slice(1, -1);
      u.host = (authority.toLowerCase()) + (u.port !== null ? ':' + u.port : '');
      if (rest === '' && slashedProtocols.has(u.protocol)) rest = '/';
    }
  }
  u.pathname = rest === '' ? null : rest;
  if (u.pathname === null && slashedProtocols.has(u.protocol) && u.slashes) u.pathname = '/';
  u.path = (u.pathname || '') + (u.search || '') || null;
  u.href = format(u);
  return u;
}

function format(obj, options) {
  if (typeof obj === 'string') obj = parse(obj);
  if (obj instanceof URL) {
    const u = new URL(obj.href);
    if (options) {
      if (options.auth === false) { u.username = ''; u.password = ''; }
      if (options.search === false) u.search = '';
      if (options.fragment === false) u.hash = '';
    }
    return u.href;
  }
  if (obj === null || typeof obj !== 'object') throw invalidArg('urlObject', ['object', 'string'], obj);
  let protocol = obj.protocol || '';
  if (protocol && !protocol.endsWith(':')) protocol += ':';
  let auth = obj.auth ? encodeURIComponent(obj.auth).replace(/%3A/i, ':') + '@' : '';
  let host = '';
  if (obj.host) host = auth + obj.host;
  else if (obj.hostname) host = auth + (obj.hostname.includes(':') ? '[' + obj.hostname + ']' : obj.hostname) + (obj.port ? ':' + obj.port : '');
  let pathname = obj.pathname || '';
  let search = obj.search || '';
  if (!search && obj.query && typeof obj.query === 'object') {
    const q = querystring.stringify(obj.query);
    if (q) search = '?' + q;
  } else if (!search && typeof obj.query === 'string' && obj.query) {
    search = '?' + obj.query;
  }
  if (search && search[0] !== '?') search = '?' + search;
  let hash = obj.hash || '';
  if (hash && hash[0] !== '#') hash = '#' + hash;
  if (obj.slashes || slashedProtocols.has(protocol)) {
    if (host || protocol === 'file:') host = '//' + host;
    if (pathname && pathname[0] !== '/') pathname = '/' + pathname;
  }
  pathname = pathname.replace(/[?#]/g, encodeURIComponent);
  search = search.replace('#', '%23');
  return protocol + host + pathname + search + hash;
}

function resolve(from, to) {
  try {
    return new URL(to, new URL(from)).href;
  } catch {
    // Relative bases: resolve against a placeholder origin, then drop it.
    const base = new URL(from, 'resolve://x/');
    const out = new URL(to, base);
    return out.protocol === 'resolve:' ? out.pathname + out.search + out.hash : out.href;
  }
}

module.exports = {
  URL,
  URLSearchParams,
  Url,
  parse,
  format,
  resolve,
  resolveObject: (from, to) => parse(resolve(from, to)),
  fileURLToPath,
  pathToFileURL,
  domainToASCII,
  domainToUnicode,
  urlToHttpOptions(u) {
    return {
      protocol: u.protocol, hostname: u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname,
      hash: u.hash, search: u.search, pathname: u.pathname, path: `${u.pathname || ''}${u.search || ''}`,
      href: u.href, ...(u.port !== '' ? { port: Number(u.port) } : {}),
      ...(u.username || u.password ? { auth: `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}` } : {}),
    };
  },
};
