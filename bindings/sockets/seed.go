package sockets

import (
	"github.com/dop251/goja"
	"github.com/sockw/sockw/bindings/internal/webidl"

	"github.com/sockw/sockw/bindings/events"
)

// constructSeed is `new Socket(init)` from the 2021 Socket Workers
// proposal: init.type is "tcp" (default) or "tls", init.remote is
// {address, port}. The socket connects at once, like connect().
func (b *Binding) constructSeed(call goja.ConstructorCall) *goja.Object {
	rt := b.rt
	init, ok := call.Argument(0).(*goja.Object)
	if !ok {
		panic(rt.NewTypeError("Socket: the argument must be a SocketInit object such as { type: 'tcp', remote: { address, port } }"))
	}
	o := connectOptions{secure: "off", highWaterMark: DefaultHighWaterMark}
	udp := false
	switch t := init.Get("type"); {
	case t == nil || goja.IsUndefined(t) || t.String() == "tcp":
	case t.String() == "tls":
		o.secure = "on"
	case t.String() == "udp":
		udp = true
	default:
		panic(rt.NewTypeError("Socket: unknown type %q (want 'tcp', 'tls' or 'udp')", t.String()))
	}
	remote, ok := init.Get("remote").(*goja.Object)
	if !ok {
		panic(rt.NewTypeError("Socket: init.remote must be { address, port }"))
	}
	addr := rt.NewObject()
	addr.Set("hostname", remote.Get("address"))
	addr.Set("port", remote.Get("port"))
	host, port := b.parseAddress(addr)
	if udp {
		if b.opts.SeedUDP == nil {
			panic(events.NewDOMException(rt, "Socket: type 'udp' is not available here", "NotSupportedError"))
		}
		obj, err := b.opts.SeedUDP(host, port)
		if err != nil {
			panic(rt.NewGoError(err))
		}
		return obj
	}
	s, err := b.dial(host, port, o)
	if err != nil {
		panic(rt.NewGoError(err))
	}
	return s.obj
}

// ready resolves with undefined once the socket is open (the proposal's
// name for opened).
func (s *socket) ready() *goja.Promise {
	if s.readyPromise == nil {
		rt := s.b.rt
		p, resolve, reject := rt.NewPromise()
		s.readyPromise = p
		ok := rt.ToValue(func(goja.FunctionCall) goja.Value { resolve(goja.Undefined()); return goja.Undefined() })
		fail := rt.ToValue(func(c goja.FunctionCall) goja.Value { reject(c.Argument(0)); return goja.Undefined() })
		webidl.Then(rt, s.opened.Promise(s.b.rt), ok, fail)
	}
	return s.readyPromise
}

// closedSettled resolves with undefined once closed settles either way,
// for abort(), which reports completion rather than the reason.
func (s *socket) closedSettled() *goja.Promise {
	rt := s.b.rt
	p, resolve, _ := rt.NewPromise()
	settle := rt.ToValue(func(goja.FunctionCall) goja.Value { resolve(goja.Undefined()); return goja.Undefined() })
	webidl.Then(rt, s.closed.Promise(s.b.rt), settle, settle)
	return p
}

// signal is an AbortSignal that aborts when the socket is closed or
// aborted, with the reason, if any.
func (s *socket) signal() goja.Value {
	if s.abortSignal == nil {
		sig, abort, err := events.NewAbortSignal(s.b.rt)
		if err != nil {
			panic(s.b.rt.NewGoError(err))
		}
		s.abortSignal, s.abortSignalFire = sig, abort
		if s.done {
			abort(goja.Undefined())
		}
	}
	return s.abortSignal
}

// stats counts the bytes the socket moved. TCP has no packets a script can
// see, so the packet fields count the chunks written and read.
func (s *socket) stats() goja.Value {
	o := s.b.rt.NewObject()
	o.Set("bytesSent", s.l.sent.Load())
	o.Set("bytesReceived", s.l.received.Load())
	o.Set("packetsSent", s.l.writes.Load())
	o.Set("packetsReceived", s.l.reads.Load())
	return o
}

// info describes the connection: the addresses opened resolves with, or
// empty ones before the socket is open.
func (s *socket) info() goja.Value {
	if s.openedInfo == nil && s.opened.Fulfilled() {
		s.openedInfo = s.buildInfo()
	}
	if s.openedInfo != nil {
		return s.openedInfo
	}
	o := s.b.rt.NewObject()
	o.Set("remoteAddress", goja.Null())
	o.Set("localAddress", goja.Null())
	return o
}
