// Tests of the MQTT codec: sockw exec scripts/mqtt/codec_test.js
import { test, assert, assertEquals, assertThrows, run } from '../../testdata/harness.js';
import { Parser, encode, decodePacket, MqttError, RC, validTopicFilter, validTopicName, parseShared, topicMatches } from './codec.js';

const te = new TextEncoder();
const hex = (s) => Uint8Array.from(s.replace(/\s+/g, '').match(/../g).map((h) => parseInt(h, 16)));

function roundTrip(p, version) {
  const bytes = encode(p, version);
  const parser = new Parser();
  parser.version = version;
  const out = parser.push(bytes);
  assertEquals(out.length, 1, `one ${p.type} packet`);
  assertEquals(parser.pending, 0, 'nothing left over');
  return out[0];
}

function throwsCode(code, fn, what) {
  const e = assertThrows(MqttError, fn, undefined, what);
  assertEquals(e.reasonCode, code, `${what}: reason code (${e.message})`);
  return e;
}

test('CONNECT 3.1.1 with will, user and password', () => {
  const p = roundTrip({ type: 'connect', protocolVersion: 4, clean: true, keepalive: 30, clientId: 'c1',
    will: { topic: 'w/t', payload: te.encode('bye'), qos: 1, retain: true }, username: 'u', password: te.encode('p') }, 4);
  assertEquals(p.protocolName, 'MQTT');
  assertEquals(p.protocolVersion, 4);
  assertEquals(p.clean, true);
  assertEquals(p.keepalive, 30);
  assertEquals(p.clientId, 'c1');
  assertEquals(p.will.topic, 'w/t');
  assertEquals(p.will.payload, te.encode('bye'));
  assertEquals(p.will.qos, 1);
  assertEquals(p.will.retain, true);
  assertEquals(p.username, 'u');
  assertEquals(p.password, te.encode('p'));
});

test('CONNECT bytes as mosquitto_pub sends them', () => {
  // 10 12 00 04 MQTT 04 02 00 3c 00 06 "client"
  const p = new Parser().push(hex('10 12 0004 4d515454 04 02 003c 0006 636c69656e74'))[0];
  assertEquals(p.clientId, 'client');
  assertEquals(p.keepalive, 60);
});

test('CONNECT 3.1 (MQIsdp)', () => {
  const p = roundTrip({ type: 'connect', protocolVersion: 3, clean: true, clientId: 'old' }, 3);
  assertEquals(p.protocolName, 'MQIsdp');
  assertEquals(p.protocolVersion, 3);
});

test('CONNECT 5.0 with properties and will properties', () => {
  const p = roundTrip({ type: 'connect', protocolVersion: 5, clean: false, keepalive: 10, clientId: '',
    properties: { sessionExpiryInterval: 3600, receiveMaximum: 20, topicAliasMaximum: 5, userProperties: [['a', 'b'], ['a', 'c']] },
    will: { topic: 'w', payload: 'x', qos: 2, retain: false, properties: { willDelayInterval: 5, contentType: 'text/plain' } } }, 5);
  assertEquals(p.protocolVersion, 5);
  assertEquals(p.properties, { sessionExpiryInterval: 3600, receiveMaximum: 20, topicAliasMaximum: 5, userProperties: [['a', 'b'], ['a', 'c']] });
  assertEquals(p.will.properties, { willDelayInterval: 5, contentType: 'text/plain' });
  assertEquals(p.will.qos, 2);
});

test('CONNACK both versions', () => {
  assertEquals(encode({ type: 'connack', sessionPresent: true, reasonCode: 0 }, 4), hex('20 02 01 00'));
  const p = roundTrip({ type: 'connack', sessionPresent: false, reasonCode: 0x86, properties: { assignedClientIdentifier: 'x', topicAliasMaximum: 10 } }, 5);
  assertEquals(p.reasonCode, 0x86);
  assertEquals(p.properties, { assignedClientIdentifier: 'x', topicAliasMaximum: 10 });
});

test('PUBLISH QoS 0, 1, 2, retain and dup', () => {
  assertEquals(encode({ type: 'publish', topic: 'a/b', payload: 'hi', qos: 0 }, 4), hex('30 07 0003 612f62 6869'));
  for (const qos of [1, 2]) {
    const p = roundTrip({ type: 'publish', topic: 't', payload: te.encode('x'), qos, messageId: 7, retain: true, dup: true }, 4);
    assertEquals([p.qos, p.messageId, p.retain, p.dup, p.topic], [qos, 7, true, true, 't']);
    assertEquals(p.payload, te.encode('x'));
  }
});

