package url

import (
	"strings"
	"unicode/utf8"
)

// encodeSet is a percent-encode set (https://url.spec.whatwg.org/#percent-encoded-bytes)
// over ASCII; every byte above 0x7E is in every set.
type encodeSet [128]bool

func newSet(base *encodeSet, extra string) *encodeSet {
	var s encodeSet
	if base != nil {
		s = *base
	} else {
		for c := 0; c < 0x20; c++ {
			s[c] = true
		}
		s[0x7F] = true
	}
	for i := 0; i < len(extra); i++ {
		s[extra[i]] = true
	}
	return &s
}

// The sets of the URL Standard, built once at init and never written.
var (
	c0ControlSet    = newSet(nil, "")
	fragmentSet     = newSet(c0ControlSet, " \"<>`")
	querySet        = newSet(c0ControlSet, " \"#<>")
	specialQuerySet = newSet(querySet, "'")
	pathSet         = newSet(querySet, "?^`{}")
	userinfoSet     = newSet(pathSet, "/:;=@[\\]|")
	componentSet    = newSet(userinfoSet, "$%&+,")
	formSet         = newSet(componentSet, "!'()~")
)

func (s *encodeSet) has(c byte) bool { return c >= 0x80 || s[c] }

const upperHex = "0123456789ABCDEF"

// appendEncoded appends the UTF-8 percent-encoding of s under set.
// spaceAsPlus is the form serializer's rule.
func appendEncoded(b *strings.Builder, s string, set *encodeSet, spaceAsPlus bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case spaceAsPlus && c == ' ':
			b.WriteByte('+')
		case set.has(c):
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&0xF])
		default:
			b.WriteByte(c)
		}
	}
}

func encode(s string, set *encodeSet) string {
	for i := 0; i < len(s); i++ {
		if set.has(s[i]) {
			var b strings.Builder
			b.Grow(len(s) + 8)
			b.WriteString(s[:i])
			appendEncoded(&b, s[i:], set, false)
			return b.String()
		}
	}
	return s
}

func encodeRune(b *strings.Builder, r rune, set *encodeSet) {
	if r < utf8.RuneSelf {
		if set.has(byte(r)) {
			b.WriteByte('%')
			b.WriteByte(upperHex[byte(r)>>4])
			b.WriteByte(upperHex[byte(r)&0xF])
		} else {
			b.WriteByte(byte(r))
		}
		return
	}
	var p [4]byte
	n := utf8.EncodeRune(p[:], r)
	for _, c := range p[:n] {
		b.WriteByte('%')
		b.WriteByte(upperHex[c>>4])
		b.WriteByte(upperHex[c&0xF])
	}
}

func unhex(c byte) (byte, bool) {
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

// percentDecode implements https://url.spec.whatwg.org/#percent-decode:
// a '%' not followed by two hex digits stays as it is.
func percentDecode(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) {
			if h, ok := unhex(s[i+1]); ok {
				if l, ok := unhex(s[i+2]); ok {
					out = append(out, h<<4|l)
					i += 2
					continue
				}
			}
		}
		out = append(out, c)
	}
	return out
}
