// node:querystring: parse and stringify of application/x-www-form-urlencoded
// text, as Node's legacy module does ('+' is a space, repeated keys become
// arrays, the result object has no prototype).
'use strict';

function unescape(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    // Node leaves malformed escapes as they are, byte by byte.
    return s.replace(/%([0-9a-fA-F]{2})/g, (m, h) => {
      try { return decodeURIComponent(m); } catch { return m; }
    });
  }
}

function escape(s) {
  return encodeURIComponent(s);
}

function parse(str, sep = '&', eq = '=', options = {}) {
  const out = Object.create(null);
  if (typeof str !== 'string' || str.length === 0) return out;
  const decode = options.decodeURIComponent || unescape;
  const max = options.maxKeys === undefined ? 1000 : options.maxKeys;
  let parts = str.split(sep);
  if (max > 0) parts = parts.slice(0, max);
  for (const part of parts) {
    if (part === '') continue;
    const i = part.indexOf(eq);
    const rawKey = i >= 0 ? part.slice(0, i) : part;
    const rawValue = i >= 0 ? part.slice(i + eq.length) : '';
    const key = decode(rawKey.replace(/\+/g, ' '));
    const value = decode(rawValue.replace(/\+/g, ' '));
    if (!(key in out)) out[key] = value;
    else if (Array.isArray(out[key])) out[key].push(value);
    else out[key] = [out[key], value];
  }
  return out;
}

function primitive(v) {
  if (typeof v === 'string') return v;
  if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return '';
}

function stringify(obj, sep = '&', eq = '=', options = {}) {
  const encode = options.encodeURIComponent || escape;
  if (obj === null || typeof obj !== 'object') return '';
  const out = [];
  for (const key of Object.keys(obj)) {
    const k = encode(primitive(key));
    const v = obj[key];
    if (Array.isArray(v)) {
      for (const item of v) out.push(k + eq + encode(primitive(item)));
    } else {
      out.push(k + eq + encode(primitive(v)));
    }
  }
  return out.join(sep);
}

module.exports = { parse, stringify, decode: parse, encode: stringify, escape, unescape, unescapeBuffer: unescape };
