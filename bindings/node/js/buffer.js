// node:buffer (https://nodejs.org/api/buffer.html). A Buffer is a Uint8Array
// whose prototype is Buffer.prototype: instances are made by FastBuffer, a
// plain subclass, so that slices, subarrays and typed-array methods make
// Buffers too. Encoding, decoding, searching, comparing and filling are done
// in Go (sockw:internal/node); this file validates arguments as Node does.
'use strict';
const internal = require('sockw:internal/node');
const {
  coded, invalidArgType, outOfRange, invalidArgValue, unknownEncoding, notSupported, validateNumber, validateInteger,
} = require('sockw:internal/node-codes');

const kMaxLength = 2 ** 32;
const kStringMaxLength = 2 ** 29 - 24;
const INSPECT_MAX_BYTES = 50;
const customInspect = Symbol.for('nodejs.util.inspect.custom');

class FastBuffer extends Uint8Array {}

// Buffer(arg, encodingOrOffset, length) is the deprecated callable form,
// kept because old packages still use it; new Buffer(...) returns the same.
function Buffer(arg, encodingOrOffset, length) {
  if (typeof arg === 'number') {
    if (typeof encodingOrOffset === 'string') throw invalidArgType('string', 'string', arg);
    return Buffer.alloc(arg);
  }
  return Buffer.from(arg, encodingOrOffset, length);
}
// The bundler may rename both functions; stack traces and inspect show these.
Object.defineProperty(Buffer, 'name', { value: 'Buffer' });
Object.defineProperty(FastBuffer, 'name', { value: 'FastBuffer' });
Object.defineProperty(Buffer, 'prototype', { value: FastBuffer.prototype, writable: false });
Object.defineProperty(FastBuffer.prototype, 'constructor', { value: Buffer, writable: true, configurable: true });
Object.setPrototypeOf(Buffer, Uint8Array);
Object.defineProperty(Buffer, Symbol.species, { get() { return FastBuffer; }, configurable: true });
Buffer.poolSize = 8 * 1024;

// --- brand checks ---------------------------------------------------------

const typedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag).get;
const arrayBufferByteLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength').get;
const sharedByteLength = typeof SharedArrayBuffer === 'function'
  ? Object.getOwnPropertyDescriptor(SharedArrayBuffer.prototype, 'byteLength').get : null;

function isUint8Array(v) { return typedArrayTag.call(v) === 'Uint8Array'; }

function isAnyArrayBuffer(v) {
  if (v === null || typeof v !== 'object') return false;
  try { arrayBufferByteLength.call(v); return true; } catch { /* not an ArrayBuffer */ }
  if (sharedByteLength) {
    try { sharedByteLength.call(v); return true; } catch { /* not a SharedArrayBuffer */ }
  }
  return false;
}

// --- encodings ------------------------------------------------------------

const encodingNames = {
  utf8: 'utf8', 'utf-8': 'utf8',
  ucs2: 'utf16le', 'ucs-2': 'utf16le', utf16le: 'utf16le', 'utf-16le': 'utf16le',
  latin1: 'latin1', binary: 'latin1',
  base64: 'base64', base64url: 'base64url', hex: 'hex', ascii: 'ascii',
};

// normalizeEncoding returns the canonical name of enc, 'utf8' for an absent
// one, and undefined for one Node does not know.
function normalizeEncoding(enc) {
  if (enc == null || enc === '') return 'utf8';
  const s = `${enc}`;
  return encodingNames[s] || encodingNames[s.toLowerCase()];
}

function encodingOrThrow(enc) {
  const name = normalizeEncoding(enc);
  if (name === undefined) throw unknownEncoding(enc);
  return name;
}

// --- construction ---------------------------------------------------------

function validateSize(size) {
  validateNumber(size, 'size', 0, kMaxLength);
}

function fromString(string, encoding) {
  const enc = typeof encoding !== 'string' || encoding.length === 0 ? 'utf8' : encodingOrThrow(encoding);
  if (string.length === 0) return new FastBuffer();
  return new FastBuffer(internal.bufferFromString(string, enc));
}

