package sockets

import (
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/sockw/sockw/bindings/streams"
)

// readBufSize is the most one read takes from the kernel. Large enough that
// a bulk transfer costs few JS round trips per megabyte.
const readBufSize = 64 << 10

// copyBelow: a read smaller than this is copied into an exact-size chunk so
// the pooled buffer goes back at once; a larger one is handed to JavaScript
// as is, since copying it would cost as much as allocating a new buffer.
const copyBelow = 16 << 10

var readBufs = sync.Pool{New: func() any { b := make([]byte, readBufSize); return &b }}

// connSource feeds a Go-backed ReadableStream from a connection. On a socket
// it waits for readability before taking a buffer, so an idle connection
// pins no read buffer.
type connSource struct {
	conn     net.Conn
	raw      syscall.RawConn // nil when conn is not a kernel socket (TLS)
	canceled atomic.Bool
}

func newConnSource(c net.Conn) *connSource {
	s := &connSource{conn: c}
	if sc, ok := c.(syscall.Conn); ok {
		if raw, err := sc.SyscallConn(); err == nil {
			s.raw = raw
		}
	}
	return s
}

// Read returns the next chunk, io.EOF after the peer's FIN, or the error
// that ended the connection. After Cancel or a local close it reports EOF:
// the script asked for the end, so it is not an error.
func (s *connSource) Read() ([]byte, error) {
	chunk, err := s.read()
	if err != nil && s.canceled.Load() {
		return nil, io.EOF
	}
	return chunk, err
}

func (s *connSource) read() ([]byte, error) {
	if s.raw == nil {
		buf := readBufs.Get().(*[]byte)
		n, err := s.conn.Read(*buf)
		if n > 0 {
			return own(buf, n), nil
		}
		readBufs.Put(buf)
		if err == nil {
			err = io.ErrNoProgress
		}
		return nil, err
	}
	return s.rawRead(true)
}

// TryRead reads what the kernel already holds, without waiting, so a chunk
// that is there reaches JavaScript without a goroutine handoff.
func (s *connSource) TryRead() ([]byte, error) {
	if s.raw == nil {
		return nil, nil
	}
	chunk, err := s.rawRead(false)
	if err != nil && s.canceled.Load() {
		return nil, io.EOF
	}
	return chunk, err
}

// rawRead makes one read from the socket, waiting for readability if wait
// is set; otherwise nothing to read is (nil, nil).
func (s *connSource) rawRead(wait bool) ([]byte, error) {
	var chunk []byte
	var rerr error
	err := s.raw.Read(func(fd uintptr) bool {
		buf := readBufs.Get().(*[]byte)
		for {
			n, err := syscall.Read(int(fd), *buf)
			switch {
			case err == syscall.EINTR:
				continue
			case err == syscall.EAGAIN:
				readBufs.Put(buf)
				return !wait // wait for readability without holding the buffer
			case err != nil:
				readBufs.Put(buf)
				rerr = &net.OpError{Op: "read", Net: "tcp", Source: s.conn.LocalAddr(), Addr: s.conn.RemoteAddr(), Err: err}
			case n == 0:
				readBufs.Put(buf)
				rerr = io.EOF
			default:
				chunk = own(buf, n)
			}
			return true
		}
	})
	if err != nil {
		return nil, err
	}
	return chunk, rerr
}

func own(buf *[]byte, n int) []byte {
	if n < copyBelow {
		chunk := make([]byte, n)
		copy(chunk, (*buf)[:n])
		readBufs.Put(buf)
		return chunk
	}
	return (*buf)[:n:n]
}

// Cancel stops reading: a TCP connection's read side is shut down, which
// ends a pending Read; other connections are closed.
func (s *connSource) Cancel(error) {
	if s.canceled.Swap(true) {
		return
	}
	if tc, ok := s.conn.(interface{ CloseRead() error }); ok {
		tc.CloseRead()
		return
	}
	s.conn.Close()
}

// connSink drains a Go-backed WritableStream into a connection.
type connSink struct {
	conn net.Conn
	raw  syscall.RawConn
}

func newConnSink(c net.Conn) *connSink {
	s := &connSink{conn: c}
	if sc, ok := c.(syscall.Conn); ok {
		if raw, err := sc.SyscallConn(); err == nil {
			s.raw = raw
		}
	}
	return s
}

// TryWrite makes one non-blocking write attempt, so a chunk the kernel can
// take now costs no goroutine and no copy.
func (s *connSink) TryWrite(p []byte) (int, error) {
	if s.raw == nil {
		return 0, nil
	}
	var n int
	var werr error
	err := s.raw.Write(func(fd uintptr) bool {
		for {
			m, err := syscall.Write(int(fd), p)
			switch {
			case err == syscall.EINTR:
				continue
			case err == syscall.EAGAIN:
			case err != nil:
				werr = &net.OpError{Op: "write", Net: "tcp", Source: s.conn.LocalAddr(), Addr: s.conn.RemoteAddr(), Err: err}
			default:
				n = m
			}
			return true
		}
	})
	if err != nil {
		return 0, err
	}
	return n, werr
}

// Write blocks until p is written or the connection fails.
func (s *connSink) Write(p []byte) error {
	_, err := s.conn.Write(p)
	return err
}

// Close sends FIN and keeps the read side open (half-close).
func (s *connSink) Close() error {
	if tc, ok := s.conn.(interface{ CloseWrite() error }); ok {
		return tc.CloseWrite()
	}
	return s.conn.Close()
}

// Abort closes the connection, which fails a pending Write at once.
func (s *connSink) Abort(error) { s.conn.Close() }

// CanPipeFrom reports whether src is a plain TCP connection whose bytes can
// move to this one inside the kernel.
func (s *connSink) CanPipeFrom(src streams.Source) bool {
	cs, ok := src.(*connSource)
	if !ok {
		return false
	}
	_, srcTCP := cs.conn.(*net.TCPConn)
	_, dstTCP := s.conn.(*net.TCPConn)
	return srcTCP && dstTCP
}

// PipeFrom copies src to this connection until src's EOF; on Linux the
// kernel splices the bytes without them entering user space.
func (s *connSink) PipeFrom(src streams.Source) error {
	cs := src.(*connSource)
	_, err := s.conn.(*net.TCPConn).ReadFrom(cs.conn)
	if err != nil && cs.canceled.Load() && errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

var (
	_ streams.Source    = (*connSource)(nil)
	_ streams.TryReader = (*connSource)(nil)
	_ streams.Sink      = (*connSink)(nil)
	_ streams.Piper     = (*connSink)(nil)
)
