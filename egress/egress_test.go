package egress

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"
)

func TestDeployedPolicyRefusesInternalDestinations(t *testing.T) {
	p := Deployed()
	p.NodeAddrs = []netip.Addr{netip.MustParseAddr("203.0.113.7")}
	cases := map[string]Rule{
		"127.0.0.1:80":          RuleLoopback,
		"[::1]:80":              RuleLoopback,
		"10.1.2.3:5432":         RulePrivate,
		"192.168.0.1:80":        RulePrivate,
		"172.16.5.5:80":         RulePrivate,
		"100.64.0.1:80":         RulePrivate,
		"[fd00::1]:80":          RulePrivate,
		"169.254.169.254:80":    RuleLinkLocal,
		"[fe80::1]:80":          RuleLinkLocal,
		"224.0.0.1:80":          RuleMulticast,
		"0.0.0.0:80":            RuleUnspecified,
		"203.0.113.7:80":        RuleNodeAddress,
		"93.184.216.34:25":      RulePort,
		"[::ffff:127.0.0.1]:80": RuleLoopback,
		"[64:ff9b::a00:1]:80":   RulePrivate,
	}
	for addr, rule := range cases {
		err := p.Check(netip.MustParseAddrPort(addr))
		var de *DeniedError
		if !errors.As(err, &de) || de.Rule != rule {
			t.Errorf("%s: %v, want rule %s", addr, err, rule)
		}
	}
	if err := p.Check(netip.MustParseAddrPort("93.184.216.34:443")); err != nil {
		t.Errorf("public address refused: %v", err)
	}
}

func TestDevelopmentPolicyAllowsLocal(t *testing.T) {
	p := Development()
	for _, addr := range []string{"127.0.0.1:5432", "10.0.0.1:80", "[::1]:1"} {
		if err := p.Check(netip.MustParseAddrPort(addr)); err != nil {
			t.Errorf("%s: %v", addr, err)
		}
	}
	if err := p.Check(netip.MustParseAddrPort("169.254.169.254:80")); err == nil {
		t.Error("the cloud metadata address is reachable in development")
	}
}

// A name is checked by what it resolves to, so "localhost" cannot be used
// to reach loopback under the deployed policy.
func TestResolvedNamesAreCheckedAndErrorNamesRule(t *testing.T) {
	p := Deployed()
	_, err := p.DialTCP(context.Background(), "localhost", 9)
	if err == nil || !strings.Contains(err.Error(), "localhost:9") || !strings.Contains(err.Error(), `rule "loopback"`) {
		t.Fatalf("err = %v", err)
	}
}

func TestDialConnectsToCheckedAddress(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := uint16(ln.Addr().(*net.TCPAddr).Port)
	c, err := Development().DialTCP(context.Background(), "127.0.0.1", port)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
}
