// node:crypto as drivers use it: hashes and HMACs (incremental, in Go),
// randomness, pbkdf2, scrypt and hkdf (off the loop when given a callback),
// timingSafeEqual and Web Crypto. Ciphers, signatures and key objects are
// not implemented: those functions throw "not supported in sockw".
'use strict';
const internal = require('sockw:internal/node').crypto;
const codes = require('sockw:internal/node-codes');

const { Buffer } = require('node:buffer');

// toBuffer hands bytes to the caller as a Buffer over the same memory.
function toBuffer(u8) {
  return Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
}

// --- errors and argument checks, as Node words and codes them --------------

const {
  coded, nativeCoded, invalidArgType, invalidArgValue, outOfRange, validateFunction, validateInteger, validateNumber, validateString,
} = codes;

// Node checks digests, lengths and scrypt's parameters in C++: those errors
// are nativeCoded.
function invalidDigest(digest) {
  return nativeCoded(TypeError, 'ERR_CRYPTO_INVALID_DIGEST', `Invalid digest: ${digest}`);
}

function notSupported(name) {
  return codes.notSupported('crypto.' + name);
}

const kMaxInt32 = 2 ** 31 - 1;
const kMaxLength = 2 ** 32;

const isBufferSource = (v) => ArrayBuffer.isView(v) || v instanceof ArrayBuffer ||
  (typeof SharedArrayBuffer === 'function' && v instanceof SharedArrayBuffer);

// validateBytes checks a password, salt or key: a string (UTF-8) or bytes.
function validateBytes(value, name) {
  if (typeof value !== 'string' && !isBufferSource(value)) {
    throw invalidArgType(name, ['string', 'ArrayBuffer', 'Buffer', 'TypedArray', 'DataView'], value);
  }
}

function validateDigest(digest) {
  validateString(digest, 'digest');
  const size = internal.hashSize(digest);
  if (size === undefined) throw invalidDigest(digest);
  return size;
}

// --- Hash and Hmac --------------------------------------------------------------

const kHandle = Symbol('kHandle');
const kFinal = Symbol('kFinal');

function hashFinalized() {
  return coded(Error, 'ERR_CRYPTO_HASH_FINALIZED', 'Digest already called');
}

function update(self, data, encoding) {
  if (self[kFinal]) throw hashFinalized();
  if (typeof data === 'string') {
    if (typeof encoding === 'string' && data.length % 2 !== 0 && encoding.toLowerCase() === 'hex') {
      throw invalidArgValue('encoding', encoding, `is invalid for data of length ${data.length}`);
    }
  } else if (!ArrayBuffer.isView(data)) {
    throw invalidArgType('data', ['string', 'Buffer', 'TypedArray', 'DataView'], data);
  }
  internal.update(self[kHandle], data, encoding);
  return self;
}

function finish(digest) {
  return typeof digest === 'string' ? digest : toBuffer(digest);
}

// Hash is a running digest: createHash(algorithm) or Hash(algorithm), with
// or without new, as Node allows.
function Hash(algorithm, options) {
  if (!(this instanceof Hash)) return new Hash(algorithm, options);
  validateString(algorithm, 'algorithm');
  if (options != null && options.outputLength !== undefined) throw notSupported('Hash outputLength');
  const handle = internal.hash(algorithm);
  if (handle === null) throw new Error('Digest method not supported');
  this[kHandle] = handle;
  this[kFinal] = false;
}

Hash.prototype.update = function update_(data, encoding) {
  return update(this, data, encoding);
};

Hash.prototype.digest = function digest(encoding) {
  if (this[kFinal]) throw hashFinalized();
  this[kFinal] = true;
  return finish(internal.digest(this[kHandle], encoding));
};

Hash.prototype.copy = function copy(options) {
  if (this[kFinal]) throw hashFinalized();
  if (options != null && options.outputLength !== undefined) throw notSupported('Hash outputLength');
  const h = Object.create(Hash.prototype);
  h[kHandle] = internal.copy(this[kHandle]);
  h[kFinal] = false;
  return h;
};

