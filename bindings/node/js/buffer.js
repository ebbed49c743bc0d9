// node:buffer: Buffer, Node's Uint8Array subclass, with its encodings and
// byte helpers; the encoding, searching and filling run in Go.
'use strict';
const internal = require('sockw:internal/node');

const kMaxLength = 2 ** 32;
const kStringMaxLength = 2 ** 29 - 24;
const encodings = new Set(['utf8', 'utf-8', 'hex', 'base64', 'base64url', 'latin1', 'binary', 'ascii', 'ucs2', 'ucs-2', 'utf16le', 'utf-16le']);

function nodeError(Ctor, code, message) {
  const err = new Ctor(message);
  err.code = code;
  return err;
}

function typeName(v) {
  if (v === null) return 'null';
  if (typeof v === 'object' || typeof v === 'function') {
    return v.constructor && v.constructor.name ? `an instance of ${v.constructor.name}` : 'an object';
  }
  return `type ${typeof v} (${typeof v === 'string' ? `'${v.slice(0, 25)}'` : String(v)})`;
}

function invalidArgType(name, expected, value) {
  return nodeError(TypeError, 'ERR_INVALID_ARG_TYPE', `The "${name}" argument must be ${expected}. Received ${typeName(value)}`);
}

function outOfRange(name, range, value) {
  return nodeError(RangeError, 'ERR_OUT_OF_RANGE', `The value of "${name}" is out of range. It must be ${range}. Received ${value}`);
}

// normalizeEncoding returns Node's name for enc, or undefined if unknown.
function normalizeEncoding(enc) {
  if (enc === undefined || enc === null || enc === '') return 'utf8';
  const e = String(enc).toLowerCase();
  if (!encodings.has(e)) return undefined;
  switch (e) {
    case 'utf-8': return 'utf8';
    case 'binary': return 'latin1';
    case 'ucs2': case 'ucs-2': case 'utf-16le': return 'utf16le';
  }
  return e;
}

function getEncoding(enc) {
  const e = normalizeEncoding(enc);
  if (e === undefined) throw nodeError(TypeError, 'ERR_UNKNOWN_ENCODING', `Unknown encoding: ${enc}`);
  return e;
}

class FastBuffer extends Uint8Array {}

function wrap(arrayBuffer, byteOffset, length) {
  return new FastBuffer(arrayBuffer, byteOffset, length);
}

function checkSize(size) {
  if (typeof size !== 'number') throw invalidArgType('size', 'of type number', size);
  if (!(size >= 0 && size <= kMaxLength)) throw outOfRange('size', `>= 0 && <= ${kMaxLength}`, size);
}

// Buffer(arg, encodingOrOffset, length): the deprecated call form, and the
// constructor TypedArray methods use for species (slice, subarray, map).
function Buffer(arg, encodingOrOffset, length) {
  if (typeof arg === 'number') {
    if (typeof encodingOrOffset === 'string') {
      throw invalidArgType('string', 'of type string', arg);
    }
    checkSize(arg);
    return new FastBuffer(arg);
  }
  return Buffer.from(arg, encodingOrOffset, length);
}
Buffer.prototype = FastBuffer.prototype;
Object.defineProperty(FastBuffer.prototype, 'constructor', { value: Buffer, writable: true, configurable: true });
Object.setPrototypeOf(Buffer, Uint8Array);
Object.defineProperty(Buffer, Symbol.species, { get() { return FastBuffer; }, configurable: true });
Buffer.poolSize = 8 * 1024;

function fromString(string, encoding) {
  return wrap(internal.bufferDecode(string, getEncoding(encoding)));
}

function fromArrayLike(obj) {
  const b = new FastBuffer(obj.length >>> 0);
  for (let i = 0; i < b.length; i++) b[i] = obj[i];
  return b;
}

