package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/sockw/sockw/egress"
)

// egressFlags are the outbound-policy flags shared by run and exec.
type egressFlags struct {
	mode      string
	denyPorts string
}

func (e *egressFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&e.mode, "egress", "development", "outbound policy for connect(): development (loopback and private networks reachable) or deployed (public addresses only, as on an edge node)")
	fs.StringVar(&e.denyPorts, "egress-deny-ports", "", "comma-separated ports connect() may never reach (deployed default: 25)")
}

func (e *egressFlags) policy() (*egress.Policy, error) {
	var p *egress.Policy
	switch e.mode {
	case "development":
		p = egress.Development()
	case "deployed":
		p = egress.Deployed()
	default:
		return nil, fmt.Errorf("--egress %q: want development or deployed", e.mode)
	}
	if e.denyPorts != "" {
		p.DeniedPorts = nil
		for _, f := range strings.Split(e.denyPorts, ",") {
			n, err := strconv.ParseUint(strings.TrimSpace(f), 10, 16)
			if err != nil {
				return nil, fmt.Errorf("--egress-deny-ports: %q is not a port", f)
			}
			p.DeniedPorts = append(p.DeniedPorts, uint16(n))
		}
	}
	return p, nil
}