function fromArrayBuffer(ab, byteOffset, length) {
  if (byteOffset === undefined) {
    byteOffset = 0;
  } else {
    byteOffset = +byteOffset;
    if (Number.isNaN(byteOffset)) byteOffset = 0;
  }
  const maxLength = ab.byteLength - byteOffset;
  if (maxLength < 0) throw outOfBounds('offset');
  if (length === undefined) {
    length = maxLength;
  } else {
    length = +length;
    if (length > 0) {
      if (length > maxLength) throw outOfBounds('length');
    } else {
      length = 0;
    }
  }
  return new FastBuffer(ab, byteOffset, length);
}

function fromArrayLike(obj) {
  const len = obj.length;
  if (len <= 0) return new FastBuffer();
  const buf = new FastBuffer(len);
  buf.set(obj);
  return buf;
}

function fromObject(obj) {
  if (obj.length !== undefined || isAnyArrayBuffer(obj.buffer)) {
    if (typeof obj.length !== 'number') return new FastBuffer();
    return fromArrayLike(obj);
  }
  if (obj.type === 'Buffer' && Array.isArray(obj.data)) return fromArrayLike(obj.data);
  return undefined;
}

const fromExpected = ['string', 'Buffer', 'ArrayBuffer', 'Array', 'Array-like Object'];

Buffer.from = function from(value, encodingOrOffset, length) {
  if (typeof value === 'string') return fromString(value, encodingOrOffset);
  if (typeof value === 'object' && value !== null) {
    if (isAnyArrayBuffer(value)) return fromArrayBuffer(value, encodingOrOffset, length);
    const valueOf = value.valueOf && value.valueOf();
    if (valueOf != null && valueOf !== value && (typeof valueOf === 'string' || typeof valueOf === 'object')) {
      return from(valueOf, encodingOrOffset, length);
    }
    const b = fromObject(value);
    if (b) return b;
    if (typeof value[Symbol.toPrimitive] === 'function') {
      const primitive = value[Symbol.toPrimitive]('string');
      if (typeof primitive === 'string') return fromString(primitive, encodingOrOffset);
    }
  }
  throw invalidArgType('first argument', fromExpected, value);
};

Buffer.of = function of(...items) {
  const buf = new FastBuffer(items.length);
  for (let i = 0; i < items.length; i++) buf[i] = items[i];
  return buf;
};

Buffer.copyBytesFrom = function copyBytesFrom(view, offset, length) {
  if (!ArrayBuffer.isView(view) || typedArrayTag.call(view) === undefined) {
    throw invalidArgType('view', ['TypedArray'], view);
  }
  const viewLength = view.length;
  if (viewLength === 0) return new FastBuffer();
  let start = 0;
  let end = viewLength;
  if (offset !== undefined || length !== undefined) {
    if (offset !== undefined) {
      validateNumber(offset, 'offset', 0);
      if (offset >= viewLength) return new FastBuffer();
      start = offset;
    }
    if (length !== undefined) {
      validateNumber(length, 'length', 0);
      end = Math.min(start + length, viewLength);
    }
  }
  const size = view.BYTES_PER_ELEMENT;
  const bytes = new Uint8Array(view.buffer, view.byteOffset + start * size, (end - start) * size);
  return fromArrayLike(bytes);
};

Buffer.alloc = function alloc(size, fill, encoding) {
  validateSize(size);
  const buf = new FastBuffer(size);
  if (fill !== undefined && fill !== 0 && size > 0) return fillBuffer(buf, fill, 0, buf.length, encoding);
  return buf;
};

// Every Buffer sockw makes owns zeroed memory; the unsafe forms differ only
// in name, which is safe.
Buffer.allocUnsafe = function allocUnsafe(size) {
  validateSize(size);
  return new FastBuffer(size);
};

Buffer.allocUnsafeSlow = function allocUnsafeSlow(size) {
  validateSize(size);
  return new FastBuffer(size);
};

function SlowBuffer(size) {
  validateSize(size);
  return new FastBuffer(size);
}
Object.setPrototypeOf(SlowBuffer.prototype, Uint8Array.prototype);
Object.setPrototypeOf(SlowBuffer, Uint8Array);

