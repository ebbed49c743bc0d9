// MQTT 3.1, 3.1.1 and 5.0 packet codec: a plain ES module with no runtime
// dependencies, so it can be tested on its own with `sockw exec`.
//
//   import { Parser, encode, MqttError } from './codec.js';
//   const p = new Parser({ maxPacketSize: 1 << 20 });
//   for (const packet of p.push(chunk)) ...        // packets as plain objects
//   writer.write(encode({ type: 'puback', messageId: 1 }, 5));
//
// Malformed input throws MqttError with the MQTT 5 reason code that names the
// problem (0x81 Malformed Packet, 0x82 Protocol Error, 0x95 Packet too large,
// 0x90 Topic Name invalid, 0x84 Unsupported Protocol Version ...), which a
// broker sends in DISCONNECT (5.0) or acts on by closing the connection (3.1.1).

export const TYPES = [null, 'connect', 'connack', 'publish', 'puback', 'pubrec', 'pubrel', 'pubcomp',
  'subscribe', 'suback', 'unsubscribe', 'unsuback', 'pingreq', 'pingresp', 'disconnect', 'auth'];
const TYPE_CODE = {};
TYPES.forEach((t, i) => { if (t) TYPE_CODE[t] = i; });

export const RC = {
  SUCCESS: 0x00, GRANTED_QOS_1: 0x01, GRANTED_QOS_2: 0x02, DISCONNECT_WITH_WILL: 0x04,
  NO_MATCHING_SUBSCRIBERS: 0x10, NO_SUBSCRIPTION_EXISTED: 0x11,
  UNSPECIFIED: 0x80, MALFORMED: 0x81, PROTOCOL_ERROR: 0x82, IMPLEMENTATION_SPECIFIC: 0x83,
  UNSUPPORTED_VERSION: 0x84, CLIENT_ID_INVALID: 0x85, BAD_USER_OR_PASSWORD: 0x86, NOT_AUTHORIZED: 0x87,
  SERVER_UNAVAILABLE: 0x88, SERVER_BUSY: 0x89, KEEP_ALIVE_TIMEOUT: 0x8D, SESSION_TAKEN_OVER: 0x8E,
  TOPIC_FILTER_INVALID: 0x8F, TOPIC_NAME_INVALID: 0x90, PACKET_ID_IN_USE: 0x91, PACKET_ID_NOT_FOUND: 0x92,
  RECEIVE_MAXIMUM_EXCEEDED: 0x93, TOPIC_ALIAS_INVALID: 0x94, PACKET_TOO_LARGE: 0x95, QUOTA_EXCEEDED: 0x97,
  PAYLOAD_FORMAT_INVALID: 0x99, RETAIN_NOT_SUPPORTED: 0x9A, QOS_NOT_SUPPORTED: 0x9B,
  SHARED_SUBSCRIPTIONS_NOT_SUPPORTED: 0x9E, SUBSCRIPTION_IDS_NOT_SUPPORTED: 0xA1, WILDCARDS_NOT_SUPPORTED: 0xA2,
};

const RC_NAMES = {};
for (const [k, v] of Object.entries(RC)) if (v >= 0x80 && !RC_NAMES[v]) RC_NAMES[v] = k.toLowerCase().replace(/_/g, ' ');

// MqttError is a malformed or forbidden packet; reasonCode is the MQTT 5
// reason code to report.
export class MqttError extends Error {
  constructor(reasonCode, message) {
    super(`${message} (reason code 0x${reasonCode.toString(16)}: ${RC_NAMES[reasonCode] || 'error'})`);
    this.name = 'MqttError';
    this.reasonCode = reasonCode;
  }
}

const malformed = (msg) => new MqttError(RC.MALFORMED, msg);

