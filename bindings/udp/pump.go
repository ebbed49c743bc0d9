package udp

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/dop251/goja"
	"go.uber.org/zap"

	"github.com/sockw/sockw/bindings/streams"
)

// pump carries out src.readable.pipeTo(dst.writable) in Go: a goroutine
// reads src's endpoint and sends each datagram on dst's (back to the peer
// for an inbound flow), and JavaScript never sees the datagrams. The pipe
// holds both streams locked meanwhile. The pump ends the pipe once, through
// its ObjectPipe, with what ended it: src's end (the flow ended, or the
// socket closed cleanly), a read error or an abort of src, or a failed send
// or a close of dst. The spec's pipe loop then applies the pipe's rules to
// the streams.
type pump struct {
	src, dst *socket
	pipe     *streams.ObjectPipe
	ctx      context.Context // cancelled to stop the goroutine
	cancel   context.CancelFunc

	// Loop goroutine only.
	stopped   bool   // the pipe has been ended
	afterExit func() // a read of src waiting for the goroutine to exit
}

// pumpResult is how a pump's goroutine ended: on its own with an error, or
// stopped (all nil), perhaps holding a datagram it read but did not send.
type pumpResult struct {
	readErr  error // io.EOF when the source ended
	sendErr  error
	leftover *message
}

// PipeObjectsFrom takes over readable.pipeTo(s.writable) when the readable
// is a UDP socket's of the same isolate (s's own for an echo) and both
// sockets are open, s sends to one peer (it is not a bound UDPSocket) and
// the readable yields Datagrams. The rest stays with the JS pipe: a Direct
// Sockets UDPSocket's readable yields messages that carry their sender's
// address, which a connected UDPSocket's writable refuses and the others
// ignore, and a bound UDPSocket's writable sends each message to the
// address it carries, checked against the egress policy.
func (s *socket) PipeObjectsFrom(src any, p *streams.ObjectPipe) bool {
	from, ok := src.(*socket)
	if !ok || from.b != s.b || !canPump(from, s) || s.b.h.Context.Err() != nil {
		return false
	}
	startPump(from, s, p)
	return true
}

var _ streams.ObjectPiper = (*socket)(nil)

// canPump reports whether datagrams can move from src to dst in Go. A pump
// of src still stopping, or a datagram it handed back, leaves the pipe to
// JavaScript, whose reads wait for it.
func canPump(src, dst *socket) bool {
	return src.ep != nil && dst.ep != nil && !src.done && !dst.done &&
		src.kind != kindDirect && !dst.bound &&
		src.pumpOut == nil && src.unread == nil && dst.pumpIn == nil
}

// startPump starts the goroutine. It keeps the loop alive until it has
// exited, as a read the JS pipe had out would.
func startPump(src, dst *socket, pipe *streams.ObjectPipe) {
	b := src.b
	ctx, cancel := context.WithCancel(b.h.Context)
	p := &pump{src: src, dst: dst, pipe: pipe, ctx: ctx, cancel: cancel}
	src.pumpOut, dst.pumpIn = p, p
	done := b.h.Loop.RegisterCallback()
	go func() {
		res := p.run()
		done(func() error { return p.exited(res) })
	}()
}

// run moves datagrams until the source ends, a read or a send fails, or the
// pump is stopped (or the isolate ends: ctx is the isolate's child).
func (p *pump) run() pumpResult {
	src, dst := p.src, p.dst
	for {
		m, err := src.ep.readContext(p.ctx)
		if p.ctx.Err() != nil {
			if err != nil {
				return pumpResult{}
			}
			return pumpResult{leftover: &m}
		}
		if err != nil {
			return pumpResult{readErr: err}
		}
		src.received(len(m.data))
		if len(m.data) > MaxDatagramSize {
			return pumpResult{sendErr: tooLargeError(len(m.data))}
		}
		// Counted before it goes, so that the count never lags what the
		// peer may already have answered.
		dst.sent(len(m.data))
		if err := dst.ep.send(m.data); err != nil {
			dst.unsent(len(m.data))
			return pumpResult{sendErr: err}
		}
	}
}

// exited runs on the loop once the goroutine has returned. Unless the pump
// was stopped, it ends the pipe with what ended the goroutine; a source
// that ended or failed then closes its socket, as a script's read seeing
// the same would.
func (p *pump) exited(res pumpResult) error {
	src, dst := p.src, p.dst
	p.cancel()
	src.pumpOut = nil
	if dst.pumpIn == p {
		dst.pumpIn = nil
	}
	if res.leftover != nil && !src.done {
		src.unread = res.leftover
	}
	var err error
	// Once the isolate is ending, nothing waits for the pipe: the socket's
	// endpoint was closed under the pump by the isolate, not by its peer.
	if !p.stopped && src.b.h.Context.Err() == nil {
		p.stopped = true
		switch {
		case errors.Is(res.readErr, io.EOF):
			err = p.pipe.SourceEnded()
			src.closeWith(nil)
		case res.readErr != nil:
			reason := src.jsError(fmt.Errorf("udp read: %w", unwrapOp(res.readErr)))
			err = p.pipe.SourceErrored(reason)
			src.closeWith(reason)
		case res.sendErr != nil:
			err = p.pipe.SinkErrored(dst.sendError(res.sendErr))
		}
	}
	if f := p.afterExit; f != nil {
		p.afterExit = nil
		f()
	}
	return err
}

// stop ends the pipe at once with end and has the goroutine exit: its read
// is interrupted, and a datagram it has read but not sent is handed back
// to src (see exited). One it is already sending still goes: it was read
// before the pipe ended, and the peer cannot tell, as a UDP writable's close
// sends nothing.
func (p *pump) stop(end func() error) {
	if p.stopped {
		return
	}
	p.stopped = true
	p.cancel()
	if err := end(); err != nil {
		p.src.b.h.Logger.Error("udp: ending a pipe failed", zap.Error(err))
	}
}

// stopPumps ends the pipes that move this socket's datagrams, as the
// socket closes with reason (nil for a clean close). A clean close is the
// end of its readable, whose pipe then closes the destination unless
// preventClose, before the socket errors its own writable; an abort errors
// the readable with reason. A pipe into the socket's writable fails with
// reason (undefined for a clean close), as a write to the closed socket
// would.
func (s *socket) stopPumps(reason goja.Value) {
	if p := s.pumpOut; p != nil {
		if reason == nil {
			p.stop(p.pipe.SourceEnded)
		} else {
			p.stop(func() error { return p.pipe.SourceErrored(reason) })
		}
	}
	if p := s.pumpIn; p != nil {
		sinkReason := reason
		if sinkReason == nil {
			sinkReason = goja.Undefined()
		}
		p.stop(func() error { return p.pipe.SinkErrored(sinkReason) })
	}
}