Buffer.isBuffer = function isBuffer(b) { return b instanceof Buffer; };

Buffer.isEncoding = function isEncoding(encoding) {
  return typeof encoding === 'string' && encoding.length !== 0 && normalizeEncoding(encoding) !== undefined;
};

Buffer.byteLength = function byteLength(string, encoding) {
  if (typeof string !== 'string') {
    if (ArrayBuffer.isView(string) || isAnyArrayBuffer(string)) return string.byteLength;
    throw invalidArgType('string', ['string', 'Buffer', 'ArrayBuffer'], string);
  }
  if (string.length === 0) return 0;
  // An unknown encoding counts as UTF-8 here, as in Node.
  return internal.bufferByteLength(string, normalizeEncoding(encoding) || 'utf8');
};

Buffer.compare = function compare(buf1, buf2) {
  if (!isUint8Array(buf1)) throw invalidArgType('buf1', ['Buffer', 'Uint8Array'], buf1);
  if (!isUint8Array(buf2)) throw invalidArgType('buf2', ['Buffer', 'Uint8Array'], buf2);
  if (buf1 === buf2) return 0;
  return internal.bufferCompare(buf1, buf2);
};

Buffer.concat = function concat(list, length) {
  if (!Array.isArray(list)) throw invalidArgType('list', 'Array', list);
  if (list.length === 0) return new FastBuffer();
  if (length === undefined) {
    length = 0;
    for (let i = 0; i < list.length; i++) {
      if (list[i].length) length += list[i].length;
    }
  } else {
    validateOffset(length, 'length');
  }
  const buffer = new FastBuffer(length);
  let pos = 0;
  for (let i = 0; i < list.length; i++) {
    const buf = list[i];
    if (!isUint8Array(buf)) throw invalidArgType(`list[${i}]`, ['Buffer', 'Uint8Array'], buf);
    pos += internal.bufferCopy(buffer, buf, pos, 0, buf.length);
  }
  return buffer;
};

// --- prototype: strings ---------------------------------------------------

const proto = Buffer.prototype;

function method(name, fn) {
  Object.defineProperty(proto, name, { value: fn, writable: true, enumerable: true, configurable: true });
}

method('toString', function toString(encoding, start, end) {
  if (arguments.length === 0) return internal.bufferToString(this, 'utf8', 0, this.length);
  const len = this.length;
  if (start <= 0) start = 0;
  else if (start >= len) return '';
  else start = Math.trunc(start) || 0;
  if (end === undefined || end > len) end = len;
  else end = Math.trunc(end) || 0;
  if (end <= start) return '';
  const enc = encoding === undefined ? 'utf8' : encodingOrThrow(`${encoding}`);
  return internal.bufferToString(this, enc, start, end);
});
method('toLocaleString', proto.toString);

method('write', function write(string, offset, length, encoding) {
  if (typeof string !== 'string') throw invalidArgType('argument', 'string', string);
  if (offset === undefined) return internal.bufferWrite(this, string, 0, this.length, 'utf8');
  if (length === undefined && typeof offset === 'string') {
    encoding = offset;
    length = this.length;
    offset = 0;
  } else {
    validateOffset(offset, 'offset', 0, this.length);
    const remaining = this.length - offset;
    if (length === undefined) {
      length = remaining;
    } else if (typeof length === 'string') {
      encoding = length;
      length = remaining;
    } else {
      validateOffset(length, 'length', 0, this.length);
      if (length > remaining) length = remaining;
    }
  }
  const enc = encoding ? encodingOrThrow(encoding) : 'utf8';
  return internal.bufferWrite(this, string, offset, length, enc);
});

// The encoding-named slices and writes are not documented, but packages
// written against Node's own (ws, older drivers) call them.
for (const [name, enc] of [['utf8', 'utf8'], ['ucs2', 'utf16le'], ['latin1', 'latin1'], ['ascii', 'ascii'],
  ['base64', 'base64'], ['base64url', 'base64url'], ['hex', 'hex']]) {
  method(`${name}Slice`, function slice(start = 0, end = this.length) {
    if (start < 0 || end > this.length || start > end) throw outOfBounds();
    return internal.bufferToString(this, enc, start, end);
  });
  method(`${name}Write`, function write(string, offset = 0, length = this.length - offset) {
    if (offset > this.length) throw outOfBounds('offset');
    return internal.bufferWrite(this, `${string}`, offset, Math.min(length, this.length - offset), enc);
  });
}

