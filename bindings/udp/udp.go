// Package udp installs UDP sockets into an isolate: inbound flows handed to
// a worker's connect handler as a Socket with protocol 'udp', the 2021
// proposal's `new Socket({ type: 'udp', remote })` (through NewSeedUDP, which
// package sockets' Socket constructor calls) and Direct Sockets' UDPSocket.
//
// A UDP socket's readable yields one object per datagram and each write
// sends exactly one datagram. The streams are default (object) streams
// built on the global ReadableStream and WritableStream classes, with
// sources written in JavaScript (datagram_streams.js) that call Go natives:
// a read takes a datagram already queued on the loop without a goroutine,
// and blocks on a goroutine only when none is. A pipe from one socket's
// readable into a socket's writable (the same socket's, for an echo) moves
// the datagrams in Go instead, without JavaScript (see pump).
package udp

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings"
	"github.com/sockw/sockw/bindings/streams"
	"github.com/sockw/sockw/egress"
)

// MaxDatagramSize is the largest UDP payload over IPv4; a larger write is
// refused with a RangeError instead of being truncated or fragmented away.
const MaxDatagramSize = 65507

// Options configure the UDP sockets of one isolate.
type Options struct {
	// Policy decides which destinations outbound sockets may send to; every
	// destination is checked, the connected one at open and, for a bound
	// socket, each write's. Nil refuses all outbound UDP.
	Policy *egress.Policy
	// AllowBind lets scripts create bound sockets, new UDPSocket({
	// localAddress, localPort }), which receive from anyone. Off by default:
	// a deployed worker should not open ports on the node.
	AllowBind bool
}

// Binding is the UDP API installed in one isolate.
type Binding struct {
	h    *bindings.Host
	rt   *goja.Runtime
	st   *streams.Streams
	opts Options

	intrinsics   []goja.Value // ArrayBuffer, ArrayBuffer.isView, TypeError
	ready        bool         // setUp has run
	makeStreams  goja.Callable
	rsCtor       goja.Value // the global ReadableStream, captured on first use
	wsCtor       goja.Value
	socketProto  *goja.Object // prototype of inbound and SEED sockets
	datagramProt *goja.Object // prototype of the Datagram objects reads yield
	udpProto     *goja.Object // UDPSocket.prototype
	rangeError   goja.Value
	uint8Array   goja.Value
	state        *goja.Symbol // key of the hidden slot holding *socket

	mu     sync.Mutex
	open   map[io.Closer]struct{} // every endpoint, closed with the isolate
	closed bool
}

//go:embed datagram_streams.js
var streamsSource string

var streamsProgram = sync.OnceValues(func() (*goja.Program, error) {
	return goja.Compile("datagram_streams.js", streamsSource, true)
})

// Install defines UDPSocket and prepares inbound and SEED UDP sockets. It
// needs the stream globals, installed as st, and for Direct Sockets and
// DOMException package events, installed first; the stream classes are
// looked up on the first socket, so Install does not set them up. Pipes
// between the sockets' streams are carried out in Go, through st. Every
// endpoint a socket holds is closed when h.Context ends.
func Install(h *bindings.Host, st *streams.Streams, opts Options) (*Binding, error) {
	if st == nil {
		return nil, errors.New("udp: Install needs the isolate's streams")
	}
	rt := h.Runtime
	if _, err := streamsProgram(); err != nil {
		return nil, fmt.Errorf("udp: compiling datagram_streams.js: %w", err)
	}
	b := &Binding{h: h, rt: rt, st: st, opts: opts, state: goja.NewSymbol("sockw.udp"), open: map[io.Closer]struct{}{}}
	b.rangeError = rt.Get("RangeError")
	b.uint8Array = rt.Get("Uint8Array")
	ab := rt.Get("ArrayBuffer").ToObject(rt)
	b.intrinsics = []goja.Value{ab, ab.Get("isView"), rt.Get("TypeError")}
	if err := b.defineUDPSocket(); err != nil {
		return nil, err
	}
	context.AfterFunc(h.Context, b.closeAll)
	return b, nil
}

func (b *Binding) closeAll() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for c := range b.open {
		c.Close()
	}
	b.open, b.closed = nil, true
}

// track registers c for closing with the isolate; it reports false (and
// closes c) if the isolate is already gone.
func (b *Binding) track(c io.Closer) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		c.Close()
		return false
	}
	b.open[c] = struct{}{}
	return true
}

func (b *Binding) untrack(c io.Closer) {
	b.mu.Lock()
	delete(b.open, c)
	b.mu.Unlock()
}

// setUp runs datagram_streams.js and makes the Socket prototype, on the
// first socket: most isolates never make a UDP socket, and Install must
// stay cheap.
func (b *Binding) setUp() error {
	if b.ready {
		return nil
	}
	rt := b.rt
	prog, err := streamsProgram()
	if err != nil {
		return fmt.Errorf("udp: compiling datagram_streams.js: %w", err)
	}
	fv, err := rt.RunProgram(prog)
	if err != nil {
		return fmt.Errorf("udp: running datagram_streams.js: %w", err)
	}
	factory, ok := goja.AssertFunction(fv)
	if !ok {
		return fmt.Errorf("udp: datagram_streams.js is not a function")
	}
	natives := rt.NewObject()
	natives.Set("tryRead", b.jsTryRead)
	natives.Set("waitRead", b.jsWaitRead)
	natives.Set("send", b.jsSend)
	mv, err := factory(goja.Undefined(), append([]goja.Value{natives}, b.intrinsics...)...)
	if err != nil {
		return fmt.Errorf("udp: setting up the streams: %w", err)
	}
	if b.makeStreams, ok = goja.AssertFunction(mv); !ok {
		return fmt.Errorf("udp: makeStreams is not a function")
	}
	if err := b.defineSocketProto(); err != nil {
		return err
	}
	b.ready = true
	return nil
}

// streamClasses returns the global ReadableStream and WritableStream, looked
// up on first use so that Install does not set the streams up.
func (b *Binding) streamClasses() (goja.Value, goja.Value, error) {
	if err := b.setUp(); err != nil {
		return nil, nil, err
	}
	if b.rsCtor == nil {
		rs, ws := b.rt.Get("ReadableStream"), b.rt.Get("WritableStream")
		if rs == nil || ws == nil {
			return nil, nil, fmt.Errorf("udp: the stream globals are not installed")
		}
		b.rsCtor, b.wsCtor = rs, ws
	}
	return b.rsCtor, b.wsCtor, nil
}

// newRangeError returns a JS RangeError with msg.
func (b *Binding) newRangeError(msg string) *goja.Object {
	if o, err := b.rt.New(b.rangeError, b.rt.ToValue(msg)); err == nil {
		return o
	}
	return b.rt.NewTypeError(msg)
}

// newError returns a JS Error with msg.
func (b *Binding) newError(msg string) *goja.Object {
	if o, err := b.rt.New(b.rt.Get("Error"), b.rt.ToValue(msg)); err == nil {
		return o
	}
	return b.rt.NewTypeError(msg)
}