// Properties of MQTT 5.0: id -> [name, type].
const PROPS = {
  0x01: ['payloadFormatIndicator', 'byte'], 0x02: ['messageExpiryInterval', 'u32'],
  0x03: ['contentType', 'string'], 0x08: ['responseTopic', 'string'], 0x09: ['correlationData', 'binary'],
  0x0B: ['subscriptionIdentifier', 'varint'], 0x11: ['sessionExpiryInterval', 'u32'],
  0x12: ['assignedClientIdentifier', 'string'], 0x13: ['serverKeepAlive', 'u16'],
  0x15: ['authenticationMethod', 'string'], 0x16: ['authenticationData', 'binary'],
  0x17: ['requestProblemInformation', 'byte'], 0x18: ['willDelayInterval', 'u32'],
  0x19: ['requestResponseInformation', 'byte'], 0x1A: ['responseInformation', 'string'],
  0x1C: ['serverReference', 'string'], 0x1F: ['reasonString', 'string'], 0x21: ['receiveMaximum', 'u16'],
  0x22: ['topicAliasMaximum', 'u16'], 0x23: ['topicAlias', 'u16'], 0x24: ['maximumQoS', 'byte'],
  0x25: ['retainAvailable', 'byte'], 0x26: ['userProperties', 'pair'], 0x27: ['maximumPacketSize', 'u32'],
  0x28: ['wildcardSubscriptionAvailable', 'byte'], 0x29: ['subscriptionIdentifiersAvailable', 'byte'],
  0x2A: ['sharedSubscriptionAvailable', 'byte'],
};
const PROP_ID = {};
for (const [id, [name]] of Object.entries(PROPS)) PROP_ID[name] = Number(id);

const utf8 = new TextEncoder();
const utf8dec = new TextDecoder('utf-8', { fatal: true });

// ---------------------------------------------------------------- decoding

class Reader {
  constructor(buf, start, end) { this.b = buf; this.i = start; this.end = end; }
  left() { return this.end - this.i; }
  need(n) { if (this.i + n > this.end) throw malformed('packet shorter than its fields'); }
  byte() { this.need(1); return this.b[this.i++]; }
  u16() { this.need(2); const v = (this.b[this.i] << 8) | this.b[this.i + 1]; this.i += 2; return v; }
  u32() { this.need(4); const b = this.b, i = this.i; this.i += 4; return ((b[i] << 24) >>> 0) + (b[i + 1] << 16) + (b[i + 2] << 8) + b[i + 3]; }
  varint() {
    let v = 0, mul = 1;
    for (let n = 0; n < 4; n++) {
      const d = this.byte();
      v += (d & 0x7f) * mul;
      if (!(d & 0x80)) return v;
      mul *= 128;
    }
    throw malformed('variable byte integer longer than 4 bytes');
  }
  binary() { const n = this.u16(); this.need(n); const v = this.b.slice(this.i, this.i + n); this.i += n; return v; }
  string() {
    const n = this.u16(); this.need(n);
    const b = this.b, s = this.i, e = s + n;
    this.i = e;
    let ascii = true;
    for (let j = s; j < e; j++) {
      const c = b[j];
      if (c === 0) throw malformed('string contains U+0000');
      if (c > 0x7e || c < 0x20) { ascii = false; }
    }
    if (ascii) return String.fromCharCode.apply(null, b.subarray(s, e));
    let str;
    try { str = utf8dec.decode(b.subarray(s, e)); } catch { throw malformed('string is not well-formed UTF-8'); }
    return str;
  }
  properties(allowed) {
    const len = this.varint();
    this.need(len);
    const end = this.i + len, props = {};
    while (this.i < end) {
      const id = this.varint();
      const def = PROPS[id];
      if (!def || (allowed && !allowed.includes(id))) throw new MqttError(RC.MALFORMED, `property 0x${id.toString(16)} not allowed here`);
      const [name, type] = def;
      let v;
      switch (type) {
        case 'byte': v = this.byte(); break;
        case 'u16': v = this.u16(); break;
        case 'u32': v = this.u32(); break;
        case 'varint': v = this.varint(); break;
        case 'string': v = this.string(); break;
        case 'binary': v = this.binary(); break;
        case 'pair': v = [this.string(), this.string()]; break;
      }
      if (type === 'pair') { (props.userProperties ||= []).push(v); continue; }
      if (id === 0x0B) {
        if (v === 0) throw new MqttError(RC.PROTOCOL_ERROR, 'subscription identifier 0');
        (props.subscriptionIdentifier ||= []).push(v);
        continue;
      }
      if (name in props) throw new MqttError(RC.PROTOCOL_ERROR, `property ${name} given twice`);
      props[name] = v;
    }
    if (this.i !== end) throw malformed('properties overrun their length');
    return props;
  }
}

