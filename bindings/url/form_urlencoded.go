package url

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// pair is one name-value pair of a URLSearchParams list.
type pair struct{ name, value string }

// parseForm implements the application/x-www-form-urlencoded parser
// (https://url.spec.whatwg.org/#concept-urlencoded-parser).
func parseForm(s string) []pair {
	var list []pair
	for len(s) > 0 {
		var seq string
		if i := strings.IndexByte(s, '&'); i >= 0 {
			seq, s = s[:i], s[i+1:]
		} else {
			seq, s = s, ""
		}
		if seq == "" {
			continue
		}
		name, value, _ := strings.Cut(seq, "=")
		list = append(list, pair{formDecode(name), formDecode(value)})
	}
	return list
}

func formDecode(s string) string {
	if strings.IndexByte(s, '+') < 0 && strings.IndexByte(s, '%') < 0 {
		return s
	}
	b := percentDecode(strings.ReplaceAll(s, "+", " "))
	if utf8.Valid(b) {
		return string(b)
	}
	return decodeUTF8(b)
}

// decodeUTF8 is the Encoding Standard's "UTF-8 decode without BOM": each
// maximal subpart of an ill-formed sequence becomes one U+FFFD.
func decodeUTF8(p []byte) string {
	var b strings.Builder
	for len(p) > 0 {
		r, n := utf8.DecodeRune(p)
		if r != utf8.RuneError || n > 1 {
			b.Write(p[:n])
			p = p[n:]
			continue
		}
		b.WriteString("\uFFFD")
		p = p[maximalSubpart(p):]
	}
	return b.String()
}

// maximalSubpart returns the length of the ill-formed sequence at the start
// of p that one U+FFFD replaces.
func maximalSubpart(p []byte) int {
	lower, upper, need := byte(0x80), byte(0xBF), 0
	switch c := p[0]; {
	case 0xC2 <= c && c <= 0xDF:
		need = 1
	case 0xE0 <= c && c <= 0xEF:
		need = 2
		if c == 0xE0 {
			lower = 0xA0
		} else if c == 0xED {
			upper = 0x9F
		}
	case 0xF0 <= c && c <= 0xF4:
		need = 3
		if c == 0xF0 {
			lower = 0x90
		} else if c == 0xF4 {
			upper = 0x8F
		}
	default:
		return 1
	}
	n := 1
	for ; n <= need && n < len(p); n++ {
		if p[n] < lower || p[n] > upper {
			break
		}
		lower, upper = 0x80, 0xBF
	}
	return n
}

// serializeForm implements the application/x-www-form-urlencoded serializer.
func serializeForm(list []pair) string {
	var b strings.Builder
	for i, p := range list {
		if i > 0 {
			b.WriteByte('&')
		}
		appendEncoded(&b, p.name, formSet, true)
		b.WriteByte('=')
		appendEncoded(&b, p.value, formSet, true)
	}
	return b.String()
}

// lessUTF16 orders strings by UTF-16 code units, as URLSearchParams.sort
// does; it differs from byte order only between supplementary characters and
// U+E000-U+FFFF.
func lessUTF16(a, b string) bool {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			if ua, ub := unit(ra), unit(rb); ua != ub {
				return ua < ub
			}
			return ra < rb
		}
		a, b = a[na:], b[nb:]
	}
	return a == "" && b != ""
}

// unit is the first UTF-16 code unit of r.
func unit(r rune) rune {
	if r >= 0x10000 {
		hi, _ := utf16.EncodeRune(r)
		return hi
	}
	return r
}
