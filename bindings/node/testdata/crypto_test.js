// Conformance tests for node:crypto, with NIST / RFC 1321 digest vectors,
// RFC 4231 HMAC, RFC 6070 PBKDF2, RFC 7914 scrypt and RFC 5869 HKDF vectors.
// They pass under Node 20 too, which is what shows they encode its behaviour.
import crypto, { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { test, assert, assertEquals, assertThrows, run } from '../../../testdata/harness.js';

const hex = (v) => Array.from(v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength),
  (b) => b.toString(16).padStart(2, '0')).join('');
const unhex = (h) => new Uint8Array((h.match(/../g) || []).map((x) => parseInt(x, 16)));
const ascii = (s) => new Uint8Array(Array.from(s, (c) => c.charCodeAt(0)));
// Node hands out Buffers; so does sockw once node:buffer is there.
const isBytes = (v) => v instanceof Uint8Array && (typeof Buffer !== 'function' || Buffer.isBuffer(v));

function throwsCode(ErrorType, code, fn, message) {
  const e = assertThrows(ErrorType, fn, undefined, message);
  assertEquals(e.code, code, message);
  return e;
}

// supportedOrNot accepts either Node's working member or sockw's refusal.
function supportedOrNot(name, fn) {
  let v;
  try {
    v = fn();
  } catch (e) {
    assertEquals([e.message, e.code], ['not supported in sockw: crypto.' + name, 'ERR_NOT_SUPPORTED'], name);
    return;
  }
  assert(v !== undefined, name);
}

const later = () => new Promise((resolve) => setTimeout(resolve, 0));
const callback = (start) => new Promise((resolve, reject) => start((err, v) => (err ? reject(err) : resolve(v))));

// --- createHash -------------------------------------------------------------------

