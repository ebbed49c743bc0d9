// Package sockets installs the Socket API: inbound sockets handed to a
// worker's connect handler, outbound connect() as in cloudflare:sockets, the
// 2021 proposal's `new Socket(init)` and Chrome's Direct Sockets forms. Every
// Socket's readable and writable are Go-backed web streams over the
// connection (package streams).
package sockets

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"sync"

	"github.com/sockw/sockw/bindings/internal/webidl"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings"
	"github.com/sockw/sockw/bindings/events"
	"github.com/sockw/sockw/bindings/streams"
	"github.com/sockw/sockw/egress"
)

// DefaultHighWaterMark is the writable's queue bound in bytes.
const DefaultHighWaterMark = 64 << 10

// Options configure the sockets of one isolate.
type Options struct {
	// Policy decides which outbound destinations connect() may reach. Nil
	// refuses every outbound connection.
	Policy *egress.Policy
	// ServerTLS, when set, lets an inbound plain socket be upgraded with
	// startTls(): the listener's certificate.
	ServerTLS *tls.Config
	// RootCAs verifies outbound TLS servers; nil means the system's roots.
	RootCAs *x509.CertPool
	// SeedUDP makes the socket of `new Socket({ type: 'udp', ... })`, which
	// another binding (bindings/udp) implements. Nil: type 'udp' is refused.
	SeedUDP func(host string, port uint16) (*goja.Object, error)
}

// Binding is the sockets API installed in one isolate.
type Binding struct {
	h       *bindings.Host
	rt      *goja.Runtime
	streams *streams.Streams
	opts    Options
	proto   *goja.Object // Socket.prototype
	state   *goja.Symbol // key of the hidden slot holding *socket
	connect goja.Value   // the connect() function of cloudflare:sockets

	mu    sync.Mutex
	conns map[net.Conn]struct{} // every open connection, closed with the isolate
}

// Install defines Socket, TCPSocket and navigator.openTCPSocket. Every
// connection a socket holds is closed when h.Context ends, so none outlives
// its isolate.
func Install(h *bindings.Host, st *streams.Streams, opts Options) (*Binding, error) {
	rt := h.Runtime
	b := &Binding{h: h, rt: rt, streams: st, opts: opts, state: goja.NewSymbol("sockw.socket"), conns: map[net.Conn]struct{}{}}
	if err := b.defineSocketClass(); err != nil {
		return nil, err
	}
	b.connect = rt.ToValue(b.jsConnect)
	if err := b.defineDirectSockets(); err != nil {
		return nil, err
	}
	context.AfterFunc(h.Context, b.closeAll)
	return b, nil
}

// Connect returns the connect() function that cloudflare:sockets exports.
func (b *Binding) Connect() goja.Value { return b.connect }

func (b *Binding) closeAll() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for c := range b.conns {
		c.Close()
	}
	b.conns = nil
}

// track registers c for closing with the isolate; it reports false (and
// closes c) if the isolate is already gone.
func (b *Binding) track(c net.Conn) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.conns == nil {
		c.Close()
		return false
	}
	b.conns[c] = struct{}{}
	return true
}

func (b *Binding) untrack(c net.Conn) {
	b.mu.Lock()
	delete(b.conns, c)
	b.mu.Unlock()
}

