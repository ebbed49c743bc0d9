// An MQTT broker (3.1, 3.1.1 and 5.0) as a Socket Worker.
//
//   sockw run scripts/mqtt --listen tcp://127.0.0.1:1883
//   sockw run scripts/mqtt --listen tcp://127.0.0.1:1883 --var MQTT_USERS=alice:secret,bob:hunter2
//
// All connections share this module's state (sockw.json sets "isolates": 1;
// README.md says why). Retained messages live in the KV namespace RETAINED
// and survive a restart.
import { Parser, encode, MqttError, RC, validTopicFilter, parseShared, topicMatches } from './codec.js';

const MAX_PACKET = 1 << 20;          // what we accept from clients
const TOPIC_ALIAS_MAX = 64;          // aliases a client may set towards us
const V4_INFLIGHT = 100;             // in-flight window towards 3.1.1 clients
let maxQueued = 100000;              // QoS>0 messages queued per session (MQTT_MAX_QUEUED)
const CONNECT_TIMEOUT = 10000;       // ms to wait for CONNECT
const MAX_BUFFERED = 4 << 20;        // bytes queued to a slow client before QoS 0 is dropped
const RETAINED_PREFIX = 'r:';
const SESSION_PREFIX = 's:';

const log = (...a) => console.log('mqtt:', ...a);

// ------------------------------------------------------------ shared state

const sessions = new Map();          // clientId -> Session
const subscriptions = new Map();     // filter -> {levels, subs: Map clientId -> sub}
const shared = new Map();            // "group\0filter" -> {levels, group, filter, members: Map clientId -> sub, next}
const retained = new Map();          // topic -> message
let retainedStore = null;
let loaded = null;
let assignedSeq = 0;