method('toJSON', function toJSON() {
  return { type: 'Buffer', data: Array.prototype.slice.call(this) };
});

method('equals', function equals(otherBuffer) {
  if (!isUint8Array(otherBuffer)) throw invalidArgType('otherBuffer', ['Buffer', 'Uint8Array'], otherBuffer);
  if (this === otherBuffer) return true;
  if (this.byteLength !== otherBuffer.byteLength) return false;
  return this.byteLength === 0 || internal.bufferCompare(this, otherBuffer) === 0;
});

method('compare', function compare(target, targetStart, targetEnd, sourceStart, sourceEnd) {
  if (!isUint8Array(target)) throw invalidArgType('target', ['Buffer', 'Uint8Array'], target);
  if (arguments.length === 1) return internal.bufferCompare(this, target);
  if (targetStart === undefined) targetStart = 0;
  else validateOffset(targetStart, 'targetStart');
  if (targetEnd === undefined) targetEnd = target.length;
  else validateOffset(targetEnd, 'targetEnd', 0, target.length);
  if (sourceStart === undefined) sourceStart = 0;
  else validateOffset(sourceStart, 'sourceStart');
  if (sourceEnd === undefined) sourceEnd = this.length;
  else validateOffset(sourceEnd, 'sourceEnd', 0, this.length);
  if (sourceStart >= sourceEnd) return targetStart >= targetEnd ? 0 : -1;
  if (targetStart >= targetEnd) return 1;
  if (sourceStart > this.length) throw outOfRange('sourceStart', `<= ${this.length}`, sourceStart);
  if (targetStart > target.length) throw outOfRange('targetStart', `<= ${target.length}`, targetStart);
  return internal.bufferCompare(this, target, sourceStart, sourceEnd, targetStart, targetEnd);
});

function toInteger(n, defaultVal) {
  n = +n;
  if (!Number.isNaN(n) && n >= Number.MIN_SAFE_INTEGER && n <= Number.MAX_SAFE_INTEGER) {
    return n % 1 === 0 ? n : Math.floor(n);
  }
  return defaultVal;
}

method('copy', function copy(target, targetStart, sourceStart, sourceEnd) {
  if (!isUint8Array(target)) throw invalidArgType('target', ['Buffer', 'Uint8Array'], target);
  if (targetStart === undefined) {
    targetStart = 0;
  } else {
    targetStart = toInteger(targetStart, 0);
    if (targetStart < 0) throw outOfRange('targetStart', '>= 0', targetStart);
  }
  if (sourceStart === undefined) {
    sourceStart = 0;
  } else {
    sourceStart = toInteger(sourceStart, 0);
    if (sourceStart < 0 || sourceStart > this.length) throw outOfRange('sourceStart', `>= 0 && <= ${this.length}`, sourceStart);
  }
  if (sourceEnd === undefined) {
    sourceEnd = this.length;
  } else {
    sourceEnd = toInteger(sourceEnd, 0);
    if (sourceEnd < 0) throw outOfRange('sourceEnd', '>= 0', sourceEnd);
  }
  if (targetStart >= target.length || sourceStart >= sourceEnd) return 0;
  return internal.bufferCopy(target, this, targetStart, sourceStart, sourceEnd);
});

// slice shares memory, unlike Uint8Array's: it is Node's older subarray.
method('slice', function slice(start, end) {
  return this.subarray(start, end);
});

// --- prototype: fill and search -------------------------------------------

