package node

import (
	"bytes"
	"unicode/utf8"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings/console"
	"github.com/sockw/sockw/bindings/internal/webidl"
)

// installBuffer gives node:buffer its byte work in Go: string encodings in
// both directions, searching, comparing and filling. The Buffer class is
// JavaScript (a Uint8Array subclass); these take its views.
func (b *Binding) installBuffer(o *goja.Object) error {
	rt := b.rt
	bufs, err := webidl.NewBufferSource(rt)
	if err != nil {
		return err
	}
	view := func(v goja.Value) []byte {
		p, ok := bufs.Bytes(v)
		if !ok {
			panic(rt.NewTypeError("node:buffer: not a Buffer or Uint8Array"))
		}
		return p
	}
	encodingArg := func(v goja.Value) encoding {
		e := encodingOf(v)
		if e == encBuffer {
			e = encUTF8
		}
		return e
	}
	fns := map[string]func(goja.FunctionCall) goja.Value{
		// bufferDecode(string, encoding) is the string's bytes, in a new
		// ArrayBuffer.
		"bufferDecode": func(call goja.FunctionCall) goja.Value {
			return rt.ToValue(rt.NewArrayBuffer(decodeString(toStr(call.Argument(0)), encodingArg(call.Argument(1)))))
		},
		// bufferEncode(view, encoding, start, end) is the string of
		// view[start:end] in encoding; the caller has clamped the range.
		"bufferEncode": func(call goja.FunctionCall) goja.Value {
			p := view(call.Argument(0))
			start, end := int(call.Argument(2).ToInteger()), int(call.Argument(3).ToInteger())
			return encodeBytes(rt, p[start:end], encodingArg(call.Argument(1)))
		},
		// bufferByteLength(string, encoding) is how many bytes the string
		// takes in encoding.
		"bufferByteLength": func(call goja.FunctionCall) goja.Value {
			s := toStr(call.Argument(0))
			switch enc := encodingArg(call.Argument(1)); enc {
			case encLatin1, encASCII:
				return rt.ToValue(s.Length())
			case encUTF16LE:
				return rt.ToValue(2 * s.Length())
			case encUTF8:
				if a, ok := asciiOf(s); ok {
					return rt.ToValue(len(a))
				}
				return rt.ToValue(len(decodeString(s, enc)))
			default:
				return rt.ToValue(len(decodeString(s, enc)))
			}
		},
		// bufferWrite(view, string, offset, length, encoding) writes the
		// string's bytes at offset, at most length of them and never part of
		// a UTF-8 character, and returns how many it wrote.
		"bufferWrite": func(call goja.FunctionCall) goja.Value {
			p := view(call.Argument(0))
			enc := encodingArg(call.Argument(4))
			src := decodeString(toStr(call.Argument(1)), enc)
			offset, length := int(call.Argument(2).ToInteger()), int(call.Argument(3).ToInteger())
			room := min(length, len(p)-offset)
			if len(src) > room {
				src = src[:room]
				switch enc {
				case encUTF8:
					// Only the last character can have been cut.
					if i := lastStart(src); !utf8.FullRune(src[i:]) {
						src = src[:i]
					}
				case encUTF16LE:
					src = src[:len(src)&^1]
				}
			}
			return rt.ToValue(copy(p[offset:], src))
		},
		// bufferCompare(a, b) orders two views by their bytes: -1, 0 or 1.
		"bufferCompare": func(call goja.FunctionCall) goja.Value {
			return rt.ToValue(bytes.Compare(view(call.Argument(0)), view(call.Argument(1))))
		},
		// bufferIndexOf(haystack, needle, byteOffset, last) finds needle's
		// bytes from byteOffset, forwards or (last) backwards; -1 if absent.
		"bufferIndexOf": func(call goja.FunctionCall) goja.Value {
			hay, needle := view(call.Argument(0)), view(call.Argument(1))
			from := int(call.Argument(2).ToInteger())
			if call.Argument(3).ToBoolean() {
				end := min(len(hay), from+len(needle))
				if end < 0 {
					return rt.ToValue(-1)
				}
				return rt.ToValue(bytes.LastIndex(hay[:end], needle))
			}
			if from > len(hay) {
				return rt.ToValue(-1)
			}
			i := bytes.Index(hay[from:], needle)
			if i >= 0 {
				i += from
			}
			return rt.ToValue(i)
		},
		// bufferFill(view, pattern, start, end) repeats pattern's bytes over
		// view[start:end].
		"bufferFill": func(call goja.FunctionCall) goja.Value {
			p, pattern := view(call.Argument(0)), view(call.Argument(1))
			start, end := int(call.Argument(2).ToInteger()), int(call.Argument(3).ToInteger())
			dst := p[start:end]
			if len(pattern) == 0 || len(dst) == 0 {
				return goja.Undefined()
			}
			n := copy(dst, pattern)
			for n < len(dst) {
				n += copy(dst[n:], dst[:n])
			}
			return goja.Undefined()
		},
		// inspect(value, depth) is util.inspect's rendering.
		"inspect": func(call goja.FunctionCall) goja.Value {
			depth := 2
			if d := call.Argument(1); !goja.IsUndefined(d) {
				depth = int(min(d.ToFloat(), 1000))
			}
			return rt.ToValue(console.Inspect(rt, call.Argument(0), depth))
		},
		// format is util.format, console.log's formatting.
		"format": func(call goja.FunctionCall) goja.Value {
			return rt.ToValue(console.Format(rt, call.Arguments))
		},
	}
	for name, fn := range fns {
		if err := o.Set(name, fn); err != nil {
			return err
		}
	}
	return nil
}

// toStr converts v to a JavaScript string, as String(v) does.
func toStr(v goja.Value) goja.String {
	if s, ok := v.(goja.String); ok {
		return s
	}
	s, _ := v.ToString().(goja.String)
	return s
}

// lastStart is the index of the last UTF-8 sequence's first byte in p.
func lastStart(p []byte) int {
	i := len(p) - 1
	for i > 0 && p[i]&0xC0 == 0x80 {
		i--
	}
	return i
}

// asciiOf returns s as Go bytes when it is all ASCII.
func asciiOf(s goja.String) (string, bool) {
	str := s.String()
	for i := 0; i < len(str); i++ {
		if str[i] >= 0x80 {
			return "", false
		}
	}
	return str, true
}