function loadRetained(env) {
  if (loaded) return loaded;
  retainedStore = env.RETAINED || null;
  if (Number(env.MQTT_MAX_QUEUED) > 0) maxQueued = Number(env.MQTT_MAX_QUEUED);
  loaded = (async () => {
    if (!retainedStore) return;
    let cursor;
    do {
      const page = await retainedStore.list({ prefix: RETAINED_PREFIX, cursor });
      for (const k of page.keys) {
        const v = await retainedStore.get(k.name, { type: 'json' });
        if (!v) continue;
        retained.set(v.topic, {
          topic: v.topic, payload: fromBase64(v.payload),
          qos: v.qos, properties: v.properties || undefined, expiresAt: v.expiresAt || 0,
        });
      }
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
    if (retained.size) log(`loaded ${retained.size} retained messages`);
    // Persistent sessions: their subscriptions and expiry (not the
    // messages that were queued or in flight).
    let n = 0;
    do {
      const page = await retainedStore.list({ prefix: SESSION_PREFIX, cursor });
      for (const k of page.keys) {
        const v = await retainedStore.get(k.name, { type: 'json' });
        if (!v || sessions.has(v.clientId)) continue;
        const sess = new Session(v.clientId);
        sess.expiry = v.expiry;
        sess.version = v.version;
        sess.persisted = true;
        for (const sub of v.subs) {
          const full = { ...sub, share: parseSharedSafe(sub.filter), session: sess };
          sess.subs.set(sub.filter, full);
          addSub(sess.clientId, full);
        }
        sessions.set(sess.clientId, sess);
        scheduleExpiry(sess);
        n++;
      }
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
    if (n) log(`restored ${n} persistent sessions`);
  })();
  return loaded;
}

// KV writes go out in order.
let retainChain = Promise.resolve();

function saveSession(s) {
  if (!retainedStore) return;
  if (s.expiry === 0) { forgetSession(s); return; }
  const subs = [];
  for (const { filter, qos, nl, rap, rh, id } of s.subs.values()) subs.push({ filter, qos, nl, rap, rh, id });
  const value = JSON.stringify({ clientId: s.clientId, expiry: s.expiry, version: s.version, subs });
  s.persisted = true;
  retainChain = retainChain.then(() => retainedStore.put(SESSION_PREFIX + s.clientId, value))
    .catch((e) => log(`storing session ${s.clientId}: ${e.message}`));
}

function forgetSession(s) {
  if (!retainedStore || !s.persisted) return;
  s.persisted = false;
  retainChain = retainChain.then(() => retainedStore.delete(SESSION_PREFIX + s.clientId))
    .catch((e) => log(`deleting session ${s.clientId}: ${e.message}`));
}

// scheduleExpiry ends a disconnected session after its expiry interval.
function scheduleExpiry(s) {
  clearTimeout(s.expiryTimer);
  s.expiryTimer = null;
  if (s.expiry === 0xffffffff) return;
  s.expiryTimer = setTimeout(() => { if (!s.conn) { if (s.will) publishWill(s); s.destroy(); } }, s.expiry * 1000);
}

function persistRetained(topic, msg) {
  if (!retainedStore) return;
  const key = RETAINED_PREFIX + topic;
  retainChain = retainChain.then(() => {
    if (!msg) return retainedStore.delete(key);
    let bin = '';
    for (let i = 0; i < msg.payload.length; i += 8192) bin += String.fromCharCode.apply(null, msg.payload.subarray(i, i + 8192));
    return retainedStore.put(key, JSON.stringify({
      topic, payload: btoa(bin), qos: msg.qos, properties: plainProps(msg.properties), expiresAt: msg.expiresAt,
    }));
  }).catch((e) => log(`storing retained ${topic}: ${e.message}`));
}

function fromBase64(b64) {
  const bin = atob(b64), out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function plainProps(p) {
  if (!p) return undefined;
  const o = {};
  for (const k in p) if (k !== 'correlationData') o[k] = p[k];
  return o;
}

// ------------------------------------------------------------ sessions

// Fifo is a queue with O(1) shift (Array.prototype.shift copies).
class Fifo {
  constructor() { this.a = []; this.h = 0; }
  get length() { return this.a.length - this.h; }
  push(v) { this.a.push(v); }
  unshift(v) { if (this.h > 0) this.a[--this.h] = v; else this.a.unshift(v); }
  shift() {
    if (this.h >= this.a.length) return undefined;
    const v = this.a[this.h]; this.a[this.h++] = undefined;
    if (this.h > 1024 && this.h * 2 > this.a.length) { this.a = this.a.slice(this.h); this.h = 0; }
    return v;
  }
}

class Session {
  constructor(clientId) {
    this.clientId = clientId;
    this.conn = null;
    this.subs = new Map();        // filter (as given) -> sub
    this.inflight = new Map();    // messageId -> {msg, qos, retain, subIds, state: 'ack'|'rec'|'comp'}
    this.queue = new Fifo();      // messages waiting for the in-flight window
    this.incoming = new Set();    // QoS 2 messageIds received, PUBREL pending
    this.nextId = 1;
    this.expiry = 0;              // seconds; 0xFFFFFFFF never
    this.expiryTimer = null;
    this.will = null;
    this.willTimer = null;
  }

  allocId() {
    for (let n = 0; n < 65535; n++) {
      const id = this.nextId;
      this.nextId = id === 65535 ? 1 : id + 1;
      if (!this.inflight.has(id)) return id;
    }
    return 0;
  }

  // deliver hands a message to this session at qos.
  deliver(msg, qos, retain, subIds) {
    const c = this.conn;
    if (qos === 0) {
      if (c && c.live) c.sendPublish(msg, 0, 0, retain, subIds, false);
      return;
    }
    const item = { msg, qos, retain, subIds };
    if (c && c.live && this.inflight.size < c.sendQuota && this.queue.length === 0) {
      this.sendItem(item);
    } else {
      if (this.queue.length >= maxQueued) { this.queue.shift(); this.dropped = (this.dropped || 0) + 1; }
      this.queue.push(item);
    }
  }

  sendItem(item) {
    const id = this.allocId();
    if (!id) { this.queue.unshift(item); return; }
    item.id = id;
    item.state = item.qos === 1 ? 'ack' : 'rec';
    this.inflight.set(id, item);
    // A message the client cannot take (maximum packet size) counts as done.
    if (!this.conn.sendPublish(item.msg, item.qos, id, item.retain, item.subIds, false)) this.inflight.delete(id);
  }

  pump() {
    const c = this.conn;
    while (c && c.live && this.queue.length && this.inflight.size < c.sendQuota) {
      const item = this.queue.shift();
      if (item.msg.expiresAt && item.msg.expiresAt <= Date.now()) continue;
      this.sendItem(item);
    }
  }

  // resume resends what was in flight when the last connection ended.
  resume() {
    for (const [id, item] of this.inflight) {
      if (item.state === 'comp') this.conn.send({ type: 'pubrel', messageId: id });
      else if (!this.conn.sendPublish(item.msg, item.qos, id, item.retain, item.subIds, true)) this.inflight.delete(id);
    }
    this.pump();
  }

  destroy() {
    for (const filter of this.subs.keys()) removeSub(this.clientId, filter);
    this.subs.clear();
    clearTimeout(this.expiryTimer);
    clearTimeout(this.willTimer);
    forgetSession(this);
    if (sessions.get(this.clientId) === this) sessions.delete(this.clientId);
  }
}

function addSub(clientId, sub) {
  if (sub.share) {
    const key = sub.share.group + '\0' + sub.share.filter;
    let g = shared.get(key);
    if (!g) { g = { levels: sub.share.filter.split('/'), members: new Map(), next: 0 }; shared.set(key, g); }
    g.members.set(clientId, sub);
    return;
  }
  let e = subscriptions.get(sub.filter);
  if (!e) { e = { levels: sub.filter.split('/'), subs: new Map() }; subscriptions.set(sub.filter, e); }
  e.subs.set(clientId, sub);
}

function removeSub(clientId, filter) {
  const sh = parseSharedSafe(filter);
  if (sh) {
    const key = sh.group + '\0' + sh.filter, g = shared.get(key);
    if (g) { g.members.delete(clientId); if (!g.members.size) shared.delete(key); }
    return;
  }
  const e = subscriptions.get(filter);
  if (e) { e.subs.delete(clientId); if (!e.subs.size) subscriptions.delete(filter); }
}

function parseSharedSafe(f) { try { return parseShared(f); } catch { return null; } }

// publish routes a message to every matching session: once per session at
// the highest QoS of its matching subscriptions, and to one member of each
// matching shared group.
function publish(msg, fromClientId) {
  const levels = msg.topic.split('/');
  let first = null, many = null;
  for (const e of subscriptions.values()) {
    if (!topicMatches(e.levels, levels)) continue;
    if (!first) first = e; else (many ||= [first]).push(e);
  }
  let matched = false;
  if (first && !many) {
    // One matching filter: each session has at most one subscription in it.
    for (const sub of first.subs.values()) {
      if (sub.nl && sub.session.clientId === fromClientId) continue;
      matched = true;
      sub.session.deliver(msg, sub.qos < msg.qos ? sub.qos : msg.qos, sub.rap && msg.retain, sub.id ? [sub.id] : null);
    }
  } else if (many) {
    // Overlapping filters: once per session, at the highest QoS, with every
    // matching subscription identifier.
    const targets = new Map(); // session -> {qos, rap, subIds}
    for (const e of many) {
      for (const sub of e.subs.values()) {
        if (sub.nl && sub.session.clientId === fromClientId) continue;
        let t = targets.get(sub.session);
        if (!t) { t = { qos: 0, rap: false, subIds: null }; targets.set(sub.session, t); }
        if (sub.qos > t.qos) t.qos = sub.qos;
        if (sub.rap) t.rap = true;
        if (sub.id) (t.subIds ||= []).push(sub.id);
      }
    }
    for (const [s, t] of targets) {
      matched = true;
      s.deliver(msg, Math.min(t.qos, msg.qos), t.rap && msg.retain, t.subIds);
    }
  }
  for (const g of shared.values()) {
    if (!topicMatches(g.levels, levels)) continue;
    const members = [...g.members];
    // Round robin, preferring connected members.
    let pick = null;
    for (let n = 0; n < members.length; n++) {
      const [cid, sub] = members[(g.next + n) % members.length];
      const s = sessions.get(cid);
      if (s && s.conn && s.conn.live) { pick = [s, sub]; g.next = (g.next + n + 1) % members.length; break; }
    }
    if (!pick && members.length) {
      const [cid, sub] = members[g.next % members.length];
      g.next = (g.next + 1) % members.length;
      const s = sessions.get(cid);
      if (s) pick = [s, sub];
    }
    if (pick) { pick[0].deliver(msg, Math.min(pick[1].qos, msg.qos), false, pick[1].id ? [pick[1].id] : null); matched = true; }
  }
  return matched;
}

function storeRetained(msg) {
  if (msg.payload.length === 0) {
    if (retained.delete(msg.topic)) persistRetained(msg.topic, null);
    return;
  }
  const r = { topic: msg.topic, payload: msg.payload, qos: msg.qos, properties: msg.properties, expiresAt: msg.expiresAt, retain: true };
  retained.set(msg.topic, r);
  persistRetained(msg.topic, r);
}

function publishWill(session) {
  const w = session.will;
  session.will = null;
  clearTimeout(session.willTimer);
  session.willTimer = null;
  if (!w) return;
  const msg = makeMessage(w.topic, w.payload, w.qos, w.retain, w.properties);
  log(`will of ${session.clientId} published to ${w.topic}`);
  if (msg.retain) storeRetained(msg);
  publish(msg, session.clientId);
}

function makeMessage(topic, payload, qos, retain, props) {
  const msg = { topic, payload, qos, retain, properties: undefined, expiresAt: 0 };
  if (props) {
    const p = {};
    let any = false;
    for (const k in props) {
      if (k === 'topicAlias' || k === 'subscriptionIdentifier' || k === 'willDelayInterval') continue;
      p[k] = props[k]; any = true;
    }
    if (any) msg.properties = p;
    if (props.messageExpiryInterval) msg.expiresAt = Date.now() + props.messageExpiryInterval * 1000;
  }
  return msg;
}

// ------------------------------------------------------------ connections

function parseUsers(s) {
  if (!s) return null;
  const m = new Map();
  for (const pair of String(s).split(',')) {
    const i = pair.indexOf(':');
    if (i > 0) m.set(pair.slice(0, i).trim(), pair.slice(i + 1));
  }
  return m;
}

const dec = new TextDecoder();

class Connection {
  constructor(socket, env, remote) {
    this.socket = socket;
    this.env = env;
    this.remote = remote;
    this.writer = socket.writable.getWriter();
    this.reader = socket.readable.getReader();
    this.parser = new Parser({ maxPacketSize: MAX_PACKET });
    this.version = 4;
    this.session = null;
    this.live = false;          // CONNECT accepted and not closed
    this.closed = false;
    this.out = [];
    this.outBytes = 0;
    this.writing = 0;
    this.flushScheduled = false;
    this.sendQuota = V4_INFLIGHT;
    this.maxOutPacket = 268435455;
    this.aliasIn = new Map();
    this.aliasOut = new Map();
    this.aliasOutMax = 0;
    this.keepalive = 0;
    this.lastSeen = Date.now();
    this.kaTimer = null;
    this.graceful = false;
    this.clean = true;
  }

  send(p) {
    if (this.closed) return;
    this.queueBytes(encode(p, this.version));
  }

  queueBytes(b) {
    this.out.push(b);
    this.outBytes += b.length;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  flush() {
    this.flushScheduled = false;
    if (!this.out.length || this.writeFailed) { this.out = []; return; }
    let buf;
    if (this.out.length === 1) buf = this.out[0];
    else {
      buf = new Uint8Array(this.outBytes);
      let o = 0;
      for (const b of this.out) { buf.set(b, o); o += b.length; }
    }
    this.out = [];
    this.outBytes = 0;
    const n = buf.length;
    this.writing += n;
    this.writer.write(buf).then(() => { this.writing -= n; }, () => { this.writeFailed = true; this.terminate(); });
  }

  // backlog is what was sent to this client and not yet taken by the
  // socket.
  backlog() { return this.outBytes + this.writing; }

  sendPublish(msg, qos, id, retain, subIds, dup) {
    if (this.closed) return true;
    if (qos === 0 && this.backlog() > MAX_BUFFERED) return false; // a slow consumer loses QoS 0
    let props;
    if (this.version === 5) {
      if (msg.properties || subIds || msg.expiresAt || this.aliasOutMax) {
        props = msg.properties ? { ...msg.properties } : {};
        if (msg.expiresAt) {
          const left = Math.ceil((msg.expiresAt - Date.now()) / 1000);
          if (left <= 0) return false;
          props.messageExpiryInterval = left;
        }
        if (subIds) props.subscriptionIdentifier = subIds;
      }
    }
    let topic = msg.topic;
    if (this.aliasOutMax) {
      const a = this.aliasOut.get(topic);
      if (a) { props.topicAlias = a; topic = ''; } else if (this.aliasOut.size < this.aliasOutMax) {
        const na = this.aliasOut.size + 1;
        this.aliasOut.set(topic, na);
        props.topicAlias = na;
      }
    }
    let bytes;
    if (props === undefined) {
      // The same bytes serve every 3.1.1 subscriber (and 5.0 ones without
      // properties); only the packet identifier and DUP differ.
      const key = this.version === 5 ? 5 * 8 + qos * 2 + (retain ? 1 : 0) : qos * 2 + (retain ? 1 : 0);
      const cache = msg.enc || (msg.enc = []);
      let b = cache[key];
      if (!b) b = cache[key] = encode({ type: 'publish', topic, payload: msg.payload, qos, messageId: qos ? 1 : 0, retain, properties: this.version === 5 ? {} : undefined }, this.version);
      if (qos) {
        bytes = b.slice();
        let o = 1;
        while (bytes[o] & 0x80) o++;
        o += 3 + ((bytes[o + 1] << 8) | bytes[o + 2]);
        bytes[o] = id >> 8; bytes[o + 1] = id & 0xff;
        if (dup) bytes[0] |= 8;
      } else bytes = b;
    } else {
      bytes = encode({ type: 'publish', topic, payload: msg.payload, qos, messageId: id, retain, dup, properties: props }, this.version);
    }
    if (bytes.length > this.maxOutPacket) return false; // the client said it cannot take it
    this.queueBytes(bytes);
    return true;
  }

  // fail ends the connection for a protocol violation: with DISCONNECT
  // and the reason in 5.0, by closing it in 3.1.1.
  fail(code, why) {
    if (this.closed) return;
    log(`${this.who()}: ${why}`);
    if (this.version === 5 && this.live) this.send({ type: 'disconnect', reasonCode: code, properties: { reasonString: why.slice(0, 200) } });
    this.terminate();
  }

  who() { return this.session ? `client ${this.session.clientId}` : this.remote; }

  // terminate stops reading; connect() then returns and the runtime flushes
  // what was written and closes the socket.
  terminate() {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    this.reader.cancel().catch(() => {});
  }

  armKeepalive() {
    if (!this.keepalive) return;
    const limit = this.keepalive * 1500;
    const check = () => {
      if (this.closed) return;
      const idle = Date.now() - this.lastSeen;
      if (idle >= limit) return this.fail(RC.KEEP_ALIVE_TIMEOUT, `keep-alive timeout (${this.keepalive}s x 1.5)`);
      this.kaTimer = setTimeout(check, limit - idle + 5);
    };
    this.kaTimer = setTimeout(check, limit + 5);
  }

  async run() {
    const ct = setTimeout(() => { if (!this.live) { log(`${this.remote}: no CONNECT within ${CONNECT_TIMEOUT} ms`); this.terminate(); } }, CONNECT_TIMEOUT);
    try {
      while (!this.closed) {
        let r;
        try { r = await this.reader.read(); } catch { break; }
        if (r.done) break;
        this.lastSeen = Date.now();
        if (!this.live && this.parser.pending === 0 && r.value.length && r.value[0] !== 0x10) {
          log(`${this.remote}: first packet is not CONNECT (byte 0x${r.value[0].toString(16)}); closing`);
          break;
        }
        let packets;
        try {
          packets = this.parser.push(r.value);
        } catch (e) {
          if (e instanceof MqttError) {
            if (!this.live && e.reasonCode === RC.UNSUPPORTED_VERSION) this.refuseVersion(e);
            else this.fail(e.reasonCode, e.message);
            break;
          }
          throw e;
        }
        let t0 = Date.now();
        for (const p of packets) {
          if (this.closed) break;
          // Long bursts yield to other connections and keep every task
          // well under the runtime's CPU limit.
          if (Date.now() - t0 > 10) { await new Promise((res) => setTimeout(res, 0)); t0 = Date.now(); if (this.closed) break; }
          try {
            this.handle(p);
          } catch (e) {
            if (e instanceof MqttError) { this.fail(e.reasonCode, e.message); break; }
            throw e;
          }
        }
      }
    } finally {
      clearTimeout(ct);
      this.onClose();
    }
  }

  refuseVersion(e) {
    // CONNACK with "unacceptable protocol version" in the 3.1.1 form (which
    // 3.1 and 3.1.1 clients understand), or 0x84 for a 5.0 client.
    this.version = e.protocolVersion === 5 ? 5 : 4;
    log(`${this.remote}: ${e.message}`);
    this.send({ type: 'connack', sessionPresent: false, reasonCode: this.version === 5 ? RC.UNSUPPORTED_VERSION : 1 });
    this.terminate();
  }

  handle(p) {
    if (!this.live) {
      if (p.type !== 'connect') throw new MqttError(RC.PROTOCOL_ERROR, `${p.type.toUpperCase()} before CONNECT`);
      return this.onConnect(p);
    }
    switch (p.type) {
      case 'publish': return this.onPublish(p);
      case 'puback': case 'pubcomp': {
        const s = this.session, item = s.inflight.get(p.messageId);
        if (item && item.state === (p.type === 'puback' ? 'ack' : 'comp')) { s.inflight.delete(p.messageId); s.pump(); }
        return;
      }
      case 'pubrec': {
        const s = this.session, item = s.inflight.get(p.messageId);
        if (!item || item.qos !== 2) { this.send({ type: 'pubrel', messageId: p.messageId, reasonCode: this.version === 5 ? RC.PACKET_ID_NOT_FOUND : 0 }); return; }
        if (p.reasonCode >= 0x80) { s.inflight.delete(p.messageId); s.pump(); return; }
        item.state = 'comp';
        this.send({ type: 'pubrel', messageId: p.messageId });
        return;
      }
      case 'pubrel': {
        const had = this.session.incoming.delete(p.messageId);
        this.send({ type: 'pubcomp', messageId: p.messageId, reasonCode: had || this.version !== 5 ? 0 : RC.PACKET_ID_NOT_FOUND });
        return;
      }
      case 'subscribe': return this.onSubscribe(p);
      case 'unsubscribe': return this.onUnsubscribe(p);
      case 'pingreq': this.send({ type: 'pingresp' }); return;
      case 'disconnect': return this.onDisconnect(p);
      case 'connect': throw new MqttError(RC.PROTOCOL_ERROR, 'second CONNECT');
      case 'auth': throw new MqttError(RC.PROTOCOL_ERROR, 'AUTH without an authentication method');
      default: throw new MqttError(RC.PROTOCOL_ERROR, `${p.type.toUpperCase()} sent by a client`);
    }
  }

  connack(code, extra = {}) {
    // 3.1.1 return codes for the 5.0 reasons we use.
    if (this.version !== 5) {
      code = { 0: 0, [RC.UNSUPPORTED_VERSION]: 1, [RC.CLIENT_ID_INVALID]: 2, [RC.SERVER_UNAVAILABLE]: 3,
        [RC.BAD_USER_OR_PASSWORD]: 4, [RC.NOT_AUTHORIZED]: 5 }[code] ?? 3;
    }
    this.send({ type: 'connack', sessionPresent: !!extra.sessionPresent, reasonCode: code, properties: extra.properties });
  }

  onConnect(p) {
    this.version = p.protocolVersion;
    const v5 = this.version === 5;
    const props = p.properties || {};
    if (props.authenticationMethod) {
      this.connack(0x8C); // bad authentication method
      return this.terminate();
    }
    let clientId = p.clientId;
    let assigned = null;
    if (!clientId) {
      if (!v5 && (!p.clean || this.version === 3)) {
        log(`${this.remote}: empty client id with clean session 0 refused`);
        this.connack(RC.CLIENT_ID_INVALID);
        return this.terminate();
      }
      clientId = assigned = `sockw-${Date.now().toString(36)}-${(++assignedSeq).toString(36)}`;
    }
    const users = parseUsers(this.env.MQTT_USERS);
    if (users) {
      const pass = p.password ? dec.decode(p.password) : undefined;
      if (p.username === undefined || !users.has(p.username) || users.get(p.username) !== pass) {
        log(`${this.remote}: bad user name or password for ${JSON.stringify(p.username ?? '')}`);
        this.connack(v5 ? RC.BAD_USER_OR_PASSWORD : RC.BAD_USER_OR_PASSWORD);
        return this.terminate();
      }
    }

    // Session: take over, resume or start.
    let s = sessions.get(clientId);
    if (s && s.conn) {
      const old = s.conn;
      log(`client ${clientId} taken over by a new connection`);
      if (old.version === 5) old.send({ type: 'disconnect', reasonCode: RC.SESSION_TAKEN_OVER });
      old.detach();
      old.terminate();
      s = sessions.get(clientId);
    }
    const cleanStart = p.clean;
    let expiry = v5 ? (props.sessionExpiryInterval || 0) : (p.clean ? 0 : 0xffffffff);
    let present = false;
    if (s && cleanStart) {
      // A will waiting for its delay is sent now: the old session ends.
      if (s.will) publishWill(s);
      s.destroy();
      s = null;
    }
    if (s) {
      present = true;
      clearTimeout(s.expiryTimer);
      s.expiryTimer = null;
      if (s.willTimer) { clearTimeout(s.willTimer); s.willTimer = null; s.will = null; }
    } else {
      s = new Session(clientId);
      sessions.set(clientId, s);
    }
    s.expiry = expiry;
    s.version = this.version;
    s.will = p.will ? { ...p.will, delay: (p.will.properties && p.will.properties.willDelayInterval) || 0 } : null;
    s.conn = this;
    this.session = s;
    this.clean = cleanStart;
    this.live = true;
    this.keepalive = p.keepalive;
    if (v5) {
      this.sendQuota = props.receiveMaximum || 65535;
      if (props.maximumPacketSize) this.maxOutPacket = props.maximumPacketSize;
      this.aliasOutMax = props.topicAliasMaximum || 0;
    }
    const ackProps = v5 ? {
      topicAliasMaximum: TOPIC_ALIAS_MAX, maximumPacketSize: MAX_PACKET, receiveMaximum: 65535,
      ...(assigned ? { assignedClientIdentifier: assigned } : {}),
    } : undefined;
    if (s.expiry > 0 || s.persisted) saveSession(s);
    this.connack(0, { sessionPresent: present, properties: ackProps });
    this.armKeepalive();
    if (present) s.resume();
  }

  onPublish(p) {
    const v5 = this.version === 5;
    const props = p.properties;
    let topic = p.topic;
    if (v5 && props.topicAlias !== undefined) {
      const a = props.topicAlias;
      if (a === 0 || a > TOPIC_ALIAS_MAX) throw new MqttError(RC.TOPIC_ALIAS_INVALID, `topic alias ${a} out of range 1..${TOPIC_ALIAS_MAX}`);
      if (topic) this.aliasIn.set(a, topic);
      else {
        topic = this.aliasIn.get(a);
        if (!topic) throw new MqttError(RC.PROTOCOL_ERROR, `topic alias ${a} was never set`);
      }
    }
    if (v5 && props.subscriptionIdentifier) throw new MqttError(RC.PROTOCOL_ERROR, 'PUBLISH from a client with a subscription identifier');
    const s = this.session;
    if (p.qos === 2) {
      if (s.incoming.has(p.messageId)) { this.send({ type: 'pubrec', messageId: p.messageId }); return; }
      if (v5 && s.incoming.size >= 65535) throw new MqttError(RC.RECEIVE_MAXIMUM_EXCEEDED, 'more QoS 2 messages in flight than receive maximum');
    }
    const msg = makeMessage(topic, p.payload, p.qos, p.retain, props);
    if (msg.retain) storeRetained(msg);
    const matched = publish(msg, s.clientId);
    const rc = v5 && !matched ? RC.NO_MATCHING_SUBSCRIBERS : 0;
    if (p.qos === 1) this.send({ type: 'puback', messageId: p.messageId, reasonCode: rc });
    else if (p.qos === 2) {
      s.incoming.add(p.messageId);
      this.send({ type: 'pubrec', messageId: p.messageId, reasonCode: rc });
    }
  }

  onSubscribe(p) {
    const v5 = this.version === 5;
    const s = this.session;
    const subId = v5 && p.properties.subscriptionIdentifier ? p.properties.subscriptionIdentifier[0] : 0;
    const granted = [];
    const toSend = [];
    for (const req of p.subscriptions) {
      let sh = null;
      let ok = validTopicFilter(req.topic);
      if (ok) { try { sh = parseShared(req.topic); } catch { ok = false; } }
      if (!ok) {
        if (!v5) throw new MqttError(RC.TOPIC_FILTER_INVALID, `invalid topic filter ${JSON.stringify(req.topic)}`);
        granted.push(RC.TOPIC_FILTER_INVALID);
        continue;
      }
      if (sh && req.nl) throw new MqttError(RC.PROTOCOL_ERROR, 'no local on a shared subscription');
      const existed = s.subs.has(req.topic);
      const sub = { filter: req.topic, qos: req.qos, nl: !!req.nl, rap: !!req.rap, rh: req.rh || 0, id: subId, share: sh, session: s };
      s.subs.set(req.topic, sub);
      addSub(s.clientId, sub);
      granted.push(req.qos);
      if (!sh && (sub.rh === 0 || (sub.rh === 1 && !existed))) toSend.push(sub);
    }
    this.send({ type: 'suback', messageId: p.messageId, granted, properties: v5 ? {} : undefined });
    if (s.expiry > 0) saveSession(s);
    // Retained messages follow the SUBACK.
    const now = Date.now();
    for (const sub of toSend) {
      const levels = sub.filter.split('/');
      for (const [topic, msg] of retained) {
        if (msg.expiresAt && msg.expiresAt <= now) { retained.delete(topic); persistRetained(topic, null); continue; }
        if (topicMatches(levels, topic.split('/'))) s.deliver(msg, Math.min(sub.qos, msg.qos), true, sub.id ? [sub.id] : null);
      }
    }
  }

  onUnsubscribe(p) {
    const s = this.session;
    const granted = [];
    for (const f of p.unsubscriptions) {
      if (!validTopicFilter(f)) {
        if (this.version !== 5) throw new MqttError(RC.TOPIC_FILTER_INVALID, `invalid topic filter ${JSON.stringify(f)}`);
        granted.push(RC.TOPIC_FILTER_INVALID);
        continue;
      }
      if (s.subs.delete(f)) { removeSub(s.clientId, f); granted.push(0); } else granted.push(RC.NO_SUBSCRIPTION_EXISTED);
    }
    this.send({ type: 'unsuback', messageId: p.messageId, granted, properties: this.version === 5 ? {} : undefined });
    if (s.expiry > 0) saveSession(s);
  }

  onDisconnect(p) {
    const s = this.session;
    const props = p.properties || {};
    if (props.sessionExpiryInterval !== undefined) {
      if (s.expiry === 0 && props.sessionExpiryInterval !== 0) throw new MqttError(RC.PROTOCOL_ERROR, 'session expiry set in DISCONNECT after 0 in CONNECT');
      s.expiry = props.sessionExpiryInterval;
      saveSession(s);
    }
    if (p.reasonCode !== RC.DISCONNECT_WITH_WILL) s.will = null;
    this.graceful = true;
    this.terminate();
  }

  // detach separates this connection from its session, which lives on
  // until it expires.
  // A will still set (no normal DISCONNECT) is published now, or after
  // its delay (5.0) unless the client comes back first.
  detach() {
    const s = this.session;
    if (!s || s.conn !== this) return;
    s.conn = null;
    this.live = false;
    if (s.will && s.will.delay > 0 && s.expiry > 0) {
      s.willTimer = setTimeout(() => publishWill(s), Math.min(s.will.delay, s.expiry) * 1000);
    } else if (s.will) {
      publishWill(s);
    }
    if (s.expiry === 0) {
      if (s.will) publishWill(s);
      s.destroy();
    } else {
      scheduleExpiry(s);
    }
  }

  onClose() {
    this.closed = true;
    clearTimeout(this.kaTimer);
    this.detach();
    this.live = false;
    this.flush();
  }
}

export default {
  async connect(socket, env) {
    const info = await socket.opened;
    await loadRetained(env);
    const c = new Connection(socket, env, info.remoteAddress);
    await c.run();
  },
};
