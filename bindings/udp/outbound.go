package udp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"time"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/egress"
)

// OpenTimeout bounds the name lookup of an outbound socket's destination.
const OpenTimeout = 30 * time.Second

// NewSeedUDP is `new Socket({ type: 'udp', remote: { address, port } })`
// of the 2021 Socket Workers proposal, for package sockets' Socket
// constructor to return. The socket opens at once, in the background:
// remote is resolved and every address checked against the egress policy,
// and the socket is connected to the first allowed one. Writes wait for
// that; each sends one datagram. ready and opened resolve when it is open;
// if it cannot open they reject, and writes reject with the same error.
// Loop goroutine only.
func (b *Binding) NewSeedUDP(remote string, port uint16) (*goja.Object, error) {
	if remote == "" {
		return nil, errors.New("udp: the remote address is empty")
	}
	if port == 0 {
		return nil, errors.New("udp: the remote port must be from 1 to 65535")
	}
	s, err := b.newOutbound(kindSeed, false, trimBrackets(remote), port)
	if err != nil {
		return nil, err
	}
	s.wrap(b.socketProto)
	return s.obj, nil
}

// newOutbound makes a socket whose endpoint opens on a goroutine: a
// connected one to host:port, or with bind, one bound to host:port locally.
func (b *Binding) newOutbound(k kind, bind bool, host string, port uint16) (*socket, error) {
	rt := b.rt
	openP, resolve, reject := rt.NewPromise()
	s, err := b.newSocket(k, rt.ToValue(openP))
	if err != nil {
		return nil, err
	}
	s.bound = bind
	policy := b.opts.Policy
	done := b.h.Loop.RegisterCallback()
	go func() {
		ctx, cancel := context.WithTimeout(b.h.Context, OpenTimeout)
		defer cancel()
		ep, err := openEndpoint(ctx, policy, bind, host, port)
		if err == nil && !b.track(closer{ep}) {
			err = context.Canceled
		}
		done(func() error {
			switch {
			case err != nil:
				reason := s.jsError(err)
				reject(reason)
				s.closeWith(reason)
			case s.done:
				b.untrack(closer{ep})
				ep.close()
				reject(b.newError("The UDP socket was closed before it opened."))
			default:
				s.ep = ep
				s.opened.Fulfill(s.buildInfo)
				resolve(goja.Undefined())
			}
			return nil
		})
	}()
	return s, nil
}

// openEndpoint connects to host:port through the policy, or binds it.
func openEndpoint(ctx context.Context, policy *egress.Policy, bind bool, host string, port uint16) (endpoint, error) {
	target := net.JoinHostPort(host, strconv.Itoa(int(port)))
	if bind {
		var lc net.ListenConfig
		pc, err := lc.ListenPacket(ctx, "udp", target)
		if err != nil {
			return nil, fmt.Errorf("UDP bind to %s failed: %w", target, unwrapOp(err))
		}
		return &connEndpoint{c: pc.(*net.UDPConn)}, nil
	}
	if policy == nil {
		return nil, refusedAll(target)
	}
	addrs, err := policy.Resolve(ctx, host, port)
	if err != nil {
		return nil, wordError(target, err)
	}
	c, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(addrs[0]))
	if err != nil {
		return nil, wordError(target, err)
	}
	return &connEndpoint{c: c, connected: true}, nil
}

func refusedAll(target string) error {
	return fmt.Errorf("UDP to %s refused: outbound connections are disabled on this node", target)
}

// wordError words a failure for the script; an egress refusal is kept as
// is, since it names the rule.
func wordError(target string, err error) error {
	var denied *egress.DeniedError
	if errors.As(err, &denied) {
		return err
	}
	return fmt.Errorf("UDP to %s failed: %w", target, unwrapOp(err))
}

func trimBrackets(h string) string {
	if len(h) > 1 && h[0] == '[' && h[len(h)-1] == ']' {
		return h[1 : len(h)-1]
	}
	return h
}

// sendTo sends one datagram from a bound socket to the message's
// destination, which the egress policy must allow. An IP literal is checked
// and sent on the loop; a name is resolved on a goroutine and the write's
// promise settles when the datagram is sent.
func (s *socket) sendTo(p []byte, addrV, portV goja.Value) goja.Value {
	b := s.b
	rt := b.rt
	if goja.IsUndefined(addrV) || goja.IsNull(addrV) || addrV.String() == "" {
		panic(rt.NewTypeError("A message to a bound UDPSocket needs remoteAddress."))
	}
	port := -1.0
	if !goja.IsUndefined(portV) {
		port = portV.ToFloat()
	}
	if port < 1 || port > 65535 || port != float64(int(port)) {
		panic(rt.NewTypeError("A message's remotePort must be an integer from 1 to 65535."))
	}
	host := trimBrackets(addrV.String())
	target := net.JoinHostPort(host, strconv.Itoa(int(port)))
	policy := b.opts.Policy
	if policy == nil {
		panic(s.jsError(refusedAll(target)))
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		ap := netip.AddrPortFrom(ip.Unmap(), uint16(port))
		if err := policy.Check(ap); err != nil {
			panic(s.jsError(err))
		}
		if err := s.ep.sendTo(p, ap); err != nil {
			panic(s.jsError(wordError(target, err)))
		}
		s.sent(len(p))
		return goja.Undefined()
	}
	buf := append([]byte(nil), p...)
	ep := s.ep
	promise, resolve, reject := rt.NewPromise()
	done := b.h.Loop.RegisterCallback()
	go func() {
		ctx, cancel := context.WithTimeout(b.h.Context, OpenTimeout)
		defer cancel()
		addrs, err := policy.Resolve(ctx, host, uint16(port))
		if err == nil {
			err = ep.sendTo(buf, addrs[0])
		}
		done(func() error {
			if err != nil {
				reject(s.jsError(wordError(target, err)))
				return nil
			}
			s.sent(len(buf))
			resolve(goja.Undefined())
			return nil
		})
	}()
	return rt.ToValue(promise)
}