function fillBuffer(buf, value, offset, end, encoding) {
  let enc;
  if (typeof value === 'string') {
    if (offset === undefined || typeof offset === 'string') {
      encoding = offset;
      offset = 0;
      end = buf.length;
    } else if (typeof end === 'string') {
      encoding = end;
      end = buf.length;
    }
    enc = normalizeEncoding(encoding);
    if (enc === undefined) {
      if (typeof encoding !== 'string') throw invalidArgType('encoding', 'string', encoding);
      throw unknownEncoding(encoding);
    }
    if (value.length === 0) {
      value = 0;
    } else if (value.length === 1) {
      const code = value.charCodeAt(0);
      if ((enc === 'utf8' && code < 128) || enc === 'latin1') value = code;
    }
  }
  if (offset === undefined) {
    offset = 0;
    end = buf.length;
  } else {
    validateOffset(offset, 'offset');
    if (end === undefined) end = buf.length;
    else validateOffset(end, 'end', 0, buf.length);
    if (offset >= end) return buf;
  }
  if (typeof value === 'number') {
    if (offset > end || end > buf.length) throw outOfBounds();
    Uint8Array.prototype.fill.call(buf, value, offset, end);
    return buf;
  }
  let pattern;
  if (typeof value === 'string') pattern = new Uint8Array(internal.bufferFromString(value, enc));
  else if (ArrayBuffer.isView(value)) pattern = value;
  else {
    Uint8Array.prototype.fill.call(buf, Number(value) & 255, offset, end);
    return buf;
  }
  if (pattern.byteLength === 0) throw invalidArgValue('value', value);
  if (end > buf.length) throw outOfBounds();
  internal.bufferFill(buf, ArrayBuffer.isView(pattern) && !(pattern instanceof Uint8Array)
    ? new Uint8Array(pattern.buffer, pattern.byteOffset, pattern.byteLength) : pattern, offset, end);
  return buf;
}

method('fill', function fill(value, offset, end, encoding) {
  return fillBuffer(this, value, offset, end, encoding);
});

const oneByte = new Uint8Array(1);

// searchOffset resolves byteOffset as Node's IndexOfOffset does, or returns
// null when nothing can match.
function searchOffset(length, offset, needleLength, forward) {
  if (offset < 0) {
    if (offset + length >= 0) return length + offset;
    if (forward || needleLength === 0) return 0;
    return null;
  }
  if (offset + needleLength <= length) return offset;
  if (needleLength === 0) return length;
  if (forward) return null;
  return length - 1;
}

function indexOf(buf, val, byteOffset, encoding, forward) {
  if (typeof byteOffset === 'string') {
    encoding = byteOffset;
    byteOffset = undefined;
  } else if (byteOffset > 0x7fffffff) {
    byteOffset = 0x7fffffff;
  } else if (byteOffset < -0x80000000) {
    byteOffset = -0x80000000;
  }
  byteOffset = +byteOffset;
  if (Number.isNaN(byteOffset)) byteOffset = forward ? 0 : buf.length;
  byteOffset = Math.trunc(byteOffset);
  let needle;
  let ucs2 = false;
  if (typeof val === 'number') {
    oneByte[0] = val >>> 0;
    needle = oneByte;
  } else {
    const enc = encoding === undefined ? 'utf8' : normalizeEncoding(encoding);
    if (typeof val === 'string') {
      if (enc === undefined) throw unknownEncoding(encoding);
      needle = new Uint8Array(internal.bufferFromString(val, enc));
      ucs2 = enc === 'utf16le';
    } else if (isUint8Array(val)) {
      needle = val;
      ucs2 = enc === 'utf16le';
    } else {
      throw invalidArgType('value', ['number', 'string', 'Buffer', 'Uint8Array'], val);
    }
  }
  const from = searchOffset(buf.length, byteOffset, needle.length, forward);
  if (from === null) return -1;
  if (needle.length === 0) return from;
  if (buf.length === 0) return -1;
  return internal.bufferIndexOf(buf, needle, from, ucs2, forward);
}

method('indexOf', function indexOf_(val, byteOffset, encoding) {
  return indexOf(this, val, byteOffset, encoding, true);
});
method('lastIndexOf', function lastIndexOf(val, byteOffset, encoding) {
  return indexOf(this, val, byteOffset, encoding, false);
});
method('includes', function includes(val, byteOffset, encoding) {
  return indexOf(this, val, byteOffset, encoding, true) !== -1;
});

// --- prototype: byte order ------------------------------------------------

