package node

import (
	"bytes"
	"unicode/utf8"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings/internal/webidl"
)

// installBuffer provides the byte work of node:buffer and
// node:string_decoder: encoding and decoding strings, searching, comparing,
// filling and swapping. node:buffer validates and normalises arguments
// (encodings arrive by canonical name, ranges already clamped), so these
// only guard against reading out of bounds.
func (b *Binding) installBuffer(o *goja.Object) error {
	bs, err := webidl.NewBufferSource(b.rt)
	if err != nil {
		return err
	}
	b.bytes = bs
	for name, fn := range map[string]func(goja.FunctionCall) goja.Value{
		"bufferFromString": b.bufferFromString,
		"bufferToString":   b.bufferToString,
		"bufferWrite":      b.bufferWrite,
		"bufferByteLength": b.bufferByteLength,
		"bufferCompare":    b.bufferCompare,
		"bufferIndexOf":    b.bufferIndexOf,
		"bufferFill":       b.bufferFill,
		"bufferCopy":       b.bufferCopy,
		"bufferSwap":       b.bufferSwap,
		"bufferIsUTF8":     b.bufferIsUTF8,
		"bufferIsASCII":    b.bufferIsASCII,
	} {
		if err := o.Set(name, fn); err != nil {
			return err
		}
	}
	return nil
}

// view returns the bytes of the typed array v, aliasing its memory.
func (b *Binding) view(v goja.Value) []byte {
	if o, ok := v.(*goja.Object); ok {
		if p, ok := b.bytes.TypedArrayBytes(o); ok {
			return p
		}
	}
	panic(b.rt.NewTypeError("node:buffer: expected a TypedArray"))
}

// encodingArg reads an encoding that node:buffer has already normalised.
func (b *Binding) encodingArg(v goja.Value) encoding {
	enc, ok := encodings[v.String()]
	if !ok {
		panic(b.rt.NewTypeError("node:buffer: unknown encoding " + v.String()))
	}
	return enc
}

// span clamps [start, end) arguments to p.
func span(p []byte, start, end goja.Value) []byte {
	s, e := 0, len(p)
	if start != nil && !goja.IsUndefined(start) {
		s = clamp(start.ToInteger(), len(p))
	}
	if end != nil && !goja.IsUndefined(end) {
		e = clamp(end.ToInteger(), len(p))
	}
	if e < s {
		e = s
	}
	return p[s:e]
}

func clamp(i int64, n int) int {
	switch {
	case i < 0:
		return 0
	case i > int64(n):
		return n
	}
	return int(i)
}

// bufferFromString(string, encoding) returns a new ArrayBuffer with the
// string's bytes.
func (b *Binding) bufferFromString(call goja.FunctionCall) goja.Value {
	p := encode(call.Argument(0).ToString().(goja.String), b.encodingArg(call.Argument(1)))
	return b.rt.ToValue(b.rt.NewArrayBuffer(p))
}

// bufferToString(view, encoding, start, end) decodes view[start:end].
func (b *Binding) bufferToString(call goja.FunctionCall) goja.Value {
	p := span(b.view(call.Argument(0)), call.Argument(2), call.Argument(3))
	return decode(b.rt, p, b.encodingArg(call.Argument(1)))
}

// bufferWrite(view, string, offset, length, encoding) writes the string's
// bytes at offset, at most length of them and never part of a character,
// and returns how many it wrote.
func (b *Binding) bufferWrite(call goja.FunctionCall) goja.Value {
	dst := span(b.view(call.Argument(0)), call.Argument(2), nil)
	if n := clamp(call.Argument(3).ToInteger(), len(dst)); n < len(dst) {
		dst = dst[:n]
	}
	enc := b.encodingArg(call.Argument(4))
	p := encode(call.Argument(1).ToString().(goja.String), enc)
	return b.rt.ToValue(copy(dst, p[:writeLength(p, len(dst), enc)]))
}