Buffer.from = function from(value, encodingOrOffset, length) {
  if (typeof value === 'string') return fromString(value, encodingOrOffset);
  if (typeof value === 'object' && value !== null) {
    if (value instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer)) {
      const offset = encodingOrOffset === undefined ? 0 : +encodingOrOffset || 0;
      if (offset > value.byteLength) throw nodeError(RangeError, 'ERR_BUFFER_OUT_OF_BOUNDS', '"offset" is outside of buffer bounds');
      const max = value.byteLength - offset;
      let len = length === undefined ? max : +length || 0;
      if (len > max) throw nodeError(RangeError, 'ERR_BUFFER_OUT_OF_BOUNDS', '"length" is outside of buffer bounds');
      if (len < 0) len = 0;
      return wrap(value, offset, len);
    }
    if (value instanceof Uint8Array) {
      const b = new FastBuffer(value.length);
      b.set(value);
      return b;
    }
    const prim = typeof value[Symbol.toPrimitive] === 'function' ? value[Symbol.toPrimitive]('string') : value.valueOf();
    if (prim != null && prim !== value) return Buffer.from(prim, encodingOrOffset, length);
    if (typeof value.length === 'number' || Array.isArray(value)) return fromArrayLike(value);
    if (value.type === 'Buffer' && Array.isArray(value.data)) return fromArrayLike(value.data);
  }
  throw invalidArgType('first argument', 'of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object', value);
};

Buffer.of = function of(...items) {
  return fromArrayLike(items);
};

Buffer.alloc = function alloc(size, fill, encoding) {
  checkSize(size);
  const b = new FastBuffer(size);
  if (fill !== undefined && fill !== 0 && size > 0) b.fill(fill, encoding);
  return b;
};

Buffer.allocUnsafe = function allocUnsafe(size) {
  checkSize(size);
  return new FastBuffer(size);
};
Buffer.allocUnsafeSlow = Buffer.allocUnsafe;

Buffer.isBuffer = function isBuffer(b) {
  return b instanceof Buffer;
};

Buffer.isEncoding = function isEncoding(enc) {
  return typeof enc === 'string' && enc.length !== 0 && normalizeEncoding(enc) !== undefined;
};

Buffer.byteLength = function byteLength(string, encoding) {
  if (typeof string !== 'string') {
    if (ArrayBuffer.isView(string) || string instanceof ArrayBuffer) return string.byteLength;
    throw invalidArgType('string', 'of type string or an instance of Buffer or ArrayBuffer', string);
  }
  return internal.bufferByteLength(string, normalizeEncoding(encoding) || 'utf8');
};

function checkUint8(name, v) {
  if (!(v instanceof Uint8Array)) throw invalidArgType(name, 'an instance of Buffer or Uint8Array', v);
}

Buffer.compare = function compare(a, b) {
  checkUint8('buf1', a);
  checkUint8('buf2', b);
  return internal.bufferCompare(a, b);
};

Buffer.concat = function concat(list, totalLength) {
  if (!Array.isArray(list)) throw invalidArgType('list', 'an instance of Array', list);
  if (list.length === 0) return new FastBuffer(0);
  if (totalLength === undefined) {
    totalLength = 0;
    for (let i = 0; i < list.length; i++) {
      checkUint8(`list[${i}]`, list[i]);
      totalLength += list[i].length;
    }
  }
  const out = new FastBuffer(totalLength);
  let pos = 0;
  for (let i = 0; i < list.length && pos < totalLength; i++) {
    const b = list[i];
    checkUint8(`list[${i}]`, b);
    const n = Math.min(b.length, totalLength - pos);
    out.set(n === b.length ? b : b.subarray(0, n), pos);
    pos += n;
  }
  return out;
};

const proto = FastBuffer.prototype;

function clamp(v, len, dflt) {
  if (v === undefined) return dflt;
  v = Math.trunc(+v) || 0;
  if (v < 0) return 0;
  return v > len ? len : v;
}