const P = {
  connect: [0x11, 0x21, 0x22, 0x27, 0x19, 0x17, 0x26, 0x15, 0x16],
  will: [0x18, 0x01, 0x02, 0x03, 0x08, 0x09, 0x26],
  connack: [0x11, 0x21, 0x24, 0x25, 0x27, 0x12, 0x22, 0x1F, 0x26, 0x28, 0x29, 0x2A, 0x13, 0x1A, 0x1C, 0x15, 0x16],
  publish: [0x01, 0x02, 0x23, 0x08, 0x09, 0x26, 0x0B, 0x03],
  ack: [0x1F, 0x26],
  subscribe: [0x0B, 0x26],
  unsubscribe: [0x26],
  disconnect: [0x11, 0x1F, 0x26, 0x1C],
  auth: [0x15, 0x16, 0x1F, 0x26],
};

// decodePacket decodes one complete packet: header byte h, body
// buf[start:end]. version is the session's protocol level (3, 4 or 5); it
// does not matter for CONNECT, which carries its own.
export function decodePacket(h, buf, start, end, version = 4) {
  const typeCode = h >> 4, flags = h & 0x0f;
  const type = TYPES[typeCode];
  if (!type) throw malformed('packet type 0 is reserved');
  const v5 = version === 5;
  if (type !== 'publish') {
    const want = (type === 'pubrel' || type === 'subscribe' || type === 'unsubscribe') ? 2 : 0;
    if (flags !== want) throw malformed(`${type.toUpperCase()} with fixed-header flags ${flags}`);
  }
  const r = new Reader(buf, start, end);
  let p;
  switch (type) {
    case 'connect': p = decodeConnect(r); break;
    case 'connack': {
      const f = r.byte();
      if (f & 0xfe) throw malformed('CONNACK flags reserved bits set');
      p = { type, sessionPresent: !!(f & 1), reasonCode: r.byte() };
      if (v5) p.properties = r.left() ? r.properties(P.connack) : {};
      break;
    }
    case 'publish': {
      const qos = (flags >> 1) & 3;
      if (qos === 3) throw malformed('PUBLISH with QoS 3');
      const dup = !!(flags & 8);
      if (dup && qos === 0) throw malformed('PUBLISH with DUP set at QoS 0');
      p = { type, qos, dup, retain: !!(flags & 1), topic: r.string() };
      if (qos > 0) {
        p.messageId = r.u16();
        if (p.messageId === 0) throw malformed('packet identifier 0');
      }
      p.properties = v5 ? r.properties(P.publish) : undefined;
      if (p.topic.length === 0 && !(v5 && p.properties.topicAlias)) throw new MqttError(RC.TOPIC_NAME_INVALID, 'PUBLISH with an empty topic name');
      if (p.topic.length && !validTopicName(p.topic)) throw new MqttError(RC.TOPIC_NAME_INVALID, `topic name ${JSON.stringify(p.topic)} has wildcards`);
      p.payload = buf.slice(r.i, end);
      return p;
    }
    case 'puback': case 'pubrec': case 'pubrel': case 'pubcomp': {
      p = { type, messageId: r.u16(), reasonCode: 0 };
      if (p.messageId === 0) throw malformed('packet identifier 0');
      if (v5) {
        if (r.left()) p.reasonCode = r.byte();
        p.properties = r.left() ? r.properties(P.ack) : {};
      }
      break;
    }
    case 'subscribe': {
      p = { type, messageId: r.u16(), subscriptions: [] };
      if (p.messageId === 0) throw malformed('packet identifier 0');
      if (v5) p.properties = r.properties(P.subscribe);
      if (p.properties && p.properties.subscriptionIdentifier && p.properties.subscriptionIdentifier.length > 1) throw new MqttError(RC.PROTOCOL_ERROR, 'two subscription identifiers');
      while (r.left()) {
        const topic = r.string();
        const o = r.byte();
        if (v5 ? (o & 0xc0) : (o & 0xfc)) throw malformed('SUBSCRIBE options reserved bits set');
        const qos = o & 3;
        if (qos === 3) throw malformed('SUBSCRIBE with QoS 3');
        const s = { topic, qos };
        if (v5) { s.nl = !!(o & 4); s.rap = !!(o & 8); s.rh = (o >> 4) & 3; if (s.rh === 3) throw malformed('retain handling 3'); }
        p.subscriptions.push(s);
      }
      if (!p.subscriptions.length) throw new MqttError(RC.PROTOCOL_ERROR, 'SUBSCRIBE without topic filters');
      return p;
    }
    case 'suback': {
      p = { type, messageId: r.u16() };
      if (v5) p.properties = r.properties(P.ack);
      p.granted = Array.from(buf.subarray(r.i, end));
      return p;
    }
    case 'unsubscribe': {
      p = { type, messageId: r.u16(), unsubscriptions: [] };
      if (p.messageId === 0) throw malformed('packet identifier 0');
      if (v5) p.properties = r.properties(P.unsubscribe);
      while (r.left()) p.unsubscriptions.push(r.string());
      if (!p.unsubscriptions.length) throw new MqttError(RC.PROTOCOL_ERROR, 'UNSUBSCRIBE without topic filters');
      return p;
    }
    case 'unsuback': {
      p = { type, messageId: r.u16() };
      if (v5) { p.properties = r.properties(P.ack); p.granted = Array.from(buf.subarray(r.i, end)); return p; }
      break;
    }
    case 'pingreq': case 'pingresp': p = { type }; break;
    case 'disconnect': case 'auth': {
      p = { type, reasonCode: 0 };
      if (type === 'auth' && !v5) throw new MqttError(RC.PROTOCOL_ERROR, 'AUTH before MQTT 5.0');
      if (v5) {
        if (r.left()) p.reasonCode = r.byte();
        p.properties = r.left() ? r.properties(type === 'auth' ? P.auth : P.disconnect) : {};
      }
      break;
    }
  }
  if (r.left()) throw malformed(`${type.toUpperCase()} has ${r.left()} bytes too many`);
  return p;
}

