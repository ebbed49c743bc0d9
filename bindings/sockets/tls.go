package sockets

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"time"

	"github.com/sockw/sockw/bindings/internal/webidl"

	"github.com/dop251/goja"
)

// HandshakeTimeout bounds the TLS handshake of startTls.
const HandshakeTimeout = 10 * time.Second

// startTls upgrades the connection to TLS and returns the new Socket, as
// cloudflare:sockets does for an outbound socket opened with
// secureTransport "starttls", and as a server would for an inbound socket
// whose listener has a certificate (SMTP, IMAP, XMPP STARTTLS). What the
// script queued on the old writable is flushed first; then the old streams
// give the connection up: the old readable ends and its closed resolves.
// Bytes the peer sent before the handshake and the script had not read are
// dropped, which is what STARTTLS requires (no plaintext injection).
func (s *socket) startTls(options goja.Value) goja.Value {
	rt := s.b.rt
	switch {
	case s.secure == "on":
		panic(rt.NewTypeError("Cannot startTls on a TLS socket."))
	case s.tlsStarted:
		panic(rt.NewTypeError("startTls has already been called on this socket."))
	case s.serverTLS == nil && s.clientTLS == nil && s.onClose != nil:
		panic(rt.NewTypeError("startTls() needs a certificate for this listener: start sockw with --cert and --key"))
	case s.secure != "starttls":
		panic(rt.NewTypeError("The `secureTransport` socket option must be set to 'starttls' for startTls to be used."))
	case s.done:
		panic(rt.NewTypeError("startTls() on a closed socket."))
	}
	var config *tls.Config
	server := s.serverTLS != nil
	if server {
		config = s.serverTLS
	} else {
		config = s.clientTLS.Clone()
		if o, ok := options.(*goja.Object); ok {
			if h := o.Get("expectedServerHostname"); h != nil && !goja.IsUndefined(h) {
				config.ServerName = h.String()
			}
		}
	}
	s.tlsStarted = true
	nl := newLink()
	ns := s.b.newSocket(nl, "on", DefaultHighWaterMark)
	ns.upgraded = true
	ns.allowHalfOpen = s.allowHalfOpen
	// The connection's bookkeeping moves to the new socket.
	ns.onClose, s.onClose = s.onClose, nil
	s.successor = ns
	if !ns.allowHalfOpen {
		nl.onReadEOF = func() { ns.later(ns.finish) }
	}

	old := s.l
	old.handover.Store(true)
	handedOver := make(chan struct{})
	handOver := func() {
		old.detach()
		s.detach()
		close(handedOver)
	}
	if s.writable == nil {
		handOver() // nothing was written: nothing to flush
	} else {
		after := rt.ToValue(func(goja.FunctionCall) goja.Value { handOver(); return goja.Undefined() })
		webidl.Then(rt, s.b.streams.Flush(s.writable), after, after)
	}

	done := s.b.h.Loop.RegisterCallback()
	go func() {
		<-handedOver
		<-old.ready
		c := old.conn
		var tc *tls.Conn
		err := old.err
		if err == nil {
			c.SetReadDeadline(time.Time{})
			if server {
				tc = tls.Server(c, config)
			} else {
				tc = tls.Client(c, config)
			}
			ctx, cancel := context.WithTimeout(s.b.h.Context, HandshakeTimeout)
			err = tc.HandshakeContext(ctx)
			cancel()
		}
		if err != nil {
			nl.connected(nil, err)
		} else {
			nl.connected(tc, nil)
		}
		done(func() error {
			if err != nil {
				if c != nil {
					s.b.untrack(c)
					c.Close()
				}
				ns.failOpen(err)
				return nil
			}
			s.b.untrack(c)
			if ns.done || !s.b.track(tc) {
				tc.Close()
				return nil
			}
			ns.setOpened(tc.ConnectionState().NegotiatedProtocol)
			return nil
		})
	}()
	return ns.obj
}

// detach ends the plain socket after startTls without closing the
// connection, which now belongs to its successor.
func (s *socket) detach() {
	if s.done {
		return
	}
	s.done = true
	s.endReadable()
	s.endWritable()
	s.closed.Fulfill(undefined)
}

// ClientTLS is how an outbound socket's later startTls() verifies the
// server, beyond connect()'s options: what Node's tls.connect lets a driver
// choose (its ca and rejectUnauthorized options).
type ClientTLS struct {
	// RootCAs replaces the node's trusted roots when set.
	RootCAs *x509.CertPool
	// SkipVerify accepts any certificate, as rejectUnauthorized: false does.
	SkipVerify bool
}

// ConfigureClientTLS applies c to the socket v, which must be an outbound
// socket connected with secureTransport "starttls" whose startTls() has not
// been called. Loop goroutine only.
func (b *Binding) ConfigureClientTLS(v goja.Value, c ClientTLS) error {
	o, ok := v.(*goja.Object)
	if !ok {
		return errors.New("not a Socket")
	}
	var s *socket
	if st := o.GetSymbol(b.state); st != nil {
		s, _ = st.Export().(*socket)
	}
	switch {
	case s == nil:
		return errors.New("not a Socket")
	case s.clientTLS == nil || s.tlsStarted:
		return errors.New("the socket is not an outbound socket awaiting startTls()")
	}
	s.clientTLS = s.clientTLS.Clone()
	if c.RootCAs != nil {
		s.clientTLS.RootCAs = c.RootCAs
	}
	s.clientTLS.InsecureSkipVerify = c.SkipVerify
	return nil
}