test('createHash known answers', () => {
  const vectors = [
    ['md5', '', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['md5', 'abc', '900150983cd24fb0d6963f7d28e17f72'],
    ['sha1', 'abc', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ['sha224', 'abc', '23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7'],
    ['sha256', 'abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['sha256', '', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['sha384', 'abc', 'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7'],
    ['sha512', 'abc', 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f'],
    ['sha512-256', 'abc', '53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23'],
    ['sha3-256', 'abc', '3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532'],
  ];
  for (const [alg, msg, want] of vectors) {
    assertEquals(createHash(alg).update(msg).digest('hex'), want, `${alg}(${JSON.stringify(msg)})`);
  }
});

test('createHash names in OpenSSL spellings', () => {
  const want = createHash('sha256').update('abc').digest('hex');
  for (const name of ['SHA256', 'Sha256', 'sha-256', 'SHA2-256', 'RSA-SHA256', 'sha256WithRSAEncryption']) {
    assertEquals(createHash(name).update('abc').digest('hex'), want, name);
  }
  assertEquals(createHash('RSA-SHA512/256').update('abc').digest('hex'), createHash('sha512-256').update('abc').digest('hex'));
  assertEquals(createHash('RSA-MD5').update('abc').digest('hex'), '900150983cd24fb0d6963f7d28e17f72');
});

test('update chains and feeds the digest incrementally', () => {
  const h = createHash('sha256');
  assert(h.update('a') === h, 'update returns this');
  h.update(new Uint8Array([98])).update(new DataView(new Uint8Array([0, 99, 0]).buffer, 1, 1));
  assertEquals(h.digest('hex'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  const big = createHash('sha256');
  for (let i = 0; i < 1000; i++) big.update('a'.repeat(1000));
  assertEquals(big.digest('hex'), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0', 'a million a');
  assert(crypto.createHash('sha1') instanceof crypto.Hash);
  assert(crypto.Hash('sha1') instanceof crypto.Hash, 'Hash without new');
});

test('update reads strings in an encoding', () => {
  const abc = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
  const d = (data, enc) => createHash('sha256').update(data, enc).digest('hex');
  const bytes = (b) => createHash('sha256').update(new Uint8Array(b)).digest('hex');
  assertEquals(d('616263', 'hex'), abc);
  assertEquals(d('616263', 'HEX'), abc);
  assertEquals(d('YWJj', 'base64'), abc);
  assertEquals(d('YWJj', 'base64url'), abc);
  assertEquals(d('a b$c', 'base64'), bytes([0x69, 0xb7]), 'base64 skips what is not base64');
  assertEquals(d('_-8', 'base64'), bytes([0xff, 0xef]), 'base64 takes the url alphabet');
  assertEquals(d('YQ==YWJj', 'base64'), bytes([0x61]), 'padding ends the data');
  assertEquals(d('abc', 'latin1'), abc);
  assertEquals(d('\u00e9\u20ac', 'latin1'), bytes([0xe9, 0xac]), 'latin1 keeps the low byte');
  assertEquals(d('\u00e9', 'binary'), bytes([0xe9]));
  assertEquals(d('\u20ac'), bytes([0xe2, 0x82, 0xac]), 'UTF-8 by default');
  assertEquals(d('\u20ac', 'utf-8'), bytes([0xe2, 0x82, 0xac]));
  assertEquals(d('abc', 'bogus'), abc, 'an unknown encoding is UTF-8');
  assertEquals(d('\ud800'), bytes([0xef, 0xbf, 0xbd]), 'a lone surrogate is U+FFFD');
  assertEquals(d('\ud83d\ude00'), bytes([0xf0, 0x9f, 0x98, 0x80]));
  assertEquals(d('ab', 'ucs2'), bytes([0x61, 0, 0x62, 0]));
  assertEquals(d('\u20ac', 'utf16le'), bytes([0xac, 0x20]));
  assertEquals(d('abzz', 'hex'), bytes([0xab]), 'hex stops at the first bad pair');
  assertEquals(d(new Uint8Array([97, 98, 99]), 'hex'), abc, 'the encoding is ignored for bytes');
});

test('digest writes in an encoding', () => {
  const sum = () => createHash('sha1').update('abc');
  assertEquals(sum().digest('hex'), 'a9993e364706816aba3e25717850c26c9cd0d89d');
  assertEquals(sum().digest('base64'), 'qZk+NkcGgWq6PiVxeFDCbJzQ2J0=');
  assertEquals(sum().digest('base64url'), 'qZk-NkcGgWq6PiVxeFDCbJzQ2J0');
  const md5a = () => createHash('md5').update('a');
  const md5 = unhex('0cc175b9c0f1b6a831c399e269772661');
  assertEquals(md5a().digest('latin1'), String.fromCharCode(...md5));
  assertEquals(md5a().digest('binary'), String.fromCharCode(...md5));
  assertEquals(md5a().digest('utf8'), '\f\ufffdu\ufffd\ufffd\ufffd1\u00d9\ufffdiw&a');
  const units = Array.from({ length: 8 }, (_, i) => md5[2 * i] | (md5[2 * i + 1] << 8));
  assertEquals(md5a().digest('ucs2'), String.fromCharCode(...units));
  assertEquals(md5a().digest('ascii'), '\fAu9@q6(1C\u0019biw&a');
  for (const enc of [undefined, 'buffer', 'bogus']) {
    const d = sum().digest(enc);
    assert(isBytes(d), `${enc}: bytes`);
    assertEquals(hex(d), 'a9993e364706816aba3e25717850c26c9cd0d89d', String(enc));
  }
});

test('createHash errors', () => {
  assertEquals(assertThrows(Error, () => createHash('sha257')).message, 'Digest method not supported');
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => createHash());
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => createHash(256));
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => createHash('sha256').update(5));
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => createHash('sha256').update(new ArrayBuffer(1)));
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => createHash('sha256').update());
  throwsCode(TypeError, 'ERR_INVALID_ARG_VALUE', () => createHash('sha256').update('abc', 'hex'));
  const h = createHash('sha256');
  h.digest();
  throwsCode(Error, 'ERR_CRYPTO_HASH_FINALIZED', () => h.digest());
  throwsCode(Error, 'ERR_CRYPTO_HASH_FINALIZED', () => h.update('a'));
  throwsCode(Error, 'ERR_CRYPTO_HASH_FINALIZED', () => h.copy());
});

test('copy forks the running state', () => {
  const h = createHash('sha256').update('a');
  const c = h.copy();
  assert(c instanceof crypto.Hash && c !== h);
  c.update('bc');
  h.update('b');
  const d = h.copy().update('c');
  assertEquals(c.digest('hex'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assertEquals(d.digest('hex'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assertEquals(h.digest('hex'), createHash('sha256').update('ab').digest('hex'), 'the original is unaffected');
});

test('hash one-shot', () => {
  assertEquals(crypto.hash('sha1', 'abc'), 'a9993e364706816aba3e25717850c26c9cd0d89d');
  assertEquals(crypto.hash('sha1', ascii('abc'), 'base64'), 'qZk+NkcGgWq6PiVxeFDCbJzQ2J0=');
  const b = crypto.hash('sha1', 'abc', 'buffer');
  assert(isBytes(b));
  assertEquals(hex(b), 'a9993e364706816aba3e25717850c26c9cd0d89d');
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => crypto.hash('sha1', 5));
});

test('getHashes', () => {
  const names = crypto.getHashes();
  assert(Array.isArray(names));
  for (const n of ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'RSA-SHA256']) assert(names.includes(n), n);
  for (const n of names) {
    if (!/shake|blake|sm3|ripemd|rmd|md5-sha1|ssl3|id-rsassa|RSA-SHA1-2|^md4|mdc2|whirlpool/i.test(n)) {
      assertEquals(typeof createHash(n).update('x').digest('hex'), 'string', n);
    }
  }
});

test('Hash as a stream', () => {
  supportedOrNot('Hash stream', () => createHash('sha256').write('abc'));
  supportedOrNot('Hmac stream', () => createHmac('sha256', 'k').end('abc'));
});

// --- createHmac ------------------------------------------------------------------

test('createHmac: RFC 4231 vectors and key types', () => {
  const vectors = [
    ['sha256', new Uint8Array(20).fill(0x0b), 'Hi There', 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'],
    ['sha256', 'Jefe', 'what do ya want for nothing?', '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'],
    ['sha384', 'Jefe', 'what do ya want for nothing?', 'af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649'],
    ['sha512', new Uint8Array(131).fill(0xaa), 'Test Using Larger Than Block-Size Key - Hash Key First', '80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598'],
    ['sha1', new Uint8Array(20).fill(0x0b), 'Hi There', 'b617318655057264e28bc0b6fb378c8ef146be00'],
  ];
  for (const [alg, key, data, want] of vectors) {
    assertEquals(createHmac(alg, key).update(data).digest('hex'), want, alg);
  }
  const jefe = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';
  const msg = 'what do ya want for nothing?';
  assertEquals(createHmac('SHA256', ascii('Jefe').buffer).update(msg).digest('hex'), jefe, 'an ArrayBuffer key');
  assertEquals(createHmac('sha256', new DataView(ascii('Jefe').buffer)).update(msg).digest('hex'), jefe, 'a DataView key');
  assertEquals(createHmac('sha256', '4a656665', { encoding: 'hex' }).update(msg).digest('hex'), jefe, 'a hex key');
  const d = createHmac('sha256', 'Jefe').update(ascii(msg)).digest();
  assert(isBytes(d));
  assertEquals(hex(d), jefe);
  assert(crypto.createHmac('md5', '') instanceof crypto.Hmac);
});

test('createHmac errors', () => {
  throwsCode(TypeError, 'ERR_CRYPTO_INVALID_DIGEST', () => createHmac('sha257', 'k'));
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => createHmac('sha256', 5));
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => createHmac('sha256'));
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => createHmac(undefined, 'k'));
  const h = createHmac('sha256', 'k');
  h.digest();
  const again = h.digest();
  assert(isBytes(again) && again.length === 0, 'a second digest is empty');
  assertEquals(h.digest('hex'), '');
  throwsCode(Error, 'ERR_CRYPTO_HASH_FINALIZED', () => h.update('a'));
});

// --- randomness --------------------------------------------------------------------

test('randomBytes', async () => {
  const a = randomBytes(32);
  assert(isBytes(a));
  assertEquals(a.length, 32);
  assert(hex(a) !== hex(randomBytes(32)), 'random');
  assertEquals(randomBytes(0).length, 0);
  let sync = true;
  const b = await callback((cb) => { randomBytes(16, cb); sync = false; });
  assert(!sync, 'the callback is asynchronous');
  assert(isBytes(b) && b.length === 16);
  throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => randomBytes(-1));
  throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => randomBytes(2 ** 31));
  throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => randomBytes(NaN));
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => randomBytes('8'));
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => randomBytes(8, 'cb'));
  assert(crypto.pseudoRandomBytes === randomBytes);
});