function decodeConnect(r) {
  const protocolName = r.string();
  const protocolVersion = r.byte();
  if (!((protocolName === 'MQTT' && (protocolVersion === 4 || protocolVersion === 5)) ||
      (protocolName === 'MQIsdp' && protocolVersion === 3))) {
    if (protocolName !== 'MQTT' && protocolName !== 'MQIsdp') throw malformed(`protocol name ${JSON.stringify(protocolName)}`);
    const e = new MqttError(RC.UNSUPPORTED_VERSION, `protocol version ${protocolVersion}`);
    e.protocolVersion = protocolVersion;
    throw e;
  }
  const f = r.byte();
  if (f & 1) throw malformed('CONNECT reserved flag set');
  const v5 = protocolVersion === 5;
  const p = { type: 'connect', protocolName, protocolVersion, clean: !!(f & 2), keepalive: r.u16() };
  const willFlag = !!(f & 4), willQos = (f >> 3) & 3, willRetain = !!(f & 0x20);
  const hasPass = !!(f & 0x40), hasUser = !!(f & 0x80);
  if (!willFlag && (willQos || willRetain)) throw malformed('will QoS or retain without a will');
  if (willQos === 3) throw malformed('will QoS 3');
  if (hasPass && !hasUser && !v5) throw malformed('password without user name');
  p.properties = v5 ? r.properties(P.connect) : undefined;
  if (v5 && (p.properties.receiveMaximum === 0 || p.properties.maximumPacketSize === 0)) throw new MqttError(RC.PROTOCOL_ERROR, 'receive maximum or maximum packet size 0');
  p.clientId = r.string();
  p.will = null;
  if (willFlag) {
    const w = { qos: willQos, retain: willRetain };
    w.properties = v5 ? r.properties(P.will) : undefined;
    w.topic = r.string();
    if (!validTopicName(w.topic) || !w.topic) throw new MqttError(RC.TOPIC_NAME_INVALID, `will topic ${JSON.stringify(w.topic)}`);
    w.payload = r.binary();
    p.will = w;
  }
  if (hasUser) p.username = r.string();
  if (hasPass) p.password = r.binary();
  if (r.left()) throw malformed(`CONNECT has ${r.left()} bytes too many`);
  return p;
}

