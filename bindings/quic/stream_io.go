package quic

import (
	"errors"
	"io"
	"sync"

	quicgo "github.com/quic-go/quic-go"

	"github.com/sockw/sockw/bindings/streams"
)

// readBufSize is the most one read takes from a stream.
const readBufSize = 64 << 10

// copyBelow: a read smaller than this is copied into an exact-size chunk so
// the pooled buffer goes back at once; a larger one is handed on as is.
const copyBelow = 16 << 10

var readBufs = sync.Pool{New: func() any { b := make([]byte, readBufSize); return &b }}

// cancelCode is the application error code a stream is reset with when the
// script cancels its readable or aborts its writable.
const cancelCode quicgo.StreamErrorCode = 0

// receiver is the receive side of a QUIC stream (*quic.Stream or
// *quic.ReceiveStream).
type receiver interface {
	Read(p []byte) (int, error)
	CancelRead(quicgo.StreamErrorCode)
}

// sender is the send side of a QUIC stream (*quic.Stream or
// *quic.SendStream).
type sender interface {
	Write(p []byte) (int, error)
	TryWriteAll(p []byte) error
	Close() error
	CancelWrite(quicgo.StreamErrorCode)
}

// source feeds a Go-backed ReadableStream from a stream's receive side. A
// reset by the peer errors this readable only.
type source struct{ r receiver }

// Read returns the next chunk, io.EOF after the peer's FIN, or the error
// that ended the stream (a reset, the connection's end).
func (s source) Read() ([]byte, error) {
	buf := readBufs.Get().(*[]byte)
	for {
		n, err := s.r.Read(*buf)
		if n == 0 && err == nil {
			continue
		}
		if n == 0 {
			readBufs.Put(buf)
			return nil, err
		}
		if n < copyBelow {
			chunk := make([]byte, n)
			copy(chunk, (*buf)[:n])
			readBufs.Put(buf)
			return chunk, err
		}
		return (*buf)[:n:n], err
	}
}

// Cancel asks the peer to stop sending (STOP_SENDING) and ends a pending Read.
func (s source) Cancel(error) { s.r.CancelRead(cancelCode) }

// sink drains a Go-backed WritableStream into a stream's send side.
type sink struct{ w sender }

// TryWrite queues p if flow control lets all of it go now, so a chunk
// costs no goroutine; quic-go copies what it queues.
func (s sink) TryWrite(p []byte) (int, error) {
	switch err := s.w.TryWriteAll(p); {
	case err == nil:
		return len(p), nil
	case errors.Is(err, quicgo.ErrWouldBlock):
		return 0, nil
	default:
		return 0, err
	}
}

// Write blocks until p is queued or the stream fails.
func (s sink) Write(p []byte) error {
	_, err := s.w.Write(p)
	return err
}

// Close sends FIN; the receive side of a bidirectional stream stays open.
func (s sink) Close() error { return s.w.Close() }

// Abort resets the stream (RESET_STREAM), which fails a pending Write.
func (s sink) Abort(error) { s.w.CancelWrite(cancelCode) }

var (
	_ streams.Source = source{}
	_ streams.Sink   = sink{}
	_ io.Reader      = (*quicgo.Stream)(nil)
	_ receiver       = (*quicgo.ReceiveStream)(nil)
	_ sender         = (*quicgo.SendStream)(nil)
	_ receiver       = (*quicgo.Stream)(nil)
	_ sender         = (*quicgo.Stream)(nil)
)
