package encoding

import (
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// decoder is the streaming state of one of the Encoding Standard's decoders
// (https://encoding.spec.whatwg.org/#decoders). Decoders write UTF-8: every
// code point they produce is a scalar value, so the output is always valid
// UTF-8, which goja takes as a string without a second conversion.
type decoder interface {
	// decode appends the decoding of src to dst. A sequence cut off at the end
	// of src is kept for the next call unless flush is set, in which case it is
	// an error. On an error decode appends U+FFFD and goes on, or, if fatal,
	// stops and reports false.
	decode(dst, src []byte, flush, fatal bool) ([]byte, bool)
	// reset returns the decoder to its initial state.
	reset()
}

// replacement is U+FFFD in UTF-8.
const replacement = "\uFFFD"

// utf8Decoder is the UTF-8 decoder. Invalid input is replaced per maximal
// subpart, which the byte-wise algorithm of the spec gives and Go's
// utf8.DecodeRune does not (it replaces a truncated sequence byte by byte).
type utf8Decoder struct {
	needed, seen int
	cp           rune
	lower, upper byte
}

func (d *utf8Decoder) reset() { *d = utf8Decoder{} }

func (d *utf8Decoder) decode(dst, src []byte, flush, fatal bool) ([]byte, bool) {
	if d.needed == 0 && utf8.Valid(src) {
		return append(dst, src...), true
	}
	i := 0
	for i < len(src) {
		if d.needed == 0 {
			// Copy runs of well-formed input at once; only the bytes around
			// an error take the slow path.
			j := i + validPrefix(src[i:])
			dst = append(dst, src[i:j]...)
			if i = j; i == len(src) {
				break
			}
			b := src[i]
			i++
			switch {
			case 0xC2 <= b && b <= 0xDF:
				d.needed, d.cp = 1, rune(b&0x1F)
			case 0xE0 <= b && b <= 0xEF:
				if b == 0xE0 {
					d.lower = 0xA0
				} else if b == 0xED {
					d.upper = 0x9F
				}
				d.needed, d.cp = 2, rune(b&0xF)
			case 0xF0 <= b && b <= 0xF4:
				if b == 0xF0 {
					d.lower = 0x90
				} else if b == 0xF4 {
					d.upper = 0x8F
				}
				d.needed, d.cp = 3, rune(b&0x7)
			default:
				if fatal {
					return dst, false
				}
				dst = append(dst, replacement...)
			}
			continue
		}
		b := src[i]
		lower, upper := d.lower, d.upper
		if lower == 0 {
			lower = 0x80
		}
		if upper == 0 {
			upper = 0xBF
		}
		if b < lower || b > upper {
			// The byte is not consumed: it may start the next sequence.
			d.reset()
			if fatal {
				return dst, false
			}
			dst = append(dst, replacement...)
			continue
		}
		i++
		d.lower, d.upper = 0, 0
		d.cp = d.cp<<6 | rune(b&0x3F)
		if d.seen++; d.seen == d.needed {
			dst = utf8.AppendRune(dst, d.cp)
			d.reset()
		}
	}
	if flush && d.needed != 0 {
		d.reset()
		if fatal {
			return dst, false
		}
		dst = append(dst, replacement...)
	}
	return dst, true
}

// validPrefix returns the length of the longest prefix of p that is
// well-formed UTF-8 made of whole sequences.
func validPrefix(p []byte) int {
	i := 0
	for i < len(p) {
		// Skip ASCII eight bytes at a time.
		for i+8 <= len(p) && (uint64(p[i])|uint64(p[i+1])<<8|uint64(p[i+2])<<16|uint64(p[i+3])<<24|
			uint64(p[i+4])<<32|uint64(p[i+5])<<40|uint64(p[i+6])<<48|uint64(p[i+7])<<56)&0x8080808080808080 == 0 {
			i += 8
		}
		if i == len(p) {
			break
		}
		if p[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(p[i:])
		if r == utf8.RuneError && size == 1 {
			break
		}
		i += size
	}
	return i
}

// utf16Decoder is the shared UTF-16BE/LE decoder.
type utf16Decoder struct {
	bigEndian     bool
	leadByte      int // -1 when none; a byte otherwise
	leadSurrogate rune
}

func newUTF16Decoder(bigEndian bool) *utf16Decoder {
	return &utf16Decoder{bigEndian: bigEndian, leadByte: -1}
}

func (d *utf16Decoder) reset() { d.leadByte, d.leadSurrogate = -1, 0 }

func (d *utf16Decoder) decode(dst, src []byte, flush, fatal bool) ([]byte, bool) {
	for i := 0; i < len(src); {
		var cu rune
		if d.leadByte < 0 && i+1 < len(src) {
			if d.bigEndian {
				cu = rune(src[i])<<8 | rune(src[i+1])
			} else {
				cu = rune(src[i]) | rune(src[i+1])<<8
			}
			i += 2
		} else if d.leadByte < 0 {
			d.leadByte = int(src[i])
			i++
			continue
		} else {
			if d.bigEndian {
				cu = rune(d.leadByte)<<8 | rune(src[i])
			} else {
				cu = rune(d.leadByte) | rune(src[i])<<8
			}
			d.leadByte = -1
			i++
		}
		if d.leadSurrogate != 0 {
			lead := d.leadSurrogate
			d.leadSurrogate = 0
			if 0xDC00 <= cu && cu <= 0xDFFF {
				dst = utf8.AppendRune(dst, 0x10000+(lead-0xD800)<<10+(cu-0xDC00))
				continue
			}
			// The spec pushes the code unit's bytes back; handling cu below
			// is the same.
			if fatal {
				return dst, false
			}
			dst = append(dst, replacement...)
		}
		switch {
		case 0xD800 <= cu && cu <= 0xDBFF:
			d.leadSurrogate = cu
		case 0xDC00 <= cu && cu <= 0xDFFF:
			if fatal {
				return dst, false
			}
			dst = append(dst, replacement...)
		case cu < utf8.RuneSelf:
			dst = append(dst, byte(cu))
		default:
			dst = utf8.AppendRune(dst, cu)
		}
	}
	if flush && (d.leadByte >= 0 || d.leadSurrogate != 0) {
		d.reset()
		if fatal {
			return dst, false
		}
		dst = append(dst, replacement...)
	}
	return dst, true
}

// singleByteDecoder is the single-byte decoder
// (https://encoding.spec.whatwg.org/#single-byte-decoder). x/text generates
// its charmaps from the WHATWG indexes; a byte an index leaves unmapped
// decodes to U+FFFD there, which is an error here. Its snapshot predates the
// change that mapped the holes at 0x80-0x9F of the windows-* indexes to the
// C1 controls of the same value (0x81 is U+0081 in windows-1252), so c1
// restores those.
type singleByteDecoder struct {
	cm *charmap.Charmap
	c1 bool
}

func (d singleByteDecoder) reset() {}

func (d singleByteDecoder) decode(dst, src []byte, flush, fatal bool) ([]byte, bool) {
	for _, b := range src {
		if b < utf8.RuneSelf {
			dst = append(dst, b)
			continue
		}
		r := d.cm.DecodeByte(b)
		if r == utf8.RuneError && d.c1 && b <= 0x9F {
			r = rune(b)
		}
		if r == utf8.RuneError {
			if fatal {
				return dst, false
			}
			dst = append(dst, replacement...)
			continue
		}
		dst = utf8.AppendRune(dst, r)
	}
	return dst, true
}
