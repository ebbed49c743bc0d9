package udp

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync/atomic"

	"github.com/sockw/sockw/bindings/internal/webidl"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings/events"
)

// kind is which API a socket was made for; it decides what reads yield and
// what opened resolves with.
type kind uint8

const (
	kindInbound kind = iota // a listener's flow: Socket, reads yield Datagram
	kindSeed                // new Socket({ type: 'udp' }): as inbound
	kindDirect              // UDPSocket: reads yield { data, remoteAddress, remotePort }
)

// socket is the Go side of one UDP socket of any kind. Loop goroutine only,
// but for the counters.
type socket struct {
	b      *Binding
	kind   kind
	ep     endpoint // nil until an outbound socket is open
	bound  bool     // a Direct Sockets socket bound to a local address
	handle goja.Value
	obj    *goja.Object // the Socket (inbound, SEED) or UDPSocket object

	readable, writable *goja.Object
	end                goja.Callable // closes or errors both streams

	opened, closed  webidl.LazyPromise
	info            *goja.Object
	readyPromise    *goja.Promise
	abortSignal     *goja.Object
	abortSignalFire func(goja.Value) error

	done    bool
	onClose func()

	// pumpOut is the pump reading this socket's endpoint, from the start of
	// a pipe of its readable until the pump's goroutine has exited; pumpIn
	// is the pump sending on it, while the pipe into its writable lasts.
	// unread is a datagram a stopped pump read but did not send, for the
	// next read.
	pumpOut, pumpIn *pump
	unread          *message

	// Counted on the loop and by a pump's goroutine.
	packetsSent, packetsReceived atomic.Int64
	bytesSent, bytesReceived     atomic.Int64
}

// newSocket makes the socket and its streams; opened is what the streams
// wait for before the first read or write (undefined when already open).
func (b *Binding) newSocket(k kind, opened goja.Value) (*socket, error) {
	rs, ws, err := b.streamClasses()
	if err != nil {
		return nil, err
	}
	s := &socket{b: b, kind: k}
	s.handle = b.rt.ToValue(s)
	v, err := b.makeStreams(goja.Undefined(), s.handle, opened, rs, ws)
	if err != nil {
		return nil, fmt.Errorf("udp: making the socket's streams: %w", err)
	}
	arr := v.(*goja.Object)
	s.readable = arr.Get("0").(*goja.Object)
	s.writable = arr.Get("1").(*goja.Object)
	if s.end, _ = goja.AssertFunction(arr.Get("2")); s.end == nil {
		return nil, errors.New("udp: makeStreams returned no end function")
	}
	// A pipe between two sockets' streams is then offered to a pump (see
	// PipeObjectsFrom).
	for _, stream := range []*goja.Object{s.readable, s.writable} {
		if err := b.st.SetPipeHandle(stream, s.handle); err != nil {
			return nil, fmt.Errorf("udp: %w", err)
		}
	}
	return s, nil
}

func (b *Binding) socketOf(v goja.Value) *socket {
	if s, ok := v.Export().(*socket); ok {
		return s
	}
	panic(b.rt.NewTypeError("Illegal invocation: not a UDP socket"))
}

// jsTryRead returns the next datagram if one is already queued, null at the
// end, or undefined if the read must wait.
func (b *Binding) jsTryRead(call goja.FunctionCall) goja.Value {
	s := b.socketOf(call.Argument(0))
	if s.done {
		return goja.Null()
	}
	if s.ep == nil || s.pumpOut != nil {
		return goja.Undefined()
	}
	if m := s.unread; m != nil {
		s.unread = nil
		return s.message(*m)
	}
	m, ok := s.ep.tryRead()
	if !ok {
		return goja.Undefined()
	}
	return s.message(m)
}

