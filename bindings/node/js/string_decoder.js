// node:string_decoder (https://nodejs.org/api/string_decoder.html): decodes
// a stream of chunks to strings without splitting a character across two
// of them. The bytes of a character that is not complete yet (at most
// four) wait for the next write; end() flushes them.
'use strict';
const internal = require('sockw:internal/node');
const { invalidArgType, unknownEncoding } = require('sockw:internal/node-codes');

const encodingNames = {
  utf8: 'utf8', 'utf-8': 'utf8',
  ucs2: 'utf16le', 'ucs-2': 'utf16le', utf16le: 'utf16le', 'utf-16le': 'utf16le',
  latin1: 'latin1', binary: 'latin1',
  base64: 'base64', base64url: 'base64url', hex: 'hex', ascii: 'ascii',
};

const kPending = Symbol('pending');
const kPendingLength = Symbol('pendingLength');

// utf8Tail returns how many trailing bytes of p start a character that
// needs more bytes than p has.
function utf8Tail(p) {
  for (let back = 1; back <= 3 && back <= p.length; back++) {
    const c = p[p.length - back];
    if ((c & 0xc0) === 0x80) continue;
    let total = 1;
    if (c >= 0xf0 && c <= 0xf7) total = 4;
    else if (c >= 0xe0 && c < 0xf0) total = 3;
    else if (c >= 0xc0 && c < 0xe0) total = 2;
    return total > back ? back : 0;
  }
  return 0;
}

// utf16Tail keeps an odd byte, or else a final high surrogate whose pair
// may follow. (Node emits the surrogate when an odd byte follows it, and so
// does this.)
function utf16Tail(p) {
  if (p.length % 2 === 1) return 1;
  if (p.length >= 2) {
    const unit = p[p.length - 2] | (p[p.length - 1] << 8);
    if (unit >= 0xd800 && unit <= 0xdbff) return 2;
  }
  return 0;
}

class StringDecoder {
  constructor(encoding) {
    const enc = encoding == null || encoding === '' ? 'utf8' : (encodingNames[`${encoding}`] || encodingNames[`${encoding}`.toLowerCase()]);
    if (enc === undefined) throw unknownEncoding(encoding);
    this.encoding = enc;
    this[kPending] = new Uint8Array(4);
    this[kPendingLength] = 0;
  }

  write(buf) {
    if (typeof buf === 'string') return buf;
    if (!ArrayBuffer.isView(buf)) throw invalidArgType('buf', ['Buffer', 'TypedArray', 'DataView'], buf);
    let p = buf instanceof Uint8Array ? buf : new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    const held = this[kPendingLength];
    if (held > 0) {
      const joined = new Uint8Array(held + p.length);
      joined.set(this[kPending].subarray(0, held));
      joined.set(p, held);
      p = joined;
      this[kPendingLength] = 0;
    }
    let tail = 0;
    switch (this.encoding) {
      case 'utf8': tail = utf8Tail(p); break;
      case 'utf16le': tail = utf16Tail(p); break;
      case 'base64': case 'base64url': tail = p.length % 3; break;
      default: break;
    }
    if (tail > 0) {
      this[kPending].set(p.subarray(p.length - tail));
      this[kPendingLength] = tail;
    }
    if (p.length === tail) return '';
    return internal.bufferToString(p, this.encoding, 0, p.length - tail);
  }

  end(buf) {
    let r = buf === undefined ? '' : this.write(buf);
    const held = this[kPendingLength];
    if (held > 0) {
      this[kPendingLength] = 0;
      // An incomplete UTF-8 character ends as one replacement character;
      // the other encodings decode what they have.
      if (this.encoding === 'utf8') r += '\ufffd';
      else r += internal.bufferToString(this[kPending], this.encoding, 0, held);
    }
    return r;
  }

  // text decodes buf from offset on, as write does.
  text(buf, offset) {
    return this.write(buf.subarray(offset));
  }
}

module.exports = { StringDecoder };