for (const bits of [16, 32, 64]) {
  method(`swap${bits}`, function swap() {
    if (this.length % (bits / 8) !== 0) {
      throw coded(RangeError, 'ERR_INVALID_BUFFER_SIZE', `Buffer size must be a multiple of ${bits}-bits`);
    }
    internal.bufferSwap(this, bits / 8);
    return this;
  });
}

// --- prototype: numbers ---------------------------------------------------

function outOfBounds(name) {
  return coded(RangeError, 'ERR_BUFFER_OUT_OF_BOUNDS',
    name ? `"${name}" is outside of buffer bounds` : 'Attempt to access memory outside buffer bounds');
}

// validateOffset is Node's: an integer index, by default within any buffer.
function validateOffset(value, name, min = 0, max = kMaxLength) {
  validateInteger(value, name, min, max);
}

function boundsError(value, length, type) {
  if (Math.floor(value) !== value) {
    validateNumber(value, type || 'offset');
    throw outOfRange(type || 'offset', 'an integer', value);
  }
  if (length < 0) throw outOfBounds();
  throw outOfRange(type || 'offset', `>= ${type ? 1 : 0} and <= ${length}`, value);
}

// checkOffset validates a read or write of width bytes at offset.
function checkOffset(buf, offset, width) {
  if (typeof offset !== 'number') throw invalidArgType('offset', 'number', offset);
  if (!(offset >= 0 && offset + width <= buf.length && Math.floor(offset) === offset)) {
    boundsError(offset, buf.length - width);
  }
}

function checkByteLength(byteLength) {
  if (typeof byteLength !== 'number') throw invalidArgType('byteLength', 'number', byteLength);
  if (!(byteLength >= 1 && byteLength <= 6) || Math.floor(byteLength) !== byteLength) {
    boundsError(byteLength, 6, 'byteLength');
  }
}

function checkValue(value, min, max, width) {
  if (value > max || value < min) {
    const n = typeof min === 'bigint' ? 'n' : '';
    let range;
    if (width > 4) {
      if (min === 0 || min === 0n) range = `>= 0${n} and < 2${n} ** ${width * 8}${n}`;
      else range = `>= -(2${n} ** ${width * 8 - 1}${n}) and < 2${n} ** ${width * 8 - 1}${n}`;
    } else {
      range = `>= ${min}${n} and <= ${max}${n}`;
    }
    throw outOfRange('value', range, value);
  }
}

// readUnsigned reads width bytes as an unsigned integer; width is at most 6,
// so the value stays exact in a double.
// readUnsigned and writeUnsigned take 1-, 2- and 4-byte integers with bit
// operations: drivers frame every message with them, and the general loop
// costs three times as much in goja.
function readUnsigned(buf, offset, width, littleEndian) {
  switch (width) {
    case 1:
      return buf[offset];
    case 2:
      return littleEndian ? buf[offset] | (buf[offset + 1] << 8) : (buf[offset] << 8) | buf[offset + 1];
    case 4:
      return (littleEndian
        ? buf[offset] | (buf[offset + 1] << 8) | (buf[offset + 2] << 16) | (buf[offset + 3] << 24)
        : (buf[offset] << 24) | (buf[offset + 1] << 16) | (buf[offset + 2] << 8) | buf[offset + 3]) >>> 0;
  }
  let v = 0;
  if (littleEndian) {
    for (let i = width - 1; i >= 0; i--) v = v * 256 + buf[offset + i];
  } else {
    for (let i = 0; i < width; i++) v = v * 256 + buf[offset + i];
  }
  return v;
}

function writeUnsigned(buf, value, offset, width, littleEndian) {
  if (width <= 4) {
    // value is a checked integer in [0, 2 ** 32): >>> keeps it exact.
    let v = value >>> 0;
    for (let i = 0; i < width; i++) {
      buf[littleEndian ? offset + i : offset + width - 1 - i] = v & 255;
      v >>>= 8;
    }
    return offset + width;
  }
  for (let i = 0; i < width; i++) {
    const byte = value % 256;
    buf[littleEndian ? offset + i : offset + width - 1 - i] = byte;
    value = (value - byte) / 256;
  }
  return offset + width;
}

