package node

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
	"unicode/utf8"

	"github.com/dop251/goja"
)

// encoding is one of Node's string encodings, shared by node:buffer and
// node:crypto.
type encoding int

const (
	// encBuffer stands for no (or an unknown) encoding: a digest is
	// bytes, and a string input is UTF-8, as Node does.
	encBuffer encoding = iota
	encUTF8
	encHex
	encBase64
	encBase64URL
	encLatin1
	encASCII
	encUTF16LE
)

var encodings = map[string]encoding{
	"utf8": encUTF8, "utf-8": encUTF8,
	"hex":    encHex,
	"base64": encBase64, "base64url": encBase64URL,
	"latin1": encLatin1, "binary": encLatin1,
	"ascii": encASCII,
	"ucs2":  encUTF16LE, "ucs-2": encUTF16LE, "utf16le": encUTF16LE, "utf-16le": encUTF16LE,
}

// encodingOf reads an encoding argument, in any case.
func encodingOf(v goja.Value) encoding {
	s, ok := v.(goja.String)
	if !ok {
		return encBuffer
	}
	name := s.String()
	if e, ok := encodings[name]; ok {
		return e
	}
	return encodings[strings.ToLower(name)]
}

// decodeString turns a string into bytes in an encoding, as Buffer.from does:
// hex stops at the first pair that is not hex, base64 skips what is not in
// either alphabet, latin1 and ascii keep the low byte of each code unit.
func decodeString(s goja.String, enc encoding) []byte {
	switch enc {
	case encHex:
		str := s.String()
		out := make([]byte, 0, len(str)/2)
		for i := 0; i+1 < len(str); i += 2 {
			hi, ok1 := hexDigit(str[i])
			lo, ok2 := hexDigit(str[i+1])
			if !ok1 || !ok2 {
				break
			}
			out = append(out, hi<<4|lo)
		}
		return out
	case encBase64, encBase64URL:
		return decodeBase64(s.String())
	case encLatin1, encASCII:
		out := make([]byte, s.Length())
		for i := range out {
			out[i] = byte(s.CharAt(i))
		}
		return out
	case encUTF16LE:
		out := make([]byte, 2*s.Length())
		for i := 0; i < s.Length(); i++ {
			c := s.CharAt(i)
			out[2*i], out[2*i+1] = byte(c), byte(c>>8)
		}
		return out
	}
	// goja's String of a lone surrogate is U+FFFD, as Node encodes it.
	return []byte(s.String())
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// decodeBase64 decodes base64 or base64url the way Node does: other
// characters are skipped, the first '=' ends the data, a lone trailing
// character is dropped.
func decodeBase64(s string) []byte {
	clean := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '+', c == '/':
			clean = append(clean, c)
		case c == '-':
			clean = append(clean, '+')
		case c == '_':
			clean = append(clean, '/')
		case c == '=':
			i = len(s)
		}
	}
	if len(clean)%4 == 1 {
		clean = clean[:len(clean)-1]
	}
	out := make([]byte, base64.RawStdEncoding.DecodedLen(len(clean)))
	n, _ := base64.RawStdEncoding.Decode(out, clean) // only valid characters remain
	return out[:n]
}

// encodeBytes turns bytes into a string in an encoding.
func encodeBytes(rt *goja.Runtime, p []byte, enc encoding) goja.Value {
	switch enc {
	case encHex:
		return rt.ToValue(hex.EncodeToString(p))
	case encBase64:
		return rt.ToValue(base64.StdEncoding.EncodeToString(p))
	case encBase64URL:
		return rt.ToValue(base64.RawURLEncoding.EncodeToString(p))
	case encLatin1:
		u := make([]uint16, len(p))
		for i, c := range p {
			u[i] = uint16(c)
		}
		return goja.StringFromUTF16(u)
	case encASCII:
		out := make([]byte, len(p))
		for i, c := range p {
			out[i] = c & 0x7F
		}
		return rt.ToValue(string(out))
	case encUTF16LE:
		u := make([]uint16, len(p)/2)
		for i := range u {
			u[i] = uint16(p[2*i]) | uint16(p[2*i+1])<<8
		}
		return goja.StringFromUTF16(u)
	}
	return rt.ToValue(decodeUTF8(p))
}

// decodeUTF8 decodes UTF-8 as the WHATWG decoder does: each maximal
// subpart of an ill-formed sequence becomes one U+FFFD.
func decodeUTF8(p []byte) string {
	if utf8.Valid(p) {
		return string(p)
	}
	var sb strings.Builder
	sb.Grow(len(p) + 8)
	for len(p) > 0 {
		r, n := utf8.DecodeRune(p)
		if r == utf8.RuneError && n == 1 {
			n = maximalSubpart(p)
		}
		sb.WriteRune(r)
		p = p[n:]
	}
	return sb.String()
}

// maximalSubpart is the length of the ill-formed sequence at the start of p:
// its lead byte and the continuation bytes that could still have followed.
func maximalSubpart(p []byte) int {
	lo, hi, need := byte(0x80), byte(0xBF), 0
	switch c := p[0]; {
	case 0xC2 <= c && c <= 0xDF:
		need = 1
	case c == 0xE0:
		lo, need = 0xA0, 2
	case c == 0xED:
		hi, need = 0x9F, 2
	case 0xE1 <= c && c <= 0xEF:
		need = 2
	case c == 0xF0:
		lo, need = 0x90, 3
	case c == 0xF4:
		hi, need = 0x8F, 3
	case 0xF1 <= c && c <= 0xF3:
		need = 3
	}
	n := 1
	for ; n <= need && n < len(p); n++ {
		if p[n] < lo || p[n] > hi {
			break
		}
		lo, hi = 0x80, 0xBF
	}
	return n
}
