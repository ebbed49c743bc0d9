package encoding

import (
	"encoding/base64"

	"github.com/dop251/goja"
)

// btoa implements https://html.spec.whatwg.org/multipage/webappapis.html#dom-btoa:
// each code unit is a byte, and one above 0xFF is an InvalidCharacterError.
func (b *binding) btoa(call goja.FunctionCall) goja.Value {
	b.requireArgs(call, 1, "'btoa'")
	s := b.toString(call.Argument(0))
	var p []byte
	switch form, a, u := formOf(s); form {
	case formASCII:
		p = []byte(a)
	case formUTF16:
		p = make([]byte, len(u))
		for i, c := range u {
			if c > 0xFF {
				panic(b.errs.domException("InvalidCharacterError", "The string to be encoded contains characters outside of the Latin1 range."))
			}
			p[i] = byte(c)
		}
	default:
		p = make([]byte, s.Length())
		for i := range p {
			c := s.CharAt(i)
			if c > 0xFF {
				panic(b.errs.domException("InvalidCharacterError", "The string to be encoded contains characters outside of the Latin1 range."))
			}
			p[i] = byte(c)
		}
	}
	return b.rt.ToValue(base64.StdEncoding.EncodeToString(p))
}

// atob implements forgiving-base64 decode
// (https://infra.spec.whatwg.org/#forgiving-base64-decode) and returns the
// bytes as a string of code units 0x00-0xFF.
func (b *binding) atob(call goja.FunctionCall) goja.Value {
	b.requireArgs(call, 1, "'atob'")
	s := b.toString(call.Argument(0))
	p, ok := forgivingBase64(s)
	if !ok {
		panic(b.errs.domException("InvalidCharacterError", "The string to be decoded is not correctly encoded."))
	}
	ascii := true
	for _, c := range p {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return b.rt.ToValue(string(p))
	}
	u := make([]uint16, len(p))
	for i, c := range p {
		u[i] = uint16(c)
	}
	return goja.StringFromUTF16(u)
}

// forgivingBase64 decodes s after removing ASCII whitespace, with optional
// padding and leftover bits ignored, as the Infra Standard says.
func forgivingBase64(s goja.String) ([]byte, bool) {
	n := s.Length()
	clean := make([]byte, 0, n)
	for i := 0; i < n; i++ {
		c := s.CharAt(i)
		switch {
		case c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ':
		case c >= 0x80:
			return nil, false
		default:
			clean = append(clean, byte(c))
		}
	}
	if len(clean)%4 == 0 && len(clean) > 0 && clean[len(clean)-1] == '=' {
		clean = clean[:len(clean)-1]
		if clean[len(clean)-1] == '=' {
			clean = clean[:len(clean)-1]
		}
	}
	if len(clean)%4 == 1 {
		return nil, false
	}
	// RawStdEncoding rejects '=' and any byte outside the alphabet, and, not
	// being Strict, ignores leftover bits as forgiving-base64 does. Whitespace
	// it would skip is already gone.
	out := make([]byte, base64.RawStdEncoding.DecodedLen(len(clean)))
	m, err := base64.RawStdEncoding.Decode(out, clean)
	if err != nil {
		return nil, false
	}
	return out[:m], true
}