// Hmac is a running HMAC: createHmac(algorithm, key).
function Hmac(hmac, key, options) {
  if (!(this instanceof Hmac)) return new Hmac(hmac, key, options);
  validateString(hmac, 'hmac');
  if (typeof CryptoKey === 'function' && key instanceof CryptoKey) throw notSupported('createHmac with a CryptoKey');
  if (typeof key !== 'string' && !isBufferSource(key)) {
    throw invalidArgType('key', ['string', 'ArrayBuffer', 'Buffer', 'TypedArray', 'DataView', 'KeyObject', 'CryptoKey'], key);
  }
  const handle = internal.hmac(hmac, key, options != null ? options.encoding : undefined);
  if (handle === null) throw invalidDigest(hmac);
  this[kHandle] = handle;
  this[kFinal] = false;
}

Hmac.prototype.update = function update_(data, encoding) {
  return update(this, data, encoding);
};

// A second digest of an Hmac is empty, as in Node.
Hmac.prototype.digest = function digest(encoding) {
  if (this[kFinal]) return !encoding || encoding === 'buffer' ? toBuffer(new Uint8Array(0)) : '';
  this[kFinal] = true;
  return finish(internal.digest(this[kHandle], encoding));
};

// Node's Hash and Hmac are also Transform streams; sockw's are not.
for (const [C, name] of [[Hash, 'Hash'], [Hmac, 'Hmac']]) {
  for (const method of ['pipe', 'write', 'end', 'on', 'once', 'addListener', 'read', 'setEncoding']) {
    C.prototype[method] = function () { throw notSupported(name + ' stream'); };
  }
}

function createHash(algorithm, options) {
  return new Hash(algorithm, options);
}

function createHmac(hmac, key, options) {
  return new Hmac(hmac, key, options);
}

// hash is the one-shot digest (Node 20.12), hex by default.
function hash(algorithm, data, outputEncoding = 'hex') {
  validateString(algorithm, 'algorithm');
  if (typeof data !== 'string' && !ArrayBuffer.isView(data)) {
    throw invalidArgType('data', ['string', 'Buffer', 'TypedArray', 'DataView'], data);
  }
  if (outputEncoding !== undefined) validateString(outputEncoding, 'outputEncoding');
  const handle = internal.hash(algorithm);
  if (handle === null) throw new Error('Digest method not supported');
  internal.update(handle, data);
  return finish(internal.digest(handle, outputEncoding));
}

function getHashes() {
  return internal.hashes();
}

// --- randomness -------------------------------------------------------------------

// later calls back after the current task, as Node's thread pool does.
function later(callback, ...args) {
  setTimeout(() => callback(...args), 0);
}

function randomBytes(size, callback) {
  validateNumber(size, 'size', 0, kMaxInt32);
  if (callback !== undefined) validateFunction(callback, 'callback');
  const buf = toBuffer(internal.randomBytes(size));
  if (callback === undefined) return buf;
  later(callback, null, buf);
}

// fillRange turns randomFill's offset and size, in elements, into bytes.
function fillRange(buf, offset, size) {
  if (!isBufferSource(buf)) throw invalidArgType('buf', ['ArrayBuffer', 'ArrayBufferView'], buf);
  const elementSize = buf.BYTES_PER_ELEMENT || 1;
  const length = buf.byteLength;
  validateNumber(offset, 'offset', 0, Infinity);
  offset *= elementSize;
  if (offset > Math.min(length, kMaxLength)) throw outOfRange('offset', `>= 0 && <= ${Math.min(length, kMaxLength)}`, offset);
  if (size === undefined) {
    size = length - offset;
  } else {
    validateNumber(size, 'size', 0, Infinity);
    size *= elementSize;
    if (size > kMaxInt32) throw outOfRange('size', `>= 0 && <= ${kMaxInt32}`, size);
    if (size + offset > length) throw outOfRange('size + offset', `<= ${length}`, size + offset);
  }
  return [Math.trunc(offset), Math.trunc(offset + size)];
}

function randomFillSync(buf, offset = 0, size) {
  const [start, end] = fillRange(buf, offset, size);
  internal.randomFill(buf, start, end);
  return buf;
}

function randomFill(buf, offset, size, callback) {
  if (typeof offset === 'function') {
    callback = offset;
    offset = 0;
    size = undefined;
  } else if (typeof size === 'function') {
    callback = size;
    size = undefined;
  }
  validateFunction(callback, 'callback');
  const [start, end] = fillRange(buf, offset, size);
  internal.randomFill(buf, start, end);
  later(callback, null, buf);
}

const kRandMax = 2 ** 48 - 1;

