// Package egress is the node operator's policy for outbound connections
// from workers: which addresses and ports a script may reach. It is applied
// to every resolved address at dial time, so a name that resolves to a
// denied address (DNS rebinding included) is refused.
package egress

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// Rule names a reason an address is denied; it appears in the error a
// script sees and in the operator's log.
type Rule string

// The rules a Policy applies.
const (
	RuleLoopback    Rule = "loopback"
	RulePrivate     Rule = "private"
	RuleLinkLocal   Rule = "link-local"
	RuleMulticast   Rule = "multicast"
	RuleUnspecified Rule = "unspecified"
	RuleNodeAddress Rule = "node-address"
	RulePort        Rule = "port"
)

// Policy decides which outbound destinations a worker may reach. The zero
// value denies everything but public addresses on any port.
type Policy struct {
	// AllowLoopback permits 127.0.0.0/8 and ::1 (local development).
	AllowLoopback bool
	// AllowPrivate permits RFC 1918, RFC 6598 (CGNAT) and fc00::/7 unique
	// local addresses, and the node's own addresses.
	AllowPrivate bool
	// DeniedPorts are refused whatever the address.
	DeniedPorts []uint16
	// NodeAddrs are the node's own addresses, refused unless AllowPrivate
	// (or AllowLoopback for loopback ones). See LocalAddrs.
	NodeAddrs []netip.Addr
	// Resolver resolves host names; nil means net.DefaultResolver.
	Resolver *net.Resolver
}

// Deployed returns the policy for workers deployed to an edge node: public
// addresses only, and never port 25 (SMTP submission to the world is the
// classic abuse of a shared node, and Cloudflare blocks it too).
func Deployed() *Policy {
	return &Policy{DeniedPorts: []uint16{25}, NodeAddrs: LocalAddrs()}
}

// Development returns the policy of `sockw run` and `sockw exec`: loopback
// and private networks are reachable, as a developer expects.
func Development() *Policy {
	return &Policy{AllowLoopback: true, AllowPrivate: true}
}

// LocalAddrs lists the addresses of this machine's interfaces.
func LocalAddrs() []netip.Addr {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var out []netip.Addr
	for _, a := range addrs {
		if p, err := netip.ParsePrefix(a.String()); err == nil {
			out = append(out, p.Addr().Unmap())
		}
	}
	return out
}

// DeniedError is a destination the policy refuses.
type DeniedError struct {
	Addr netip.AddrPort
	Host string // the name the script asked for, if any
	Rule Rule
}

func (e *DeniedError) Error() string {
	target := e.Addr.String()
	if e.Host != "" && e.Host != e.Addr.Addr().String() {
		target = fmt.Sprintf("%s (%s)", net.JoinHostPort(e.Host, strconv.Itoa(int(e.Addr.Port()))), e.Addr)
	}
	what := map[Rule]string{
		RuleLoopback:    "loopback addresses are not reachable",
		RulePrivate:     "private network addresses are not reachable",
		RuleLinkLocal:   "link-local addresses are not reachable",
		RuleMulticast:   "multicast addresses are not reachable",
		RuleUnspecified: "the unspecified address is not reachable",
		RuleNodeAddress: "the node's own addresses are not reachable",
		RulePort:        fmt.Sprintf("port %d is blocked", e.Addr.Port()),
	}[e.Rule]
	return fmt.Sprintf("connection to %s refused by the egress policy: %s (rule %q)", target, what, e.Rule)
}

var (
	cgnat     = netip.MustParsePrefix("100.64.0.0/10")
	benchmark = netip.MustParsePrefix("198.18.0.0/15")
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
)

// Check reports whether the policy allows addr, and which rule refuses it.
func (p *Policy) Check(addr netip.AddrPort) error {
	ip := addr.Addr().Unmap()
	if nat64.Contains(ip) {
		// A NAT64 address reaches the IPv4 address inside it.
		b := ip.As16()
		ip = netip.AddrFrom4([4]byte(b[12:]))
	}
	deny := func(r Rule) error { return &DeniedError{Addr: netip.AddrPortFrom(ip, addr.Port()), Rule: r} }
	if slices.Contains(p.DeniedPorts, addr.Port()) {
		return deny(RulePort)
	}
	switch {
	case ip.IsUnspecified():
		return deny(RuleUnspecified)
	case ip.IsLoopback():
		if !p.AllowLoopback {
			return deny(RuleLoopback)
		}
		return nil
	case ip.IsMulticast():
		return deny(RuleMulticast)
	case ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast():
		return deny(RuleLinkLocal)
	case ip.IsPrivate() || cgnat.Contains(ip) || benchmark.Contains(ip):
		if !p.AllowPrivate {
			return deny(RulePrivate)
		}
		return nil
	}
	if !p.AllowPrivate && slices.Contains(p.NodeAddrs, ip) {
		return deny(RuleNodeAddress)
	}
	return nil
}

// Resolve looks host up and returns the addresses the policy allows, in the
// resolver's order. If every address is refused, the error is the first
// refusal, which names the rule.
func (p *Policy) Resolve(ctx context.Context, host string, port uint16) ([]netip.AddrPort, error) {
	var ips []netip.Addr
	if ip, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		ips = []netip.Addr{ip}
	} else {
		r := p.Resolver
		if r == nil {
			r = net.DefaultResolver
		}
		found, err := r.LookupNetIP(ctx, "ip", host)
		if err != nil {
			return nil, err
		}
		ips = found
	}
	var allowed []netip.AddrPort
	var first error
	for _, ip := range ips {
		ap := netip.AddrPortFrom(ip.Unmap(), port)
		if err := p.Check(ap); err != nil {
			if de, ok := err.(*DeniedError); ok {
				de.Host = host
			}
			if first == nil {
				first = err
			}
			continue
		}
		allowed = append(allowed, ap)
	}
	if len(allowed) == 0 {
		return nil, first
	}
	return allowed, nil
}

// DialTCP resolves host, keeps the addresses the policy allows, and dials
// them in turn: the connection goes to an address that was checked, never
// to a name resolved again later.
func (p *Policy) DialTCP(ctx context.Context, host string, port uint16) (*net.TCPConn, error) {
	addrs, err := p.Resolve(ctx, host, port)
	if err != nil {
		return nil, err
	}
	var d net.Dialer
	var last error
	for _, a := range addrs {
		c, err := d.DialContext(ctx, "tcp", a.String())
		if err == nil {
			return c.(*net.TCPConn), nil
		}
		last = err
	}
	return nil, last
}