test('PUBLISH 5.0 properties: alias, expiry, several subscription identifiers', () => {
  const p = roundTrip({ type: 'publish', topic: '', payload: 'x', qos: 1, messageId: 1,
    properties: { topicAlias: 3, messageExpiryInterval: 60, subscriptionIdentifier: [1, 268435455], correlationData: te.encode('cd'), responseTopic: 'r' } }, 5);
  assertEquals(p.properties.topicAlias, 3);
  assertEquals(p.properties.messageExpiryInterval, 60);
  assertEquals(p.properties.subscriptionIdentifier, [1, 268435455]);
  assertEquals(p.properties.correlationData, te.encode('cd'));
});

test('acks: PUBACK PUBREC PUBREL PUBCOMP with and without reason codes', () => {
  assertEquals(encode({ type: 'pubrel', messageId: 258 }, 4), hex('62 02 0102'));
  assertEquals(encode({ type: 'puback', messageId: 1 }, 5), hex('40 02 0001'));
  for (const type of ['puback', 'pubrec', 'pubrel', 'pubcomp']) {
    const p = roundTrip({ type, messageId: 9, reasonCode: 0x10, properties: { reasonString: 'r' } }, 5);
    assertEquals([p.type, p.messageId, p.reasonCode, p.properties.reasonString], [type, 9, 0x10, 'r']);
    assertEquals(roundTrip({ type, messageId: 9 }, 4).messageId, 9);
  }
  // A 5.0 ack of remaining length 2 means success.
  assertEquals(new Parser({}).push(hex('40 02 0005'))[0].reasonCode, 0);
});

test('SUBSCRIBE/SUBACK and UNSUBSCRIBE/UNSUBACK', () => {
  const s = roundTrip({ type: 'subscribe', messageId: 3, subscriptions: [{ topic: 'a/+', qos: 1 }, { topic: '#', qos: 2 }] }, 4);
  assertEquals(s.subscriptions, [{ topic: 'a/+', qos: 1 }, { topic: '#', qos: 2 }]);
  const s5 = roundTrip({ type: 'subscribe', messageId: 3, properties: { subscriptionIdentifier: 42 },
    subscriptions: [{ topic: 'x', qos: 2, nl: true, rap: true, rh: 2 }] }, 5);
  assertEquals(s5.subscriptions, [{ topic: 'x', qos: 2, nl: true, rap: true, rh: 2 }]);
  assertEquals(s5.properties.subscriptionIdentifier, [42]);
  assertEquals(roundTrip({ type: 'suback', messageId: 3, granted: [0, 1, 2, 0x80] }, 4).granted, [0, 1, 2, 0x80]);
  assertEquals(roundTrip({ type: 'suback', messageId: 3, granted: [0x8f], properties: {} }, 5).granted, [0x8f]);
  assertEquals(roundTrip({ type: 'unsubscribe', messageId: 4, unsubscriptions: ['a', 'b/#'] }, 5).unsubscriptions, ['a', 'b/#']);
  assertEquals(encode({ type: 'unsuback', messageId: 4 }, 4), hex('b0 02 0004'));
  assertEquals(roundTrip({ type: 'unsuback', messageId: 4, granted: [0, 0x11] }, 5).granted, [0, 0x11]);
});

test('PINGREQ, PINGRESP, DISCONNECT, AUTH', () => {
  assertEquals(encode({ type: 'pingreq' }), hex('c0 00'));
  assertEquals(encode({ type: 'pingresp' }), hex('d0 00'));
  assertEquals(encode({ type: 'disconnect' }, 4), hex('e0 00'));
  assertEquals(encode({ type: 'disconnect', reasonCode: 0x8e }, 5), hex('e0 01 8e'));
  const d = roundTrip({ type: 'disconnect', reasonCode: 0x04, properties: { sessionExpiryInterval: 0, reasonString: 'bye' } }, 5);
  assertEquals([d.reasonCode, d.properties.reasonString], [4, 'bye']);
  const a = roundTrip({ type: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'SCRAM' } }, 5);
  assertEquals([a.reasonCode, a.properties.authenticationMethod], [0x18, 'SCRAM']);
});

test('variable-length integers at every boundary', () => {
  for (const n of [0, 127, 128, 16383, 16384, 2097151, 2097152, 268435455]) {
    const p = roundTrip({ type: 'subscribe', messageId: 1, properties: { subscriptionIdentifier: n || 1 }, subscriptions: [{ topic: 'a', qos: 0 }] }, 5);
    assertEquals(p.properties.subscriptionIdentifier, [n || 1]);
  }
  // remaining length 321 is encoded as c1 02
  const big = encode({ type: 'publish', topic: 'a', payload: new Uint8Array(318) }, 4);
  assertEquals([big[1], big[2]], [0xc1, 0x02]);
  assertThrows(RangeError, () => encode({ type: 'subscribe', messageId: 1, properties: { subscriptionIdentifier: 268435456 }, subscriptions: [{ topic: 'a' }] }, 5));
});