// checkHeader rejects a bad first byte before the rest of the packet
// arrives, so garbage is refused at once instead of waiting for its length.
function checkHeader(h) {
  const t = h >> 4, f = h & 0x0f;
  if (t === 0) throw malformed('packet type 0 is reserved');
  if (t === 3) { if ((f & 6) === 6) throw malformed('PUBLISH with QoS 3'); return; }
  const want = (t === 6 || t === 8 || t === 10) ? 2 : 0;
  if (f !== want) throw malformed(`${TYPES[t].toUpperCase()} with fixed-header flags ${f}`);
}

// Parser splits a byte stream into packets.
export class Parser {
  constructor({ maxPacketSize = 268435455 } = {}) {
    this.max = maxPacketSize;
    this.buf = null;
    this.version = 4;
  }

  // push adds a chunk and returns the complete packets it finished, in
  // order; it throws MqttError on the first bad one.
  push(chunk) {
    let buf = chunk, i = 0;
    if (this.buf) {
      buf = new Uint8Array(this.buf.length + chunk.length);
      buf.set(this.buf); buf.set(chunk, this.buf.length);
      this.buf = null;
    }
    const out = [];
    const n = buf.length;
    while (i < n) {
      const h = buf[i];
      checkHeader(h);
      if (n - i < 2) break;
      let len = 0, mul = 1, j = i + 1, done = false;
      for (let k = 0; k < 4 && j < n; k++) {
        const d = buf[j++];
        len += (d & 0x7f) * mul;
        mul *= 128;
        if (!(d & 0x80)) { done = true; break; }
        if (k === 3) throw malformed('remaining length longer than 4 bytes');
      }
      if (!done) break;
      if (len + (j - i) > this.max) throw new MqttError(RC.PACKET_TOO_LARGE, `packet of ${len + (j - i)} bytes exceeds the maximum of ${this.max}`);
      if (j + len > n) break;
      let p;
      if (len === 2 && (h === 0x40 || h === 0x50 || h === 0x62 || h === 0x70)) {
        // The acknowledgements that dominate QoS 1 and 2 traffic.
        const id = (buf[j] << 8) | buf[j + 1];
        if (id === 0) throw malformed('packet identifier 0');
        p = { type: TYPES[h >> 4], messageId: id, reasonCode: 0 };
        if (this.version === 5) p.properties = {};
      } else p = decodePacket(h, buf, j, j + len, this.version);
      if (p.type === 'connect') this.version = p.protocolVersion;
      out.push(p);
      i = j + len;
    }
    if (i < n) this.buf = buf.slice(i);
    return out;
  }

  // pending tells how many bytes of an unfinished packet are buffered.
  get pending() { return this.buf ? this.buf.length : 0; }
}

// ---------------------------------------------------------------- encoding

