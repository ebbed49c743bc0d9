package url

import "testing"

// Cases from the URL Standard's examples and web-platform-tests'
// urltestdata.json; "" as want means failure.
var parseCases = []struct{ input, base, want string }{
	{"http://example.com/a/../b/./c", "", "http://example.com/b/c"},
	{"HTTP://EXAMPLE.COM:80/", "", "http://example.com/"},
	{"https://example.com:443/x", "", "https://example.com/x"},
	{"https://example.com:0443/x", "", "https://example.com/x"},
	{"http://example.com:65535/", "", "http://example.com:65535/"},
	{"http://example.com:65536/", "", ""},
	{"http://example.com:8a/", "", ""},
	{"  \t http://a.com/ \n", "", "http://a.com/"},
	{"ht\ntp://a.c\tom/p\rq", "", "http://a.com/pq"},
	{"http:\\\\a.com\\b\\c", "", "http://a.com/b/c"},
	{"http:/a.com/", "", "http://a.com/"},
	{"http:a.com/", "", "http://a.com/"},
	{"http://0x7f.1/", "", "http://127.0.0.1/"},
	{"http://0300.0250.0.1/", "", "http://192.168.0.1/"},
	{"http://4294967295/", "", "http://255.255.255.255/"},
	{"http://4294967296/", "", ""},
	{"http://256.0.0.1/", "", ""},
	{"http://1.2.3.4.5/", "", ""},
	{"http://1.2.3.09/", "", ""},
	{"http://foo.09/", "", ""},
	{"http://foo.0x/", "", ""},
	{"http://1.2.3.4./", "", "http://1.2.3.4/"},
	{"http://example.com./", "", "http://example.com./"},
	{"http://[::1]:8080/", "", "http://[::1]:8080/"},
	{"http://[0:0:0:0:0:0:0:1]/", "", "http://[::1]/"},
	{"http://[1:0:0:2:0:0:0:3]/", "", "http://[1:0:0:2::3]/"},
	{"http://[::ffff:192.168.0.1]/", "", "http://[::ffff:c0a8:1]/"},
	{"http://[1:2:3:4:5:6:7:8:9]/", "", ""},
	{"http://[::1::]/", "", ""},
	{"http://[1:2::3]x/", "", ""},
	{"http://[::1.2.3.]/", "", ""},
	{"http://a b/", "", ""},
	{"http://a%20b/", "", ""},
	{"http://a<b/", "", ""},
	{"http://%41.com/", "", "http://a.com/"},
	{"http://ex%00ample.com/", "", ""},
	{"https://\u00df.de/", "", "https://xn--zca.de/"},
	{"https://B\u00fccher.example/", "", "https://xn--bcher-kva.example/"},
	{"https://xn--a.com/", "", ""},
	{"https://\uFF21.com/", "", "https://a.com/"},
	{"http://user:pa ss@a.com/", "", "http://user:pa%20ss@a.com/"},
	{"http://us@er:p@ss@a.com/", "", "http://us%40er:p%40ss@a.com/"},
	{"http://@a.com/", "", "http://a.com/"},
	{"http://:@a.com/", "", "http://a.com/"},
	{"http://user@/", "", ""},
	{"http:///", "", ""},
	{"http://a.com/%7Efoo?x=a b#c d", "", "http://a.com/%7Efoo?x=a%20b#c%20d"},
	{"http://a.com/'\"<>`{}^?'\"<>`{}^#'\"<>`{}^", "", "http://a.com/'%22%3C%3E%60%7B%7D%5E?%27%22%3C%3E`{}^#'%22%3C%3E%60{}^"},
	{"foo://h/'?'#x", "", "foo://h/'?'#x"},
	{"http://a.com/\u00e9?\u00e9#\u00e9", "", "http://a.com/%C3%A9?%C3%A9#%C3%A9"},
	{"http://a.com/a/%2e%2E/b/%2e/c", "", "http://a.com/b/c"},
	{"http://a.com/..", "", "http://a.com/"},
	{"http://a.com/a/..", "", "http://a.com/"},
	{"http://a.com/a/.", "", "http://a.com/a/"},
	{"foo://h/a b", "", "foo://h/a%20b"},
	{"foo:/.//p", "", "foo:/.//p"},
	{"foo:/..//p", "", "foo:/.//p"},
	{"foo://", "", "foo://"},
	{"foo:bar baz", "", "foo:bar baz"},
	{"foo:bar ?q", "", "foo:bar%20?q"},
	{"foo:\u00e9\u0001x\u0001", "", "foo:%C3%A9%01x"},
	{"mailto:a@b.c", "", "mailto:a@b.c"},
	{"javascript:alert(1)", "", "javascript:alert(1)"},
	{"data:text/plain,hi", "", "data:text/plain,hi"},
	{"foo://ex ample/", "", ""},
	{"foo://ex%20ample/", "", "foo://ex%20ample/"},
	{"foo://EXAMPLE/", "", "foo://EXAMPLE/"},
	{"sc://\u00f1/", "", "sc://%C3%B1/"},
	{"non-spec:/.//", "", "non-spec:/.//"},
	{"a", "", ""},
	{"", "", ""},
	{"//a/b", "", ""},
	{"1http://a/", "", ""},
	{"http://example.com:/", "", "http://example.com/"},
	{"http://a.com:0/", "", "http://a.com:0/"},
	{"ws://a.com:80/", "", "ws://a.com/"},
	{"http://a:b@c:d/", "", ""},
	{"http://%30%78%37%66.1/", "", "http://127.0.0.1/"},
	{"http://example.com/foo%2Fbar", "", "http://example.com/foo%2Fbar"},
	{"https://fa\u00df.ExAmPlE/", "", "https://xn--fa-hia.example/"},
	{"http://a\u0000b/", "", ""},
	{"http://a\u00adb/", "", "http://ab/"},
	{"http://a%C2%ADb/", "", "http://ab/"},
	{"http://a..b/", "", "http://a..b/"},
	{"http://-a.com/", "", "http://-a.com/"},
	{"http://a_b.com/", "", "http://a_b.com/"},
	{"http://%zz/", "", ""},
	{"http://a%/", "", ""},
	{"http://[::1]x/", "", ""},
	{"http://[::127.0.0.1]/", "", "http://[::7f00:1]/"},
	{"http://[0::]/", "", "http://[::]/"},
	{"http://[1::2:0:0:3]/", "", "http://[1::2:0:0:3]/"},
	// Relative references.
	{"b/c", "http://a/x/y", "http://a/x/b/c"},
	{"../c", "http://a/x/y/z", "http://a/x/c"},
	{"/c", "http://a/x/y", "http://a/c"},
	{"//h/c", "http://a/x", "http://h/c"},
	{"\\\\h\\c", "http://a/x", "http://h/c"},
	{"?q", "http://a/x?y#z", "http://a/x?q"},
	{"#f", "http://a/x?y#z", "http://a/x?y#f"},
	{"", "http://a/x?y#z", "http://a/x?y"},
	{"http:b", "http://a/x/y", "http://a/x/b"},
	{"https:b", "http://a/x/y", "https://b/"},
	{"g:h", "http://a/b/c/d;p?q", "g:h"},
	{"./g", "http://a/b/c/d;p?q", "http://a/b/c/g"},
	{"g/", "http://a/b/c/d;p?q", "http://a/b/c/g/"},
	{"../../../g", "http://a/b/c/d;p?q", "http://a/g"},
	{"g?y/./x", "http://a/b/c/d;p?q", "http://a/b/c/g?y/./x"},
	{"g#s/../x", "http://a/b/c/d;p?q", "http://a/b/c/g#s/../x"},
	{"#x", "mailto:a@b", "mailto:a@b#x"},
	{"x", "mailto:a@b", ""},
	{"x", "foo:/a/b", "foo:/a/x"},
	// file URLs.
	{"file:///C:/x/../y", "", "file:///C:/y"},
	{"file:///C:/..", "", "file:///C:/"},
	{"file:/C|/x", "", "file:///C:/x"},
	{"file://localhost/a", "", "file:///a"},
	{"file://LOCALHOST/a", "", "file:///a"},
	{"file://host/a", "", "file://host/a"},
	{"file:c:\\x", "", "file:///c:/x"},
	{"file://C:/x", "", "file:///C:/x"},
	{"file:", "", "file:///"},
	{"file:?q", "", "file:///?q"},
	{"x", "file:///a/b", "file:///a/x"},
	{"/x", "file:///C:/a/b", "file:///C:/x"},
	{"//h/x", "file:///a", "file://h/x"},
	{"C|/x", "file:///a/b", "file:///C:/x"},
	{"..", "file:///C:/", "file:///C:/"},
	{"file://1.2.3/", "", "file://1.2.0.3/"},
	{"file://[::1]/", "", "file://[::1]/"},
}

func TestParse(t *testing.T) {
	for _, c := range parseCases {
		var base *record
		if c.base != "" {
			b, ok := parse(c.base, nil)
			if !ok {
				t.Fatalf("base %q did not parse", c.base)
			}
			base = b
		}
		u, ok := parse(c.input, base)
		got := ""
		if ok {
			got = u.String()
		}
		if got != c.want {
			t.Errorf("parse(%q, %q) = %q, want %q", c.input, c.base, got, c.want)
		}
	}
}

func TestOrigin(t *testing.T) {
	for in, want := range map[string]string{
		"https://a.com:443/x":       "https://a.com",
		"http://a.com:8080/x":       "http://a.com:8080",
		"blob:https://a.com:1/x":    "https://a.com:1",
		"blob:foo:bar":              "null",
		"file:///x":                 "null",
		"foo://a/":                  "null",
		"ws://[::1]/":               "ws://[::1]",
		"https://xn--bcher-kva.ch/": "https://xn--bcher-kva.ch",
	} {
		u, ok := parse(in, nil)
		if !ok {
			t.Fatalf("%q did not parse", in)
		}
		if got := u.origin(); got != want {
			t.Errorf("origin(%q) = %q, want %q", in, got, want)
		}
	}
}
