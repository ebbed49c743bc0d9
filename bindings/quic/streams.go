package quic

import (
	"context"
	"errors"
	"fmt"

	"github.com/dop251/goja"
	quicgo "github.com/quic-go/quic-go"
)

// bidiPair returns {readable, writable} over a bidirectional stream, as
// WebTransportBidirectionalStream has them.
func (c *connection) bidiPair(s *quicgo.Stream) (*goja.Object, error) {
	r, err := c.b.streams.NewReadable(source{s}, 0)
	if err != nil {
		return nil, err
	}
	w, err := c.b.streams.NewWritable(sink{s}, DefaultHighWaterMark)
	if err != nil {
		return nil, err
	}
	pair := c.b.rt.NewObject()
	pair.Set("readable", r)
	pair.Set("writable", w)
	return pair, nil
}

// createStream opens a stream, waiting for the peer's stream credit; the
// promise resolves with {readable, writable}, or a WritableStream for a
// unidirectional one.
func (c *connection) createStream(uni bool) *goja.Promise {
	b := c.b
	p, resolve, reject := b.rt.NewPromise()
	if c.done {
		reject(b.jsError(errors.New("the QUIC connection is closed")))
		return p
	}
	done := b.h.Loop.RegisterCallback()
	ctx, qc := c.ctx, c.qc
	go func() {
		var bidi *quicgo.Stream
		var send *quicgo.SendStream
		var err error
		if uni {
			send, err = qc.OpenUniStreamSync(ctx)
		} else {
			bidi, err = qc.OpenStreamSync(ctx)
		}
		done(func() error {
			if err != nil {
				reject(b.jsError(fmt.Errorf("cannot open a stream: %w", err)))
				return nil
			}
			var v *goja.Object
			if uni {
				v, err = b.streams.NewWritable(sink{send}, DefaultHighWaterMark)
			} else {
				v, err = c.bidiPair(bidi)
			}
			if err != nil {
				reject(b.jsError(err))
				return nil
			}
			resolve(v)
			return nil
		})
	}()
	return p
}

// incomingStreams returns the ReadableStream of streams the peer opens.
// Its high-water mark is 0: a stream is accepted only when the script
// reads, so streams it does not take wait in quic-go, bounded by the
// listener's MaxIncomingStreams.
func (c *connection) incomingStreams(uni bool) goja.Value {
	i := 0
	if uni {
		i = 1
	}
	if c.incoming[i] != nil {
		return c.incoming[i]
	}
	b := c.b
	rt := b.rt
	ctor, err := b.readableStream()
	if err != nil {
		panic(rt.NewTypeError(err.Error()))
	}
	ctx, cancel := context.WithCancel(c.ctx)
	src := rt.NewObject()
	src.Set("pull", func(call goja.FunctionCall) goja.Value {
		return rt.ToValue(c.accept(ctx, uni, call.Argument(0).ToObject(rt)))
	})
	src.Set("cancel", func(goja.FunctionCall) goja.Value { cancel(); return goja.Undefined() })
	strategy := rt.NewObject()
	strategy.Set("highWaterMark", 0)
	rs, err := rt.New(ctor, src, strategy)
	if err != nil {
		panic(err)
	}
	c.incoming[i] = rs
	return rs
}

// accept is the incoming streams' pull: it accepts one stream and enqueues
// it. When the connection ends the readable closes (an application close)
// or errors (anything else).
func (c *connection) accept(ctx context.Context, uni bool, ctl *goja.Object) *goja.Promise {
	b := c.b
	rt := b.rt
	p, resolve, _ := rt.NewPromise()
	call := func(name string, args ...goja.Value) {
		if fn, ok := goja.AssertFunction(ctl.Get(name)); ok {
			fn(ctl, args...) // a throw means the stream is already closed
		}
	}
	done := b.h.Loop.RegisterCallback()
	qc := c.qc
	go func() {
		var bidi *quicgo.Stream
		var recv *quicgo.ReceiveStream
		var err error
		if uni {
			recv, err = qc.AcceptUniStream(ctx)
		} else {
			bidi, err = qc.AcceptStream(ctx)
		}
		done(func() error {
			defer resolve(goja.Undefined())
			if err != nil {
				cause := context.Cause(qc.Context())
				var app *quicgo.ApplicationError
				// An application close by either side ends the incoming
				// streams cleanly, whichever of the accept and our context
				// noticed first; anything else errors them.
				if errors.As(err, &app) || errors.As(cause, &app) || (ctx.Err() != nil && qc.Context().Err() == nil) {
					call("close")
				} else {
					if cause != nil {
						err = cause
					}
					call("error", b.jsError(err))
				}
				return nil
			}
			var v *goja.Object
			if uni {
				v, err = b.streams.NewReadable(source{recv}, 0)
			} else {
				v, err = c.bidiPair(bidi)
			}
			if err != nil {
				call("error", b.jsError(err))
				return nil
			}
			call("enqueue", v)
			return nil
		})
	}()
	return p
}