// bufferByteLength(string, encoding) is Buffer.byteLength for strings.
func (b *Binding) bufferByteLength(call goja.FunctionCall) goja.Value {
	return b.rt.ToValue(byteLength(call.Argument(0).ToString().(goja.String), b.encodingArg(call.Argument(1))))
}

// bufferCompare(a, b, aStart, aEnd, bStart, bEnd) returns -1, 0 or 1.
func (b *Binding) bufferCompare(call goja.FunctionCall) goja.Value {
	x := span(b.view(call.Argument(0)), call.Argument(2), call.Argument(3))
	y := span(b.view(call.Argument(1)), call.Argument(4), call.Argument(5))
	return b.rt.ToValue(bytes.Compare(x, y))
}

// bufferIndexOf(haystack, needle, byteOffset, ucs2, forward) returns the
// offset of the first (or, backwards, last) needle at or before/after
// byteOffset, or -1. UTF-16 needles match only at even offsets, as in Node.
// An empty needle is left to node:buffer, whose answer depends on the offset.
func (b *Binding) bufferIndexOf(call goja.FunctionCall) goja.Value {
	hay, needle := b.view(call.Argument(0)), b.view(call.Argument(1))
	from := call.Argument(2).ToInteger()
	step := int64(1)
	if call.Argument(3).ToBoolean() {
		step = 2
	}
	if call.Argument(4).ToBoolean() {
		if from < 0 {
			from = 0
		}
		for i := from; i+int64(len(needle)) <= int64(len(hay)); {
			j := bytes.Index(hay[i:], needle)
			if j < 0 {
				break
			}
			at := i + int64(j)
			if step == 1 || at%2 == 0 {
				return b.rt.ToValue(at)
			}
			i = at + 1
		}
		return b.rt.ToValue(-1)
	}
	if last := int64(len(hay) - len(needle)); from > last {
		from = last
	}
	for i := from; i >= 0; i-- {
		if bytes.HasPrefix(hay[i:], needle) && (step == 1 || i%2 == 0) {
			return b.rt.ToValue(i)
		}
	}
	return b.rt.ToValue(-1)
}

// bufferFill(view, pattern, start, end) repeats pattern over view[start:end].
func (b *Binding) bufferFill(call goja.FunctionCall) goja.Value {
	dst := span(b.view(call.Argument(0)), call.Argument(2), call.Argument(3))
	pattern := b.view(call.Argument(1))
	if len(pattern) == 0 || len(dst) == 0 {
		return goja.Undefined()
	}
	// Copying what is already filled doubles the run each time.
	n := copy(dst, pattern)
	for n < len(dst) {
		n += copy(dst[n:], dst[:n])
	}
	return goja.Undefined()
}

// bufferCopy(target, source, targetStart, sourceStart, sourceEnd) copies
// as much as fits, overlapping or not, and returns the count.
func (b *Binding) bufferCopy(call goja.FunctionCall) goja.Value {
	dst := span(b.view(call.Argument(0)), call.Argument(2), nil)
	src := span(b.view(call.Argument(1)), call.Argument(3), call.Argument(4))
	return b.rt.ToValue(copy(dst, src))
}

// bufferSwap(view, size) reverses the byte order of each size-byte group;
// node:buffer has checked that the length is a multiple of size.
func (b *Binding) bufferSwap(call goja.FunctionCall) goja.Value {
	p := b.view(call.Argument(0))
	size := int(call.Argument(1).ToInteger())
	for i := 0; i+size <= len(p); i += size {
		g := p[i : i+size]
		for l, r := 0, size-1; l < r; l, r = l+1, r-1 {
			g[l], g[r] = g[r], g[l]
		}
	}
	return goja.Undefined()
}

// bufferIsUTF8(view) is buffer.isUtf8.
func (b *Binding) bufferIsUTF8(call goja.FunctionCall) goja.Value {
	return b.rt.ToValue(utf8.Valid(b.view(call.Argument(0))))
}

// bufferIsASCII(view) is buffer.isAscii.
func (b *Binding) bufferIsASCII(call goja.FunctionCall) goja.Value {
	return b.rt.ToValue(!hasHighByte(b.view(call.Argument(0))))
}