function randomInt(min, max, callback) {
  const minNotSpecified = typeof max === 'undefined' || typeof max === 'function';
  if (minNotSpecified) {
    callback = max;
    max = min;
    min = 0;
  }
  if (callback !== undefined) validateFunction(callback, 'callback');
  if (!Number.isSafeInteger(min)) throw invalidArgType('min', 'a safe integer', min);
  if (!Number.isSafeInteger(max)) throw invalidArgType('max', 'a safe integer', max);
  if (max <= min) throw outOfRange('max', `greater than the value of "min" (${min})`, max);
  const range = max - min;
  if (!(range <= kRandMax)) throw outOfRange(minNotSpecified ? 'max' : 'max - min', `<= ${kRandMax}`, range);
  const n = internal.randomInt(min, max);
  if (callback === undefined) return n;
  later(callback, null, n);
}

function randomUUID(options) {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw invalidArgType('options', 'object', options);
  }
  return globalThis.crypto.randomUUID();
}

function getRandomValues(array) {
  return globalThis.crypto.getRandomValues(array);
}

// notBufferSource is timingSafeEqual's ERR_INVALID_ARG_TYPE: Node checks
// in C++, whose message does not say what it received.
function notBufferSource(name) {
  return nativeCoded(TypeError, 'ERR_INVALID_ARG_TYPE', `The "${name}" argument must be an instance of ArrayBuffer, Buffer, TypedArray, or DataView.`);
}

function timingSafeEqual(buf1, buf2) {
  if (!isBufferSource(buf1)) throw notBufferSource('buf1');
  if (!isBufferSource(buf2)) throw notBufferSource('buf2');
  if (buf1.byteLength !== buf2.byteLength) {
    throw nativeCoded(RangeError, 'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH', 'Input buffers must have the same byte length');
  }
  return internal.timingSafeEqual(buf1, buf2);
}

// --- key derivation ----------------------------------------------------------------

function pbkdf2Check(password, salt, iterations, keylen, digest) {
  validateString(digest, 'digest');
  validateBytes(password, 'password');
  validateBytes(salt, 'salt');
  validateInteger(iterations, 'iterations', 1, kMaxInt32);
  validateInteger(keylen, 'keylen', 0, kMaxInt32);
  validateDigest(digest);
}

function pbkdf2(password, salt, iterations, keylen, digest, callback) {
  if (typeof digest === 'function') {
    callback = digest;
    digest = undefined;
  }
  pbkdf2Check(password, salt, iterations, keylen, digest);
  validateFunction(callback, 'callback');
  internal.pbkdf2(password, salt, iterations, keylen, digest, (err, key) => callback(err, toBuffer(key)));
}

function pbkdf2Sync(password, salt, iterations, keylen, digest) {
  pbkdf2Check(password, salt, iterations, keylen, digest);
  return toBuffer(internal.pbkdf2(password, salt, iterations, keylen, digest));
}

const scryptDefaults = { N: 16384, r: 8, p: 1, maxmem: 32 << 20 };
// scrypt's memory is the node's, outside any isolate limit: a worker may
// raise maxmem as in Node, but not past this.
const scryptMaxMem = 64 << 20;

function invalidScryptParams(detail) {
  return nativeCoded(RangeError, 'ERR_CRYPTO_INVALID_SCRYPT_PARAMS', 'Invalid scrypt params' + (detail ? ': ' + detail : ''));
}

// scryptCheck returns [N, r, p] from options, checked as OpenSSL does.
function scryptCheck(password, salt, keylen, options) {
  validateBytes(password, 'password');
  validateBytes(salt, 'salt');
  validateInteger(keylen, 'keylen', 0, kMaxInt32);
  let { N, r, p, maxmem } = scryptDefaults;
  if (options != null) {
    const pick = (name, alias, value) => {
      const has = options[name] !== undefined;
      if (has) {
        value = options[name];
        validateInteger(value, name, 0, 2 ** 32 - 1);
      }
      if (options[alias] !== undefined) {
        if (has) throw coded(Error, 'ERR_CRYPTO_SCRYPT_INVALID_PARAMETER', 'Invalid scrypt parameter');
        value = options[alias];
        validateInteger(value, alias, 0, 2 ** 32 - 1);
      }
      return value;
    };
    N = pick('N', 'cost', N) || scryptDefaults.N;
    r = pick('r', 'blockSize', r) || scryptDefaults.r;
    p = pick('p', 'parallelization', p) || scryptDefaults.p;
    if (options.maxmem !== undefined) {
      validateInteger(options.maxmem, 'maxmem', 0, Number.MAX_SAFE_INTEGER);
      maxmem = Math.min(options.maxmem || scryptDefaults.maxmem, scryptMaxMem);
    }
  }
  if (N < 2 || (N & (N - 1)) !== 0 || N > 2 ** 31 || r * p >= 2 ** 30) throw invalidScryptParams();
  if (128 * r * (N + 2 + p) > maxmem) throw invalidScryptParams('memory limit exceeded');
  return [N, r, p];
}

