package quic

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/dop251/goja"
	quicgo "github.com/quic-go/quic-go"

	"github.com/sockw/sockw/egress"
)

// DialTimeout bounds an outbound connect, handshake included.
const DialTimeout = 30 * time.Second

// dialConfig is what a client connection may hold; datagrams are on so
// that datagrams works both ways.
func dialConfig() *quicgo.Config {
	return &quicgo.Config{
		HandshakeIdleTimeout: 10 * time.Second,
		MaxIdleTimeout:       30 * time.Second,
		EnableDatagrams:      true,
	}
}

type connectOptions struct {
	host       string
	port       uint16
	alpn       []string
	serverName string
	roots      *x509.CertPool
}

// jsConnectQuic is connectQuic({hostname, port, alpn, serverName?,
// caCerts?}): bad options throw a TypeError; the promise resolves with a
// QuicConnection once the handshake is done, or rejects with why not.
func (b *Binding) jsConnectQuic(call goja.FunctionCall) goja.Value {
	o := b.parseConnect(call.Argument(0))
	p, resolve, reject := b.rt.NewPromise()
	policy := b.opts.Policy
	tlsConfig := &tls.Config{ServerName: o.host, NextProtos: o.alpn, RootCAs: o.roots}
	if o.serverName != "" {
		tlsConfig.ServerName = o.serverName
	}
	done := b.h.Loop.RegisterCallback()
	go func() {
		qc, err := dial(b.h.Context, policy, o.host, o.port, tlsConfig)
		done(func() error {
			if err != nil {
				reject(b.jsError(err))
				return nil
			}
			c, err := b.newConnection(qc)
			if err != nil {
				reject(b.jsError(err))
				return nil
			}
			resolve(c.obj)
			return nil
		})
	}()
	return b.rt.ToValue(p)
}

// dial resolves host under policy and dials the addresses it allows in
// turn: the connection goes to an address that was checked, never to a name
// resolved again later.
func dial(ctx context.Context, policy *egress.Policy, host string, port uint16, tlsConfig *tls.Config) (*quicgo.Conn, error) {
	hostPort := net.JoinHostPort(host, strconv.Itoa(int(port)))
	if policy == nil {
		return nil, fmt.Errorf("connection to %s refused: outbound connections are disabled on this node", hostPort)
	}
	ctx, cancel := context.WithTimeout(ctx, DialTimeout)
	defer cancel()
	addrs, err := policy.Resolve(ctx, host, port)
	if err != nil {
		var denied *egress.DeniedError
		if errors.As(err, &denied) {
			return nil, err
		}
		return nil, fmt.Errorf("connectQuic to %s failed: %w", hostPort, err)
	}
	var last error
	for _, a := range addrs {
		qc, err := quicgo.DialAddr(ctx, a.String(), tlsConfig, dialConfig())
		if err == nil {
			return qc, nil
		}
		last = err
	}
	return nil, fmt.Errorf("connectQuic to %s failed: %w", hostPort, last)
}

// parseConnect reads connectQuic's options; anything malformed is a TypeError.
func (b *Binding) parseConnect(v goja.Value) connectOptions {
	rt := b.rt
	obj, ok := v.(*goja.Object)
	if !ok {
		panic(rt.NewTypeError("connectQuic: the argument must be an object { hostname, port, alpn }"))
	}
	var o connectOptions
	hv := obj.Get("hostname")
	if hv == nil || goja.IsUndefined(hv) || hv.String() == "" {
		panic(rt.NewTypeError("connectQuic: hostname is required"))
	}
	o.host = hv.String()
	if len(o.host) > 1 && o.host[0] == '[' && o.host[len(o.host)-1] == ']' {
		o.host = o.host[1 : len(o.host)-1]
	}
	pv := obj.Get("port")
	port := -1.0
	if pv != nil && !goja.IsUndefined(pv) {
		port = pv.ToFloat()
	}
	if port < 1 || port > 65535 || port != float64(int(port)) {
		panic(rt.NewTypeError("connectQuic: port must be an integer from 1 to 65535"))
	}
	o.port = uint16(port)
	var list []any
	if av := obj.Get("alpn"); av != nil {
		list, _ = av.Export().([]any)
	}
	if len(list) == 0 {
		panic(rt.NewTypeError("connectQuic: alpn must be a non-empty array of strings"))
	}
	for _, p := range list {
		s, ok := p.(string)
		if !ok || s == "" || len(s) > 255 {
			panic(rt.NewTypeError("connectQuic: alpn must be a non-empty array of strings"))
		}
		o.alpn = append(o.alpn, s)
	}
	if sn := obj.Get("serverName"); sn != nil && !goja.IsUndefined(sn) && !goja.IsNull(sn) {
		o.serverName = sn.String()
	}
	o.roots = b.opts.RootCAs
	if cv := obj.Get("caCerts"); cv != nil && !goja.IsUndefined(cv) && !goja.IsNull(cv) {
		certs, ok := cv.Export().([]any)
		if !ok {
			panic(rt.NewTypeError("connectQuic: caCerts must be an array of PEM strings"))
		}
		pool := x509.NewCertPool()
		for _, c := range certs {
			s, ok := c.(string)
			if !ok || !pool.AppendCertsFromPEM([]byte(s)) {
				panic(rt.NewTypeError("connectQuic: caCerts must be an array of PEM certificates"))
			}
		}
		o.roots = pool
	}
	return o
}