test('randomFillSync and randomFill', async () => {
  const u8 = new Uint8Array(64);
  assert(crypto.randomFillSync(u8, 8, 16) === u8, 'returns its argument');
  assert(u8.subarray(0, 8).every((x) => x === 0) && u8.subarray(24).every((x) => x === 0), 'only the range');
  assert(u8.subarray(8, 24).some((x) => x !== 0));
  const u32 = new Uint32Array(4);
  crypto.randomFillSync(u32, 1, 2);
  assert(u32[0] === 0 && u32[3] === 0 && (u32[1] !== 0 || u32[2] !== 0), 'offset and size count elements');
  const ab = new ArrayBuffer(16);
  crypto.randomFillSync(ab);
  assert(new Uint8Array(ab).some((x) => x !== 0), 'an ArrayBuffer');
  const dv = new DataView(new ArrayBuffer(16), 4, 8);
  crypto.randomFillSync(dv);
  assert(new Uint8Array(dv.buffer, 0, 4).every((x) => x === 0), 'a DataView fills its own bytes');
  throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => crypto.randomFillSync(new Uint8Array(4), 5));
  throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => crypto.randomFillSync(new Uint8Array(4), 2, 3));
  throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => crypto.randomFillSync(new Uint8Array(4), -1));
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => crypto.randomFillSync([1, 2]));
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => crypto.randomFillSync(new Uint8Array(4), '1'));
  const filled = await callback((cb) => crypto.randomFill(new Uint8Array(16), 4, cb));
  assert(filled.subarray(0, 4).every((x) => x === 0) && filled.subarray(4).some((x) => x !== 0));
  const partly = await callback((cb) => crypto.randomFill(new Uint8Array(16), 0, 4, cb));
  assert(partly.subarray(4).every((x) => x === 0));
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => crypto.randomFill(new Uint8Array(4)));
});

