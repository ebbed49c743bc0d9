package url

import (
	"strconv"
	"strings"
)

// state is a state of the basic URL parser.
type state int

const (
	stateNone state = iota
	stateSchemeStart
	stateScheme
	stateNoScheme
	stateSpecialRelativeOrAuthority
	statePathOrAuthority
	stateRelative
	stateRelativeSlash
	stateSpecialAuthoritySlashes
	stateSpecialAuthorityIgnoreSlashes
	stateAuthority
	stateHost
	stateHostname
	statePort
	stateFile
	stateFileSlash
	stateFileHost
	statePathStart
	statePath
	stateOpaquePath
	stateQuery
	stateFragment
)

const eof = -1

// parse is the API URL parser: it parses input against an optional base.
func parse(input string, base *record) (*record, bool) {
	u := &record{port: -1}
	if !basicParse(input, base, u, stateNone) {
		return nil, false
	}
	return u, true
}

// basicParse implements https://url.spec.whatwg.org/#concept-basic-url-parser.
// With override set it modifies u in place as the setters need, and its
// result says only whether u may have changed; without it, u must be a new
// record and the result is success.
func basicParse(input string, base, u *record, override state) bool {
	if override == stateNone {
		input = strings.TrimFunc(input, func(r rune) bool { return r <= 0x20 })
	}
	input = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, input)
	in := []rune(input)
	st := override
	if st == stateNone {
		st = stateSchemeStart
	}
	var buf strings.Builder
	atSignSeen, insideBrackets, passwordTokenSeen := false, false, false

	for p := 0; ; p++ {
		c := rune(eof)
		if p < len(in) {
			c = in[p]
		}
		// remaining reports whether what follows c starts with the ASCII char r.
		remaining := func(r rune) bool { return p+1 < len(in) && in[p+1] == r }
		switch st {
		case stateSchemeStart:
			if isASCIIAlpha(c) {
				buf.WriteRune(toLower(c))
				st = stateScheme
			} else if override == stateNone {
				st = stateNoScheme
				p--
			} else {
				return false
			}

		case stateScheme:
			if isASCIIAlpha(c) || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.' {
				buf.WriteRune(toLower(c))
			} else if c == ':' {
				scheme := buf.String()
				if override != stateNone {
					if u.special() != isSpecialScheme(scheme) ||
						(u.includesCredentials() || u.port >= 0) && scheme == "file" ||
						u.scheme == "file" && u.hasHost && u.host == "" {
						return false
					}
				}
				u.scheme = scheme
				if override != stateNone {
					if u.port == defaultPort(u.scheme) {
						u.port = -1
					}
					return true
				}
				buf.Reset()
				switch {
				case u.scheme == "file":
					st = stateFile
				case u.special() && base != nil && base.scheme == u.scheme:
					st = stateSpecialRelativeOrAuthority
				case u.special():
					st = stateSpecialAuthoritySlashes
				case remaining('/'):
					st = statePathOrAuthority
					p++
				default:
					u.opaque, u.opaquePath = true, ""
					st = stateOpaquePath
				}
			} else if override == stateNone {
				buf.Reset()
				st = stateNoScheme
				p = -1
			} else {
				return false
			}

		case stateNoScheme:
			if base == nil || base.opaque && c != '#' {
				return false
			}
			if base.opaque && c == '#' {
				u.scheme, u.opaque, u.opaquePath = base.scheme, true, base.opaquePath
				u.query, u.hasQuery = base.query, base.hasQuery
				u.fragment, u.hasFragment = "", true
				st = stateFragment
			} else if base.scheme != "file" {
				st = stateRelative
				p--
			} else {
				st = stateFile
				p--
			}

		case stateSpecialRelativeOrAuthority:
			if c == '/' && remaining('/') {
				st = stateSpecialAuthorityIgnoreSlashes
				p++
			} else {
				st = stateRelative
				p--
			}

		case statePathOrAuthority:
			if c == '/' {
				st = stateAuthority
			} else {
				st = statePath
				p--
			}

		case stateRelative:
			u.scheme = base.scheme
			if c == '/' || u.special() && c == '\\' {
				st = stateRelativeSlash
				break
			}
			u.username, u.password, u.host, u.hasHost, u.port = base.username, base.password, base.host, base.hasHost, base.port
			u.path = append([]string(nil), base.path...)
			u.query, u.hasQuery = base.query, base.hasQuery
			switch c {
			case '?':
				u.query, u.hasQuery = "", true
				st = stateQuery
			case '#':
				u.fragment, u.hasFragment = "", true
				st = stateFragment
			case eof:
			default:
				u.query, u.hasQuery = "", false
				u.shortenPath()
				st = statePath
				p--
			}

		case stateRelativeSlash:
			if u.special() && (c == '/' || c == '\\') {
				st = stateSpecialAuthorityIgnoreSlashes
			} else if c == '/' {
				st = stateAuthority
			} else {
				u.username, u.password, u.host, u.hasHost, u.port = base.username, base.password, base.host, base.hasHost, base.port
				st = statePath
				p--
			}

		case stateSpecialAuthoritySlashes:
			st = stateSpecialAuthorityIgnoreSlashes
			if c == '/' && remaining('/') {
				p++
			} else {
				p--
			}

		case stateSpecialAuthorityIgnoreSlashes:
			if c != '/' && c != '\\' {
				st = stateAuthority
				p--
			}

		case stateAuthority:
			if c == '@' {
				b := buf.String()
				if atSignSeen {
					b = "%40" + b
				}
				atSignSeen = true
				var user, pass strings.Builder
				user.WriteString(u.username)
				pass.WriteString(u.password)
				for _, r := range b {
					if r == ':' && !passwordTokenSeen {
						passwordTokenSeen = true
						continue
					}
					if passwordTokenSeen {
						encodeRune(&pass, r, userinfoSet)
					} else {
						encodeRune(&user, r, userinfoSet)
					}
				}
				u.username, u.password = user.String(), pass.String()
				buf.Reset()
			} else if c == eof || c == '/' || c == '?' || c == '#' || u.special() && c == '\\' {
				if atSignSeen && buf.Len() == 0 {
					return false
				}
				p -= len([]rune(buf.String())) + 1
				buf.Reset()
				st = stateHost
			} else {
				buf.WriteRune(c)
			}

		case stateHost, stateHostname:
			if override != stateNone && u.scheme == "file" {
				p--
				st = stateFileHost
			} else if c == ':' && !insideBrackets {
				if buf.Len() == 0 {
					return false
				}
				if override == stateHostname {
					return false
				}
				host, ok := parseHost(buf.String(), !u.special())
				if !ok {
					return false
				}
				u.host, u.hasHost = host, true
				buf.Reset()
				st = statePort
			} else if c == eof || c == '/' || c == '?' || c == '#' || u.special() && c == '\\' {
				p--
				if u.special() && buf.Len() == 0 {
					return false
				}
				if override != stateNone && buf.Len() == 0 && (u.includesCredentials() || u.port >= 0) {
					return false
				}
				host, ok := parseHost(buf.String(), !u.special())
				if !ok {
					return false
				}
				u.host, u.hasHost = host, true
				buf.Reset()
				st = statePathStart
				if override != stateNone {
					return true
				}
			} else {
				if c == '[' {
					insideBrackets = true
				} else if c == ']' {
					insideBrackets = false
				}
				buf.WriteRune(c)
			}

		case statePort:
			if '0' <= c && c <= '9' {
				buf.WriteRune(c)
			} else if c == eof || c == '/' || c == '?' || c == '#' || u.special() && c == '\\' || override != stateNone {
				if buf.Len() != 0 {
					port, err := strconv.Atoi(buf.String())
					if err != nil || port > 65535 {
						return false
					}
					if port == defaultPort(u.scheme) {
						port = -1
					}
					u.port = port
					buf.Reset()
					if override != stateNone {
						return true
					}
				}
				if override != stateNone {
					return false
				}
				st = statePathStart
				p--
			} else {
				return false
			}

		case stateFile:
			u.scheme = "file"
			u.host, u.hasHost = "", true
			if c == '/' || c == '\\' {
				st = stateFileSlash
			} else if base != nil && base.scheme == "file" {
				u.host, u.hasHost = base.host, base.hasHost
				u.path = append([]string(nil), base.path...)
				u.query, u.hasQuery = base.query, base.hasQuery
				switch c {
				case '?':
					u.query, u.hasQuery = "", true
					st = stateQuery
				case '#':
					u.fragment, u.hasFragment = "", true
					st = stateFragment
				case eof:
				default:
					u.query, u.hasQuery = "", false
					if !startsWithDriveLetter(in[p:]) {
						u.shortenPath()
					} else {
						u.path = nil
					}
					st = statePath
					p--
				}
			} else {
				st = statePath
				p--
			}

		case stateFileSlash:
			if c == '/' || c == '\\' {
				st = stateFileHost
			} else {
				if base != nil && base.scheme == "file" {
					u.host, u.hasHost = base.host, base.hasHost
					if !startsWithDriveLetter(in[min(p, len(in)):]) && len(base.path) > 0 && isNormalizedDriveLetter(base.path[0]) {
						u.path = append(u.path, base.path[0])
					}
				}
				st = statePath
				p--
			}

		case stateFileHost:
			if c == eof || c == '/' || c == '\\' || c == '?' || c == '#' {
				p--
				if override == stateNone && isDriveLetter(buf.String()) {
					st = statePath // buf is kept: it is the path's first segment
				} else if buf.Len() == 0 {
					u.host, u.hasHost = "", true
					if override != stateNone {
						return true
					}
					st = statePathStart
				} else {
					host, ok := parseHost(buf.String(), !u.special())
					if !ok {
						return false
					}
					if host == "localhost" {
						host = ""
					}
					u.host, u.hasHost = host, true
					if override != stateNone {
						return true
					}
					buf.Reset()
					st = statePathStart
				}
			} else {
				buf.WriteRune(c)
			}

		case statePathStart:
			switch {
			case u.special():
				st = statePath
				if c != '/' && c != '\\' {
					p--
				}
			case override == stateNone && c == '?':
				u.query, u.hasQuery = "", true
				st = stateQuery
			case override == stateNone && c == '#':
				u.fragment, u.hasFragment = "", true
				st = stateFragment
			case c != eof:
				st = statePath
				if c != '/' {
					p--
				}
			case override != stateNone && !u.hasHost:
				u.path = append(u.path, "")
			}

		case statePath:
			slash := c == '/' || u.special() && c == '\\'
			if c == eof || slash || override == stateNone && (c == '?' || c == '#') {
				seg := buf.String()
				switch {
				case isDoubleDot(seg):
					u.shortenPath()
					if !slash {
						u.path = append(u.path, "")
					}
				case isSingleDot(seg):
					if !slash {
						u.path = append(u.path, "")
					}
				default:
					if u.scheme == "file" && len(u.path) == 0 && isDriveLetter(seg) {
						seg = seg[:1] + ":"
					}
					u.path = append(u.path, seg)
				}
				buf.Reset()
				if c == '?' {
					u.query, u.hasQuery = "", true
					st = stateQuery
				} else if c == '#' {
					u.fragment, u.hasFragment = "", true
					st = stateFragment
				}
			} else {
				encodeRune(&buf, c, pathSet)
			}

		case stateOpaquePath:
			switch c {
			case '?':
				u.query, u.hasQuery = "", true
				st = stateQuery
			case '#':
				u.fragment, u.hasFragment = "", true
				st = stateFragment
			case ' ':
				if remaining('?') || remaining('#') {
					u.opaquePath += "%20"
				} else {
					u.opaquePath += " "
				}
			case eof:
			default:
				var b strings.Builder
				encodeRune(&b, c, c0ControlSet)
				u.opaquePath += b.String()
			}

		case stateQuery:
			if override == stateNone && c == '#' || c == eof {
				set := querySet
				if u.special() {
					set = specialQuerySet
				}
				u.query += encode(buf.String(), set)
				buf.Reset()
				if c == '#' {
					u.fragment, u.hasFragment = "", true
					st = stateFragment
				}
			} else if c != eof {
				buf.WriteRune(c)
			}

		case stateFragment:
			if c != eof {
				var b strings.Builder
				encodeRune(&b, c, fragmentSet)
				u.fragment += b.String()
			}
		}
		if p >= len(in) {
			break
		}
	}
	return true
}

func toLower(c rune) rune {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func isSingleDot(s string) bool { return s == "." || strings.EqualFold(s, "%2e") }

func isDoubleDot(s string) bool {
	switch strings.ToLower(s) {
	case "..", ".%2e", "%2e.", "%2e%2e":
		return true
	}
	return false
}
