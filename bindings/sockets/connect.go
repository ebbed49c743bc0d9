package sockets

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"time"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/egress"
)

// DialTimeout bounds an outbound connect, TLS handshake included.
const DialTimeout = 30 * time.Second

// connectOptions are connect()'s second argument, as cloudflare:sockets
// reads them.
type connectOptions struct {
	secure        string
	allowHalfOpen bool
	highWaterMark int
	sni           string
	alpn          []string
}

// jsConnect is connect(address, options) of cloudflare:sockets: it returns
// a Socket at once; opened resolves when the connection (and TLS, with
// secureTransport "on") is up, and opened and closed reject if it fails.
func (b *Binding) jsConnect(call goja.FunctionCall) goja.Value {
	host, port := b.parseAddress(call.Argument(0))
	opts := b.parseOptions(call.Argument(1))
	s, err := b.dial(host, port, opts)
	if err != nil {
		panic(b.rt.NewGoError(err))
	}
	return s.obj
}

// parseAddress accepts "host:port" (IPv6 in brackets) or {hostname, port},
// with workerd's error texts.
func (b *Binding) parseAddress(v goja.Value) (string, uint16) {
	rt := b.rt
	if obj, ok := v.(*goja.Object); ok && !goja.IsString(v) {
		hv := obj.Get("hostname")
		if hv == nil || goja.IsUndefined(hv) || hv.String() == "" {
			panic(rt.NewTypeError("Specified address is missing hostname."))
		}
		pv := obj.Get("port")
		port := -1.0
		if pv != nil && !goja.IsUndefined(pv) {
			port = pv.ToFloat()
		}
		if port < 0 || port > 65535 || port != float64(int(port)) {
			panic(rt.NewTypeError("Specified address has an invalid port: %v", pv))
		}
		host := hv.String()
		if !validHost(host + ":" + strconv.Itoa(int(port))) {
			panic(rt.NewTypeError("Specified address is empty string, contains unsupported characters or is too long."))
		}
		return trimBrackets(host), uint16(port)
	}
	if goja.IsUndefined(v) || goja.IsNull(v) {
		panic(rt.NewTypeError("Specified address could not be parsed."))
	}
	addr := v.String()
	u, err := url.Parse("https://" + addr)
	if err != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		panic(rt.NewTypeError("Specified address could not be parsed."))
	}
	if u.Hostname() == "" {
		panic(rt.NewTypeError("Specified address is missing hostname."))
	}
	if !validHost(addr) {
		panic(rt.NewTypeError("Specified address is empty string, contains unsupported characters or is too long."))
	}
	port := 443 // as workerd: the address is read as an https URL
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n > 65535 {
			panic(rt.NewTypeError("Specified address could not be parsed."))
		}
		port = n
	}
	return u.Hostname(), uint16(port)
}

// validHost is workerd's check: a length bound and a conservative alphabet.
func validHost(s string) bool {
	if len(s) == 0 || len(s) > 255 {
		return false
	}
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '-' || c == '.' || c == '_' || c == '[' || c == ']' || c == ':':
		default:
			return false
		}
	}
	return true
}

func trimBrackets(h string) string {
	if len(h) > 1 && h[0] == '[' && h[len(h)-1] == ']' {
		return h[1 : len(h)-1]
	}
	return h
}

func (b *Binding) parseOptions(v goja.Value) connectOptions {
	rt := b.rt
	o := connectOptions{secure: "off", highWaterMark: DefaultHighWaterMark}
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return o
	}
	obj, ok := v.(*goja.Object)
	if !ok {
		panic(rt.NewTypeError("The options argument must be an object."))
	}
	if st := obj.Get("secureTransport"); st != nil && !goja.IsUndefined(st) {
		switch s := st.String(); s {
		case "off", "on", "starttls":
			o.secure = s
		default:
			panic(rt.NewTypeError("Unsupported value in secureTransport socket option: %s", s))
		}
	}
	if h := obj.Get("allowHalfOpen"); h != nil && !goja.IsUndefined(h) {
		o.allowHalfOpen = h.ToBoolean()
	}
	if h := obj.Get("highWaterMark"); h != nil && !goja.IsUndefined(h) {
		n := h.ToFloat()
		if n < 0 || n != n {
			panic(rt.NewTypeError("The highWaterMark option must be a non-negative number."))
		}
		o.highWaterMark = int(n)
	}
	if sni := obj.Get("sni"); sni != nil && !goja.IsUndefined(sni) {
		o.sni = sni.String()
	}
	if alpn := obj.Get("alpn"); alpn != nil && !goja.IsUndefined(alpn) {
		list, ok := alpn.Export().([]any)
		if !ok {
			panic(rt.NewTypeError("The alpn option must be an array of strings."))
		}
		for _, p := range list {
			s, ok := p.(string)
			if !ok || s == "" || len(s) > 255 {
				panic(rt.NewTypeError("The alpn option must be an array of non-empty strings."))
			}
			o.alpn = append(o.alpn, s)
		}
	}
	return o
}

// dial starts an outbound connection and returns its socket at once.
// Loop goroutine only.
func (b *Binding) dial(host string, port uint16, o connectOptions) (*socket, error) {
	l := newLink()
	s := b.newSocket(l, o.secure, o.highWaterMark)
	s.allowHalfOpen = o.allowHalfOpen
	tlsConfig := &tls.Config{ServerName: host, NextProtos: o.alpn, RootCAs: b.opts.RootCAs}
	if o.sni != "" {
		tlsConfig.ServerName = o.sni
	}
	if o.secure == "starttls" {
		s.clientTLS = tlsConfig
	}
	if !o.allowHalfOpen {
		l.onReadEOF = func() { s.later(s.finish) }
	}
	policy := b.opts.Policy
	done := b.h.Loop.RegisterCallback()
	go func() {
		ctx, cancel := context.WithTimeout(b.h.Context, DialTimeout)
		defer cancel()
		var c net.Conn
		var err error
		if policy == nil {
			err = fmt.Errorf("connection to %s refused: outbound connections are disabled on this node", net.JoinHostPort(host, strconv.Itoa(int(port))))
		} else {
			var tc *net.TCPConn
			if tc, err = policy.DialTCP(ctx, host, port); err == nil {
				c = tc
			}
		}
		if err == nil && !b.track(c) {
			err = context.Canceled
		}
		alpn := ""
		if err == nil && o.secure == "on" {
			tc := tls.Client(c, tlsConfig)
			if err = tc.HandshakeContext(ctx); err == nil {
				alpn = tc.ConnectionState().NegotiatedProtocol
				c = tc
			} else {
				c.Close()
				b.untrack(c)
				c = nil
			}
		}
		if err != nil {
			err = dialError(host, port, err)
		}
		l.connected(c, err)
		done(func() error {
			switch {
			case err != nil:
				s.failOpen(err)
			case s.done:
				b.untrack(c)
				c.Close()
			default:
				s.setOpened(alpn)
			}
			return nil
		})
	}()
	return s, nil
}

// dialError words a failed connect for the script; an egress refusal is
// kept as is, since it names the rule.
func dialError(host string, port uint16, err error) error {
	var denied *egress.DeniedError
	if errors.As(err, &denied) {
		return err
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		err = op.Err
	}
	var sys *os.SyscallError
	if errors.As(err, &sys) {
		err = sys.Err
	}
	return fmt.Errorf("connect to %s failed: %w", net.JoinHostPort(host, strconv.Itoa(int(port))), err)
}
