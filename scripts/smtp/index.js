// An ESMTP server (RFC 5321) as a Socket Worker: EHLO/HELO, SIZE, PIPELINING,
// 8BITMIME, ENHANCEDSTATUSCODES, STARTTLS, AUTH PLAIN/LOGIN, and a mailbox per
// recipient in the MAILBOX KV namespace; optionally relays to a smart host.
//
//   sockw run scripts/smtp --listen tcp://127.0.0.1:2525
//
// See README.md in this folder for the settings (env vars) and how to read the
// stored mail.
import { connect } from 'cloudflare:sockets';
import {
  LineBuffer, lineText, parseCommand, parsePath, parseSize, reply, dataLine, dotStuff,
  concat, decodeBase64, utf8, parseAuthPlain, parseUsers, timingSafeEqual, rfc5322Date,
  parseReplyLine, ehloExtensions, encodeBase64, COMMAND_LINE_LIMIT, TEXT_LINE_LIMIT,
} from './parser.js';

const enc = new TextEncoder();
const AUTH_LINE_LIMIT = 12288; // RFC 4954 4: a SASL response line may be this long
const TIMEOUT = Symbol('timeout');

function intVar(v, def) {
  const n = Number(v);
  return v !== undefined && v !== '' && Number.isFinite(n) && n > 0 ? Math.floor(n) : def;
}

// settings reads the worker's configuration from env (see README.md).
function settings(env) {
  return {
    hostname: env.SMTP_HOSTNAME || 'localhost',
    maxSize: intVar(env.SMTP_MAX_SIZE, 10 * 1024 * 1024),
    maxRecipients: intVar(env.SMTP_MAX_RECIPIENTS, 100),
    maxErrors: intVar(env.SMTP_MAX_ERRORS, 10),
    timeoutMs: intVar(env.SMTP_TIMEOUT_SECONDS, 300) * 1000,
    users: parseUsers(env.SMTP_USERS || ''),
    allowPlainAuth: env.SMTP_ALLOW_PLAIN_AUTH === '1',
    starttls: env.SMTP_STARTTLS !== '0',
    smartHost: env.SMTP_SMART_HOST || '',
    // SMTP_SMART_HOST_AUTH = "user:password" logs in to the smart host (AUTH PLAIN).
    smartHostUser: (env.SMTP_SMART_HOST_AUTH || '').split(':')[0],
    smartHostPass: (env.SMTP_SMART_HOST_AUTH || '').split(':').slice(1).join(':'),
    mailbox: env.MAILBOX,
  };
}

// Conn wraps one (plain or TLS) socket: buffered lines in, batched replies
// out. Replies are flushed whenever the session would wait for input, which
// is what PIPELINING (RFC 2920) needs.
class Conn {
  constructor(socket, timeoutMs) {
    this.socket = socket;
    this.reader = socket.readable.getReader();
    this.writer = socket.writable.getWriter();
    this.lines = new LineBuffer();
    this.out = [];
    this.timeoutMs = timeoutMs;
  }

  send(text) {
    this.out.push(text);
  }

  async flush() {
    if (this.out.length === 0) return;
    const text = this.out.join('');
    this.out = [];
    await this.writer.write(enc.encode(text));
  }

  // fill reads one more chunk: false at EOF, TIMEOUT when the peer was idle.
  async fill() {
    await this.flush();
    let timer;
    const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve(TIMEOUT), this.timeoutMs); });
    try {
      const r = await Promise.race([this.reader.read(), timeout]);
      if (r === TIMEOUT) return TIMEOUT;
      if (r.done) return false;
      this.lines.push(r.value);
      return true;
    } finally {
      clearTimeout(timer);
    }
  }

  // line returns the next line ({bytes} or {tooLong}), null at EOF, or
  // TIMEOUT.
  async line(limit) {
    for (;;) {
      const l = this.lines.next(limit);
      if (l) return l;
      const r = await this.fill();
      if (r !== true) return r === TIMEOUT ? TIMEOUT : null;
    }
  }

  release() {
    this.reader.releaseLock();
    this.writer.releaseLock();
  }
}

function hostOf(addr) {
  if (!addr) return 'unknown';
  const m = /^\[(.*)\]:\d+$/.exec(addr) || /^(.*):\d+$/.exec(addr);
  return m ? m[1] : addr;
}

function newId() {
  return crypto.randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
}

const HELP = [
  'Commands: EHLO HELO STARTTLS AUTH MAIL RCPT DATA RSET NOOP VRFY HELP QUIT',
  'See RFC 5321',
];
const NOT_IMPLEMENTED = new Set(['EXPN', 'TURN', 'ETRN', 'BDAT', 'ATRN', 'SEND', 'SOML', 'SAML']);