proto.toString = function toString(encoding, start, end) {
  if (arguments.length === 0) return internal.bufferEncode(this, 'utf8', 0, this.length);
  const len = this.length;
  start = clamp(start, len, 0);
  end = clamp(end, len, len);
  if (end <= start) return '';
  return internal.bufferEncode(this, getEncoding(encoding), start, end);
};
proto.toLocaleString = proto.toString;

proto.equals = function equals(other) {
  checkUint8('otherBuffer', other);
  if (this === other) return true;
  return this.length === other.length && internal.bufferCompare(this, other) === 0;
};

proto.compare = function compare(target, targetStart, targetEnd, sourceStart, sourceEnd) {
  checkUint8('target', target);
  targetStart = targetStart === undefined ? 0 : targetStart;
  targetEnd = targetEnd === undefined ? target.length : targetEnd;
  sourceStart = sourceStart === undefined ? 0 : sourceStart;
  sourceEnd = sourceEnd === undefined ? this.length : sourceEnd;
  if (targetStart < 0 || targetEnd > target.length) throw outOfRange('targetStart', `>= 0 and <= ${target.length}`, targetStart);
  if (sourceStart < 0 || sourceEnd > this.length) throw outOfRange('sourceStart', `>= 0 and <= ${this.length}`, sourceStart);
  return internal.bufferCompare(this.subarray(sourceStart, Math.max(sourceStart, sourceEnd)), target.subarray(targetStart, Math.max(targetStart, targetEnd)));
};

proto.copy = function copy(target, targetStart, sourceStart, sourceEnd) {
  checkUint8('target', target);
  targetStart = clamp(targetStart, target.length, 0);
  sourceStart = sourceStart === undefined ? 0 : Math.trunc(+sourceStart) || 0;
  if (sourceStart < 0) throw outOfRange('sourceStart', `>= 0 && <= ${this.length}`, sourceStart);
  sourceEnd = clamp(sourceEnd, this.length, this.length);
  if (sourceStart >= sourceEnd || targetStart >= target.length) return 0;
  const n = Math.min(sourceEnd - sourceStart, target.length - targetStart);
  target.set(this.subarray(sourceStart, sourceStart + n), targetStart);
  return n;
};

proto.fill = function fill(value, offset, end, encoding) {
  if (typeof offset === 'string') {
    encoding = offset;
    offset = 0;
    end = this.length;
  } else if (typeof end === 'string') {
    encoding = end;
    end = this.length;
  }
  offset = offset === undefined ? 0 : offset;
  end = end === undefined ? this.length : end;
  if (offset < 0 || offset > this.length) throw outOfRange('offset', `>= 0 && <= ${this.length}`, offset);
  if (end < 0 || end > this.length) throw outOfRange('end', `>= 0 && <= ${this.length}`, end);
  if (end <= offset) return this;
  if (typeof value === 'number' || typeof value === 'boolean') {
    Uint8Array.prototype.fill.call(this, Number(value) & 255, offset, end);
    return this;
  }
  let pattern;
  if (typeof value === 'string') {
    const enc = getEncoding(encoding);
    if (value.length === 0) {
      Uint8Array.prototype.fill.call(this, 0, offset, end);
      return this;
    }
    pattern = fromString(value, enc);
    if (pattern.length === 0) throw nodeError(TypeError, 'ERR_INVALID_ARG_VALUE', `The argument 'value' is invalid. Received '${value}'`);
  } else if (value instanceof Uint8Array) {
    pattern = value;
  } else if (ArrayBuffer.isView(value)) {
    pattern = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  } else {
    Uint8Array.prototype.fill.call(this, Number(value) & 255, offset, end);
    return this;
  }
  internal.bufferFill(this, pattern, offset, end);
  return this;
};

function needleOf(value, encoding) {
  if (typeof value === 'string') return fromString(value, encoding);
  if (value instanceof Uint8Array) return value;
  throw invalidArgType('value', 'one of type number or string or an instance of Buffer or Uint8Array', value);
}