class Writer {
  constructor(size = 64) { this.b = new Uint8Array(size); this.i = 0; }
  ensure(n) {
    if (this.i + n <= this.b.length) return;
    let s = this.b.length * 2;
    while (s < this.i + n) s *= 2;
    const nb = new Uint8Array(s); nb.set(this.b.subarray(0, this.i)); this.b = nb;
  }
  byte(v) { this.ensure(1); this.b[this.i++] = v; }
  u16(v) { this.ensure(2); this.b[this.i++] = v >> 8; this.b[this.i++] = v & 0xff; }
  u32(v) { this.ensure(4); this.b[this.i++] = (v >>> 24) & 0xff; this.b[this.i++] = (v >> 16) & 0xff; this.b[this.i++] = (v >> 8) & 0xff; this.b[this.i++] = v & 0xff; }
  varint(v) {
    if (!(v >= 0 && v <= 268435455)) throw new RangeError(`variable byte integer out of range: ${v}`);
    do { let d = v % 128; v = Math.floor(v / 128); if (v > 0) d |= 0x80; this.byte(d); } while (v > 0);
  }
  bytes(u8) { this.ensure(u8.length); this.b.set(u8, this.i); this.i += u8.length; }
  binary(u8) {
    if (typeof u8 === 'string') u8 = utf8.encode(u8);
    if (u8.length > 65535) throw new RangeError('binary field longer than 65535 bytes');
    this.u16(u8.length); this.bytes(u8);
  }
  string(s) {
    let ascii = true;
    for (let j = 0; j < s.length; j++) { const c = s.charCodeAt(j); if (c > 0x7e || c === 0) { ascii = false; break; } }
    if (ascii) {
      if (s.length > 65535) throw new RangeError('string longer than 65535 bytes');
      this.ensure(s.length + 2); this.u16(s.length);
      for (let j = 0; j < s.length; j++) this.b[this.i++] = s.charCodeAt(j);
      return;
    }
    this.binary(utf8.encode(s));
  }
  properties(props) {
    if (!props) { this.byte(0); return; }
    const w = new Writer(32);
    for (const name in props) {
      const v = props[name];
      if (v === undefined || v === null) continue;
      const id = PROP_ID[name];
      if (id === undefined) throw new TypeError(`unknown MQTT property ${name}`);
      const type = PROPS[id][1];
      if (type === 'pair') { for (const [k, val] of v) { w.varint(id); w.string(k); w.string(val); } continue; }
      const vals = (id === 0x0B && Array.isArray(v)) ? v : [v];
      for (const x of vals) {
        w.varint(id);
        switch (type) {
          case 'byte': w.byte(x); break;
          case 'u16': w.u16(x); break;
          case 'u32': w.u32(x); break;
          case 'varint': w.varint(x); break;
          case 'string': w.string(x); break;
          case 'binary': w.binary(x); break;
        }
      }
    }
    this.varint(w.i); this.bytes(w.b.subarray(0, w.i));
  }
  result() { return this.b.subarray(0, this.i); }
}

const toBytes = (p) => (p === undefined || p === null) ? new Uint8Array(0) : typeof p === 'string' ? utf8.encode(p) : p instanceof Uint8Array ? p : new Uint8Array(p);