test('a packet split across chunks, byte by byte, and several in one chunk', () => {
  const bytes = encode({ type: 'publish', topic: 'split/topic', payload: new Uint8Array(300).fill(7), qos: 1, messageId: 5 }, 4);
  const p = new Parser();
  let got = [];
  for (const b of bytes) got = got.concat(p.push(Uint8Array.of(b)));
  assertEquals(got.length, 1);
  assertEquals(got[0].payload.length, 300);
  const two = new Uint8Array([...encode({ type: 'pingreq' }), ...encode({ type: 'pingreq' }), 0xc0]);
  const q = new Parser();
  assertEquals(q.push(two).length, 2);
  assertEquals(q.pending, 1);
});

test('UTF-8 topics', () => {
  const p = roundTrip({ type: 'publish', topic: 'café/☃/😀', payload: '' }, 4);
  assertEquals(p.topic, 'café/☃/😀');
});

test('malformed: remaining length over 4 bytes', () => {
  throwsCode(RC.MALFORMED, () => new Parser().push(hex('30 ff ff ff ff 01')), 'five length bytes');
});

test('malformed: oversized remaining length -> packet too large', () => {
  throwsCode(RC.PACKET_TOO_LARGE, () => new Parser({ maxPacketSize: 1024 }).push(hex('30 ff ff ff 7f')), 'oversize');
});

test('malformed: truncated fields inside a packet', () => {
  throwsCode(RC.MALFORMED, () => new Parser().push(hex('30 03 0005 61')), 'topic longer than the packet');
  throwsCode(RC.MALFORMED, () => new Parser().push(hex('10 04 0004 4d51')), 'CONNECT cut short');
  throwsCode(RC.MALFORMED, () => new Parser().push(hex('40 01 00')), 'PUBACK with one byte');
});

test('malformed: bad flags, QoS 3, reserved bits, type 0', () => {
  throwsCode(RC.MALFORMED, () => new Parser().push(hex('00 00')), 'type 0');
  throwsCode(RC.MALFORMED, () => new Parser().push(hex('36 03 0001 61')), 'PUBLISH QoS 3');
  throwsCode(RC.MALFORMED, () => new Parser().push(hex('38 03 0001 61')), 'DUP at QoS 0');
  throwsCode(RC.MALFORMED, () => new Parser().push(hex('80 06 0001 0001 61 00')), 'SUBSCRIBE flags 0');
  throwsCode(RC.MALFORMED, () => new Parser().push(hex('82 06 0001 0001 61 03')), 'SUBSCRIBE QoS 3');
  throwsCode(RC.MALFORMED, () => new Parser().push(hex('60 02 0001')), 'PUBREL flags 0');
  throwsCode(RC.MALFORMED, () => new Parser().push(hex('c0 01 00')), 'PINGREQ with a body');
  throwsCode(RC.MALFORMED, () => new Parser().push(hex('10 0c 0004 4d515454 04 03 003c 0000')), 'CONNECT reserved flag');
  throwsCode(RC.MALFORMED, () => new Parser().push(hex('10 0c 0004 4d515454 04 08 003c 0000')), 'will QoS without will');
  throwsCode(RC.MALFORMED, () => new Parser().push(hex('10 0c 0004 4d515454 04 42 003c 0000')), 'password without user in 3.1.1');
  throwsCode(RC.MALFORMED, () => new Parser().push(hex('10 0c 0004 58585858 04 02 003c 0000')), 'protocol name');
});

test('unsupported protocol version', () => {
  const e = throwsCode(RC.UNSUPPORTED_VERSION, () => new Parser().push(hex('10 0c 0004 4d515454 06 02 003c 0000')), 'version 6');
  assertEquals(e.protocolVersion, 6);
});

test('protocol errors: empty SUBSCRIBE, duplicate property, packet id 0', () => {
  throwsCode(RC.PROTOCOL_ERROR, () => new Parser().push(hex('82 02 0001')), 'no filters');
  const p = new Parser(); p.version = 5;
  throwsCode(RC.PROTOCOL_ERROR, () => p.push(hex('30 0e 0001 61 0a 02 00000001 02 00000002')), 'two message expiry');
  throwsCode(RC.MALFORMED, () => new Parser().push(hex('32 05 0001 61 0000')), 'packet id 0');
  const q = new Parser(); q.version = 5;
  throwsCode(RC.MALFORMED, () => q.push(hex('30 06 0001 61 02 7f 00')), 'unknown property');
});