test('randomInt', async () => {
  const seen = new Set();
  for (let i = 0; i < 200; i++) {
    const n = crypto.randomInt(3);
    assert(Number.isInteger(n) && n >= 0 && n < 3, String(n));
    seen.add(n);
  }
  assertEquals(seen.size, 3, 'every value comes up');
  for (let i = 0; i < 50; i++) {
    const n = crypto.randomInt(-5, -2);
    assert(n >= -5 && n < -2, String(n));
  }
  const big = crypto.randomInt(2 ** 47, 2 ** 48 - 1 + 2 ** 47);
  assert(big >= 2 ** 47);
  const n = await callback((cb) => crypto.randomInt(10, 20, cb));
  assert(n >= 10 && n < 20);
  const m = await callback((cb) => crypto.randomInt(5, cb));
  assert(m >= 0 && m < 5);
  throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => crypto.randomInt(5, 5));
  throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => crypto.randomInt(0, 2 ** 48 + 1));
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => crypto.randomInt(1.5));
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => crypto.randomInt('1', 5));
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => crypto.randomInt(1, 5, 'cb'));
});

test('randomUUID, getRandomValues, webcrypto', () => {
  const re = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  assert(re.test(crypto.randomUUID()));
  assert(re.test(crypto.randomUUID({ disableEntropyCache: true })));
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => crypto.randomUUID(1));
  const a = new Uint32Array(4);
  assert(crypto.getRandomValues(a) === a && a.some((x) => x !== 0));
  assert(crypto.webcrypto === globalThis.crypto, 'webcrypto is the global crypto');
  assert(crypto.subtle === globalThis.crypto.subtle);
});

test('timingSafeEqual', () => {
  assertEquals(crypto.timingSafeEqual(ascii('abc'), ascii('abc')), true);
  assertEquals(crypto.timingSafeEqual(ascii('abc'), ascii('abd')), false);
  assertEquals(crypto.timingSafeEqual(new Uint16Array([1]), new Uint8Array([1, 0])), true, 'bytes, not elements');
  assertEquals(crypto.timingSafeEqual(new ArrayBuffer(2), new DataView(new ArrayBuffer(2))), true);
  assertEquals(crypto.timingSafeEqual(new Uint8Array(0), new Uint8Array(0)), true);
  const e = throwsCode(RangeError, 'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH', () => crypto.timingSafeEqual(ascii('a'), ascii('ab')));
  assertEquals(e.message, 'Input buffers must have the same byte length');
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => crypto.timingSafeEqual('a', 'a'));
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => crypto.timingSafeEqual(ascii('a'), [97]));
});