function defineInt(width, signed, littleEndian, name) {
  const max = signed ? 2 ** (width * 8 - 1) - 1 : 2 ** (width * 8) - 1;
  const min = signed ? -(2 ** (width * 8 - 1)) : 0;
  const wrap = 2 ** (width * 8);
  method(`read${name}`, function read(offset = 0) {
    checkOffset(this, offset, width);
    const v = readUnsigned(this, offset, width, littleEndian);
    return signed && v > max ? v - wrap : v;
  });
  method(`write${name}`, function write(value, offset = 0) {
    value = +value;
    checkValue(value, min, max, width);
    checkOffset(this, offset, width);
    return writeUnsigned(this, value < 0 ? value + wrap : value, offset, width, littleEndian);
  });
}

for (const [width, suffixes] of [[1, ['']], [2, ['LE', 'BE']], [4, ['LE', 'BE']]]) {
  for (const suffix of suffixes) {
    defineInt(width, false, suffix === 'LE', `UInt${width * 8}${suffix}`);
    defineInt(width, true, suffix === 'LE', `Int${width * 8}${suffix}`);
  }
}

for (const suffix of ['LE', 'BE']) {
  const littleEndian = suffix === 'LE';
  for (const signed of [false, true]) {
    method(`read${signed ? 'Int' : 'UInt'}${suffix}`, function read(offset, byteLength) {
      checkByteLength(byteLength);
      checkOffset(this, offset, byteLength);
      const v = readUnsigned(this, offset, byteLength, littleEndian);
      return signed && v >= 2 ** (byteLength * 8 - 1) ? v - 2 ** (byteLength * 8) : v;
    });
    method(`write${signed ? 'Int' : 'UInt'}${suffix}`, function write(value, offset, byteLength) {
      checkByteLength(byteLength);
      value = +value;
      const bits = byteLength * 8;
      checkValue(value, signed ? -(2 ** (bits - 1)) : 0, signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1, byteLength);
      checkOffset(this, offset, byteLength);
      return writeUnsigned(this, value < 0 ? value + 2 ** bits : value, offset, byteLength, littleEndian);
    });
  }
}

// Floats go through one scratch buffer: its bytes are copied in or out.
const scratch = new ArrayBuffer(8);
const scratchBytes = new Uint8Array(scratch);
const scratchF32 = new Float32Array(scratch);
const scratchF64 = new Float64Array(scratch);
const hostLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function defineFloat(width, littleEndian, name) {
  const view = width === 4 ? scratchF32 : scratchF64;
  const swap = littleEndian !== hostLittleEndian;
  method(`read${name}`, function read(offset = 0) {
    checkOffset(this, offset, width);
    for (let i = 0; i < width; i++) scratchBytes[swap ? width - 1 - i : i] = this[offset + i];
    return view[0];
  });
  method(`write${name}`, function write(value, offset = 0) {
    value = +value;
    checkOffset(this, offset, width);
    view[0] = value;
    for (let i = 0; i < width; i++) this[offset + i] = scratchBytes[swap ? width - 1 - i : i];
    return offset + width;
  });
}
defineFloat(4, true, 'FloatLE');
defineFloat(4, false, 'FloatBE');
defineFloat(8, true, 'DoubleLE');
defineFloat(8, false, 'DoubleBE');

function defineBigInt(signed, littleEndian, name) {
  const min = signed ? -(2n ** 63n) : 0n;
  const max = signed ? 2n ** 63n - 1n : 2n ** 64n - 1n;
  method(`read${name}`, function read(offset = 0) {
    checkOffset(this, offset, 8);
    const lo = readUnsigned(this, littleEndian ? offset : offset + 4, 4, littleEndian);
    const hi = readUnsigned(this, littleEndian ? offset + 4 : offset, 4, littleEndian);
    const v = (BigInt(hi) << 32n) | BigInt(lo);
    return signed ? BigInt.asIntN(64, v) : v;
  });
  method(`write${name}`, function write(value, offset = 0) {
    checkValue(value, min, max, 8);
    checkOffset(this, offset, 8);
    const u = BigInt.asUintN(64, value);
    const lo = Number(u & 0xffffffffn);
    const hi = Number(u >> 32n);
    writeUnsigned(this, lo, littleEndian ? offset : offset + 4, 4, littleEndian);
    writeUnsigned(this, hi, littleEndian ? offset + 4 : offset, 4, littleEndian);
    return offset + 8;
  });
}
defineBigInt(true, true, 'BigInt64LE');
defineBigInt(true, false, 'BigInt64BE');
defineBigInt(false, true, 'BigUInt64LE');
defineBigInt(false, false, 'BigUInt64BE');