async function session(socket, env, ctx) {
  const cfg = settings(env);
  const info = await socket.opened;
  const remoteIp = hostOf(info.remoteAddress);
  let conn = new Conn(socket, cfg.timeoutMs);
  const st = { helo: null, esmtp: false, tls: false, user: null, mail: null, rcpts: [], errors: 0 };
  const resetTx = () => { st.mail = null; st.rcpts = []; };
  const ok = (code, enh, text) => conn.send(reply(code, enh, text));
  // fail sends a 5xx reply and counts it; true means the session must end.
  const fail = (code, enh, text) => {
    st.errors++;
    if (st.errors >= cfg.maxErrors) {
      conn.send(reply(421, '4.7.0', `${cfg.hostname} Error: too many errors, closing connection`));
      return true;
    }
    conn.send(reply(code, enh, text));
    return false;
  };
  const bye = async (code, enh, text) => {
    conn.send(reply(code, enh, text));
    await conn.flush();
  };
  const timedOut = () => bye(421, '4.4.2', `${cfg.hostname} Error: timeout exceeded, closing connection`);

  if (!cfg.mailbox && !cfg.smartHost) {
    console.error('smtp: no MAILBOX KV binding and no SMTP_SMART_HOST: mail has nowhere to go');
    return bye(554, '5.3.5', `${cfg.hostname} System incorrectly configured (no mailbox storage)`);
  }
  ok(220, '', `${cfg.hostname} ESMTP sockw ready`);

  // readAuthLine reads one SASL response; null means the session ended.
  const readAuthLine = async () => {
    const l = await conn.line(AUTH_LINE_LIMIT);
    if (l === TIMEOUT) { await timedOut(); return null; }
    if (l === null) return null;
    if (l.tooLong) return { tooLong: true };
    return { text: lineText(l.bytes) };
  };

  for (;;) {
    const l = await conn.line(COMMAND_LINE_LIMIT);
    if (l === null) return;
    if (l === TIMEOUT) return timedOut();
    if (l.tooLong) {
      if (fail(500, '5.5.2', 'Line too long')) return conn.flush();
      continue;
    }
    const { verb, arg } = parseCommand(lineText(l.bytes));
    let end = false;
    switch (verb) {
      case 'EHLO':
      case 'HELO': {
        if (arg === '' || /\s/.test(arg)) { end = fail(501, '5.5.4', `Syntax: ${verb} hostname`); break; }
        resetTx();
        st.helo = arg;
        st.esmtp = verb === 'EHLO';
        if (!st.esmtp) { ok(250, '', `${cfg.hostname} Hello ${arg}`); break; }
        const lines = [`${cfg.hostname} Hello ${arg} [${remoteIp}]`, 'PIPELINING', `SIZE ${cfg.maxSize}`, '8BITMIME', 'ENHANCEDSTATUSCODES'];
        if (cfg.starttls && !st.tls) lines.push('STARTTLS');
        if (cfg.users.size > 0 && (st.tls || cfg.allowPlainAuth)) lines.push('AUTH PLAIN LOGIN');
        lines.push('HELP');
        ok(250, '', lines);
        break;
      }
      case 'STARTTLS': {
        if (arg !== '') { end = fail(501, '5.5.4', 'Syntax: STARTTLS'); break; }
        if (!cfg.starttls) { end = fail(502, '5.5.1', 'STARTTLS not available'); break; }
        if (st.tls) { end = fail(503, '5.5.1', 'TLS already active'); break; }
        if (st.mail) { end = fail(503, '5.5.1', 'STARTTLS not permitted during a mail transaction'); break; }
        ok(220, '2.0.0', 'Ready to start TLS');
        await conn.flush();
        // RFC 3207 4.2: whatever the client pipelined after STARTTLS is
        // discarded, and the session starts over (EHLO again).
        conn.lines.clear();
        conn.release();
        const tlsSocket = conn.socket.startTls();
        conn = new Conn(tlsSocket, cfg.timeoutMs);
        st.tls = true;
        st.helo = null;
        st.esmtp = false;
        st.user = null;
        resetTx();
        break;
      }
      case 'AUTH': {
        if (cfg.users.size === 0) { end = fail(503, '5.5.1', 'Error: authentication not enabled'); break; }
        if (!st.esmtp) { end = fail(503, '5.5.1', 'Error: send EHLO first'); break; }
        if (!st.tls && !cfg.allowPlainAuth) { end = fail(538, '5.7.11', 'Encryption required for requested authentication mechanism'); break; }
        if (st.user !== null) { end = fail(503, '5.5.1', 'Error: already authenticated'); break; }
        if (st.mail) { end = fail(503, '5.5.1', 'Error: AUTH not permitted during a mail transaction'); break; }
        const m = /^([A-Za-z0-9_-]+)(?: (\S+))?$/.exec(arg);
        if (!m) { end = fail(501, '5.5.4', 'Syntax: AUTH mechanism [initial-response]'); break; }
        const mech = m[1].toUpperCase();
        let initial = m[2];
        if (mech !== 'PLAIN' && mech !== 'LOGIN') { end = fail(504, '5.5.4', 'Unrecognized authentication type'); break; }
        // challenge sends a 334 and reads the answer: a string, or
        // {abort}/{bad}/{tooLong}, or null when the session ended.
        const challenge = async (text) => {
          ok(334, '', text);
          const r = await readAuthLine();
          if (r === null || r.tooLong) return r;
          return r.text;
        };
        let user, pass;
        let outcome = null; // [code, enh, text] of a failure
        if (mech === 'PLAIN') {
          let resp = initial;
          if (resp === undefined) {
            resp = await challenge('');
            if (resp === null) return;
          }
          if (resp.tooLong) outcome = [500, '5.5.6', 'Authentication exchange line is too long'];
          else if (resp === '*') outcome = [501, '5.7.0', 'Authentication aborted'];
          else {
            const p = parseAuthPlain(resp === '=' ? '' : resp);
            if (!p) outcome = [501, '5.5.2', 'Cannot decode response'];
            else if (p.authzid !== '' && p.authzid !== p.user) outcome = [535, '5.7.8', 'Authentication credentials invalid'];
            else { user = p.user; pass = p.pass; }
          }
        } else {
          const step = async (resp, prompt) => {
            if (resp === undefined) {
              resp = await challenge(prompt);
              if (resp === null) return null;
            }
            if (resp.tooLong) return { fail: [500, '5.5.6', 'Authentication exchange line is too long'] };
            if (resp === '*') return { fail: [501, '5.7.0', 'Authentication aborted'] };
            const b = decodeBase64(resp);
            const s = b && utf8(b);
            if (s === null || s === undefined) return { fail: [501, '5.5.2', 'Cannot decode response'] };
            return { value: s };
          };
          const u = await step(initial, 'VXNlcm5hbWU6');
          if (u === null) return;
          if (u.fail) outcome = u.fail;
          else {
            const p = await step(undefined, 'UGFzc3dvcmQ6');
            if (p === null) return;
            if (p.fail) outcome = p.fail;
            else { user = u.value; pass = p.value; }
          }
        }
        if (!outcome) {
          const want = cfg.users.get(user);
          if (want !== undefined && timingSafeEqual(want, pass)) {
            st.user = user;
            ok(235, '2.7.0', 'Authentication successful');
            break;
          }
          outcome = [535, '5.7.8', 'Authentication credentials invalid'];
        }
        end = fail(...outcome);
        break;
      }
      case 'MAIL': {
        if (!st.helo) { end = fail(503, '5.5.1', 'Error: send HELO/EHLO first'); break; }
        if (cfg.users.size > 0 && st.user === null) { end = fail(530, '5.7.0', 'Authentication required'); break; }
        if (st.mail) { end = fail(503, '5.5.1', 'Error: nested MAIL command'); break; }
        const p = parsePath(arg, 'FROM');
        if (p.error) { end = fail(...p.error); break; }
        if (!st.esmtp && p.params.size > 0) { end = fail(555, '5.5.4', 'ESMTP parameters need EHLO'); break; }
        let bad = null;
        for (const [k, v] of p.params) {
          if (k === 'SIZE') {
            const n = parseSize(v);
            if (Number.isNaN(n)) bad = [501, '5.5.4', 'Bad SIZE parameter'];
            else if (n > cfg.maxSize) bad = [552, '5.3.4', 'Message size exceeds fixed maximum message size'];
          } else if (k === 'BODY') {
            if (v === undefined || !/^(7BIT|8BITMIME)$/i.test(v)) bad = [501, '5.5.4', 'Bad BODY parameter'];
          } else if (k === 'AUTH') {
            // RFC 4954 5: accepted and ignored.
          } else {
            bad = [555, '5.5.4', `Unsupported parameter ${k}`];
          }
          if (bad) break;
        }
        if (bad) { end = fail(...bad); break; }
        st.mail = { from: p.address };
        st.rcpts = [];
        ok(250, '2.1.0', `Sender <${p.address}> OK`);
        break;
      }
      case 'RCPT': {
        if (!st.mail) { end = fail(503, '5.5.1', 'Error: need MAIL command'); break; }
        const p = parsePath(arg, 'TO');
        if (p.error) { end = fail(...p.error); break; }
        if (p.params.size > 0) { end = fail(555, '5.5.4', 'Unsupported RCPT parameter'); break; }
        const norm = normalizeRecipient(p.address, cfg.hostname);
        if (st.rcpts.includes(norm)) { ok(250, '2.1.5', `Recipient <${p.address}> OK`); break; }
        if (st.rcpts.length >= cfg.maxRecipients) { ok(452, '4.5.3', 'Error: too many recipients'); break; }
        st.rcpts.push(norm);
        ok(250, '2.1.5', `Recipient <${p.address}> OK`);
        break;
      }
      case 'DATA': {
        if (arg !== '') { end = fail(501, '5.5.4', 'Syntax: DATA'); break; }
        if (!st.mail) { end = fail(503, '5.5.1', 'Error: need MAIL command'); break; }
        if (st.rcpts.length === 0) { end = fail(503, '5.5.1', 'Error: need RCPT command'); break; }
        ok(354, '', 'End data with <CR><LF>.<CR><LF>');
        const parts = [];
        let size = 0, tooBig = false, lineTooLong = false;
        for (;;) {
          let dl = conn.lines.next(TEXT_LINE_LIMIT);
          if (!dl) dl = await conn.line(TEXT_LINE_LIMIT);
          if (dl === null) return; // the client vanished: nothing is stored
          if (dl === TIMEOUT) return timedOut();
          if (dl.tooLong) { lineTooLong = true; continue; }
          const d = dataLine(dl.bytes);
          if (d === 'end') break;
          size += d.length;
          if (tooBig || lineTooLong) continue;
          if (size > cfg.maxSize) { tooBig = true; parts.length = 0; continue; }
          parts.push(d);
        }
        const tx = st.mail, rcpts = st.rcpts;
        resetTx();
        if (tooBig) { end = fail(552, '5.3.4', 'Error: message size exceeds fixed maximum message size'); break; }
        if (lineTooLong) { end = fail(552, '5.3.4', `Error: message line too long (limit ${TEXT_LINE_LIMIT} bytes with CRLF)`); break; }
        const id = newId();
        const now = new Date();
        const proto = (st.esmtp ? 'ESMTP' : 'SMTP') + (st.esmtp && st.tls ? 'S' : '') + (st.esmtp && st.user !== null ? 'A' : '');
        const received = `Received: from ${st.helo} (${remoteIp})\r\n\tby ${cfg.hostname} (sockw) with ${proto} id ${id}` +
          (rcpts.length === 1 ? `\r\n\tfor <${rcpts[0]}>` : '') + `; ${rfc5322Date(now)}\r\n`;
        const head = enc.encode(received);
        const msg = concat([head, ...parts], head.length + size);
        try {
          if (cfg.mailbox) await store(cfg.mailbox, msg, tx.from, rcpts, now, id, st.user);
        } catch (e) {
          console.error(`smtp: storing ${id} failed: ${e && e.message}`);
          ok(451, '4.3.0', 'Error: local error in processing, try again later');
          break;
        }
        console.log(`smtp: ${id} from <${tx.from}> to ${rcpts.length} recipient(s), ${msg.length} bytes, stored`);
        if (cfg.smartHost) {
          ctx.waitUntil(relay(cfg, msg, tx.from, rcpts, id).then(
            () => console.log(`smtp: ${id} relayed to ${cfg.smartHost}`),
            (e) => console.error(`smtp: ${id} relay to ${cfg.smartHost} failed: ${e && e.message}`)));
        }
        ok(250, '2.0.0', `Ok: queued as ${id}`);
        break;
      }
      case 'RSET':
        if (arg !== '') { end = fail(501, '5.5.4', 'Syntax: RSET'); break; }
        resetTx();
        ok(250, '2.0.0', 'Ok');
        break;
      case 'NOOP':
        ok(250, '2.0.0', 'Ok');
        break;
      case 'VRFY':
        if (arg === '') { end = fail(501, '5.5.4', 'Syntax: VRFY address'); break; }
        ok(252, '2.5.0', 'Cannot VRFY user, but will accept message and attempt delivery');
        break;
      case 'HELP':
        ok(214, '2.0.0', HELP);
        break;
      case 'QUIT':
        return bye(221, '2.0.0', `${cfg.hostname} closing connection`);
      default:
        if (NOT_IMPLEMENTED.has(verb)) end = fail(502, '5.5.1', 'Error: command not implemented');
        else end = fail(500, '5.5.2', 'Error: command not recognized');
    }
    if (end) return conn.flush();
  }
}

