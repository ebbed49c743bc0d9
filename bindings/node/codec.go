package node

import (
	"encoding/base64"
	"encoding/hex"
	"reflect"
	"unicode/utf8"

	"github.com/dop251/base64dec"
	"github.com/dop251/goja"

	webencoding "github.com/sockw/sockw/bindings/encoding"
)

// encoding is one of the byte encodings of Node's Buffer, by the canonical
// name node:buffer normalises every alias to before it calls Go.
type encoding int

const (
	encUTF8 encoding = iota
	encUTF16LE
	encLatin1
	encASCII
	encBase64
	encBase64URL
	encHex
)

var encodings = map[string]encoding{
	"utf8": encUTF8, "utf16le": encUTF16LE, "latin1": encLatin1, "ascii": encASCII,
	"base64": encBase64, "base64url": encBase64URL, "hex": encHex,
}

// codeUnits returns s as a Go string when it is ASCII and goja holds it as
// bytes (no copy), else as UTF-16 code units. Encodings other than UTF-8 work
// on code units, which goja's String() would lose (lone surrogates become
// U+FFFD).
func codeUnits(s goja.String) (string, []uint16) {
	if a, ok := isASCII(s); ok {
		return a, nil
	}
	u := make([]uint16, s.Length())
	for i := range u {
		u[i] = s.CharAt(i)
	}
	return "", u
}

// isASCII returns s as a Go string if it is ASCII and goja holds it as
// bytes: its own ASCII form, or a string that came from Go (such as one
// toString returned), whose String() is the original.
func isASCII(s goja.String) (string, bool) {
	switch rv := reflect.ValueOf(s); rv.Kind() {
	case reflect.String:
		return rv.String(), true
	case reflect.Pointer:
		str := s.String()
		for i := 0; i < len(str); i++ {
			if str[i] >= utf8.RuneSelf {
				return "", false
			}
		}
		return str, true
	}
	return "", false
}

// encode returns the bytes of s in enc, in a new slice the caller owns.
// Like Node, it never fails: what an encoding cannot represent is replaced
// (UTF-8), truncated to the low byte (latin1, ascii) or skipped (base64,
// hex stop at the first character that is not theirs).
func encode(s goja.String, enc encoding) []byte {
	switch enc {
	case encUTF8:
		if a, ok := isASCII(s); ok {
			return []byte(a)
		}
		// goja decodes UTF-16 to UTF-8 with lone surrogates as U+FFFD,
		// which is what Node writes for them.
		return []byte(s.String())
	case encLatin1, encASCII:
		a, u := codeUnits(s)
		if u == nil {
			return []byte(a)
		}
		out := make([]byte, len(u))
		for i, c := range u {
			out[i] = byte(c)
		}
		return out
	case encUTF16LE:
		a, u := codeUnits(s)
		if u == nil {
			out := make([]byte, 2*len(a))
			for i := 0; i < len(a); i++ {
				out[2*i] = a[i]
			}
			return out
		}
		out := make([]byte, 2*len(u))
		for i, c := range u {
			out[2*i], out[2*i+1] = byte(c), byte(c>>8)
		}
		return out
	case encBase64, encBase64URL:
		return decodeBase64(asciiOf(s))
	case encHex:
		return decodeHex(asciiOf(s))
	}
	panic("node: unknown encoding")
}

// asciiOf returns s as bytes for the ASCII encodings: any other character
// becomes bytes of 0x80 and above, which neither base64 nor hex accepts,
// as Node ignores or stops at them.
func asciiOf(s goja.String) string {
	if a, ok := isASCII(s); ok {
		return a
	}
	return s.String()
}

// decodeBase64 decodes base64 or base64url as Node does: characters outside
// both alphabets are skipped, the first '=' ends the data, and bits that do
// not make a whole byte are dropped. The strict decoder reads well-formed
// input in one pass; anything else takes the forgiving loop.
func decodeBase64(s string) []byte {
	out := make([]byte, base64.RawStdEncoding.DecodedLen(len(s)))
	if n, err := base64dec.DecodeBase64(out, s); err == nil {
		return out[:n]
	}
	n, acc, bits := 0, uint32(0), 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '=' {
			break
		}
		v := base64Value[c]
		if v == 0xFF {
			continue
		}
		acc = acc<<6 | uint32(v)
		bits += 6
		if bits >= 8 {
			bits -= 8
			out[n] = byte(acc >> bits)
			n++
		}
	}
	return out[:n]
}

// base64Value maps both alphabets' characters to their values, others to 0xFF.
var base64Value = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xFF
	}
	const std = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := 0; i < len(std); i++ {
		t[std[i]] = byte(i)
	}
	t['-'], t['_'] = 62, 63
	return t
}()