func (b *Binding) defineSocketClass() error {
	rt := b.rt
	ctor := rt.ToValue(func(call goja.ConstructorCall) *goja.Object {
		return b.constructSeed(call)
	}).ToObject(rt)
	b.proto = rt.NewObject()
	getters := []struct {
		name string
		get  func(*socket) goja.Value
	}{
		{"readable", func(s *socket) goja.Value { return s.readableStream() }},
		{"writable", func(s *socket) goja.Value { return s.writableStream() }},
		{"opened", func(s *socket) goja.Value { return rt.ToValue(s.opened.Promise(b.rt)) }},
		{"closed", func(s *socket) goja.Value { return rt.ToValue(s.closed.Promise(b.rt)) }},
		{"upgraded", func(s *socket) goja.Value { return rt.ToValue(s.upgraded) }},
		{"secureTransport", func(s *socket) goja.Value { return rt.ToValue(s.secure) }},
		{"protocol", func(s *socket) goja.Value { return rt.ToValue("tcp") }},
		// The 2021 proposal's members.
		{"ready", func(s *socket) goja.Value { return rt.ToValue(s.ready()) }},
		{"signal", func(s *socket) goja.Value { return s.signal() }},
		{"stats", func(s *socket) goja.Value { return s.stats() }},
		{"info", func(s *socket) goja.Value { return s.info() }},
	}
	for _, g := range getters {
		get := g.get
		fn := rt.ToValue(func(call goja.FunctionCall) goja.Value { return get(b.this(call)) })
		if err := b.proto.DefineAccessorProperty(g.name, fn, nil, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
			return fmt.Errorf("Socket.%s: %w", g.name, err)
		}
	}
	methods := map[string]func(goja.FunctionCall) goja.Value{
		"close": func(call goja.FunctionCall) goja.Value {
			s := b.this(call)
			s.close(nil)
			return rt.ToValue(s.closed.Promise(b.rt))
		},
		"startTls": func(call goja.FunctionCall) goja.Value {
			return b.this(call).startTls(call.Argument(0))
		},
		"abort": func(call goja.FunctionCall) goja.Value {
			s := b.this(call)
			reason := call.Argument(0)
			if goja.IsUndefined(reason) {
				reason = events.NewDOMException(rt, "The socket was aborted", "AbortError")
			}
			s.closeWith(reason)
			return rt.ToValue(s.closedSettled())
		},
		"update": func(goja.FunctionCall) goja.Value {
			panic(events.NewDOMException(rt, "Socket.update() is not supported", "NotSupportedError"))
		},
	}
	for name, fn := range methods {
		if err := b.proto.DefineDataProperty(name, rt.ToValue(fn), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
			return fmt.Errorf("Socket.%s: %w", name, err)
		}
	}
	webidl.DefineInterface(rt, "Socket", ctor, b.proto, true)
	return nil
}

func (b *Binding) this(call goja.FunctionCall) *socket {
	if o, ok := call.This.(*goja.Object); ok {
		if v := o.GetSymbol(b.state); v != nil {
			if s, ok := v.Export().(*socket); ok {
				return s
			}
		}
	}
	panic(b.rt.NewTypeError("Illegal invocation: not a Socket"))
}

// socket is the Go side of one Socket object. Fields are event loop only.
type socket struct {
	b   *Binding
	l   *link
	obj *goja.Object
	hwm int // the writable's high water mark

	// The streams are made on first use (see readableStream): a connection
	// whose script only writes, such as a greeting, never pays for a
	// readable, which is a fifth of what a connection costs to set up.
	readable, writable *goja.Object
	// endReason is what closed the socket (nil: a clean close), for streams
	// made after the end, which start out as the end left them.
	endReason goja.Value

	opened, closed  webidl.LazyPromise
	alpn            string       // negotiated at open, for the info object
	openedInfo      *goja.Object // built on first use
	readyPromise    *goja.Promise
	abortSignal     *goja.Object
	abortSignalFire func(goja.Value) error

	secure        string // "off", "on" or "starttls", as secureTransport
	upgraded      bool
	tlsStarted    bool
	allowHalfOpen bool
	serverTLS     *tls.Config // inbound: the certificate startTls serves
	clientTLS     *tls.Config // outbound: what startTls verifies against
	done          bool
	successor     *socket // the socket startTls returned
	onClose       func()
}