// Node spells unsigned both ways: readUint8 is readUInt8.
for (const name of Object.getOwnPropertyNames(proto)) {
  const m = /^(read|write)(Big)?UInt(.*)$/.exec(name);
  if (m) method(`${m[1]}${m[2] || ''}Uint${m[3]}`, proto[name]);
}

// --- prototype: the rest --------------------------------------------------

// parent and offset are the deprecated names of buffer and byteOffset.
Object.defineProperty(proto, 'parent', {
  get() { return this instanceof Buffer ? this.buffer : undefined; }, enumerable: true, configurable: true,
});
Object.defineProperty(proto, 'offset', {
  get() { return this instanceof Buffer ? this.byteOffset : undefined; }, enumerable: true, configurable: true,
});

// util.inspect and console.log show a Buffer as <Buffer 68 69>.
Object.defineProperty(proto, customInspect, {
  value: function inspect() {
    const max = module.exports.INSPECT_MAX_BYTES;
    const shown = Math.min(max, this.length);
    let str = internal.bufferToString(this, 'hex', 0, shown).replace(/(.{2})/g, '$1 ').trim();
    const remaining = this.length - max;
    if (remaining > 0) str += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
    return `<${this.constructor.name} ${str}>`;
  },
  writable: true, configurable: true,
});

// --- module functions -----------------------------------------------------

// transcode re-encodes between the encodings Buffer itself speaks; Node's
// ICU-backed version supports the same set.
function transcode(source, fromEnc, toEnc) {
  if (!isUint8Array(source)) throw invalidArgType('source', ['Buffer', 'Uint8Array'], source);
  const transcodable = ['ascii', 'latin1', 'utf16le', 'utf8'];
  const from = normalizeEncoding(fromEnc);
  const to = normalizeEncoding(toEnc);
  if (!transcodable.includes(from) || !transcodable.includes(to)) {
    const err = new Error(`Unable to transcode Buffer [U_ILLEGAL_ARGUMENT_ERROR]`);
    err.code = 'U_ILLEGAL_ARGUMENT_ERROR';
    err.errno = 1;
    throw err;
  }
  if (source.length === 0) return new FastBuffer();
  let str = internal.bufferToString(source, from, 0, source.length);
  // Characters the target cannot hold become '?', as ICU substitutes them.
  if (to === 'ascii') str = str.replace(/[^\x00-\x7f]/g, '?');
  else if (to === 'latin1') str = str.replace(/[^\x00-\xff]/g, '?');
  return new FastBuffer(internal.bufferFromString(str, to));
}

function isUtf8(input) {
  return internal.bufferIsUTF8(viewOf(input, 'input'));
}

function isAscii(input) {
  return internal.bufferIsASCII(viewOf(input, 'input'));
}

function viewOf(input, name) {
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (isAnyArrayBuffer(input)) return new Uint8Array(input);
  throw invalidArgType(name, ['ArrayBuffer', 'Buffer', 'TypedArray'], input);
}

module.exports = {
  Buffer,
  SlowBuffer,
  transcode,
  isUtf8,
  isAscii,
  kMaxLength,
  kStringMaxLength,
  constants: { MAX_LENGTH: kMaxLength, MAX_STRING_LENGTH: kStringMaxLength },
  INSPECT_MAX_BYTES,
  atob: globalThis.atob,
  btoa: globalThis.btoa,
  resolveObjectURL() { throw notSupported('buffer.resolveObjectURL'); },
};
if (typeof globalThis.Blob === 'function') module.exports.Blob = globalThis.Blob;
if (typeof globalThis.File === 'function') module.exports.File = globalThis.File;
