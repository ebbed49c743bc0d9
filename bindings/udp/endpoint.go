package udp

import (
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"time"
)

// Flow is one inbound UDP flow as a listener demultiplexes it: the
// datagrams from one source ip:port. *listener.Flow satisfies it.
type Flow interface {
	// ReadDatagram blocks until a datagram arrives; io.EOF once the flow
	// has ended.
	ReadDatagram() ([]byte, error)
	// ReadDatagramContext is ReadDatagram that also gives up when ctx is
	// done, with ctx.Err(), and then loses no datagram.
	ReadDatagramContext(ctx context.Context) ([]byte, error)
	// TryReadDatagram returns a queued datagram without blocking.
	TryReadDatagram() ([]byte, bool)
	// WriteDatagram sends p as one datagram to the peer.
	WriteDatagram(p []byte) error
	// Close ends the flow; a blocked ReadDatagram returns io.EOF.
	Close() error
	RemoteAddr() net.Addr
	LocalAddr() net.Addr
	// Done is closed when the flow ends, whoever ended it.
	Done() <-chan struct{}
}

// message is one datagram and where it came from.
type message struct {
	data []byte
	from netip.AddrPort
}

// endpoint is what a UDP socket reads from and writes to: an inbound flow,
// a connected outbound socket or a bound one.
type endpoint interface {
	// tryRead returns a datagram already received, without blocking.
	tryRead() (message, bool)
	// read blocks for the next datagram; io.EOF after close.
	read() (message, error)
	// readContext is read that also gives up when ctx is done, with
	// ctx.Err(). It loses nothing: a datagram is returned (even if ctx is
	// done by then) or stays for the next read.
	readContext(ctx context.Context) (message, error)
	// send sends one datagram to the connected peer.
	send(p []byte) error
	// sendTo sends one datagram to to (bound sockets only).
	sendTo(p []byte, to netip.AddrPort) error
	close() error
	localAddr() net.Addr
	remoteAddr() net.Addr // nil for a bound socket
}

// flowEndpoint is an inbound flow.
type flowEndpoint struct {
	f    Flow
	peer netip.AddrPort
}

func newFlowEndpoint(f Flow) *flowEndpoint {
	e := &flowEndpoint{f: f}
	if ua, ok := f.RemoteAddr().(*net.UDPAddr); ok {
		e.peer = ua.AddrPort()
	} else if ap, err := netip.ParseAddrPort(f.RemoteAddr().String()); err == nil {
		e.peer = ap
	}
	return e
}

func (e *flowEndpoint) tryRead() (message, bool) {
	p, ok := e.f.TryReadDatagram()
	return message{p, e.peer}, ok
}

func (e *flowEndpoint) read() (message, error) {
	p, err := e.f.ReadDatagram()
	return message{p, e.peer}, err
}

func (e *flowEndpoint) readContext(ctx context.Context) (message, error) {
	p, err := e.f.ReadDatagramContext(ctx)
	return message{p, e.peer}, err
}

func (e *flowEndpoint) send(p []byte) error { return e.f.WriteDatagram(p) }

func (e *flowEndpoint) sendTo([]byte, netip.AddrPort) error {
	return errors.New("an inbound UDP socket only sends to its peer")
}

func (e *flowEndpoint) close() error         { return e.f.Close() }
func (e *flowEndpoint) localAddr() net.Addr  { return e.f.LocalAddr() }
func (e *flowEndpoint) remoteAddr() net.Addr { return e.f.RemoteAddr() }

// connEndpoint is an outbound socket: connected to one peer, or bound and
// sending anywhere the policy allows. Reads are one at a time (the stream
// pulls one datagram at a time), so one buffer serves them all.
type connEndpoint struct {
	c         *net.UDPConn
	connected bool
	buf       []byte // allocated on the first read
}

func (e *connEndpoint) tryRead() (message, bool) { return message{}, false }

func (e *connEndpoint) read() (message, error) {
	if e.buf == nil {
		e.buf = make([]byte, 64<<10)
	}
	n, from, err := e.c.ReadFromUDPAddrPort(e.buf)
	if err != nil {
		if errors.Is(err, net.ErrClosed) {
			return message{}, io.EOF
		}
		return message{}, err
	}
	return message{append([]byte(nil), e.buf[:n]...), netip.AddrPortFrom(from.Addr().Unmap(), from.Port())}, nil
}

func (e *connEndpoint) readContext(ctx context.Context) (message, error) {
	// A deadline in the past wakes the blocked read; it is lifted again
	// before this returns, so the next read (a pump's or a script's) blocks
	// as it should.
	interrupted := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		e.c.SetReadDeadline(time.Unix(1, 0))
		close(interrupted)
	})
	m, err := e.read()
	if !stop() {
		<-interrupted
		e.c.SetReadDeadline(time.Time{})
		if err != nil {
			return message{}, ctx.Err()
		}
	}
	return m, err
}

func (e *connEndpoint) send(p []byte) error {
	if !e.connected {
		return errors.New("a bound UDP socket needs remoteAddress and remotePort for each message")
	}
	_, err := e.c.Write(p)
	return err
}

func (e *connEndpoint) sendTo(p []byte, to netip.AddrPort) error {
	_, err := e.c.WriteToUDPAddrPort(p, to)
	return err
}

func (e *connEndpoint) close() error        { return e.c.Close() }
func (e *connEndpoint) localAddr() net.Addr { return e.c.LocalAddr() }
func (e *connEndpoint) remoteAddr() net.Addr {
	if !e.connected {
		return nil
	}
	return e.c.RemoteAddr()
}

// closer adapts an endpoint to io.Closer for the isolate's tracking.
type closer struct{ e endpoint }

func (c closer) Close() error { return c.e.close() }
