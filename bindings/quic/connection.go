package quic

import (
	"context"
	"errors"
	"math"
	"unicode/utf8"

	"github.com/sockw/sockw/bindings/internal/webidl"

	"github.com/dop251/goja"
	quicgo "github.com/quic-go/quic-go"
)

// maxReasonBytes is the longest close reason sent, as WebTransport bounds it.
const maxReasonBytes = 1024

// connection is the Go side of one QuicConnection. Fields are loop only.
type connection struct {
	b   *Binding
	qc  *quicgo.Conn
	obj *goja.Object

	// ctx ends with the connection or a local close, and with it every
	// accept and open the connection has out.
	ctx    context.Context
	cancel context.CancelFunc

	opened, ready *goja.Promise // made on first use
	closed        webidl.LazyPromise
	incoming      [2]*goja.Object // bidirectional, unidirectional; made on first use
	dgrams        *goja.Object
	done          bool
	onClose       func()
}

// NewInbound wraps a QUIC connection whose handshake has completed in a
// QuicConnection: opened and ready are resolved already. onClose runs once,
// on the loop, when the connection ends for any reason (a local close, the
// peer's, an idle timeout). Loop goroutine only.
func (b *Binding) NewInbound(qc *quicgo.Conn, onClose func()) (*goja.Object, error) {
	c, err := b.newConnection(qc)
	if err != nil {
		return nil, err
	}
	c.onClose = onClose
	return c.obj, nil
}

func (b *Binding) newConnection(qc *quicgo.Conn) (*connection, error) {
	if !b.track(qc) {
		return nil, errors.New("the isolate is shutting down")
	}
	rt := b.rt
	c := &connection{b: b, qc: qc}
	c.ctx, c.cancel = context.WithCancel(qc.Context())
	c.obj = rt.NewObject()
	c.obj.SetPrototype(b.proto)
	c.obj.DefineDataPropertySymbol(b.state, rt.ToValue(c), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	// An open connection does not keep the loop alive by itself: its
	// pending reads, accepts and writes do.
	go func() {
		<-qc.Context().Done()
		cause := context.Cause(qc.Context())
		b.h.Loop.Enqueue(func() error { c.ended(cause); return nil })
	}()
	return c, nil
}

func (c *connection) openedPromise() *goja.Promise {
	if c.opened == nil {
		rt := c.b.rt
		var resolve func(any) error
		c.opened, resolve, _ = rt.NewPromise()
		info := rt.NewObject()
		info.Set("remoteAddress", c.qc.RemoteAddr().String())
		info.Set("localAddress", c.qc.LocalAddr().String())
		st := c.qc.ConnectionState().TLS
		orNull := func(v string) goja.Value {
			if v == "" {
				return goja.Null()
			}
			return rt.ToValue(v)
		}
		info.Set("alpn", orNull(st.NegotiatedProtocol))
		info.Set("serverName", orNull(st.ServerName))
		resolve(info)
	}
	return c.opened
}

func (c *connection) readyPromise() *goja.Promise {
	if c.ready == nil {
		var resolve func(any) error
		c.ready, resolve, _ = c.b.rt.NewPromise()
		resolve(goja.Undefined())
	}
	return c.ready
}

// parseCloseInfo reads close()'s {closeCode, reason} as WebTransport does:
// closeCode an unsigned 32-bit integer (default 0), reason cut to 1024
// bytes of UTF-8 on a character boundary.
func (b *Binding) parseCloseInfo(v goja.Value) (uint32, string) {
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return 0, ""
	}
	obj, ok := v.(*goja.Object)
	if !ok {
		panic(b.rt.NewTypeError("close: the argument must be an object { closeCode, reason }"))
	}
	var code uint32
	if cv := obj.Get("closeCode"); cv != nil && !goja.IsUndefined(cv) {
		f := cv.ToFloat()
		if math.IsNaN(f) || math.IsInf(f, 0) || math.Trunc(f) < 0 || math.Trunc(f) > math.MaxUint32 {
			panic(b.rt.NewTypeError("close: closeCode must be an integer from 0 to 4294967295"))
		}
		code = uint32(math.Trunc(f))
	}
	reason := ""
	if rv := obj.Get("reason"); rv != nil && !goja.IsUndefined(rv) {
		reason = rv.String()
	}
	if len(reason) > maxReasonBytes {
		cut := maxReasonBytes
		for cut > 0 && !utf8.RuneStart(reason[cut]) {
			cut--
		}
		reason = reason[:cut]
	}
	return code, reason
}

// close closes the connection with code and reason, once; closed resolves
// with them at once.
func (c *connection) close(code uint32, reason string) {
	if c.done {
		return
	}
	qc := c.qc
	go qc.CloseWithError(quicgo.ApplicationErrorCode(code), reason)
	c.finish(c.closeInfo(uint64(code), reason), nil)
}

// ended runs on the loop when the connection is gone. An application close
// (ours or the peer's) resolves closed with its code and reason; anything
// else (an idle timeout, a transport error) rejects it.
func (c *connection) ended(cause error) {
	if c.done {
		return
	}
	var app *quicgo.ApplicationError
	if errors.As(cause, &app) {
		c.finish(c.closeInfo(uint64(app.ErrorCode), app.ErrorMessage), nil)
		return
	}
	if cause == nil {
		cause = errors.New("the QUIC connection closed")
	}
	c.finish(nil, c.b.jsError(cause))
}

func (c *connection) closeInfo(code uint64, reason string) goja.Value {
	info := c.b.rt.NewObject()
	info.Set("closeCode", code)
	info.Set("reason", reason)
	return info
}

func (c *connection) finish(info, reason goja.Value) {
	c.done = true
	c.cancel()
	c.b.untrack(c.qc)
	if reason != nil {
		c.closed.Fail(c.b.rt, reason)
	} else {
		c.closed.Fulfill(func() goja.Value { return info })
	}
	if c.onClose != nil {
		onClose := c.onClose
		c.onClose = nil
		onClose()
	}
}

// getStats resolves with the connection's counters; smoothedRtt is in
// milliseconds, as WebTransport's stats are.
func (c *connection) getStats() *goja.Promise {
	rt := c.b.rt
	p, resolve, _ := rt.NewPromise()
	s := c.qc.ConnectionStats()
	o := rt.NewObject()
	o.Set("bytesSent", s.BytesSent)
	o.Set("bytesReceived", s.BytesReceived)
	o.Set("packetsSent", s.PacketsSent)
	o.Set("packetsReceived", s.PacketsReceived)
	o.Set("packetsLost", s.PacketsLost)
	o.Set("smoothedRtt", float64(s.SmoothedRTT.Microseconds())/1000)
	o.Set("minRtt", float64(s.MinRTT.Microseconds())/1000)
	resolve(o)
	return p
}