function scrypt(password, salt, keylen, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  const [N, r, p] = scryptCheck(password, salt, keylen, options);
  validateFunction(callback, 'callback');
  internal.scrypt(password, salt, keylen, N, r, p, (err, key) => callback(err, toBuffer(key)));
}

function scryptSync(password, salt, keylen, options) {
  const [N, r, p] = scryptCheck(password, salt, keylen, options);
  return toBuffer(internal.scrypt(password, salt, keylen, N, r, p));
}

function hkdfCheck(digest, ikm, salt, info, keylen) {
  validateString(digest, 'digest');
  if (typeof ikm !== 'string' && !isBufferSource(ikm)) {
    throw invalidArgType('ikm', ['string', 'SecretKeyObject', 'ArrayBuffer', 'TypedArray', 'DataView', 'Buffer'], ikm);
  }
  validateBytes(salt, 'salt');
  validateBytes(info, 'info');
  validateInteger(keylen, 'length', 0, kMaxLength);
  const infoLength = typeof info === 'string' ? new TextEncoder().encode(info).byteLength : info.byteLength;
  if (infoLength > 1024) throw outOfRange('info', 'must not contain more than 1024 bytes', infoLength);
  const size = validateDigest(digest);
  if (keylen > 255 * size) throw nativeCoded(RangeError, 'ERR_CRYPTO_INVALID_KEYLEN', 'Invalid key length');
}

function hkdf(digest, ikm, salt, info, keylen, callback) {
  hkdfCheck(digest, ikm, salt, info, keylen);
  validateFunction(callback, 'callback');
  internal.hkdf(digest, ikm, salt, info, keylen, callback);
}

function hkdfSync(digest, ikm, salt, info, keylen) {
  hkdfCheck(digest, ikm, salt, info, keylen);
  return internal.hkdf(digest, ikm, salt, info, keylen);
}

// --- the module ------------------------------------------------------------------------

module.exports = {
  createHash, createHmac, hash, getHashes, Hash, Hmac,
  randomBytes, randomFill, randomFillSync, randomInt, randomUUID, getRandomValues,
  pseudoRandomBytes: randomBytes, prng: randomBytes, rng: randomBytes,
  timingSafeEqual,
  pbkdf2, pbkdf2Sync, scrypt, scryptSync, hkdf, hkdfSync,
};

// Web Crypto is the global one, built on first use.
Object.defineProperty(module.exports, 'webcrypto', { enumerable: true, get: () => globalThis.crypto });
Object.defineProperty(module.exports, 'subtle', { enumerable: true, get: () => globalThis.crypto.subtle });

for (const name of [
  'createCipheriv', 'createDecipheriv', 'createSign', 'createVerify', 'sign', 'verify',
  'generateKeyPair', 'generateKeyPairSync', 'generateKey', 'generateKeySync',
  'createPublicKey', 'createPrivateKey', 'createSecretKey',
  'publicEncrypt', 'privateDecrypt', 'privateEncrypt', 'publicDecrypt',
  'createECDH', 'createDiffieHellman', 'createDiffieHellmanGroup', 'getDiffieHellman', 'diffieHellman',
  'getCiphers', 'getCurves', 'getCipherInfo', 'generatePrime', 'generatePrimeSync', 'checkPrime', 'checkPrimeSync',
  'setEngine', 'secureHeapUsed', 'getFips', 'setFips',
  'KeyObject', 'Certificate', 'X509Certificate', 'Cipher', 'Cipheriv', 'Decipher', 'Decipheriv',
  'DiffieHellman', 'DiffieHellmanGroup', 'ECDH', 'Sign', 'Verify',
]) {
  // Functions, so that `x instanceof crypto.KeyObject` is false, not a throw.
  const fn = { [name]: function () { throw notSupported(name); } }[name];
  module.exports[name] = fn;
}
