// The SMTP protocol parser (RFC 5321, with RFC 1870 SIZE, RFC 6152 8BITMIME,
// RFC 2920 PIPELINING, RFC 3463 enhanced status codes, RFC 4954 AUTH and
// RFC 4616 PLAIN): a plain ES module with no I/O, so that it can be tested on
// its own with `sockw exec scripts/smtp/parser_test.js` and reused by other
// workers (the same module also drives the outbound relay client).

const LF = 10, CR = 13, DOT = 46;

export const COMMAND_LINE_LIMIT = 512; // RFC 5321 4.5.3.1.4, CRLF included
export const TEXT_LINE_LIMIT = 1000; // RFC 5321 4.5.3.1.6, CRLF included
export const PATH_LIMIT = 256; // RFC 5321 4.5.3.1.3
export const LOCAL_PART_LIMIT = 64; // RFC 5321 4.5.3.1.1
export const DOMAIN_LIMIT = 255; // RFC 5321 4.5.3.1.2

// LineBuffer splits a byte stream into LF-terminated lines (CRLF expected,
// bare LF tolerated) without ever holding more than one line's limit of an
// unfinished line: a longer line is dropped as it arrives and reported once
// its end is seen.
export class LineBuffer {
  constructor() {
    this.buf = new Uint8Array(0);
    this.pos = 0;
    this.discarding = false;
  }

  // push appends bytes the peer sent.
  push(chunk) {
    if (!(chunk instanceof Uint8Array)) chunk = new Uint8Array(chunk);
    if (this.pos >= this.buf.length) {
      this.buf = chunk;
    } else {
      const rest = this.buf.length - this.pos;
      const b = new Uint8Array(rest + chunk.length);
      b.set(this.buf.subarray(this.pos), 0);
      b.set(chunk, rest);
      this.buf = b;
    }
    this.pos = 0;
  }

  // next returns the next complete line as {bytes} (LF included), or
  // {tooLong: true} for a line longer than limit bytes (CRLF included), or
  // null when no complete line is buffered yet.
  next(limit) {
    const i = this.buf.indexOf(LF, this.pos);
    if (i < 0) {
      if (this.buf.length - this.pos > limit) {
        // Drop what we have of an overlong line; remember to report it.
        this.discarding = true;
        this.buf = new Uint8Array(0);
        this.pos = 0;
      }
      return null;
    }
    const bytes = this.buf.subarray(this.pos, i + 1);
    this.pos = i + 1;
    if (this.discarding) {
      this.discarding = false;
      return { tooLong: true };
    }
    if (bytes.length > limit) return { tooLong: true };
    return { bytes };
  }

  // buffered tells how many unread bytes are held.
  get buffered() {
    return this.buf.length - this.pos;
  }

  // clear drops everything buffered (after STARTTLS, RFC 3207 4.2).
  clear() {
    this.buf = new Uint8Array(0);
    this.pos = 0;
    this.discarding = false;
  }
}

const decoder = new TextDecoder('utf-8');

// lineText decodes a command line without its line ending.
export function lineText(bytes) {
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === LF) end--;
  if (end > 0 && bytes[end - 1] === CR) end--;
  return decoder.decode(bytes.subarray(0, end));
}

// parseCommand splits a command line into its verb (upper-cased) and
// argument. A line that does not start with a verb of letters gives verb ''.
export function parseCommand(line) {
  const m = /^([A-Za-z]{1,16})(?:([ \t])(.*))?$/s.exec(line);
  if (!m) return { verb: '', arg: '' };
  return { verb: m[1].toUpperCase(), arg: (m[3] || '').replace(/[ \t]+$/, ''), sep: m[2] || '' };
}

// RFC 5321 4.1.2 Mailbox syntax.
const ATEXT = "[A-Za-z0-9!#$%&'*+\\-/=?^_`{|}~]";
const DOT_STRING = `${ATEXT}+(?:\\.${ATEXT}+)*`;
const QUOTED_STRING = '"(?:[\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]|\\\\[\\x20-\\x7e])*"';
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const DOMAIN = `${LABEL}(?:\\.${LABEL})*`;
const ADDRESS_LITERAL = '\\[(?:[0-9]{1,3}(?:\\.[0-9]{1,3}){3}|IPv6:[0-9A-Fa-f:.]+)\\]';
const MAILBOX_RE = new RegExp(`^(${DOT_STRING}|${QUOTED_STRING})@(${DOMAIN}|${ADDRESS_LITERAL})$`);
// Non-ASCII is allowed in the local part and domain as raw UTF-8 (SMTPUTF8
// style) only when the caller asks for it; by default it is refused.
const ADL_RE = new RegExp(`^@${DOMAIN}(?:,@${DOMAIN})*:`);