// encode returns the bytes of packet for protocol version (3, 4 or 5).
export function encode(p, version = 4) {
  const v5 = version === 5;
  const code = TYPE_CODE[p.type];
  if (!code) throw new TypeError(`unknown MQTT packet type ${p.type}`);
  let flags = 0;
  const w = new Writer(p.type === 'publish' ? 16 + (p.topic ? p.topic.length : 0) : 16);
  let tail = null;
  switch (p.type) {
    case 'connect': {
      const ver = p.protocolVersion || version;
      w.string(ver === 3 ? 'MQIsdp' : 'MQTT'); w.byte(ver);
      const will = p.will;
      let f = (p.clean ? 2 : 0);
      if (will) f |= 4 | ((will.qos || 0) << 3) | (will.retain ? 0x20 : 0);
      if (p.password !== undefined) f |= 0x40;
      if (p.username !== undefined) f |= 0x80;
      w.byte(f); w.u16(p.keepalive || 0);
      if (ver === 5) w.properties(p.properties);
      w.string(p.clientId || '');
      if (will) { if (ver === 5) w.properties(will.properties); w.string(will.topic); w.binary(toBytes(will.payload)); }
      if (p.username !== undefined) w.string(p.username);
      if (p.password !== undefined) w.binary(toBytes(p.password));
      break;
    }
    case 'connack':
      w.byte(p.sessionPresent ? 1 : 0); w.byte(p.reasonCode || 0);
      if (v5) w.properties(p.properties);
      break;
    case 'publish': {
      const qos = p.qos || 0;
      flags = (p.dup ? 8 : 0) | (qos << 1) | (p.retain ? 1 : 0);
      w.string(p.topic || '');
      if (qos > 0) w.u16(p.messageId);
      if (v5) w.properties(p.properties);
      tail = toBytes(p.payload);
      break;
    }
    case 'pubrel': flags = 2; // fallthrough
    case 'puback': case 'pubrec': case 'pubcomp':
      w.u16(p.messageId);
      if (v5 && (p.reasonCode || (p.properties && Object.keys(p.properties).length))) {
        w.byte(p.reasonCode || 0);
        if (p.properties && Object.keys(p.properties).length) w.properties(p.properties);
      }
      break;
    case 'subscribe':
      flags = 2;
      w.u16(p.messageId);
      if (v5) w.properties(p.properties);
      for (const s of p.subscriptions) {
        w.string(s.topic);
        w.byte((s.qos || 0) | (v5 ? ((s.nl ? 4 : 0) | (s.rap ? 8 : 0) | ((s.rh || 0) << 4)) : 0));
      }
      break;
    case 'suback': case 'unsuback':
      w.u16(p.messageId);
      if (v5) w.properties(p.properties);
      if (p.type === 'suback' || v5) for (const g of p.granted || []) w.byte(g);
      break;
    case 'unsubscribe':
      flags = 2;
      w.u16(p.messageId);
      if (v5) w.properties(p.properties);
      for (const t of p.unsubscriptions) w.string(t);
      break;
    case 'pingreq': case 'pingresp': break;
    case 'disconnect': case 'auth':
      if (v5 && (p.reasonCode || (p.properties && Object.keys(p.properties).length) || p.type === 'auth')) {
        w.byte(p.reasonCode || 0);
        if (p.properties && Object.keys(p.properties).length) w.properties(p.properties);
      }
      break;
  }
  const body = w.result();
  const len = body.length + (tail ? tail.length : 0);
  if (len > 268435455) throw new RangeError('packet longer than 268435455 bytes');
  const hdr = new Writer(5);
  hdr.byte((code << 4) | flags); hdr.varint(len);
  const out = new Uint8Array(hdr.i + len);
  out.set(hdr.result()); out.set(body, hdr.i);
  if (tail) out.set(tail, hdr.i + body.length);
  return out;
}

// ---------------------------------------------------------------- topics

export function validTopicName(t) {
  return t.length <= 65535 && t.indexOf('+') < 0 && t.indexOf('#') < 0;
}

// validTopicFilter checks a filter's wildcards: '#' alone as the last
// level, '+' alone in a level.
export function validTopicFilter(f) {
  if (!f.length || f.length > 65535) return false;
  const levels = f.split('/');
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i];
    if (l.indexOf('#') >= 0 && (l !== '#' || i !== levels.length - 1)) return false;
    if (l.indexOf('+') >= 0 && l !== '+') return false;
  }
  return true;
}

// parseShared splits "$share/group/filter"; it returns null for an ordinary
// filter and throws MqttError for a bad shared one.
export function parseShared(f) {
  if (!f.startsWith('$share/')) return null;
  const rest = f.slice(7), i = rest.indexOf('/');
  const group = i < 0 ? rest : rest.slice(0, i);
  const filter = i < 0 ? '' : rest.slice(i + 1);
  if (!group || group.includes('+') || group.includes('#') || !validTopicFilter(filter)) {
    throw new MqttError(RC.TOPIC_FILTER_INVALID, `shared subscription ${JSON.stringify(f)}`);
  }
  return { group, filter };
}

// topicMatches tells whether topic (levels split on '/') matches filter
// (split likewise); topics starting with '$' match no filter that starts
// with a wildcard.
export function topicMatches(filterLevels, topicLevels) {
  if (topicLevels[0].charCodeAt(0) === 36 /* $ */ && (filterLevels[0] === '+' || filterLevels[0] === '#')) return false;
  const fl = filterLevels.length, tl = topicLevels.length;
  for (let i = 0; i < fl; i++) {
    const f = filterLevels[i];
    if (f === '#') return true;
    if (i >= tl) return false;
    if (f !== '+' && f !== topicLevels[i]) return false;
  }
  return fl === tl;
}
