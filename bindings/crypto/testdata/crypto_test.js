// Conformance tests for the Web Crypto API subset sockw provides, with FIPS
// 180-4 / NIST digest vectors, RFC 4231 HMAC vectors and RFC 6070 / RFC 7914
// PBKDF2 vectors.
import { test, assert, assertEquals, assertThrows, assertRejects, run } from '../../../testdata/harness.js';

const hex = (buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');
const ascii = (s) => new Uint8Array(Array.from(s, (c) => c.charCodeAt(0)));
const fill = (n, b) => new Uint8Array(n).fill(b);

// --- getRandomValues / randomUUID ------------------------------------------

test('getRandomValues fills integer arrays in place', () => {
  for (const T of [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
    BigInt64Array, BigUint64Array]) {
    const a = new T(64);
    const r = crypto.getRandomValues(a);
    assert(r === a, `${T.name}: returns the same object`);
    assert(Array.from(a).some((x) => x != 0), `${T.name}: filled`);
  }
  const big = new Uint8Array(65536);
  crypto.getRandomValues(big);
  const view = new Uint8Array(16);
  crypto.getRandomValues(view.subarray(4, 8));
  assertEquals(Array.from(view.subarray(0, 4)), [0, 0, 0, 0], 'outside the subarray stays zero');
  assertEquals(Array.from(view.subarray(8)), [0, 0, 0, 0, 0, 0, 0, 0]);
  assertEquals(crypto.getRandomValues(new Uint8Array(0)).length, 0);
});

test('getRandomValues bounds and types', () => {
  assertThrows(DOMException, () => crypto.getRandomValues(new Uint8Array(65537)), 'QuotaExceededError');
  assertThrows(DOMException, () => crypto.getRandomValues(new Uint32Array(16385)), 'QuotaExceededError');
  assertThrows(DOMException, () => crypto.getRandomValues(new Float32Array(4)), 'TypeMismatchError');
  assertThrows(DOMException, () => crypto.getRandomValues(new Float64Array(4)), 'TypeMismatchError');
  assertThrows(DOMException, () => crypto.getRandomValues(new DataView(new ArrayBuffer(4))), 'TypeMismatchError');
  for (const v of [new ArrayBuffer(4), [1, 2], null, undefined, 4]) {
    assertThrows(TypeError, () => crypto.getRandomValues(v), undefined, String(v));
  }
  assertThrows(TypeError, () => Crypto.prototype.getRandomValues.call({}, new Uint8Array(1)));
});

test('randomUUID', () => {
  const re = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  const seen = new Set();
  for (let i = 0; i < 100; i++) {
    const u = crypto.randomUUID();
    assert(re.test(u), u);
    seen.add(u);
  }
  assertEquals(seen.size, 100);
});

test('Crypto, SubtleCrypto and CryptoKey are not constructible', () => {
  for (const C of [Crypto, SubtleCrypto, CryptoKey]) {
    assertThrows(TypeError, () => new C());
    assertThrows(TypeError, () => C());
  }
  assert(crypto instanceof Crypto);
  assert(crypto.subtle instanceof SubtleCrypto);
  assert(crypto.subtle === crypto.subtle, 'SameObject');
  assertEquals(Object.prototype.toString.call(crypto), '[object Crypto]');
  assertEquals(Object.prototype.toString.call(crypto.subtle), '[object SubtleCrypto]');
  const d = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
  assertEquals([typeof d.get, d.set, d.enumerable, d.configurable], ['function', undefined, true, true], 'a readonly attribute of the global object');
  assertEquals(crypto.getRandomValues.name, 'getRandomValues');
  assertEquals(crypto.getRandomValues.length, 1);
  assertEquals(crypto.subtle.importKey.length, 5);
});

// --- digest -------------------------------------------------------------------

test('digest known answers', async () => {
  const vectors = [
    ['SHA-1', 'abc', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ['SHA-1', '', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    ['SHA-256', 'abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['SHA-256', '', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['SHA-256', 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
    ['SHA-384', 'abc', 'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7'],
    ['SHA-512', 'abc', 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f'],
    ['SHA-512', '', 'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e'],
  ];
  for (const [alg, msg, want] of vectors) {
    const got = await crypto.subtle.digest(alg, ascii(msg));
    assert(got instanceof ArrayBuffer, 'an ArrayBuffer');
    assertEquals(hex(got), want, `${alg}(${JSON.stringify(msg)})`);
  }
});

test('digest accepts names in any case, objects and every BufferSource', async () => {
  const want = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
  const abc = ascii('abc');
  assertEquals(hex(await crypto.subtle.digest('sha-256', abc)), want);
  assertEquals(hex(await crypto.subtle.digest({ name: 'Sha-256' }, abc)), want);
  assertEquals(hex(await crypto.subtle.digest('SHA-256', abc.buffer)), want);
  assertEquals(hex(await crypto.subtle.digest('SHA-256', new DataView(abc.buffer))), want);
  const padded = new Uint8Array([0, 97, 98, 99, 0]);
  assertEquals(hex(await crypto.subtle.digest('SHA-256', padded.subarray(1, 4))), want);
});

test('digest of a million bytes (hashed off the loop)', async () => {
  const p = crypto.subtle.digest('SHA-256', fill(1000000, 0x61));
  assertEquals(hex(await p), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
});

test('digest copies its input before returning', async () => {
  const data = ascii('abc');
  const p = crypto.subtle.digest('SHA-256', data);
  data[0] = 0;
  assertEquals(hex(await p), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  const big = fill(100000, 0x61);
  const q = crypto.subtle.digest('SHA-1', big);
  big.fill(0);
  assertEquals(hex(await q), hex(await crypto.subtle.digest('SHA-1', fill(100000, 0x61))));
});

test('digest errors reject, never throw', async () => {
  const data = new Uint8Array(1);
  for (const alg of ['MD5', 'SHA-3', 'SHA256', 'HMAC', '', { name: 'nope' }]) {
    let p;
    try { p = crypto.subtle.digest(alg, data); } catch (e) { throw new Error('threw synchronously: ' + e); }
    await assertRejects(DOMException, p, 'NotSupportedError', JSON.stringify(alg));
  }
  await assertRejects(TypeError, crypto.subtle.digest({}, data));
  await assertRejects(TypeError, crypto.subtle.digest('SHA-256', 'abc'));
  await assertRejects(TypeError, crypto.subtle.digest('SHA-256'));
  await assertRejects(TypeError, crypto.subtle.digest({ get name() { throw new TypeError('boom'); } }, data));
  await assertRejects(TypeError, SubtleCrypto.prototype.digest.call({}, 'SHA-256', data));
});

// --- HMAC ---------------------------------------------------------------------

const rfc4231 = [
  // [hash, key, data, mac]
  ['SHA-256', fill(20, 0x0b), ascii('Hi There'), 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'],
  ['SHA-512', fill(20, 0x0b), ascii('Hi There'), '87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854'],
  ['SHA-256', ascii('Jefe'), ascii('what do ya want for nothing?'), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'],
  ['SHA-384', ascii('Jefe'), ascii('what do ya want for nothing?'), 'af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649'],
  ['SHA-256', fill(20, 0xaa), fill(50, 0xdd), '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe'],
  ['SHA-256', fill(131, 0xaa), ascii('Test Using Larger Than Block-Size Key - Hash Key First'), '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54'],
  ['SHA-512', fill(131, 0xaa), ascii('Test Using Larger Than Block-Size Key - Hash Key First'), '80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598'],
  ['SHA-1', fill(20, 0x0b), ascii('Hi There'), 'b617318655057264e28bc0b6fb378c8ef146be00'],
];

test('HMAC sign and verify: RFC 4231 vectors', async () => {
  for (const [hash, key, data, mac] of rfc4231) {
    const k = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash }, false, ['sign', 'verify']);
    assertEquals(hex(await crypto.subtle.sign('HMAC', k, data)), mac, `HMAC-${hash}`);
    const sig = new Uint8Array(mac.match(/../g).map((h) => parseInt(h, 16)));
    assertEquals(await crypto.subtle.verify({ name: 'hmac' }, k, sig, data), true);
    sig[0] ^= 1;
    assertEquals(await crypto.subtle.verify('HMAC', k, sig, data), false);
    assertEquals(await crypto.subtle.verify('HMAC', k, sig.subarray(1), data), false, 'short signature');
  }
});

test('CryptoKey attributes', async () => {
  const k = await crypto.subtle.importKey('raw', fill(20, 1), { name: 'hmac', hash: { name: 'sha-256' } }, true, ['verify', 'sign', 'sign']);
  assert(k instanceof CryptoKey);
  assertEquals(k.type, 'secret');
  assertEquals(k.extractable, true);
  assertEquals(k.algorithm.name, 'HMAC');
  assertEquals(k.algorithm.hash.name, 'SHA-256');
  assertEquals(k.algorithm.length, 160);
  assert(k.algorithm === k.algorithm, 'algorithm is cached');
  assertEquals(k.usages, ['verify', 'sign']);
  assert(k.usages === k.usages, 'usages is cached');
  assertEquals(Object.prototype.toString.call(k), '[object CryptoKey]');
  assertThrows(TypeError, () => Object.getOwnPropertyDescriptor(CryptoKey.prototype, 'type').get.call({}));
});

test('HMAC importKey errors', async () => {
  const raw = fill(16, 7);
  const hmac = { name: 'HMAC', hash: 'SHA-256' };
  await assertRejects(DOMException, crypto.subtle.importKey('raw', raw, hmac, false, ['encrypt']), 'SyntaxError');
  await assertRejects(DOMException, crypto.subtle.importKey('raw', raw, hmac, false, []), 'SyntaxError');
  await assertRejects(TypeError, crypto.subtle.importKey('raw', raw, hmac, false, ['bogus']));
  await assertRejects(TypeError, crypto.subtle.importKey('raw', raw, hmac, false, 'sign'));
  await assertRejects(TypeError, crypto.subtle.importKey('raw', raw, { name: 'HMAC' }, false, ['sign']), undefined, 'missing hash');
  await assertRejects(DOMException, crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'MD5' }, false, ['sign']), 'NotSupportedError');
  await assertRejects(DOMException, crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt']), 'NotSupportedError');
  await assertRejects(DOMException, crypto.subtle.importKey('raw', new Uint8Array(0), hmac, false, ['sign']), 'DataError');
  await assertRejects(DOMException, crypto.subtle.importKey('raw', raw, { ...hmac, length: 0 }, false, ['sign']), 'DataError');
  await assertRejects(DOMException, crypto.subtle.importKey('raw', raw, { ...hmac, length: 129 }, false, ['sign']), 'DataError');
  await assertRejects(DOMException, crypto.subtle.importKey('raw', raw, { ...hmac, length: 120 }, false, ['sign']), 'DataError');
  const k = await crypto.subtle.importKey('raw', raw, { ...hmac, length: 121 }, false, ['sign']);
  assertEquals(k.algorithm.length, 121);
  await assertRejects(DOMException, crypto.subtle.importKey('spki', raw, hmac, false, ['sign']), 'NotSupportedError');
  await assertRejects(TypeError, crypto.subtle.importKey('pem', raw, hmac, false, ['sign']));
  await assertRejects(TypeError, crypto.subtle.importKey('raw', 'abc', hmac, false, ['sign']));
});

test('HMAC keys are checked against the operation', async () => {
  const signOnly = await crypto.subtle.importKey('raw', fill(16, 7), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  await assertRejects(DOMException, crypto.subtle.verify('HMAC', signOnly, new Uint8Array(32), new Uint8Array(1)), 'InvalidAccessError');
  await assertRejects(DOMException, crypto.subtle.exportKey('raw', signOnly), 'InvalidAccessError', 'not extractable');
  await assertRejects(DOMException, crypto.subtle.sign('SHA-256', signOnly, new Uint8Array(1)), 'NotSupportedError');
  await assertRejects(TypeError, crypto.subtle.sign('HMAC', {}, new Uint8Array(1)));
  await assertRejects(DOMException, crypto.subtle.encrypt({ name: 'AES-GCM' }, signOnly, new Uint8Array(1)), 'NotSupportedError');
  await assertRejects(DOMException, crypto.subtle.deriveBits({ name: 'HMAC' }, signOnly, 128), 'NotSupportedError');
  await assertRejects(DOMException, crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: new Uint8Array(1), iterations: 1 }, signOnly, 128), 'InvalidAccessError');
});

test('HMAC export and JWK import round trip', async () => {
  const key = fill(32, 0x42);
  const k = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-384' }, true, ['sign', 'verify']);
  const raw = await crypto.subtle.exportKey('raw', k);
  assert(raw instanceof ArrayBuffer);
  assertEquals(new Uint8Array(raw), key);
  const jwk = await crypto.subtle.exportKey('jwk', k);
  assertEquals(jwk, { kty: 'oct', k: 'QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI', alg: 'HS384', key_ops: ['sign', 'verify'], ext: true });
  const back = await crypto.subtle.importKey('jwk', jwk, { name: 'HMAC', hash: 'SHA-384' }, false, ['sign']);
  const data = ascii('hello');
  assertEquals(hex(await crypto.subtle.sign('HMAC', back, data)), hex(await crypto.subtle.sign('HMAC', k, data)));
  const imp = (j, hash = 'SHA-384', usages = ['sign'], ext = false) =>
    crypto.subtle.importKey('jwk', j, { name: 'HMAC', hash }, ext, usages);
  await assertRejects(DOMException, imp({ ...jwk, kty: 'RSA' }), 'DataError');
  await assertRejects(DOMException, imp({ ...jwk, k: undefined }), 'DataError');
  await assertRejects(DOMException, imp({ ...jwk, k: 'not base64url!' }), 'DataError');
  await assertRejects(DOMException, imp(jwk, 'SHA-256'), 'DataError', 'alg does not match the hash');
  await assertRejects(DOMException, imp({ ...jwk, use: 'enc' }), 'DataError');
  await assertRejects(DOMException, imp({ ...jwk, key_ops: ['verify'] }), 'DataError');
  await assertRejects(DOMException, imp({ ...jwk, ext: false }, 'SHA-384', ['sign'], true), 'DataError');
  await assertRejects(TypeError, imp(new Uint8Array(4)));
});

test('HMAC generateKey', async () => {
  const k = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-512' }, true, ['sign']);
  assertEquals(k.algorithm.length, 1024);
  assertEquals(new Uint8Array(await crypto.subtle.exportKey('raw', k)).length, 128);
  const k2 = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256', length: 100 }, true, ['verify']);
  assertEquals(k2.algorithm.length, 100);
  const bytes = new Uint8Array(await crypto.subtle.exportKey('raw', k2));
  assertEquals(bytes.length, 13);
  assertEquals(bytes[12] & 0x0f, 0, 'bits past the length are zero');
  await assertRejects(DOMException, crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, true, []), 'SyntaxError');
  await assertRejects(DOMException, crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256', length: 0 }, true, ['sign']), 'OperationError');
  await assertRejects(DOMException, crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, true, ['encrypt']), 'SyntaxError');
  await assertRejects(DOMException, crypto.subtle.generateKey({ name: 'AES-GCM', length: 128 }, true, ['encrypt']), 'NotSupportedError');
});

// --- PBKDF2 -------------------------------------------------------------------

const unhex = (h) => new Uint8Array(h.match(/../g).map((x) => parseInt(x, 16)));
const pbkdf2Vectors = [
  // [hash, password, salt, iterations, bytes, result]: RFC 6070, then RFC 7914 section 11.
  ['SHA-1', 'password', 'salt', 1, 20, '0c60c80f961f0e71f3a9b524af6012062fe037a6'],
  ['SHA-1', 'password', 'salt', 2, 20, 'ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957'],
  ['SHA-1', 'password', 'salt', 4096, 20, '4b007901b765489abead49d926f721d065a429c1'],
  ['SHA-1', 'passwordPASSWORDpassword', 'saltSALTsaltSALTsaltSALTsaltSALTsalt', 4096, 25, '3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038'],
  ['SHA-1', 'pass\0word', 'sa\0lt', 4096, 16, '56fa6aa75548099dcc37d7f03425e0c3'],
  ['SHA-256', 'passwd', 'salt', 1, 64, '55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783'],
  ['SHA-256', 'Password', 'NaCl', 80000, 64, '4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d'],
];

test('PBKDF2 deriveBits: RFC 6070 and RFC 7914 vectors', async () => {
  for (const [hash, pw, salt, iterations, bytes, want] of pbkdf2Vectors) {
    const k = await crypto.subtle.importKey('raw', ascii(pw), 'PBKDF2', false, ['deriveBits']);
    const got = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash, salt: ascii(salt), iterations }, k, bytes * 8);
    assert(got instanceof ArrayBuffer, 'an ArrayBuffer');
    assertEquals(hex(got), want, `PBKDF2-${hash}(${JSON.stringify(pw)}, ${iterations})`);
  }
});

test('PBKDF2 as postgres.js SCRAM-SHA-256 uses it', async () => {
  const pw = new TextEncoder().encode('pencil');
  const salt = unhex('5b6d99687fc5b1e5b36dfdf0b6fdfcbb');
  const key = await crypto.subtle.importKey('raw', pw, 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: 4096 }, key, 256);
  assertEquals(bits.byteLength, 32);
  const again = await crypto.subtle.deriveBits({ name: 'pbkdf2', hash: { name: 'sha-256' }, salt: salt.buffer, iterations: 4096 }, key, 256);
  assertEquals(hex(again), hex(bits), 'deterministic, names in any case, any BufferSource');
});

test('PBKDF2 key', async () => {
  const k = await crypto.subtle.importKey('raw', ascii('password'), { name: 'pbkdf2' }, false, ['deriveKey', 'deriveBits']);
  assert(k instanceof CryptoKey);
  assertEquals([k.type, k.extractable, k.algorithm, k.usages], ['secret', false, { name: 'PBKDF2' }, ['deriveKey', 'deriveBits']]);
  const empty = await crypto.subtle.importKey('raw', new Uint8Array(0), 'PBKDF2', false, ['deriveBits']);
  assertEquals(hex(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-1', salt: ascii('salt'), iterations: 1 }, empty, 32)).length, 8, 'an empty password');
  await assertRejects(DOMException, crypto.subtle.exportKey('raw', k));
  const imp = (format, data, ext, usages) => crypto.subtle.importKey(format, data, 'PBKDF2', ext, usages);
  await assertRejects(DOMException, imp('raw', ascii('pw'), true, ['deriveBits']), 'SyntaxError', 'extractable');
  await assertRejects(DOMException, imp('raw', ascii('pw'), false, ['sign']), 'SyntaxError');
  await assertRejects(DOMException, imp('raw', ascii('pw'), false, []), 'SyntaxError');
  await assertRejects(DOMException, imp('jwk', { kty: 'oct', k: 'AA' }, false, ['deriveBits']), 'NotSupportedError');
  await assertRejects(TypeError, imp('raw', 'pw', false, ['deriveBits']));
  await assertRejects(DOMException, crypto.subtle.generateKey('PBKDF2', false, ['deriveBits']), 'NotSupportedError');
});

test('PBKDF2 deriveBits errors', async () => {
  const k = await crypto.subtle.importKey('raw', ascii('password'), 'PBKDF2', false, ['deriveBits']);
  const salt = ascii('salt');
  const p = { name: 'PBKDF2', hash: 'SHA-1', salt, iterations: 1 };
  const bits = (params, length) => crypto.subtle.deriveBits(params, k, length);
  await assertRejects(DOMException, bits(p, 12), 'OperationError', 'not a multiple of 8');
  await assertRejects(DOMException, bits(p, null), 'OperationError', 'null');
  await assertRejects(DOMException, bits(p), 'OperationError', 'absent');
  await assertRejects(DOMException, bits(p, -8), 'OperationError', '-8 is 2^32 - 8');
  await assertRejects(DOMException, bits({ ...p, iterations: 0 }, 8), 'OperationError');
  assertEquals((await bits(p, 0)).byteLength, 0, 'length 0 derives nothing');
  assertEquals(hex(await bits(p, 2 ** 32 + 8)), '0c', 'length wraps modulo 2^32');
  assertEquals(hex(await bits({ ...p, iterations: '2' }, 16)), 'ea6c');
  await assertRejects(TypeError, bits({ ...p, iterations: -1 }, 8));
  await assertRejects(TypeError, bits({ ...p, iterations: 2 ** 32 }, 8));
  await assertRejects(TypeError, bits({ ...p, iterations: undefined }, 8));
  await assertRejects(TypeError, bits({ ...p, salt: undefined }, 8));
  await assertRejects(TypeError, bits({ ...p, salt: 'salt' }, 8));
  await assertRejects(TypeError, bits({ ...p, hash: undefined }, 8));
  await assertRejects(TypeError, bits({ name: 'PBKDF2' }, 8));
  await assertRejects(DOMException, bits({ ...p, hash: 'MD5' }, 8), 'NotSupportedError');
  const deriveKeyOnly = await crypto.subtle.importKey('raw', ascii('password'), 'PBKDF2', false, ['deriveKey']);
  await assertRejects(DOMException, crypto.subtle.deriveBits(p, deriveKeyOnly, 8), 'InvalidAccessError');
  await assertRejects(TypeError, crypto.subtle.deriveBits(p, {}, 8));
});

test('PBKDF2 deriveBits copies its salt before returning', async () => {
  const k = await crypto.subtle.importKey('raw', ascii('password'), 'PBKDF2', false, ['deriveBits']);
  const salt = ascii('salt');
  const p = crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-1', salt, iterations: 4096 }, k, 160);
  salt.fill(0);
  assertEquals(hex(await p), '4b007901b765489abead49d926f721d065a429c1');
});

test('PBKDF2 deriveKey to an HMAC key', async () => {
  const k = await crypto.subtle.importKey('raw', ascii('password'), 'PBKDF2', false, ['deriveKey']);
  const p = { name: 'PBKDF2', hash: 'SHA-256', salt: ascii('salt'), iterations: 2 };
  const bits = await crypto.subtle.deriveBits(p,
    await crypto.subtle.importKey('raw', ascii('password'), 'PBKDF2', false, ['deriveBits']), 512);
  const dk = await crypto.subtle.deriveKey(p, k, { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
  assert(dk instanceof CryptoKey);
  assertEquals([dk.type, dk.extractable, dk.algorithm, dk.usages],
    ['secret', true, { name: 'HMAC', hash: { name: 'SHA-256' }, length: 512 }, ['sign']]);
  assertEquals(hex(await crypto.subtle.exportKey('raw', dk)), hex(bits), 'the block size of the hash by default');
  const short = await crypto.subtle.deriveKey(p, k, { name: 'HMAC', hash: 'SHA-512', length: 64 }, true, ['verify']);
  assertEquals(short.algorithm.length, 64);
  assertEquals(hex(await crypto.subtle.exportKey('raw', short)), hex(bits).slice(0, 16));
  const data = ascii('data');
  assertEquals(await crypto.subtle.verify('HMAC', short, await crypto.subtle.sign('HMAC',
    await crypto.subtle.importKey('raw', new Uint8Array(bits, 0, 8), { name: 'HMAC', hash: 'SHA-512' }, false, ['sign']), data), data), true);
  assertEquals(crypto.subtle.deriveKey.length, 5);
});

test('PBKDF2 deriveKey errors', async () => {
  const k = await crypto.subtle.importKey('raw', ascii('password'), 'PBKDF2', false, ['deriveKey']);
  const p = { name: 'PBKDF2', hash: 'SHA-256', salt: ascii('salt'), iterations: 2 };
  const hmac = { name: 'HMAC', hash: 'SHA-256' };
  await assertRejects(DOMException, crypto.subtle.deriveKey(p, k, { ...hmac, length: 12 }, true, ['sign']), 'OperationError');
  await assertRejects(DOMException, crypto.subtle.deriveKey(p, k, hmac, true, []), 'SyntaxError');
  await assertRejects(DOMException, crypto.subtle.deriveKey(p, k, hmac, true, ['encrypt']), 'SyntaxError');
  await assertRejects(TypeError, crypto.subtle.deriveKey(p, k, 'HMAC', true, ['sign']), undefined, 'HMAC needs a hash');
  await assertRejects(TypeError, crypto.subtle.deriveKey(p, k, hmac, true, ['bogus']));
  await assertRejects(DOMException, crypto.subtle.deriveKey(p, k, 'PBKDF2', false, ['deriveBits']), 'OperationError', 'PBKDF2 has no key length');
  await assertRejects(DOMException, crypto.subtle.deriveKey({ ...p, iterations: 0 }, k, hmac, true, ['sign']), 'OperationError');
  const bitsOnly = await crypto.subtle.importKey('raw', ascii('password'), 'PBKDF2', false, ['deriveBits']);
  await assertRejects(DOMException, crypto.subtle.deriveKey(p, bitsOnly, hmac, true, ['sign']), 'InvalidAccessError');
  await assertRejects(TypeError, crypto.subtle.deriveKey(p, k, hmac, true));
});

await run();
