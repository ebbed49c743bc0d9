package quic

import (
	"context"
	"errors"

	"github.com/dop251/goja"
	quicgo "github.com/quic-go/quic-go"
)

// probe is a payload larger than any QUIC packet: SendDatagram refuses it
// before reading it, with the current limit. Never written.
var probe = make([]byte, 1<<16)

// datagrams returns the connection's WebTransportDatagramDuplexStream:
// readable yields each datagram as a Uint8Array, every chunk written is one
// datagram. Datagrams are unreliable: one larger than maxDatagramSize is
// dropped, as WebTransport drops it.
func (c *connection) datagrams() goja.Value {
	if c.dgrams != nil {
		return c.dgrams
	}
	b := c.b
	rt := b.rt
	ctx, cancel := context.WithCancel(c.ctx)
	r, err := b.streams.NewReadable(datagramSource{qc: c.qc, ctx: ctx, cancel: cancel}, 0)
	if err != nil {
		panic(rt.NewTypeError(err.Error()))
	}
	newWritable := func() goja.Value {
		w, err := b.streams.NewWritable(datagramSink{c.qc}, DefaultHighWaterMark)
		if err != nil {
			panic(rt.NewTypeError(err.Error()))
		}
		return w
	}
	d := rt.NewObject()
	d.Set("readable", r)
	d.Set("writable", newWritable())
	d.Set("createWritable", func(goja.FunctionCall) goja.Value { return newWritable() })
	get := rt.ToValue(func(goja.FunctionCall) goja.Value { return rt.ToValue(maxDatagramSize(c.qc)) })
	d.DefineAccessorProperty("maxDatagramSize", get, nil, goja.FLAG_TRUE, goja.FLAG_TRUE)
	c.dgrams = d
	return d
}

// maxDatagramSize is the largest payload one datagram carries now (it
// grows as path MTU discovery proceeds), 0 if the peer takes none.
func maxDatagramSize(qc *quicgo.Conn) int64 {
	var tooLarge *quicgo.DatagramTooLargeError
	if err := qc.SendDatagram(probe); errors.As(err, &tooLarge) {
		return tooLarge.MaxDatagramPayloadSize
	}
	return 0
}

type datagramSource struct {
	qc     *quicgo.Conn
	ctx    context.Context
	cancel context.CancelFunc
}

// Read waits for the next datagram. quic-go queues a bounded number and
// drops the rest, so a reader that falls behind loses datagrams, never memory.
func (s datagramSource) Read() ([]byte, error) {
	for {
		p, err := s.qc.ReceiveDatagram(s.ctx)
		if err != nil {
			return nil, err
		}
		if len(p) > 0 {
			return p, nil
		}
	}
}

func (s datagramSource) Cancel(error) { s.cancel() }

type datagramSink struct{ qc *quicgo.Conn }

// TryWrite leaves every datagram to Write: SendDatagram blocks while
// quic-go's send queue is full, which must not happen on the loop.
func (datagramSink) TryWrite([]byte) (int, error) { return 0, nil }

// Write sends p as one datagram; one too large for the path is dropped.
func (s datagramSink) Write(p []byte) error {
	err := s.qc.SendDatagram(p)
	var tooLarge *quicgo.DatagramTooLargeError
	if errors.As(err, &tooLarge) {
		return nil
	}
	return err
}

func (datagramSink) Close() error { return nil }
func (datagramSink) Abort(error)  {}