test('invalid strings and topic names', () => {
  throwsCode(RC.MALFORMED, () => new Parser().push(hex('30 05 0002 6100 78')), 'U+0000');
  throwsCode(RC.MALFORMED, () => new Parser().push(hex('30 04 0002 c328')), 'bad UTF-8');
  throwsCode(RC.TOPIC_NAME_INVALID, () => new Parser().push(hex('30 05 0003 612f2b')), 'wildcard in a topic name');
  throwsCode(RC.TOPIC_NAME_INVALID, () => new Parser().push(hex('30 02 0000')), 'empty topic in 3.1.1');
});

test('topic filter validation and shared subscriptions', () => {
  for (const f of ['#', '+', 'a/#', 'a/+/b', '+/+', '/', 'a//b', '$share/g/a/#', 'sport/tennis/#']) assert(validTopicFilter(f), f);
  for (const f of ['', 'a#', 'a/#/b', 'a+', 'a/b+/c', '##']) assert(!validTopicFilter(f), f);
  assert(validTopicName('a/b') && !validTopicName('a/#'));
  assertEquals(parseShared('$share/g/a/+'), { group: 'g', filter: 'a/+' });
  assertEquals(parseShared('a/b'), null);
  throwsCode(RC.TOPIC_FILTER_INVALID, () => parseShared('$share/g'), 'no filter');
  throwsCode(RC.TOPIC_FILTER_INVALID, () => parseShared('$share//a'), 'no group');
});

test('topic matching', () => {
  const m = (f, t) => topicMatches(f.split('/'), t.split('/'));
  assert(m('a/b', 'a/b'));
  assert(m('a/+', 'a/b') && !m('a/+', 'a/b/c') && !m('a/+', 'a'));
  assert(m('a/#', 'a') && m('a/#', 'a/b/c') && m('#', 'x/y'));
  assert(m('+/+', '/x') && m('+', '') === true);
  assert(!m('#', '$SYS/x') && !m('+/x', '$SYS/x') && m('$SYS/#', '$SYS/x'));
});

test('MqttError message names the reason', () => {
  const e = new MqttError(RC.MALFORMED, 'bad');
  assert(e.message.includes('0x81') && e.message.includes('malformed'), e.message);
  assertEquals(decodePacket(0xc0, new Uint8Array(0), 0, 0).type, 'pingreq');
});

test('random and mutated input throws only MqttError', () => {
  const seeds = [
    encode({ type: 'connect', protocolVersion: 5, clean: true, clientId: 'x', properties: { sessionExpiryInterval: 5 },
      will: { topic: 'w', payload: 'p', qos: 1, properties: { willDelayInterval: 1 } }, username: 'u', password: 'p' }, 5),
    encode({ type: 'publish', topic: 'a/b', payload: 'x', qos: 1, messageId: 1, properties: { topicAlias: 1, userProperties: [['k', 'v']] } }, 5),
    encode({ type: 'subscribe', messageId: 1, properties: { subscriptionIdentifier: 3 }, subscriptions: [{ topic: 'a/+', qos: 1, rh: 1 }] }, 5),
    encode({ type: 'unsubscribe', messageId: 1, unsubscriptions: ['a'] }, 5),
    encode({ type: 'puback', messageId: 1, reasonCode: 0x10, properties: { reasonString: 'r' } }, 5),
    encode({ type: 'disconnect', reasonCode: 4, properties: { sessionExpiryInterval: 1 } }, 5),
  ];
  let seed = 12345;
  const rnd = (n) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  let packets = 0, errors = 0;
  for (let i = 0; i < 3000; i++) {
    let b;
    if (i % 3 === 0) {
      b = new Uint8Array(1 + rnd(40));
      for (let j = 0; j < b.length; j++) b[j] = rnd(256);
    } else {
      b = seeds[rnd(seeds.length)].slice();
      for (let k = 0, n = 1 + rnd(4); k < n; k++) b[rnd(b.length)] = rnd(256);
    }
    const p = new Parser({ maxPacketSize: 4096 });
    p.version = i % 2 ? 5 : 4;
    try { packets += p.push(b).length; } catch (e) {
      if (!(e instanceof MqttError) || typeof e.reasonCode !== 'number') throw new Error(`input ${Array.from(b)} threw ${e && e.name}: ${e && e.message}`);
      errors++;
    }
  }
  assert(packets > 0 && errors > 0, `packets ${packets}, errors ${errors}`);
});

await run();