// parseMailbox checks an address without its angle brackets.
export function parseMailbox(s) {
  const m = MAILBOX_RE.exec(s);
  if (!m) return null;
  if (m[1].length > LOCAL_PART_LIMIT || m[2].length > DOMAIN_LIMIT) return null;
  return { local: m[1], domain: m[2] };
}

// parsePath parses the argument of MAIL ("FROM:<a@b> SIZE=1") or RCPT
// ("TO:<a@b>") into {address, params}, or {error: [code, enhanced, text]}.
// prefix is "FROM" or "TO". The null path <> is allowed for FROM only;
// <postmaster> (any case) for TO only. Source routes are accepted and
// ignored (RFC 5321 4.1.2, C).
export function parsePath(arg, prefix) {
  const bad = prefix === 'FROM' ? '5.1.7' : '5.1.3';
  const what = prefix === 'FROM' ? 'sender' : 'recipient';
  const head = new RegExp(`^${prefix}:[ ]?`, 'i').exec(arg);
  if (!head) return { error: [501, '5.5.4', `Syntax: ${prefix === 'FROM' ? 'MAIL FROM:<address>' : 'RCPT TO:<address>'}`] };
  let rest = arg.slice(head[0].length);
  if (rest[0] !== '<') return { error: [501, bad, `Bad ${what} address syntax`] };
  const close = rest.indexOf('>');
  if (close < 0) return { error: [501, bad, `Bad ${what} address syntax`] };
  let path = rest.slice(1, close);
  const after = rest.slice(close + 1);
  if (after !== '' && after[0] !== ' ') return { error: [501, bad, `Bad ${what} address syntax`] };
  if (path.length + 2 > PATH_LIMIT) return { error: [501, bad, `${what[0].toUpperCase() + what.slice(1)} address too long`] };
  const adl = ADL_RE.exec(path);
  if (adl) path = path.slice(adl[0].length);
  let address;
  if (path === '') {
    if (prefix !== 'FROM' || adl) return { error: [501, bad, `Bad ${what} address syntax`] };
    address = '';
  } else if (prefix === 'TO' && /^postmaster$/i.test(path)) {
    address = 'postmaster';
  } else if (parseMailbox(path)) {
    address = path;
  } else {
    return { error: [501, bad, `Bad ${what} address syntax`] };
  }
  const params = parseParams(after.trim());
  if (!params) return { error: [501, '5.5.4', 'Bad ESMTP parameter syntax'] };
  return { address, params };
}

// parseParams parses "KEY=VALUE KEY2" ESMTP parameters into a Map with
// upper-cased keys (value undefined when absent), or null on bad syntax.
export function parseParams(s) {
  const params = new Map();
  if (s === '') return params;
  for (const tok of s.split(/ +/)) {
    const m = /^([A-Za-z0-9][A-Za-z0-9-]*)(?:=([\x21-\x3c\x3e-\x7e]+))?$/.exec(tok);
    if (!m) return null;
    const key = m[1].toUpperCase();
    if (params.has(key)) return null;
    params.set(key, m[2]);
  }
  return params;
}

// parseSize reads a SIZE= value: a decimal of up to 20 digits.
export function parseSize(v) {
  if (v === undefined || !/^[0-9]{1,20}$/.test(v)) return NaN;
  return Number(v);
}

// reply formats an SMTP reply: code, enhanced status code (or '' for none,
// e.g. the greeting) and one or more lines of text.
export function reply(code, enhanced, text) {
  const lines = Array.isArray(text) ? text : [text];
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    const sep = i === lines.length - 1 ? ' ' : '-';
    out += `${code}${sep}${enhanced ? enhanced + ' ' : ''}${lines[i]}\r\n`;
  }
  return out;
}