// --- key derivation ------------------------------------------------------------------

const rfc6070 = [
  ['password', 'salt', 1, 20, '0c60c80f961f0e71f3a9b524af6012062fe037a6'],
  ['password', 'salt', 2, 20, 'ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957'],
  ['password', 'salt', 4096, 20, '4b007901b765489abead49d926f721d065a429c1'],
  ['passwordPASSWORDpassword', 'saltSALTsaltSALTsaltSALTsaltSALTsalt', 4096, 25, '3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038'],
  ['pass\0word', 'sa\0lt', 4096, 16, '56fa6aa75548099dcc37d7f03425e0c3'],
];

test('pbkdf2Sync: RFC 6070 vectors', () => {
  for (const [pw, salt, iterations, keylen, want] of rfc6070) {
    const k = pbkdf2Sync(pw, salt, iterations, keylen, 'sha1');
    assert(isBytes(k));
    assertEquals(hex(k), want, `${JSON.stringify(pw)} ${iterations}`);
  }
  assertEquals(hex(pbkdf2Sync(ascii('password'), ascii('salt').buffer, 1, 20, 'SHA1')), rfc6070[0][4], 'bytes and any case');
  assertEquals(hex(pbkdf2Sync('passwd', 'salt', 1, 64, 'sha256')),
    '55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783', 'RFC 7914');
  assertEquals(pbkdf2Sync('p', 's', 1, 0, 'sha1').length, 0);
});

test('pbkdf2 calls back off the loop', async () => {
  let sync = true;
  const k = await callback((cb) => { crypto.pbkdf2('password', 'salt', 4096, 20, 'sha1', cb); sync = false; });
  assert(!sync);
  assert(isBytes(k));
  assertEquals(hex(k), '4b007901b765489abead49d926f721d065a429c1');
  const salt = ascii('salt');
  const p = callback((cb) => crypto.pbkdf2('password', salt, 2, 20, 'sha1', cb));
  salt.fill(0);
  assertEquals(hex(await p), 'ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957', 'the salt is copied before returning');
});

test('pbkdf2 errors', () => {
  throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => pbkdf2Sync('p', 's', 0, 10, 'sha1'));
  throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => pbkdf2Sync('p', 's', 1.5, 10, 'sha1'));
  throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => pbkdf2Sync('p', 's', 1, -1, 'sha1'));
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => pbkdf2Sync('p', 's', '1', 10, 'sha1'));
  throwsCode(TypeError, 'ERR_CRYPTO_INVALID_DIGEST', () => pbkdf2Sync('p', 's', 1, 10, 'sha257'));
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => pbkdf2Sync('p', 's', 1, 10));
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => pbkdf2Sync(5, 's', 1, 10, 'sha1'));
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => pbkdf2Sync('p', null, 1, 10, 'sha1'));
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => crypto.pbkdf2('p', 's', 1, 10, 'sha1'));
  throwsCode(TypeError, 'ERR_CRYPTO_INVALID_DIGEST', () => crypto.pbkdf2('p', 's', 1, 10, 'sha257', () => {}));
});

test('scryptSync: RFC 7914 vectors', () => {
  assertEquals(hex(crypto.scryptSync('', '', 64, { N: 16, r: 1, p: 1 })),
    '77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906');
  const k = crypto.scryptSync('password', ascii('NaCl'), 64, { cost: 1024, blockSize: 8, parallelization: 16 });
  assert(isBytes(k));
  assertEquals(hex(k), 'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640');
  assertEquals(crypto.scryptSync('p', 's', 0).length, 0);
  assertEquals(crypto.scryptSync('p', 's', 16).length, 16, 'the defaults');
});

test('scrypt calls back', async () => {
  let sync = true;
  const k = await callback((cb) => { crypto.scrypt('', '', 64, { N: 16, r: 1, p: 1 }, cb); sync = false; });
  assert(!sync);
  assertEquals(hex(k).slice(0, 16), '77d6576238657b20');
  assertEquals((await callback((cb) => crypto.scrypt('p', 's', 8, cb))).length, 8, 'options are optional');
});