function indexOf(buf, value, byteOffset, encoding, last) {
  if (typeof byteOffset === 'string') {
    encoding = byteOffset;
    byteOffset = undefined;
  }
  let from = byteOffset === undefined ? (last ? buf.length : 0) : Math.trunc(+byteOffset);
  if (Number.isNaN(from)) from = last ? buf.length : 0;
  if (from < 0) from += buf.length;
  if (from < 0) {
    if (last) return -1;
    from = 0;
  }
  if (typeof value === 'number') {
    const b = value & 255;
    if (last) {
      for (let i = Math.min(from, buf.length - 1); i >= 0; i--) if (buf[i] === b) return i;
      return -1;
    }
    return Uint8Array.prototype.indexOf.call(buf, b, from);
  }
  const needle = needleOf(value, getEncoding(encoding));
  if (needle.length === 0) return from > buf.length ? buf.length : from;
  return internal.bufferIndexOf(buf, needle, from, last);
}

proto.indexOf = function (value, byteOffset, encoding) { return indexOf(this, value, byteOffset, encoding, false); };
proto.lastIndexOf = function (value, byteOffset, encoding) { return indexOf(this, value, byteOffset, encoding, true); };
proto.includes = function (value, byteOffset, encoding) { return indexOf(this, value, byteOffset, encoding, false) !== -1; };

proto.slice = function slice(start, end) {
  return this.subarray(start, end);
};

proto.toJSON = function toJSON() {
  return { type: 'Buffer', data: Array.from(this) };
};

proto.write = function write(string, offset, length, encoding) {
  if (typeof string !== 'string') throw invalidArgType('argument', 'of type string', string);
  if (typeof offset === 'string') {
    encoding = offset;
    offset = 0;
    length = this.length;
  } else if (typeof length === 'string') {
    encoding = length;
    length = this.length - (offset >>> 0);
  }
  offset = offset === undefined ? 0 : offset;
  if (offset < 0 || offset > this.length) throw outOfRange('offset', `>= 0 && <= ${this.length}`, offset);
  const room = this.length - offset;
  length = length === undefined ? room : Math.min(length, room);
  if (length < 0) throw outOfRange('length', `>= 0 && <= ${room}`, length);
  return internal.bufferWrite(this, string, offset, length, getEncoding(encoding));
};

function swap(buf, size) {
  if (buf.length % size !== 0) {
    throw nodeError(RangeError, 'ERR_INVALID_BUFFER_SIZE', `Buffer size must be a multiple of ${size * 8}-bits`);
  }
  for (let i = 0; i < buf.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = buf[a];
      buf[a] = buf[b];
      buf[b] = t;
    }
  }
  return buf;
}
proto.swap16 = function () { return swap(this, 2); };
proto.swap32 = function () { return swap(this, 4); };
proto.swap64 = function () { return swap(this, 8); };

// --- numbers -------------------------------------------------------------

function checkOffset(buf, offset, size) {
  if (offset === undefined) offset = 0;
  if (typeof offset !== 'number') throw invalidArgType('offset', 'of type number', offset);
  if (!Number.isInteger(offset)) throw outOfRange('offset', 'an integer', offset);
  if (offset < 0 || offset + size > buf.length) {
    if (buf.length - size < 0) throw nodeError(RangeError, 'ERR_BUFFER_OUT_OF_BOUNDS', 'Attempt to access memory outside buffer bounds');
    throw outOfRange('offset', `>= 0 and <= ${buf.length - size}`, offset);
  }
  return offset;
}

function checkByteLength(byteLength) {
  if (typeof byteLength !== 'number') throw invalidArgType('byteLength', 'of type number', byteLength);
  if (!Number.isInteger(byteLength) || byteLength < 1 || byteLength > 6) throw outOfRange('byteLength', '>= 1 and <= 6', byteLength);
}

function checkInt(value, min, max, name = 'value') {
  if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value);
  if (value > max || value < min || Number.isNaN(value)) {
    throw outOfRange(name, `>= ${min} and <= ${max}`, value);
  }
}