// jsWaitRead(h, settle) reads the next datagram on a goroutine, calls
// settle with it (or with null at the end) on the loop, and returns a
// promise fulfilled after that: the pull's promise.
func (b *Binding) jsWaitRead(call goja.FunctionCall) goja.Value {
	s := b.socketOf(call.Argument(0))
	settle, ok := goja.AssertFunction(call.Argument(1))
	if !ok {
		panic(b.rt.NewTypeError("waitRead: settle is not a function"))
	}
	p, resolve, reject := b.rt.NewPromise()
	s.waitRead(settle, resolve, reject)
	return b.rt.ToValue(p)
}

// waitRead is jsWaitRead's read, settled through settle, resolve and reject.
func (s *socket) waitRead(settle goja.Callable, resolve, reject func(any) error) {
	b := s.b
	if s.done || s.ep == nil || b.h.Context.Err() != nil {
		settle(goja.Undefined(), goja.Null())
		resolve(goja.Undefined())
		return
	}
	if p := s.pumpOut; p != nil {
		// A stopped pump's goroutine still reads the endpoint: this read
		// follows it, and takes first what it hands back.
		p.afterExit = func() { s.waitRead(settle, resolve, reject) }
		return
	}
	if m := s.unread; m != nil {
		s.unread = nil
		settle(goja.Undefined(), s.message(*m))
		resolve(goja.Undefined())
		return
	}
	ep := s.ep
	done := b.h.Loop.RegisterCallback()
	go func() {
		m, err := ep.read()
		done(func() error {
			switch {
			case s.done:
				settle(goja.Undefined(), goja.Null())
			case errors.Is(err, io.EOF):
				// The flow ended (idle timeout, listener closed): the readable
				// ends and the socket closes now, not when the watcher's task
				// arrives, which nothing keeps the loop waiting for.
				settle(goja.Undefined(), goja.Null())
				resolve(goja.Undefined())
				s.closeWith(nil)
				return nil
			case err != nil:
				reason := s.jsError(fmt.Errorf("udp read: %w", unwrapOp(err)))
				reject(reason)
				s.closeWith(reason)
				return nil
			default:
				settle(goja.Undefined(), s.message(m))
			}
			resolve(goja.Undefined())
			return nil
		})
	}()
}

// message is the object a read yields for m.
func (s *socket) message(m message) goja.Value {
	b := s.b
	rt := b.rt
	s.received(len(m.data))
	data, err := rt.New(b.uint8Array, rt.ToValue(rt.NewArrayBuffer(m.data)))
	if err != nil {
		panic(err)
	}
	o := rt.NewObject()
	if s.kind == kindDirect {
		o.Set("data", data)
		o.Set("remoteAddress", m.from.Addr().String())
		o.Set("remotePort", int(m.from.Port()))
		return o
	}
	o.SetPrototype(b.datagramProt)
	o.Set("data", data)
	return o
}

// jsSend sends one datagram: send(h, bytes, remoteAddress, remotePort). It
// returns undefined once sent, or a promise when the destination is a name
// to resolve first.
func (b *Binding) jsSend(call goja.FunctionCall) goja.Value {
	s := b.socketOf(call.Argument(0))
	if s.done || s.ep == nil {
		panic(b.newError("The UDP socket is closed."))
	}
	p := b.bufferSource(call.Argument(1))
	if len(p) > MaxDatagramSize {
		panic(s.sendError(tooLargeError(len(p))))
	}
	addr, port := call.Argument(2), call.Argument(3)
	hasDest := !goja.IsUndefined(addr) || !goja.IsUndefined(port)
	if s.bound {
		if !hasDest {
			panic(b.rt.NewTypeError("A bound UDPSocket needs remoteAddress and remotePort on each message."))
		}
		return s.sendTo(p, addr, port)
	}
	if hasDest && s.kind == kindDirect {
		panic(b.rt.NewTypeError("A connected UDPSocket sends only to its remote address; remove remoteAddress and remotePort from the message."))
	}
	if err := s.ep.send(p); err != nil {
		panic(s.sendError(err))
	}
	s.sent(len(p))
	return goja.Undefined()
}

// tooLargeError is a datagram above MaxDatagramSize, refused before it is
// sent.
type tooLargeError int

