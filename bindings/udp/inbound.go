package udp

import (
	"errors"
	"fmt"

	"github.com/sockw/sockw/bindings/internal/webidl"

	"github.com/dop251/goja"
	"github.com/sockw/sockw/bindings/events"
)

// defineSocketProto makes the prototype of inbound and SEED UDP sockets:
// the Socket surface of package sockets, with protocol 'udp'. It is not a
// global; the Datagram prototype is made here too.
func (b *Binding) defineSocketProto() error {
	rt := b.rt
	b.socketProto = rt.NewObject()
	getters := []struct {
		name string
		get  func(*socket) goja.Value
	}{
		{"readable", func(s *socket) goja.Value { return s.readable }},
		{"writable", func(s *socket) goja.Value { return s.writable }},
		{"opened", func(s *socket) goja.Value { return rt.ToValue(s.opened.Promise(b.rt)) }},
		{"closed", func(s *socket) goja.Value { return rt.ToValue(s.closed.Promise(b.rt)) }},
		{"upgraded", func(*socket) goja.Value { return rt.ToValue(false) }},
		{"secureTransport", func(*socket) goja.Value { return rt.ToValue("off") }},
		{"protocol", func(*socket) goja.Value { return rt.ToValue("udp") }},
		// The 2021 proposal's members.
		{"ready", func(s *socket) goja.Value { return rt.ToValue(s.ready()) }},
		{"signal", func(s *socket) goja.Value { return s.signal() }},
		{"stats", func(s *socket) goja.Value { return s.stats() }},
		{"info", func(s *socket) goja.Value { return s.infoOrEmpty() }},
	}
	for _, g := range getters {
		get := g.get
		fn := rt.ToValue(func(call goja.FunctionCall) goja.Value { return get(b.thisSocket(call.This)) })
		if err := b.socketProto.DefineAccessorProperty(g.name, fn, nil, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
			return fmt.Errorf("udp: Socket.%s: %w", g.name, err)
		}
	}
	methods := []struct {
		name string
		fn   func(goja.FunctionCall) goja.Value
	}{
		{"close", func(call goja.FunctionCall) goja.Value {
			s := b.thisSocket(call.This)
			s.closeWith(nil)
			return rt.ToValue(s.closed.Promise(b.rt))
		}},
		{"abort", func(call goja.FunctionCall) goja.Value {
			s := b.thisSocket(call.This)
			reason := call.Argument(0)
			if goja.IsUndefined(reason) {
				reason = b.abortError()
			}
			s.closeWith(reason)
			p, resolve, _ := rt.NewPromise()
			resolve(goja.Undefined())
			return rt.ToValue(p)
		}},
		{"startTls", func(goja.FunctionCall) goja.Value {
			panic(rt.NewTypeError("startTls() is not available on a UDP socket."))
		}},
	}
	for _, m := range methods {
		if err := b.socketProto.DefineDataProperty(m.name, rt.ToValue(m.fn), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return fmt.Errorf("udp: Socket.%s: %w", m.name, err)
		}
	}
	webidl.DefineInterface(rt, "Socket", nil, b.socketProto, false)
	b.datagramProt = rt.NewObject()
	webidl.DefineInterface(rt, "Datagram", nil, b.datagramProt, false)
	return nil
}

// wrap makes s's JavaScript object with the given prototype.
func (s *socket) wrap(proto *goja.Object) {
	s.obj = s.b.rt.NewObject()
	s.obj.SetPrototype(proto)
	s.obj.DefineDataPropertySymbol(s.b.state, s.handle, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
}

// NewInbound wraps an inbound flow in a Socket whose protocol is 'udp' and
// whose opened is already resolved with {remoteAddress, localAddress}. Its
// readable yields a Datagram { data: Uint8Array } per datagram; each write
// of a Datagram, a BufferSource or { data } sends exactly one datagram to
// the peer. The socket closes when the script closes it, when the flow ends
// (idle timeout, listener closed) or with the isolate; onClose then runs
// once, on the loop. Loop goroutine only.
func (b *Binding) NewInbound(f Flow, onClose func()) (*goja.Object, error) {
	ep := newFlowEndpoint(f)
	if !b.track(closer{ep}) {
		return nil, errors.New("udp: the isolate is shutting down")
	}
	s, err := b.newSocket(kindInbound, goja.Undefined())
	if err != nil {
		b.untrack(closer{ep})
		f.Close()
		return nil, err
	}
	s.ep = ep
	s.onClose = onClose
	s.wrap(b.socketProto)
	s.opened.Fulfill(s.buildInfo)
	// The flow may end on its own (idle timeout); the socket follows. This
	// does not keep the loop alive: pending reads do.
	ctx := b.h.Context
	go func() {
		select {
		case <-f.Done():
			b.h.Loop.Enqueue(func() error { s.closeWith(nil); return nil })
		case <-ctx.Done():
		}
	}()
	return s.obj, nil
}

// Close closes a UDP socket made by this binding (NewInbound, NewSeedUDP),
// as when a module handler's promise settles: writes already handed to the
// writable have been sent, since each is sent as the stream takes it.
// Loop goroutine only.
func (b *Binding) Close(socket *goja.Object) {
	if s, ok := b.socketObj(socket); ok {
		s.closeWith(nil)
	}
}

// Abort closes a UDP socket at once; its closed promise rejects with reason
// (an AbortError DOMException if nil).
// Loop goroutine only.
func (b *Binding) Abort(socket *goja.Object, reason error) {
	if s, ok := b.socketObj(socket); ok {
		if reason == nil {
			s.closeWith(b.abortError())
			return
		}
		s.closeWith(s.jsError(reason))
	}
}

func (b *Binding) socketObj(o *goja.Object) (*socket, bool) {
	if o == nil {
		return nil, false
	}
	if v := o.GetSymbol(b.state); v != nil {
		if s, ok := v.Export().(*socket); ok {
			return s, true
		}
	}
	return nil, false
}

// thisSocket is the socket a method or getter was called on.
func (b *Binding) thisSocket(this goja.Value) *socket {
	if o, ok := this.(*goja.Object); ok {
		if s, ok := b.socketObj(o); ok {
			return s
		}
	}
	panic(b.rt.NewTypeError("Illegal invocation: not a UDP socket"))
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
		webidl.MarkHandled(s.b.rt, p)
	}
	return s.readyPromise
}

// signal is an AbortSignal that aborts when the socket closes.
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

// stats counts the datagrams and bytes the socket moved.
func (s *socket) stats() goja.Value {
	o := s.b.rt.NewObject()
	o.Set("bytesSent", s.bytesSent.Load())
	o.Set("bytesReceived", s.bytesReceived.Load())
	o.Set("packetsSent", s.packetsSent.Load())
	o.Set("packetsReceived", s.packetsReceived.Load())
	return o
}

// infoOrEmpty is the proposal's info: the addresses opened resolves with,
// or nulls before the socket is open.
func (s *socket) infoOrEmpty() goja.Value {
	if s.ep != nil {
		return s.buildInfo()
	}
	o := s.b.rt.NewObject()
	o.Set("remoteAddress", goja.Null())
	o.Set("localAddress", goja.Null())
	return o
}
