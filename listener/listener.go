// Package listener accepts connections for sockw: it parses --listen
// addresses, owns the sockets, and hands each connection to a handler. It
// knows nothing of JavaScript.
package listener

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// ErrServerClosed is returned by Serve after Close.
var ErrServerClosed = errors.New("listener closed")

// Address is a parsed listen address such as tcp://127.0.0.1:8787.
type Address struct {
	// Network is the scheme: "tcp", "tls", "udp" or "quic".
	Network string
	// HostPort is the host and port to bind, as net.Listen takes them.
	HostPort string
}

func (a Address) String() string { return a.Network + "://" + a.HostPort }

// networks lists the schemes ParseAddress accepts.
var networks = []string{"tcp", "tls", "udp", "quic"}

// ParseAddress parses a listen URL "scheme://host:port". The host may be an
// IP literal (IPv6 in brackets) or a name; the port is required (0 picks a
// free one).
func ParseAddress(s string) (Address, error) {
	bad := func(why string) (Address, error) {
		return Address{}, fmt.Errorf("listen address %q: %s (want e.g. tcp://127.0.0.1:8787)", s, why)
	}
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		return bad("missing scheme")
	}
	known := false
	for _, n := range networks {
		known = known || n == scheme
	}
	if !known {
		return bad(fmt.Sprintf("unknown scheme %q; sockw listens on %s", scheme, strings.Join(networks, ", ")))
	}
	u, err := url.Parse(s)
	if err != nil || u.Path != "" || u.RawQuery != "" || u.User != nil {
		return bad("expected only scheme, host and port")
	}
	host, port, err := net.SplitHostPort(rest)
	if err != nil {
		return bad("missing or malformed port")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return bad(fmt.Sprintf("port %q out of range", port))
	}
	return Address{Network: scheme, HostPort: net.JoinHostPort(host, port)}, nil
}
