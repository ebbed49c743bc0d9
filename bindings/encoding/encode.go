package encoding

import (
	"reflect"
	"unicode/utf8"
	"unsafe"

	"github.com/dop251/goja"
)

// goja keeps a string in one of three forms: ASCII as a Go string, anything
// else as UTF-16 code units (its unexported unicodeString, a []uint16 whose
// first element is a 0xFEFF marker), or, for long strings that came from Go,
// the original UTF-8 until something scans it. Its public API reads UTF-16
// one interface call per code unit (CharAt) or through String(), which
// decodes to runes and re-encodes to UTF-8, three allocations for one
// encode. The fast paths below read the first two forms in place and fall
// back to String(), which is correct for every form, when the layout is not
// the one they expect (a test pins that they are taken with the goja in
// go.mod).

// stringForm says how s can be read.
type stringForm int

const (
	formOther stringForm = iota // read through String()
	formASCII                   // a Go string of ASCII bytes
	formUTF16                   // UTF-16 code units, read in place
)

// formOf returns s's form and, for the first two, its contents.
func formOf(s goja.String) (stringForm, string, []uint16) {
	rv := reflect.ValueOf(s)
	switch rv.Kind() {
	case reflect.String:
		return formASCII, rv.String(), nil
	case reflect.Slice:
		if rv.Type().Elem().Kind() != reflect.Uint16 {
			break
		}
		n := rv.Len()
		if n == 0 || n-1 != s.Length() {
			break
		}
		u := unsafe.Slice((*uint16)(rv.UnsafePointer()), n)
		if u[0] != 0xFEFF {
			break
		}
		return formUTF16, "", u[1:]
	}
	return formOther, "", nil
}

// encodeUTF8 returns the UTF-8 encoding of s with lone surrogates replaced
// by U+FFFD, in a new slice the caller owns.
func encodeUTF8(s goja.String) []byte {
	form, a, u := formOf(s)
	switch form {
	case formASCII:
		return []byte(a)
	case formUTF16:
		return utf16ToUTF8(u)
	}
	str := s.String()
	if utf8.ValidString(str) {
		return []byte(str)
	}
	// Only a string imported from invalid Go UTF-8 gets here; goja reads each
	// invalid byte as U+FFFD, and so does ranging over it.
	out := make([]byte, 0, len(str)+8)
	for _, r := range str {
		out = utf8.AppendRune(out, r)
	}
	return out
}

// UTF8Len is the length in bytes of the UTF-16 text u encoded as UTF-8, a
// lone surrogate counting as U+FFFD (3 bytes), as TextEncoder encodes it.
func UTF8Len(u []uint16) int {
	n := 0
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case c < 0x80:
			n++
		case c < 0x800:
			n += 2
		case c >= 0xD800 && c <= 0xDBFF && i+1 < len(u) && u[i+1] >= 0xDC00 && u[i+1] <= 0xDFFF:
			n += 4
			i++
		default:
			n += 3
		}
	}
	return n
}

// utf16ToUTF8 converts in two passes so that the result is allocated once
// at its exact size.
func utf16ToUTF8(u []uint16) []byte {
	out := make([]byte, UTF8Len(u))
	w := 0
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case c < 0x80:
			out[w] = byte(c)
			w++
		case c < 0x800:
			out[w] = 0xC0 | byte(c>>6)
			out[w+1] = 0x80 | byte(c)&0x3F
			w += 2
		case c >= 0xD800 && c <= 0xDFFF:
			if c <= 0xDBFF && i+1 < len(u) && u[i+1] >= 0xDC00 && u[i+1] <= 0xDFFF {
				r := 0x10000 + (rune(c)-0xD800)<<10 + rune(u[i+1]) - 0xDC00
				out[w] = 0xF0 | byte(r>>18)
				out[w+1] = 0x80 | byte(r>>12)&0x3F
				out[w+2] = 0x80 | byte(r>>6)&0x3F
				out[w+3] = 0x80 | byte(r)&0x3F
				w += 4
				i++
				continue
			}
			w += copy(out[w:], replacement)
		default:
			out[w] = 0xE0 | byte(c>>12)
			out[w+1] = 0x80 | byte(c>>6)&0x3F
			out[w+2] = 0x80 | byte(c)&0x3F
			w += 3
		}
	}
	return out
}

// encodeInto writes the UTF-8 encoding of s into dst, whole scalar values
// only, and returns how many UTF-16 code units it read and bytes it wrote.
func encodeInto(s goja.String, dst []byte) (read, written int) {
	form, a, u := formOf(s)
	switch form {
	case formASCII:
		n := copy(dst, a)
		return n, n
	case formOther:
		// Rare (long strings from Go): read the code units through the API.
		u = make([]uint16, s.Length())
		for i := range u {
			u[i] = s.CharAt(i)
		}
	}
	for read < len(u) {
		c := u[read]
		if c < 0x80 {
			if written == len(dst) {
				break
			}
			dst[written] = byte(c)
			written++
			read++
			continue
		}
		r, units := rune(c), 1
		if c >= 0xD800 && c <= 0xDFFF {
			if c <= 0xDBFF && read+1 < len(u) && u[read+1] >= 0xDC00 && u[read+1] <= 0xDFFF {
				r, units = 0x10000+(rune(c)-0xD800)<<10+rune(u[read+1])-0xDC00, 2
			} else {
				r = utf8.RuneError
			}
		}
		if utf8.RuneLen(r) > len(dst)-written {
			break
		}
		written += utf8.EncodeRune(dst[written:], r)
		read += units
	}
	return read, written
}
