// Package sockets installs the Socket class and turns connections into
// Socket objects whose readable and writable are Go-backed web streams.
package sockets

import (
	"errors"
	"fmt"
	"net"
	"sync"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings"
	"github.com/sockw/sockw/bindings/streams"
)

// DefaultHighWaterMark is the writable's queue bound in bytes, as in
// cloudflare:sockets.
const DefaultHighWaterMark = 64 << 10

// Binding is the sockets API installed in one isolate.
type Binding struct {
	h       *bindings.Host
	streams *streams.Streams
	proto   *goja.Object // Socket.prototype
	state   *goja.Symbol // key of the hidden slot holding *socket

	mu    sync.Mutex
	conns map[net.Conn]struct{} // every open connection, closed with the isolate
}

// Install defines the Socket class. Connections handed to NewInbound are
// closed when h.Context ends, so none outlives its isolate.
func Install(h *bindings.Host, st *streams.Streams) (*Binding, error) {
	b := &Binding{h: h, streams: st, state: goja.NewSymbol("sockw.socket"), conns: map[net.Conn]struct{}{}}
	rt := h.Runtime
	ctor := rt.ToValue(func(goja.ConstructorCall) *goja.Object {
		panic(rt.NewTypeError("Illegal constructor"))
	}).ToObject(rt)
	b.proto = rt.NewObject()
	getters := map[string]func(*socket) goja.Value{
		"readable":        func(s *socket) goja.Value { return s.readable },
		"writable":        func(s *socket) goja.Value { return s.writable },
		"opened":          func(s *socket) goja.Value { return rt.ToValue(s.opened) },
		"closed":          func(s *socket) goja.Value { return rt.ToValue(s.closed) },
		"upgraded":        func(s *socket) goja.Value { return rt.ToValue(false) },
		"secureTransport": func(s *socket) goja.Value { return rt.ToValue("off") },
		"protocol":        func(s *socket) goja.Value { return rt.ToValue("tcp") },
	}
	for name, get := range getters {
		get := get
		g := rt.ToValue(func(call goja.FunctionCall) goja.Value { return get(b.this(call)) })
		if err := b.proto.DefineAccessorProperty(name, g, nil, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
			return nil, fmt.Errorf("Socket.%s: %w", name, err)
		}
	}
	closeFn := rt.ToValue(func(call goja.FunctionCall) goja.Value {
		s := b.this(call)
		s.close(nil)
		return rt.ToValue(s.closed)
	})
	b.proto.DefineDataProperty("close", closeFn, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	b.proto.DefineDataPropertySymbol(goja.SymToStringTag, rt.ToValue("Socket"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	ctor.DefineDataProperty("prototype", b.proto, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	b.proto.DefineDataProperty("constructor", ctor, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	if err := rt.GlobalObject().DefineDataProperty("Socket", ctor, goja.FLAG_TRUE, goja.FLAG_FALSE, goja.FLAG_TRUE); err != nil {
		return nil, fmt.Errorf("Socket: %w", err)
	}
	go func() {
		<-h.Context.Done()
		b.mu.Lock()
		defer b.mu.Unlock()
		for c := range b.conns {
			c.Close()
		}
	}()
	return b, nil
}

func (b *Binding) this(call goja.FunctionCall) *socket {
	if o, ok := call.This.(*goja.Object); ok {
		if v := o.GetSymbol(b.state); v != nil {
			if s, ok := v.Export().(*socket); ok {
				return s
			}
		}
	}
	panic(b.h.Runtime.NewTypeError("Illegal invocation: not a Socket"))
}

// socket is the Go side of one Socket object. Fields are event loop only.
type socket struct {
	b                  *Binding
	conn               net.Conn
	obj                *goja.Object
	readable, writable *goja.Object
	opened, closed     *goja.Promise
	resolveClosed      func(any) error
	rejectClosed       func(any) error
	done               bool
	onClose            func()
}

// Inbound is a connection accepted by a listener, as a Socket.
type Inbound struct {
	// Object is the JavaScript Socket.
	Object *goja.Object
	s      *socket
}

// NewInbound wraps an accepted connection in a Socket whose opened promise
// is already resolved. onClose runs once, on the loop, when the connection
// is closed for any reason. Loop goroutine only.
func (b *Binding) NewInbound(c net.Conn, onClose func()) (*Inbound, error) {
	rt := b.h.Runtime
	s := &socket{b: b, conn: c, onClose: onClose}
	var err error
	if s.readable, err = b.streams.NewReadable(newConnSource(c), 0); err != nil {
		return nil, fmt.Errorf("socket readable: %w", err)
	}
	if s.writable, err = b.streams.NewWritable(newConnSink(c), DefaultHighWaterMark); err != nil {
		return nil, fmt.Errorf("socket writable: %w", err)
	}
	info := rt.NewObject()
	info.Set("remoteAddress", c.RemoteAddr().String())
	info.Set("localAddress", c.LocalAddr().String())
	info.Set("alpn", goja.Null())
	var resolveOpened func(any) error
	s.opened, resolveOpened, _ = rt.NewPromise()
	resolveOpened(info)
	s.closed, s.resolveClosed, s.rejectClosed = rt.NewPromise()
	s.obj = rt.NewObject()
	s.obj.SetPrototype(b.proto)
	s.obj.DefineDataPropertySymbol(b.state, rt.ToValue(s), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	b.mu.Lock()
	b.conns[c] = struct{}{}
	b.mu.Unlock()
	return &Inbound{Object: s.obj, s: s}, nil
}

// Close ends the connection after what the script wrote has been flushed,
// as when a module handler's promise settles. Loop goroutine only.
func (in *Inbound) Close() { in.s.finish() }

// Abort closes the connection at once, with reason as the error its closed
// promise rejects with. Loop goroutine only.
func (in *Inbound) Abort(reason error) { in.s.close(reason) }

// finish flushes the writable (close() lets queued writes drain, then
// sends FIN) and then closes the connection.
func (s *socket) finish() {
	if s.done {
		return
	}
	rt := s.b.h.Runtime
	p := s.b.streams.Flush(s.writable)
	then, _ := goja.AssertFunction(rt.ToValue(p).ToObject(rt).Get("then"))
	closeNow := rt.ToValue(func(goja.FunctionCall) goja.Value { s.close(nil); return goja.Undefined() })
	if _, err := then(rt.ToValue(p), closeNow, closeNow); err != nil {
		s.close(err)
	}
}

// close closes the connection once and settles closed: resolved for a
// deliberate close, rejected with reason otherwise.
func (s *socket) close(reason error) {
	if s.done {
		return
	}
	s.done = true
	rt := s.b.h.Runtime
	s.b.mu.Lock()
	delete(s.b.conns, s.conn)
	s.b.mu.Unlock()
	s.conn.Close()
	var jsReason goja.Value = goja.Undefined()
	if reason != nil {
		jsReason = rt.NewGoError(reason)
		var ex *goja.Exception
		if errors.As(reason, &ex) {
			jsReason = ex.Value()
		}
	}
	s.b.streams.CloseReadable(s.readable)
	s.b.streams.ErrorStream(s.writable, jsReason)
	if reason != nil {
		s.rejectClosed(jsReason)
		// Nobody may be watching closed; its rejection is logged already.
		rt.ToValue(s.closed).ToObject(rt).Get("catch")
		markHandled(rt, s.closed)
	} else {
		s.resolveClosed(goja.Undefined())
	}
	if s.onClose != nil {
		s.onClose()
	}
}

func markHandled(rt *goja.Runtime, p *goja.Promise) {
	catch, ok := goja.AssertFunction(rt.ToValue(p).ToObject(rt).Get("catch"))
	if ok {
		catch(rt.ToValue(p), rt.ToValue(func(goja.FunctionCall) goja.Value { return goja.Undefined() }))
	}
}