func (n tooLargeError) Error() string {
	return fmt.Sprintf("The datagram is %d bytes; the largest UDP datagram is %d bytes.", int(n), MaxDatagramSize)
}

// sendError is the value a failed send errors the writable with: a
// RangeError for a datagram too large, an Error naming the cause otherwise.
func (s *socket) sendError(err error) goja.Value {
	var large tooLargeError
	if errors.As(err, &large) {
		return s.b.newRangeError(large.Error())
	}
	return s.jsError(fmt.Errorf("udp send: %w", unwrapOp(err)))
}

// bufferSource returns the bytes of an ArrayBuffer or ArrayBufferView
// (datagram_streams.js has checked which), without a copy.
func (b *Binding) bufferSource(v goja.Value) []byte {
	switch x := v.Export().(type) {
	case []byte: // a Uint8Array
		return x
	case goja.ArrayBuffer:
		if x.Detached() {
			panic(b.rt.NewTypeError("The datagram's buffer is detached."))
		}
		return x.Bytes()
	}
	var p []byte
	if err := b.rt.ExportTo(v, &p); err != nil {
		panic(b.rt.NewTypeError("The datagram's data must be an ArrayBuffer or an ArrayBufferView."))
	}
	return p
}

func (s *socket) sent(n int) {
	s.packetsSent.Add(1)
	s.bytesSent.Add(int64(n))
}

// unsent takes back the count of a datagram of n bytes whose send failed.
func (s *socket) unsent(n int) {
	s.packetsSent.Add(-1)
	s.bytesSent.Add(-int64(n))
}

func (s *socket) received(n int) {
	s.packetsReceived.Add(1)
	s.bytesReceived.Add(int64(n))
}

// unwrapOp drops the *net.OpError wrapper, whose text repeats addresses.
func unwrapOp(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err
	}
	return err
}

// closeWith closes the socket once: the endpoint, both streams and the
// closed promise, rejected with reason unless it is nil (a clean close).
func (s *socket) closeWith(reason goja.Value) {
	if s.done {
		return
	}
	s.done = true
	s.stopPumps(reason)
	if s.ep != nil {
		s.b.untrack(closer{s.ep})
		s.ep.close()
	}
	endReason := reason
	if endReason == nil {
		endReason = goja.Undefined()
	}
	if _, err := s.end(goja.Undefined(), endReason); err != nil {
		s.b.h.Logger.Debug("udp: ending the socket's streams failed")
	}
	if reason != nil {
		s.opened.Fail(s.b.rt, reason)
		s.closed.Fail(s.b.rt, reason)
	} else {
		s.opened.Fail(s.b.rt, s.b.newError("The UDP socket was closed before it opened."))
		s.closed.Fulfill(undefined)
	}
	if s.abortSignalFire != nil {
		s.abortSignalFire(endReason)
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
	return s.b.newError(err.Error())
}

func undefined() goja.Value { return goja.Undefined() }

// buildInfo is what opened resolves with: "host:port" strings for a
// Socket, split addresses and the streams for a UDPSocket.
func (s *socket) buildInfo() goja.Value {
	if s.info != nil {
		return s.info
	}
	rt := s.b.rt
	info := rt.NewObject()
	local, remote := s.ep.localAddr(), s.ep.remoteAddr()
	if s.kind != kindDirect {
		info.Set("remoteAddress", remote.String())
		info.Set("localAddress", local.String())
		s.info = info
		return info
	}
	info.Set("readable", s.readable)
	info.Set("writable", s.writable)
	if remote != nil {
		h, p := splitAddr(remote)
		info.Set("remoteAddress", h)
		info.Set("remotePort", p)
	}
	h, p := splitAddr(local)
	info.Set("localAddress", h)
	info.Set("localPort", p)
	s.info = info
	return info
}

func splitAddr(a net.Addr) (string, int) {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String(), 0
	}
	n, _ := strconv.Atoi(port)
	return host, n
}

// abortError is the reason abort() uses when the script gives none.
func (b *Binding) abortError() goja.Value {
	return events.NewDOMException(b.rt, "The socket was aborted", "AbortError")
}