function dv(buf) {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

const numeric = [
  // name, size, DataView getter/setter, little endian, min, max
  ['UInt8', 1, 'Uint8', false, 0, 255],
  ['Int8', 1, 'Int8', false, -128, 127],
  ['UInt16LE', 2, 'Uint16', true, 0, 0xffff],
  ['UInt16BE', 2, 'Uint16', false, 0, 0xffff],
  ['Int16LE', 2, 'Int16', true, -0x8000, 0x7fff],
  ['Int16BE', 2, 'Int16', false, -0x8000, 0x7fff],
  ['UInt32LE', 4, 'Uint32', true, 0, 0xffffffff],
  ['UInt32BE', 4, 'Uint32', false, 0, 0xffffffff],
  ['Int32LE', 4, 'Int32', true, -0x80000000, 0x7fffffff],
  ['Int32BE', 4, 'Int32', false, -0x80000000, 0x7fffffff],
  ['FloatLE', 4, 'Float32', true],
  ['FloatBE', 4, 'Float32', false],
  ['DoubleLE', 8, 'Float64', true],
  ['DoubleBE', 8, 'Float64', false],
  ['BigInt64LE', 8, 'BigInt64', true, -(2n ** 63n), 2n ** 63n - 1n],
  ['BigInt64BE', 8, 'BigInt64', false, -(2n ** 63n), 2n ** 63n - 1n],
  ['BigUInt64LE', 8, 'BigUint64', true, 0n, 2n ** 64n - 1n],
  ['BigUInt64BE', 8, 'BigUint64', false, 0n, 2n ** 64n - 1n],
];

for (const [name, size, kind, le, min, max] of numeric) {
  const get = DataView.prototype['get' + kind];
  const set = DataView.prototype['set' + kind];
  const isBig = kind.startsWith('Big');
  const isFloat = kind.startsWith('Float');
  // 8-, 16- and 32-bit integers by byte arithmetic: drivers read and write
  // them for every message, and a DataView per call costs more than this.
  const read = function (offset) {
    offset = checkOffset(this, offset, size);
    switch (kind) {
      case 'Uint8': return this[offset];
      case 'Int8': return (this[offset] << 24) >> 24;
      case 'Uint16': return le ? this[offset] | (this[offset + 1] << 8) : (this[offset] << 8) | this[offset + 1];
      case 'Int16': {
        const v = le ? this[offset] | (this[offset + 1] << 8) : (this[offset] << 8) | this[offset + 1];
        return (v << 16) >> 16;
      }
      case 'Uint32': case 'Int32': {
        const v = le
          ? this[offset] | (this[offset + 1] << 8) | (this[offset + 2] << 16) | (this[offset + 3] << 24)
          : (this[offset] << 24) | (this[offset + 1] << 16) | (this[offset + 2] << 8) | this[offset + 3];
        return kind === 'Int32' ? v : v >>> 0;
      }
    }
    return get.call(dv(this), offset, le);
  };
  const write = function (value, offset) {
    if (isBig) {
      if (typeof value !== 'bigint') throw invalidArgType('value', 'of type bigint', value);
      if (value < min || value > max) throw outOfRange('value', `>= ${min}n and <= ${max}n`, value + 'n');
    } else if (!isFloat) {
      checkInt(value, min, max);
    } else if (typeof value !== 'number') {
      throw invalidArgType('value', 'of type number', value);
    }
    offset = checkOffset(this, offset, size);
    if (isBig || isFloat) {
      set.call(dv(this), offset, value, le);
      return offset + size;
    }
    for (let i = 0; i < size; i++) {
      this[le ? offset + i : offset + size - 1 - i] = value & 255;
      value >>= 8;
    }
    return offset + size;
  };
  proto['read' + name] = read;
  proto['write' + name] = write;
  if (name.includes('UInt')) {
    proto['read' + name.replace('UInt', 'Uint')] = read;
    proto['write' + name.replace('UInt', 'Uint')] = write;
  }
}

function readVar(buf, offset, byteLength, le, signed) {
  checkByteLength(byteLength);
  offset = checkOffset(buf, offset, byteLength);
  let v = 0;
  let mul = 1;
  for (let i = 0; i < byteLength; i++) {
    v += buf[le ? offset + i : offset + byteLength - 1 - i] * mul;
    mul *= 256;
  }
  if (signed && v >= mul / 2) v -= mul;
  return v;
}

function writeVar(buf, value, offset, byteLength, le, signed) {
  checkByteLength(byteLength);
  const range = 2 ** (8 * byteLength);
  if (signed) checkInt(value, -range / 2, range / 2 - 1);
  else checkInt(value, 0, range - 1);
  offset = checkOffset(buf, offset, byteLength);
  let v = value < 0 ? value + range : value;
  for (let i = 0; i < byteLength; i++) {
    buf[le ? offset + i : offset + byteLength - 1 - i] = v % 256;
    v = Math.floor(v / 256);
  }
  return offset + byteLength;
}

proto.readUIntLE = proto.readUintLE = function (offset, byteLength) { return readVar(this, offset, byteLength, true, false); };
proto.readUIntBE = proto.readUintBE = function (offset, byteLength) { return readVar(this, offset, byteLength, false, false); };
proto.readIntLE = function (offset, byteLength) { return readVar(this, offset, byteLength, true, true); };
proto.readIntBE = function (offset, byteLength) { return readVar(this, offset, byteLength, false, true); };
proto.writeUIntLE = proto.writeUintLE = function (value, offset, byteLength) { return writeVar(this, value, offset, byteLength, true, false); };
proto.writeUIntBE = proto.writeUintBE = function (value, offset, byteLength) { return writeVar(this, value, offset, byteLength, false, false); };
proto.writeIntLE = function (value, offset, byteLength) { return writeVar(this, value, offset, byteLength, true, true); };
proto.writeIntBE = function (value, offset, byteLength) { return writeVar(this, value, offset, byteLength, false, true); };

// --- encoding-named shorthands, inspection -----------------------------

for (const enc of ['utf8', 'hex', 'base64', 'base64url', 'latin1', 'ascii', 'ucs2', 'utf16le']) {
  proto[enc + 'Slice'] = function (start, end) { return this.toString(enc, start, end); };
  proto[enc + 'Write'] = function (string, offset, length) { return this.write(string, offset, length, enc); };
}

const INSPECT_MAX_BYTES = 50;
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');
proto[inspectSymbol] = function inspect() {
  const hex = internal.bufferEncode(this, 'hex', 0, Math.min(this.length, INSPECT_MAX_BYTES)).replace(/(.{2})/g, '$1 ').trim();
  const more = this.length > INSPECT_MAX_BYTES ? ` ... ${this.length - INSPECT_MAX_BYTES} more bytes` : '';
  return `<Buffer${hex ? ' ' + hex : ''}${more}>`;
};
proto.inspect = proto[inspectSymbol];

function SlowBuffer(size) {
  checkSize(size);
  return new FastBuffer(size);
}
SlowBuffer.prototype = FastBuffer.prototype;

module.exports = {
  Buffer,
  SlowBuffer,
  kMaxLength,
  kStringMaxLength,
  constants: { MAX_LENGTH: kMaxLength, MAX_STRING_LENGTH: kStringMaxLength },
  INSPECT_MAX_BYTES,
  atob: (s) => atob(s),
  btoa: (s) => btoa(s),
  isUtf8(input) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(input);
      return true;
    } catch {
      return false;
    }
  },
  isAscii(input) {
    const u8 = input instanceof Uint8Array ? input : new Uint8Array(input.buffer || input);
    for (let i = 0; i < u8.length; i++) if (u8[i] > 127) return false;
    return true;
  },
  transcode() {
    throw nodeError(Error, 'ERR_NOT_SUPPORTED', 'not supported in sockw: buffer.transcode');
  },
};
if (typeof Blob === 'function') module.exports.Blob = Blob;
