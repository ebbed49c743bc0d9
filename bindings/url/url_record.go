package url

import (
	"strconv"
	"strings"
)

// record is a URL record (https://url.spec.whatwg.org/#concept-url). Its
// strings are already percent-encoded as the parser leaves them.
type record struct {
	scheme   string
	username string
	password string
	host     string // serialized; meaningful only if hasHost
	hasHost  bool
	port     int // -1 is null
	// path is a list of segments unless opaque is set, in which case
	// opaquePath is the whole path.
	path        []string
	opaque      bool
	opaquePath  string
	query       string
	hasQuery    bool
	fragment    string
	hasFragment bool
}

func isSpecialScheme(s string) bool {
	switch s {
	case "ftp", "file", "http", "https", "ws", "wss":
		return true
	}
	return false
}

// defaultPort returns the special scheme's default port, or -1.
func defaultPort(scheme string) int {
	switch scheme {
	case "ftp":
		return 21
	case "http", "ws":
		return 80
	case "https", "wss":
		return 443
	}
	return -1
}

func (u *record) special() bool { return isSpecialScheme(u.scheme) }

func (u *record) includesCredentials() bool { return u.username != "" || u.password != "" }

// cannotHaveCredentialsOrPort is the spec's "cannot have a
// username/password/port".
func (u *record) cannotHaveCredentialsOrPort() bool {
	return !u.hasHost || u.host == "" || u.scheme == "file"
}

// shortenPath implements https://url.spec.whatwg.org/#shorten-a-urls-path.
func (u *record) shortenPath() {
	if u.scheme == "file" && len(u.path) == 1 && isNormalizedDriveLetter(u.path[0]) {
		return
	}
	if len(u.path) > 0 {
		u.path = u.path[:len(u.path)-1]
	}
}

func (u *record) pathString() string {
	if u.opaque {
		return u.opaquePath
	}
	var b strings.Builder
	for _, s := range u.path {
		b.WriteByte('/')
		b.WriteString(s)
	}
	return b.String()
}

// String is the URL serializer (https://url.spec.whatwg.org/#concept-url-serializer).
func (u *record) String() string { return u.serialize(false) }

func (u *record) serialize(excludeFragment bool) string {
	var b strings.Builder
	b.WriteString(u.scheme)
	b.WriteByte(':')
	if u.hasHost {
		b.WriteString("//")
		if u.includesCredentials() {
			b.WriteString(u.username)
			if u.password != "" {
				b.WriteByte(':')
				b.WriteString(u.password)
			}
			b.WriteByte('@')
		}
		b.WriteString(u.host)
		if u.port >= 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(u.port))
		}
	} else if !u.opaque && len(u.path) > 1 && u.path[0] == "" {
		b.WriteString("/.")
	}
	b.WriteString(u.pathString())
	if u.hasQuery {
		b.WriteByte('?')
		b.WriteString(u.query)
	}
	if !excludeFragment && u.hasFragment {
		b.WriteByte('#')
		b.WriteString(u.fragment)
	}
	return b.String()
}

// origin returns the ASCII serialization of the URL's origin
// (https://url.spec.whatwg.org/#concept-url-origin); opaque origins are "null".
func (u *record) origin() string {
	switch u.scheme {
	case "blob":
		p, ok := parse(u.pathString(), nil)
		if ok && (p.scheme == "http" || p.scheme == "https") {
			return p.origin()
		}
		return "null"
	case "ftp", "http", "https", "ws", "wss":
		o := u.scheme + "://" + u.host
		if u.port >= 0 {
			o += ":" + strconv.Itoa(u.port)
		}
		return o
	}
	return "null"
}

func isASCIIAlpha(c rune) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// isDriveLetter is "Windows drive letter": an alpha then ':' or '|'.
func isDriveLetter(s string) bool {
	return len(s) == 2 && isASCIIAlpha(rune(s[0])) && (s[1] == ':' || s[1] == '|')
}

func isNormalizedDriveLetter(s string) bool { return isDriveLetter(s) && s[1] == ':' }

// startsWithDriveLetter is https://url.spec.whatwg.org/#start-with-a-windows-drive-letter.
func startsWithDriveLetter(r []rune) bool {
	if len(r) < 2 || !isASCIIAlpha(r[0]) || (r[1] != ':' && r[1] != '|') {
		return false
	}
	if len(r) == 2 {
		return true
	}
	switch r[2] {
	case '/', '\\', '?', '#':
		return true
	}
	return false
}
