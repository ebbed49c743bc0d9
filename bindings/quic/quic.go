// Package quic installs QuicConnection, the WebTransport-shaped face of a
// QUIC connection: inbound connections handed to a worker's connect handler
// and outbound ones from connectQuic(). Every stream side is a Go-backed web
// stream over a quic-go stream (package streams), so backpressure is QUIC's
// own flow control.
package quic

import (
	"context"
	"crypto/x509"
	"fmt"
	"sync"

	"github.com/sockw/sockw/bindings/internal/webidl"

	"github.com/dop251/goja"
	quicgo "github.com/quic-go/quic-go"

	"github.com/sockw/sockw/bindings"
	"github.com/sockw/sockw/bindings/streams"
	"github.com/sockw/sockw/egress"
)

// DefaultHighWaterMark is the queue bound in bytes of each writable.
const DefaultHighWaterMark = 64 << 10

// Options configure the QUIC connections of one isolate.
type Options struct {
	// Policy decides which destinations connectQuic may reach. Nil refuses
	// every outbound connection.
	Policy *egress.Policy
	// RootCAs verifies outbound servers when the script passes no caCerts;
	// nil means the system's roots.
	RootCAs *x509.CertPool
}

// Binding is the QUIC API installed in one isolate.
type Binding struct {
	h       *bindings.Host
	rt      *goja.Runtime
	streams *streams.Streams
	opts    Options
	proto   *goja.Object // QuicConnection.prototype
	state   *goja.Symbol // key of the hidden slot holding *connection
	rsCtor  goja.Value   // ReadableStream, looked up on first use

	mu    sync.Mutex
	conns map[*quicgo.Conn]struct{} // every open connection, closed with the isolate
}

// Install defines the QuicConnection interface and connectQuic(). Every
// connection is closed when h.Context ends, so none outlives its isolate.
func Install(h *bindings.Host, st *streams.Streams, opts Options) (*Binding, error) {
	rt := h.Runtime
	b := &Binding{h: h, rt: rt, streams: st, opts: opts, state: goja.NewSymbol("sockw.quic"), conns: map[*quicgo.Conn]struct{}{}}
	if err := b.defineClass(); err != nil {
		return nil, err
	}
	connect := rt.ToValue(b.jsConnectQuic).ToObject(rt)
	webidl.SetNameLength(rt, connect, "connectQuic", 1)
	if err := rt.GlobalObject().DefineDataProperty("connectQuic", connect, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return nil, fmt.Errorf("connectQuic: %w", err)
	}
	context.AfterFunc(h.Context, b.closeAll)
	return b, nil
}

func (b *Binding) closeAll() {
	b.mu.Lock()
	conns := b.conns
	b.conns = nil
	b.mu.Unlock()
	for c := range conns {
		go c.CloseWithError(0, "")
	}
}

// track registers c for closing with the isolate; it reports false (and
// closes c) if the isolate is already gone.
func (b *Binding) track(c *quicgo.Conn) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.conns == nil {
		go c.CloseWithError(0, "")
		return false
	}
	b.conns[c] = struct{}{}
	return true
}

func (b *Binding) untrack(c *quicgo.Conn) {
	b.mu.Lock()
	delete(b.conns, c)
	b.mu.Unlock()
}

func (b *Binding) defineClass() error {
	rt := b.rt
	ctor := rt.ToValue(func(goja.ConstructorCall) *goja.Object {
		panic(rt.NewTypeError("Illegal constructor"))
	}).ToObject(rt)
	webidl.SetNameLength(rt, ctor, "QuicConnection", 0)
	b.proto = rt.NewObject()
	getters := []struct {
		name string
		get  func(*connection) goja.Value
	}{
		{"protocol", func(*connection) goja.Value { return rt.ToValue("quic") }},
		{"opened", func(c *connection) goja.Value { return rt.ToValue(c.openedPromise()) }},
		{"ready", func(c *connection) goja.Value { return rt.ToValue(c.readyPromise()) }},
		{"closed", func(c *connection) goja.Value { return rt.ToValue(c.closed.Promise(b.rt)) }},
		{"incomingBidirectionalStreams", func(c *connection) goja.Value { return c.incomingStreams(false) }},
		{"incomingUnidirectionalStreams", func(c *connection) goja.Value { return c.incomingStreams(true) }},
		{"datagrams", func(c *connection) goja.Value { return c.datagrams() }},
	}
	for _, g := range getters {
		get := g.get
		fn := rt.ToValue(func(call goja.FunctionCall) goja.Value { return get(b.this(call)) }).ToObject(rt)
		webidl.SetNameLength(rt, fn, "get "+g.name, 0)
		if err := b.proto.DefineAccessorProperty(g.name, fn, nil, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
			return fmt.Errorf("QuicConnection.%s: %w", g.name, err)
		}
	}
	methods := []struct {
		name   string
		length int
		fn     func(*connection, goja.FunctionCall) goja.Value
	}{
		{"close", 0, func(c *connection, call goja.FunctionCall) goja.Value {
			code, reason := b.parseCloseInfo(call.Argument(0))
			c.close(code, reason)
			return goja.Undefined()
		}},
		{"createBidirectionalStream", 0, func(c *connection, _ goja.FunctionCall) goja.Value {
			return rt.ToValue(c.createStream(false))
		}},
		{"createUnidirectionalStream", 0, func(c *connection, _ goja.FunctionCall) goja.Value {
			return rt.ToValue(c.createStream(true))
		}},
		{"getStats", 0, func(c *connection, _ goja.FunctionCall) goja.Value {
			return rt.ToValue(c.getStats())
		}},
	}
	for _, m := range methods {
		f := m.fn
		fn := rt.ToValue(func(call goja.FunctionCall) goja.Value { return f(b.this(call), call) }).ToObject(rt)
		webidl.SetNameLength(rt, fn, m.name, m.length)
		if err := b.proto.DefineDataProperty(m.name, fn, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return fmt.Errorf("QuicConnection.%s: %w", m.name, err)
		}
	}
	b.proto.DefineDataPropertySymbol(goja.SymToStringTag, rt.ToValue("QuicConnection"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	ctor.DefineDataProperty("prototype", b.proto, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	b.proto.DefineDataProperty("constructor", ctor, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	return rt.GlobalObject().DefineDataProperty("QuicConnection", ctor, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

func (b *Binding) this(call goja.FunctionCall) *connection {
	if o, ok := call.This.(*goja.Object); ok {
		if v := o.GetSymbol(b.state); v != nil {
			if c, ok := v.Export().(*connection); ok {
				return c
			}
		}
	}
	panic(b.rt.NewTypeError("Illegal invocation: not a QuicConnection"))
}

// jsError returns a JavaScript Error with err's text.
func (b *Binding) jsError(err error) goja.Value {
	errCtor, _ := goja.AssertConstructor(b.rt.Get("Error"))
	if errCtor == nil {
		return b.rt.ToValue(err.Error())
	}
	o, cerr := errCtor(nil, b.rt.ToValue(err.Error()))
	if cerr != nil {
		return b.rt.ToValue(err.Error())
	}
	return o
}

// readableStream returns the global ReadableStream constructor.
func (b *Binding) readableStream() (*goja.Object, error) {
	if b.rsCtor == nil {
		b.rsCtor = b.rt.GlobalObject().Get("ReadableStream")
	}
	ctor, ok := b.rsCtor.(*goja.Object)
	if !ok {
		return nil, fmt.Errorf("quic: ReadableStream is not installed")
	}
	return ctor, nil
}
