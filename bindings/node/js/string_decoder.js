// node:string_decoder: decodes a byte stream to strings without splitting a
// character that spans chunks (utf8, utf16le, base64 in 3-byte groups).
'use strict';
const { Buffer } = require('node:buffer');

function normalize(enc) {
  const e = String(enc === undefined || enc === null ? 'utf8' : enc).toLowerCase();
  switch (e) {
    case 'utf8': case 'utf-8': return 'utf8';
    case 'ucs2': case 'ucs-2': case 'utf16le': case 'utf-16le': return 'utf16le';
    case 'latin1': case 'binary': return 'latin1';
    case 'base64': case 'base64url': case 'ascii': case 'hex': return e;
  }
  const err = new TypeError(`Unknown encoding: ${enc}`);
  err.code = 'ERR_UNKNOWN_ENCODING';
  throw err;
}

// utf8Need is how many bytes the sequence starting at lead byte c takes.
function utf8Need(c) {
  if (c < 0x80) return 1;
  if (c >= 0xf0 && c <= 0xf4) return 4;
  if (c >= 0xe0) return 3;
  if (c >= 0xc2) return 2;
  return 1; // a stray continuation or invalid lead: one replacement
}

class StringDecoder {
  constructor(encoding) {
    this.encoding = normalize(encoding);
    this._pending = Buffer.alloc(0);
  }

  // _split returns how many bytes at the end of buf must wait for more.
  _split(buf) {
    switch (this.encoding) {
      case 'utf8': {
        for (let back = 1; back <= Math.min(3, buf.length); back++) {
          const c = buf[buf.length - back];
          if ((c & 0xc0) === 0x80) continue; // continuation byte: look further back
          const need = utf8Need(c);
          return need > back ? back : 0;
        }
        return 0;
      }
      case 'utf16le': {
        let keep = buf.length % 2;
        const end = buf.length - keep;
        if (end >= 2) {
          const unit = buf[end - 2] | (buf[end - 1] << 8);
          if (unit >= 0xd800 && unit <= 0xdbff) keep += 2; // a high surrogate waits for its pair
        }
        return keep;
      }
      case 'base64': case 'base64url':
        return buf.length % 3;
      default:
        return 0;
    }
  }

  write(buf) {
    if (typeof buf === 'string') return buf;
    if (!(buf instanceof Uint8Array)) {
      const err = new TypeError('The "buf" argument must be an instance of Buffer, TypedArray, or DataView.');
      err.code = 'ERR_INVALID_ARG_TYPE';
      throw err;
    }
    let data = this._pending.length ? Buffer.concat([this._pending, buf]) : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    const keep = this._split(data);
    this._pending = keep ? Buffer.from(data.subarray(data.length - keep)) : Buffer.alloc(0);
    return data.toString(this.encoding, 0, data.length - keep);
  }

  end(buf) {
    let out = buf === undefined ? '' : this.write(buf);
    if (this._pending.length) {
      out += this._pending.toString(this.encoding);
      this._pending = Buffer.alloc(0);
    }
    return out;
  }

  text(buf, offset) {
    return this.write(buf.subarray(offset));
  }

  get lastNeed() {
    if (!this._pending.length) return 0;
    if (this.encoding === 'utf8') return utf8Need(this._pending[0]) - this._pending.length;
    if (this.encoding === 'utf16le') return (this._pending.length % 2) ? 1 : 2;
    return 3 - this._pending.length;
  }

  get lastTotal() {
    return this._pending.length + this.lastNeed;
  }
}

module.exports = { StringDecoder };