// decodeHex decodes pairs of hex digits up to the first pair that is not one.
func decodeHex(s string) []byte {
	out := make([]byte, len(s)/2)
	n, _ := hex.Decode(out, []byte(s[:len(out)*2]))
	return out[:n]
}

// byteLength returns what encode(s, enc) would return the length of,
// without encoding. For base64 it is Node's estimate from the length and
// padding, which counts characters decoding would skip.
func byteLength(s goja.String, enc encoding) int {
	switch enc {
	case encUTF8:
		a, u := codeUnits(s)
		if u == nil {
			return len(a)
		}
		return webencoding.UTF8Len(u)
	case encUTF16LE:
		return 2 * s.Length()
	case encLatin1, encASCII:
		return s.Length()
	case encHex:
		return s.Length() / 2
	}
	n := s.Length()
	if n > 0 && s.CharAt(n-1) == '=' {
		n--
	}
	if n > 0 && s.CharAt(n-1) == '=' {
		n--
	}
	return n * 3 / 4
}

// writeLength is how many bytes of the encoding p of a string fit in n
// bytes without splitting a character: Buffer.write never writes part of a
// UTF-8 sequence or a UTF-16 code unit.
func writeLength(p []byte, n int, enc encoding) int {
	if n >= len(p) {
		return len(p)
	}
	switch enc {
	case encUTF8:
		for n > 0 && !utf8.RuneStart(p[n]) {
			n--
		}
	case encUTF16LE:
		n &^= 1
	}
	return n
}

// decode returns the string that p holds in enc, as Node's toString does:
// malformed UTF-8 becomes U+FFFD per maximal subpart, ascii drops the high
// bit, and a trailing odd byte of UTF-16 is ignored.
func decode(rt *goja.Runtime, p []byte, enc encoding) goja.Value {
	switch enc {
	case encUTF8:
		if !utf8.Valid(p) {
			p = replaceInvalidUTF8(p)
		}
		return rt.ToValue(string(p))
	case encASCII:
		q := make([]byte, len(p))
		for i, c := range p {
			q[i] = c & 0x7F
		}
		return rt.ToValue(string(q))
	case encLatin1:
		if !hasHighByte(p) {
			return rt.ToValue(string(p))
		}
		u := make([]uint16, len(p))
		for i, c := range p {
			u[i] = uint16(c)
		}
		return goja.StringFromUTF16(u)
	case encUTF16LE:
		u := make([]uint16, len(p)/2)
		for i := range u {
			u[i] = uint16(p[2*i]) | uint16(p[2*i+1])<<8
		}
		return goja.StringFromUTF16(u)
	case encBase64:
		return rt.ToValue(base64.StdEncoding.EncodeToString(p))
	case encBase64URL:
		return rt.ToValue(base64.RawURLEncoding.EncodeToString(p))
	case encHex:
		return rt.ToValue(hex.EncodeToString(p))
	}
	panic("node: unknown encoding")
}

// replaceInvalidUTF8 replaces each maximal subpart of an ill-formed
// sequence with U+FFFD, as the WHATWG decoder (and so Node) does; Go's own
// decoding would replace each byte.
func replaceInvalidUTF8(p []byte) []byte {
	out := make([]byte, 0, len(p)+16)
	for i := 0; i < len(p); {
		c := p[i]
		if c < 0x80 {
			out = append(out, c)
			i++
			continue
		}
		if r, n := utf8.DecodeRune(p[i:]); r != utf8.RuneError || n > 1 {
			out = append(out, p[i:i+n]...)
			i += n
			continue
		}
		i += invalidPrefix(p[i:])
		out = append(out, "\uFFFD"...)
	}
	return out
}

// invalidPrefix returns the length of the maximal subpart at the start of
// p, which does not begin a valid sequence: its lead byte and the
// continuation bytes that were still acceptable after it.
func invalidPrefix(p []byte) int {
	c := p[0]
	var need int
	lo, hi := byte(0x80), byte(0xBF)
	switch {
	case c >= 0xC2 && c <= 0xDF:
		need = 1
	case c >= 0xE0 && c <= 0xEF:
		need = 2
		if c == 0xE0 {
			lo = 0xA0
		} else if c == 0xED {
			hi = 0x9F
		}
	case c >= 0xF0 && c <= 0xF4:
		need = 3
		if c == 0xF0 {
			lo = 0x90
		} else if c == 0xF4 {
			hi = 0x8F
		}
	default:
		return 1
	}
	n := 1
	for n <= need && n < len(p) && p[n] >= lo && p[n] <= hi {
		lo, hi = 0x80, 0xBF
		n++
	}
	return n
}

func hasHighByte(p []byte) bool {
	for _, c := range p {
		if c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}