// normalizeRecipient lower-cases the domain (the local part is case-sensitive
// in principle) and maps the bare postmaster to postmaster@hostname.
function normalizeRecipient(addr, hostname) {
  if (addr === 'postmaster') return `postmaster@${hostname}`;
  const at = addr.lastIndexOf('@');
  return addr.slice(0, at) + '@' + addr.slice(at + 1).toLowerCase();
}

// store puts one copy of the message in each recipient's mailbox:
// mailbox/<recipient>/<ms timestamp>-<id>, with metadata {id, from, to, size,
// receivedAt}.
async function store(kv, msg, from, rcpts, now, id, user) {
  const ts = String(now.getTime()).padStart(13, '0');
  const puts = rcpts.map((rcpt) => {
    let metadata = { id, from, to: rcpts, size: msg.length, receivedAt: now.toISOString() };
    if (user) metadata.auth = user;
    if (JSON.stringify(metadata).length > 1000) metadata = { id, from, to: [rcpt], recipients: rcpts.length, size: msg.length, receivedAt: now.toISOString() };
    return kv.put(`mailbox/${rcpt}/${ts}-${id}`, msg, { metadata });
  });
  await Promise.all(puts);
}

// relay sends one message to the smart host: a plain SMTP client that
// upgrades with STARTTLS when the server offers it.
async function relay(cfg, msg, from, rcpts, id) {
  const socket = connect(cfg.smartHost, { secureTransport: 'starttls' });
  await socket.opened;
  let c = new Conn(socket, 60000);
  const readReply = async () => {
    const lines = [];
    for (;;) {
      const l = await c.line(4096);
      if (l === null || l === TIMEOUT) throw new Error('smart host closed the connection');
      if (l.tooLong) throw new Error('smart host sent an overlong line');
      const r = parseReplyLine(lineText(l.bytes));
      if (!r) throw new Error('smart host sent a malformed reply');
      lines.push(r.text);
      if (r.last) return { code: r.code, lines };
    }
  };
  const expect = async (want, what) => {
    const r = await readReply();
    if (r.code !== want) throw new Error(`${what}: ${r.code} ${r.lines.join(' / ')}`);
    return r;
  };
  const cmd = async (line, want) => {
    c.send(line + '\r\n');
    return expect(want, line.split(':')[0]);
  };
  try {
    await expect(220, 'greeting');
    let r = await cmd(`EHLO ${cfg.hostname}`, 250);
    let ext = ehloExtensions(r.lines);
    if (ext.has('STARTTLS')) {
      await cmd('STARTTLS', 220);
      c.release();
      const tlsSocket = socket.startTls();
      c = new Conn(tlsSocket, 60000);
      r = await cmd(`EHLO ${cfg.hostname}`, 250);
      ext = ehloExtensions(r.lines);
    }
    if (cfg.smartHostUser) {
      await cmd(`AUTH PLAIN ${encodeBase64(`\0${cfg.smartHostUser}\0${cfg.smartHostPass}`)}`, 235);
    }
    await cmd(`MAIL FROM:<${from}>` + (ext.has('SIZE') ? ` SIZE=${msg.length}` : '') + (ext.has('8BITMIME') ? ' BODY=8BITMIME' : ''), 250);
    let accepted = 0;
    for (const rcpt of rcpts) {
      c.send(`RCPT TO:<${rcpt}>\r\n`);
      const rr = await readReply();
      if (rr.code === 250 || rr.code === 251) accepted++;
      else console.error(`smtp: ${id} relay: recipient <${rcpt}> refused: ${rr.code} ${rr.lines.join(' / ')}`);
    }
    if (accepted === 0) throw new Error('every recipient was refused');
    await cmd('DATA', 354);
    await c.writer.write(dotStuff(msg));
    await expect(250, 'end of DATA');
    c.send('QUIT\r\n');
    await c.flush();
  } finally {
    try { await c.socket.close(); } catch { /* already closed */ }
  }
}

export default {
  async connect(socket, env, ctx) {
    try {
      await session(socket, env, ctx);
    } catch (e) {
      // A peer that resets the connection, or a failed TLS handshake, ends
      // only this session.
      console.log(`smtp: session ended: ${e && e.message}`);
    }
  },
};
