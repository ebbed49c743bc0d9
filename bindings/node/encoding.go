package node

import (
	"strings"

	"github.com/dop251/goja"
)

// cryptoEncodingOf reads node:crypto's encoding argument with Node's
// aliases, in any case; ok is false for none or one Node does not know,
// which node:crypto treats as "bytes" (and UTF-8 for string inputs).
func cryptoEncodingOf(v goja.Value) (encoding, bool) {
	s, ok := v.(goja.String)
	if !ok {
		return encUTF8, false
	}
	switch name := strings.ToLower(s.String()); name {
	case "utf-8":
		return encUTF8, true
	case "binary":
		return encLatin1, true
	case "ucs2", "ucs-2", "utf-16le":
		return encUTF16LE, true
	default:
		e, ok := encodings[name]
		return e, ok
	}
}