test('scrypt errors', () => {
  throwsCode(RangeError, 'ERR_CRYPTO_INVALID_SCRYPT_PARAMS', () => crypto.scryptSync('p', 's', 16, { N: 3 }));
  throwsCode(RangeError, 'ERR_CRYPTO_INVALID_SCRYPT_PARAMS', () => crypto.scryptSync('p', 's', 16, { N: 2 ** 20 }), 'memory');
  throwsCode(RangeError, 'ERR_CRYPTO_INVALID_SCRYPT_PARAMS', () => crypto.scryptSync('p', 's', 16, { N: 1024, maxmem: 1024 }));
  throwsCode(Error, 'ERR_CRYPTO_SCRYPT_INVALID_PARAMETER', () => crypto.scryptSync('p', 's', 16, { N: 16, cost: 16 }));
  throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => crypto.scryptSync('p', 's', -1));
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => crypto.scryptSync('p', 5, 16));
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => crypto.scrypt('p', 's', 16, {}));
});

test('hkdfSync: RFC 5869 vectors', () => {
  const okm = crypto.hkdfSync('sha256', new Uint8Array(22).fill(0x0b), unhex('000102030405060708090a0b0c'), unhex('f0f1f2f3f4f5f6f7f8f9'), 42);
  assert(okm instanceof ArrayBuffer, 'an ArrayBuffer, as Node gives');
  assertEquals(hex(okm), '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
  assertEquals(hex(crypto.hkdfSync('sha256', new Uint8Array(22).fill(0x0b), '', '', 42)),
    '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8', 'empty salt and info');
  assertEquals(hex(crypto.hkdfSync('sha256', 'k', 's', 'i', 10)), '02b0929a9d46e9236e23');
  assertEquals(crypto.hkdfSync('sha256', 'k', 's', 'i', 0).byteLength, 0);
});

test('hkdf calls back, and errors', async () => {
  let sync = true;
  const okm = await callback((cb) => { crypto.hkdf('sha256', 'k', 's', 'i', 10, cb); sync = false; });
  assert(!sync && okm instanceof ArrayBuffer);
  assertEquals(hex(okm), '02b0929a9d46e9236e23');
  throwsCode(RangeError, 'ERR_CRYPTO_INVALID_KEYLEN', () => crypto.hkdfSync('sha256', 'k', 's', 'i', 255 * 32 + 1));
  throwsCode(TypeError, 'ERR_CRYPTO_INVALID_DIGEST', () => crypto.hkdfSync('sha257', 'k', 's', 'i', 10));
  throwsCode(RangeError, 'ERR_OUT_OF_RANGE', () => crypto.hkdfSync('sha256', 'k', 's', 'i'.repeat(1025), 10));
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => crypto.hkdfSync('sha256', 5, 's', 'i', 10));
  throwsCode(TypeError, 'ERR_INVALID_ARG_TYPE', () => crypto.hkdf('sha256', 'k', 's', 'i', 10));
});

// --- what sockw leaves out -----------------------------------------------------------

test('ciphers, signatures and key objects are Node\'s or refused', () => {
  const key = new Uint8Array(16);
  supportedOrNot('createCipheriv', () => crypto.createCipheriv('aes-128-cbc', key, key));
  supportedOrNot('createDecipheriv', () => crypto.createDecipheriv('aes-128-cbc', key, key));
  supportedOrNot('createSign', () => crypto.createSign('sha256'));
  supportedOrNot('createVerify', () => crypto.createVerify('sha256'));
  supportedOrNot('createECDH', () => crypto.createECDH('prime256v1'));
  supportedOrNot('createSecretKey', () => crypto.createSecretKey(key));
  supportedOrNot('getCiphers', () => crypto.getCiphers());
  assertEquals({} instanceof crypto.KeyObject, false, 'instanceof KeyObject does not throw');
  for (const name of ['generateKeyPair', 'createPublicKey', 'createPrivateKey', 'publicEncrypt', 'privateDecrypt', 'createDiffieHellman']) {
    assertEquals(typeof crypto[name], 'function', name);
  }
});

await later();
await run();