// newSocket makes the JavaScript object around l. Loop goroutine only.
func (b *Binding) newSocket(l *link, secure string, hwm int) *socket {
	rt := b.rt
	s := &socket{b: b, l: l, secure: secure, hwm: hwm}
	s.obj = rt.NewObject()
	s.obj.SetPrototype(b.proto)
	s.obj.DefineDataPropertySymbol(b.state, rt.ToValue(s), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	// An open socket does not keep the loop alive by itself, as in Deno:
	// its pending reads, writes and dials do.
	l.bothEnded = func() { s.later(func() { s.close(nil) }) }
	l.onFailed = func(err error) { s.later(func() { s.close(err) }) }
	return s
}

// readableStream returns the socket's readable, made on first use. One made
// after the socket ended is closed, or errored with the socket's error.
func (s *socket) readableStream() *goja.Object {
	if s.readable == nil {
		r, err := s.b.streams.NewReadable(source{s.l}, 0)
		if err != nil {
			panic(s.b.rt.NewGoError(fmt.Errorf("socket readable: %w", err)))
		}
		s.readable = r
		if s.done {
			s.endReadable()
		}
	}
	return s.readable
}

// writableStream returns the socket's writable, made on first use. One made
// after the socket ended is errored as the end left the writable.
func (s *socket) writableStream() *goja.Object {
	if s.writable == nil {
		w, err := s.b.streams.NewWritable(sink{s.l}, s.hwm)
		if err != nil {
			panic(s.b.rt.NewGoError(fmt.Errorf("socket writable: %w", err)))
		}
		s.writable = w
		if s.done {
			s.endWritable()
		}
	}
	return s.writable
}

// endReadable closes the readable, or errors it with endReason, if the
// script has one.
func (s *socket) endReadable() {
	switch {
	case s.readable == nil:
	case s.endReason != nil && !s.upgradedAway():
		s.b.streams.ErrorStream(s.readable, s.endReason)
	default:
		s.b.streams.CloseReadable(s.readable)
	}
}

// endWritable errors the writable, if the script has one: with endReason
// (undefined for a clean close), or after startTls with a TypeError that
// points to the new socket.
func (s *socket) endWritable() {
	switch {
	case s.writable == nil:
	case s.upgradedAway():
		s.b.streams.ErrorStream(s.writable, s.b.rt.NewTypeError("The socket was upgraded with startTls(); write to the new socket."))
	case s.endReason != nil:
		s.b.streams.ErrorStream(s.writable, s.endReason)
	default:
		s.b.streams.ErrorStream(s.writable, goja.Undefined())
	}
}

// upgradedAway reports whether startTls handed the connection to a
// successor socket.
func (s *socket) upgradedAway() bool { return s.successor != nil }

// later runs fn on the loop for this socket, from any goroutine.
func (s *socket) later(fn func()) {
	s.b.h.Loop.Enqueue(func() error { fn(); return nil })
}

// setOpened resolves opened with the connection's addresses and, for TLS,
// the negotiated ALPN protocol and the server name (SNI) the client asked
// for (null when there is none).
func (s *socket) setOpened(alpn string) {
	s.alpn = alpn
	s.opened.Fulfill(s.info)
}

// openedInfo builds the object opened resolves with.
func (s *socket) buildInfo() *goja.Object {
	rt := s.b.rt
	info := rt.NewObject()
	info.Set("remoteAddress", s.l.conn.RemoteAddr().String())
	info.Set("localAddress", s.l.conn.LocalAddr().String())
	orNull := func(v string) goja.Value {
		if v == "" {
			return goja.Null()
		}
		return rt.ToValue(v)
	}
	info.Set("alpn", orNull(s.alpn))
	serverName := ""
	if tc, ok := s.l.conn.(*tls.Conn); ok {
		serverName = tc.ConnectionState().ServerName
	}
	info.Set("serverName", orNull(serverName))
	return info
}

// failOpen rejects opened and closed with err and drops the streams.
func (s *socket) failOpen(err error) {
	reason := s.jsError(err)
	s.opened.Fail(s.b.rt, reason)
	s.closeWith(reason)
}

// Inbound is a connection accepted by a listener, as a Socket.
type Inbound struct {
	// Object is the JavaScript Socket.
	Object *goja.Object
	s      *socket
}

// NewInbound wraps an accepted connection in a Socket whose opened promise
// is already resolved. The socket is half-open: after the peer's FIN the
// script may still write until it closes its writable. If the listener has
// a certificate (Options.ServerTLS), the socket may be upgraded with
// startTls(). onClose runs once, on the loop, when the connection is closed
// for any reason. Loop goroutine only.
func (b *Binding) NewInbound(c net.Conn, onClose func()) (*Inbound, error) {
	if !b.track(c) {
		return nil, errors.New("the isolate is shutting down")
	}
	l := newLink()
	l.connected(c, nil)
	secure := "off"
	alpn := ""
	if tc, ok := c.(*tls.Conn); ok {
		secure = "on"
		alpn = tc.ConnectionState().NegotiatedProtocol
	} else if b.opts.ServerTLS != nil {
		secure = "starttls"
	}
	s := b.newSocket(l, secure, DefaultHighWaterMark)
	s.allowHalfOpen = true
	s.serverTLS = b.opts.ServerTLS
	s.onClose = onClose
	s.setOpened(alpn)
	return &Inbound{Object: s.obj, s: s}, nil
}

// Close ends the connection after what the script wrote has been flushed,
// as when a module handler's promise settles. Loop goroutine only.
func (in *Inbound) Close() { in.current().finish() }

// Abort closes the connection at once, with reason as the error its closed
// promise rejects with. Loop goroutine only.
func (in *Inbound) Abort(reason error) { in.current().close(reason) }

// current is the socket that holds the connection now: after startTls,
// the upgraded one.
func (in *Inbound) current() *socket {
	s := in.s
	for s.successor != nil {
		s = s.successor
	}
	return s
}

// finish flushes the writable (queued writes drain, then FIN) and then
// closes the connection.
func (s *socket) finish() {
	if s.done {
		return
	}
	if s.writable == nil {
		s.close(nil) // nothing was written: nothing to flush
		return
	}
	rt := s.b.rt
	p := s.b.streams.Flush(s.writable)
	closeNow := rt.ToValue(func(goja.FunctionCall) goja.Value { s.close(nil); return goja.Undefined() })
	webidl.Then(rt, p, closeNow, closeNow)
}

// close closes the connection once and settles closed: resolved for a
// deliberate close (reason nil), rejected with reason otherwise.
func (s *socket) close(reason error) {
	if s.done {
		return
	}
	var jsReason goja.Value
	if reason != nil {
		jsReason = s.jsError(reason)
	}
	s.closeWith(jsReason)
}

// closeWith is close with a JavaScript reason (nil for a clean close).
func (s *socket) closeWith(reason goja.Value) {
	if s.done {
		return
	}
	s.done = true
	if s.l.conn != nil && !s.l.detached.Load() {
		s.b.untrack(s.l.conn)
		s.l.conn.Close()
	} else if !s.l.isReady() {
		// Still dialling: the dialler sees done and closes what it gets.
		s.l.canceled.Store(true)
	}
	s.endReason = reason
	s.endReadable()
	s.endWritable()
	abortReason := reason
	if abortReason == nil {
		abortReason = goja.Undefined()
	}
	if reason != nil {
		s.closed.Fail(s.b.rt, reason)
	} else {
		s.closed.Fulfill(undefined)
	}
	if s.abortSignalFire != nil {
		s.abortSignalFire(abortReason)
	}
	if s.onClose != nil {
		s.onClose()
	}
}

// jsError turns a Go error into the JavaScript value a promise rejects with.
func (s *socket) jsError(err error) goja.Value {
	var ex *goja.Exception
	if errors.As(err, &ex) {
		return ex.Value()
	}
	if v, ok := err.(interface{ JSValue() goja.Value }); ok {
		return v.JSValue()
	}
	errCtor, _ := goja.AssertConstructor(s.b.rt.Get("Error"))
	o, cerr := errCtor(nil, s.b.rt.ToValue(err.Error()))
	if cerr != nil {
		return s.b.rt.ToValue(err.Error())
	}
	return o
}

func undefined() goja.Value { return goja.Undefined() }