// dataLine classifies one line of DATA (LF included): 'end' for the
// terminating ".", else the line with one leading dot removed (RFC 5321
// 4.5.2).
export function dataLine(bytes) {
  if (bytes[0] !== DOT) return bytes;
  if ((bytes.length === 3 && bytes[1] === CR && bytes[2] === LF) || (bytes.length === 2 && bytes[1] === LF)) return 'end';
  return bytes.subarray(1);
}

// dotStuff prepares a message for DATA: every line ends in CRLF, a leading
// dot is doubled, and the terminating ".\r\n" is appended.
export function dotStuff(msg) {
  const parts = [];
  let n = 0;
  let pos = 0;
  const push = (b) => { parts.push(b); n += b.length; };
  const CRLF = new Uint8Array([CR, LF]);
  while (pos < msg.length) {
    let i = msg.indexOf(LF, pos);
    let line, ended = true;
    if (i < 0) { line = msg.subarray(pos); pos = msg.length; ended = false; } else { line = msg.subarray(pos, i); pos = i + 1; }
    if (ended && line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, line.length - 1);
    if (line.length > 0 && line[0] === DOT) push(new Uint8Array([DOT]));
    push(line);
    push(CRLF);
  }
  push(new Uint8Array([DOT, CR, LF]));
  return concat(parts, n);
}

// concat joins byte arrays.
export function concat(parts, total) {
  if (total === undefined) total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

// decodeBase64 decodes strict base64 to bytes, or returns null.
export function decodeBase64(s) {
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return null;
  let bin;
  try { bin = atob(s); } catch { return null; }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// encodeBase64 encodes a string as UTF-8 and then base64.
export function encodeBase64(s) {
  const b = new TextEncoder().encode(s);
  let bin = '';
  for (let i = 0; i < b.length; i++) bin += String.fromCharCode(b[i]);
  return btoa(bin);
}

const strict = new TextDecoder('utf-8', { fatal: true });

// utf8 decodes bytes as UTF-8, or returns null for invalid input.
export function utf8(bytes) {
  try { return strict.decode(bytes); } catch { return null; }
}

// parseAuthPlain decodes a PLAIN response (RFC 4616): base64 of
// authzid NUL authcid NUL passwd. Returns {authzid, user, pass} or null.
export function parseAuthPlain(b64) {
  const bytes = decodeBase64(b64);
  if (!bytes) return null;
  const text = utf8(bytes);
  if (text === null) return null;
  const parts = text.split('\0');
  if (parts.length !== 3 || parts[1] === '' || parts[2] === '') return null;
  return { authzid: parts[0], user: parts[1], pass: parts[2] };
}

// parseUsers reads "alice:secret,bob:pw" into a Map (a password may hold
// ':' but not ',').
export function parseUsers(s) {
  const users = new Map();
  if (!s) return users;
  for (const entry of s.split(',')) {
    const e = entry.trim();
    if (e === '') continue;
    const i = e.indexOf(':');
    if (i <= 0) throw new Error(`SMTP_USERS: "${e}" is not user:password`);
    users.set(e.slice(0, i), e.slice(i + 1));
  }
  return users;
}

// timingSafeEqual compares two strings without an early exit.
export function timingSafeEqual(a, b) {
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// rfc5322Date formats a date for a Received: header, in UTC.
export function rfc5322Date(d) {
  const p = (n) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

// parseReplyLine reads one line of a server reply (client side):
// {code, last, text}, or null if it is not a reply line.
export function parseReplyLine(line) {
  const m = /^([2-5][0-9][0-9])([ -]|$)(.*)$/s.exec(line);
  if (!m) return null;
  return { code: Number(m[1]), last: m[2] !== '-', text: m[3] };
}

// ehloExtensions reads the keywords of an EHLO reply's lines (the first
// line is the greeting) into a Map of keyword -> parameter string.
export function ehloExtensions(lines) {
  const ext = new Map();
  for (const l of lines.slice(1)) {
    const m = /^([A-Za-z0-9][A-Za-z0-9-]*)(?: (.*))?$/.exec(l);
    if (m) ext.set(m[1].toUpperCase(), m[2] || '');
  }
  return ext;
}
