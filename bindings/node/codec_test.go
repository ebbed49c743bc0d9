package node

import (
	"bytes"
	"encoding/hex"
	"testing"

	"github.com/dop251/goja"
)

func TestEncode(t *testing.T) {
	rt := goja.New()
	str := func(src string) goja.String {
		v, err := rt.RunString(src)
		if err != nil {
			t.Fatal(err)
		}
		return v.(goja.String)
	}
	cases := []struct {
		src  string
		enc  encoding
		want string // hex
	}{
		{`'héllo'`, encUTF8, "68c3a96c6c6f"},
		{`'a\ud800b'`, encUTF8, "61efbfbd62"},
		{`'\u{1F600}'`, encUTF8, "f09f9880"},
		{`'aé€'`, encLatin1, "61e9ac"},
		{`'aé€'`, encASCII, "61e9ac"},
		{`'a€'`, encUTF16LE, "6100ac20"},
		{`'ab'`, encUTF16LE, "61006200"},
		{`'a\ud800'`, encUTF16LE, "610000d8"},
		{`'YW Jj'`, encBase64, "616263"},
		{`'YQ==YQ=='`, encBase64, "61"},
		{`'-_-_'`, encBase64, "fbffbf"},
		{`'+/+/'`, encBase64URL, "fbffbf"},
		{`'YWJjZA'`, encBase64, "61626364"},
		{`'Y'`, encBase64, ""},
		{`'0a1Bzz'`, encHex, "0a1b"},
		{`'abc'`, encHex, "ab"},
	}
	for _, c := range cases {
		if got := hex.EncodeToString(encode(str(c.src), c.enc)); got != c.want {
			t.Errorf("encode(%s, %d) = %s, want %s", c.src, c.enc, got, c.want)
		}
	}
}

func TestDecode(t *testing.T) {
	rt := goja.New()
	cases := []struct {
		in   string // hex
		enc  encoding
		want string
	}{
		{"68c3a96c6c6f", encUTF8, "héllo"},
		{"e28261f09f98", encUTF8, "\uFFFDa\uFFFD"},
		{"c080eda080", encUTF8, "\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD"},
		{"efbfbd", encUTF8, "\uFFFD"},
		{"61ff80e9", encLatin1, "a\u00ff\u0080\u00e9"},
		{"61ff80e9", encASCII, "a\x7f\x00i"},
		{"0102030405", encUTF16LE, "\u0201\u0403"},
		{"61ff80e9", encBase64, "Yf+A6Q=="},
		{"61ff80e9", encBase64URL, "Yf-A6Q"},
		{"61ff80e9", encHex, "61ff80e9"},
	}
	for _, c := range cases {
		p, _ := hex.DecodeString(c.in)
		if got := decode(rt, p, c.enc).String(); got != c.want {
			t.Errorf("decode(%s, %d) = %q, want %q", c.in, c.enc, got, c.want)
		}
	}
}

func TestByteLength(t *testing.T) {
	rt := goja.New()
	cases := []struct {
		src  string
		enc  encoding
		want int
	}{
		{`'héllo'`, encUTF8, 6},
		{`'a\ud800b'`, encUTF8, 5},
		{`'\u{1F600}'`, encUTF8, 4},
		{`'héllo'`, encUTF16LE, 10},
		{`'héllo'`, encLatin1, 5},
		{`'abcd'`, encHex, 2},
		{`'YW Jj'`, encBase64, 3},
		{`'YWJjZA=='`, encBase64, 4},
	}
	for _, c := range cases {
		v, _ := rt.RunString(c.src)
		if got := byteLength(v.(goja.String), c.enc); got != c.want {
			t.Errorf("byteLength(%s, %d) = %d, want %d", c.src, c.enc, got, c.want)
		}
		// What byteLength promises for the exact encodings is encode's length.
		if c.enc != encBase64 {
			if n := len(encode(v.(goja.String), c.enc)); n != c.want {
				t.Errorf("len(encode(%s, %d)) = %d, byteLength says %d", c.src, c.enc, n, c.want)
			}
		}
	}
}

func TestWriteLengthKeepsCharactersWhole(t *testing.T) {
	p := []byte("a€b") // 61 e2 82 ac 62
	for n, want := range []int{0, 1, 1, 1, 4, 5, 5} {
		if got := writeLength(p, n, encUTF8); got != want {
			t.Errorf("utf8 writeLength(%d) = %d, want %d", n, got, want)
		}
	}
	if got := writeLength([]byte{1, 2, 3, 4}, 3, encUTF16LE); got != 2 {
		t.Errorf("utf16le writeLength(3) = %d, want 2", got)
	}
	if got := writeLength([]byte{1, 2, 3, 4}, 3, encHex); got != 3 {
		t.Errorf("hex writeLength(3) = %d, want 3", got)
	}
}

func TestDecodeBase64RoundTrip(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	rt := goja.New()
	for _, enc := range []encoding{encBase64, encBase64URL} {
		s := decode(rt, all, enc).String()
		if got := decodeBase64(s); !bytes.Equal(got, all) {
			t.Errorf("round trip through %d: got %x", enc, got)
		}
	}
}
