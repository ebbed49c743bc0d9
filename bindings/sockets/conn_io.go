package sockets

import (
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

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

// link is a socket's connection, which for an outbound socket may still be
// dialling: the streams exist at once (connect() is synchronous) and their
// I/O waits for ready. It also tracks the two directions, so the socket
// learns when both are finished.
type link struct {
	ready chan struct{} // closed once conn or err is set
	conn  net.Conn
	raw   syscall.RawConn // nil when conn is not a kernel socket (TLS)
	err   error

	// detached is set by startTls: the plain streams give the connection
	// up and a pending Read returns EOF without consuming bytes.
	detached atomic.Bool

	// handover is set by startTls before the writable is flushed: closing
	// it then must not send FIN, since the connection goes on under TLS.
	handover atomic.Bool

	canceled  atomic.Bool
	readEnded atomic.Bool
	wroteFIN  atomic.Bool
	bothEnded func() // called once, off the loop, when EOF was read and FIN sent
	onReadEOF func() // called once, off the loop, at EOF (sockets that are not half-open)
	onFailed  func(error)

	sent, received atomic.Int64
	writes, reads  atomic.Int64 // chunks, for the 2021 proposal's packet counts

	// syncReads counts chunks TryRead served in a row. Loop goroutine
	// only (TryRead's).
	syncReads int

	// caughtUp is set when the last Read had to wait for the peer: the
	// script keeps up with it (a request/response protocol), so the next
	// TryRead would only find the kernel's buffer empty and cost a wasted
	// syscall. Set by Read's goroutine, read by TryRead on the loop after
	// that Read's outcome was delivered.
	caughtUp atomic.Bool
}

// maxSyncReads bounds how many reads in a row TryRead serves on the loop.
// While the kernel keeps data ready, a read loop would otherwise continue
// in microtasks of one task forever: other connections of the isolate would
// starve and the CPU limit would end the isolate. Every maxSyncReads chunks
// the read goes through a goroutine, which ends the task.
const maxSyncReads = 4

func newLink() *link { return &link{ready: make(chan struct{})} }

// connected makes the link usable. err is the dial's failure, if any.
func (l *link) connected(c net.Conn, err error) {
	l.conn, l.err = c, err
	if c != nil {
		if sc, ok := c.(syscall.Conn); ok {
			if raw, rerr := sc.SyscallConn(); rerr == nil {
				l.raw = raw
			}
		}
	}
	close(l.ready)
}

func (l *link) isReady() bool {
	select {
	case <-l.ready:
		return true
	default:
		return false
	}
}

func (l *link) ended(read bool) {
	var first bool
	if read {
		first = !l.readEnded.Swap(true)
	} else {
		first = !l.wroteFIN.Swap(true)
	}
	if first && read && l.onReadEOF != nil {
		l.onReadEOF()
	}
	if first && l.readEnded.Load() && l.wroteFIN.Load() && l.bothEnded != nil {
		l.bothEnded()
	}
}

// source feeds a Go-backed ReadableStream from the link. On a kernel socket
// it waits for readability before taking a buffer, so an idle connection
// pins no read buffer.
type source struct{ l *link }

// Read returns the next chunk, io.EOF after the peer's FIN, or the error
// that ended the connection. After Cancel, a local close or startTls it
// reports EOF: the script asked for the end, so it is not an error.
func (s source) Read() ([]byte, error) {
	<-s.l.ready
	if s.l.err != nil {
		return nil, s.l.err
	}
	var chunk []byte
	var err error
	if s.l.raw == nil {
		chunk, err = s.readConn()
	} else {
		var waited bool
		chunk, waited, err = s.rawRead(true)
		s.l.caughtUp.Store(waited)
	}
	return s.settle(chunk, err)
}

// TryRead reads what the kernel already holds, without waiting, so a chunk
// that is there reaches JavaScript without a goroutine handoff.
func (s source) TryRead() ([]byte, error) {
	if !s.l.isReady() || s.l.err != nil || s.l.raw == nil {
		return nil, nil
	}
	if s.l.syncReads >= maxSyncReads || s.l.caughtUp.Load() {
		s.l.syncReads = 0
		return nil, nil
	}
	chunk, _, err := s.rawRead(false)
	if chunk != nil {
		s.l.syncReads++
	} else {
		s.l.syncReads = 0 // the reader caught up; the next chunk will wait
	}
	return s.settle(chunk, err)
}

func (s source) settle(chunk []byte, err error) ([]byte, error) {
	if err != nil && (s.l.canceled.Load() || s.l.detached.Load()) {
		err = io.EOF
	}
	if err == io.EOF {
		s.l.ended(true)
	} else if err != nil && s.l.onFailed != nil {
		s.l.onFailed(err)
	}
	if len(chunk) > 0 {
		s.l.received.Add(int64(len(chunk)))
		s.l.reads.Add(1)
	}
	return chunk, err
}

func (s source) readConn() ([]byte, error) {
	buf := readBufs.Get().(*[]byte)
	n, err := s.l.conn.Read(*buf)
	if n > 0 {
		return own(buf, n), nil
	}
	readBufs.Put(buf)
	if err == nil {
		err = io.ErrNoProgress
	}
	return nil, err
}

// rawRead makes one read from the socket, waiting for readability if wait
// is set; otherwise nothing to read is (nil, nil). waited reports whether
// the kernel's buffer was empty at first.
func (s source) rawRead(wait bool) (chunk []byte, waited bool, err error) {
	buf, n, waited, err := s.pooledRead(wait)
	if n == 0 {
		return nil, waited, err
	}
	return own(buf, n), waited, err
}

// pooledRead reads into a pooled buffer taken only once the socket is
// readable, and returns it with the count; the caller owns the buffer.
// waited reports whether the socket had nothing to read at first.
func (s source) pooledRead(wait bool) (got *[]byte, n int, waited bool, rerr error) {
	err := s.l.raw.Read(func(fd uintptr) bool {
		if s.l.detached.Load() {
			rerr = io.EOF // the bytes now belong to the TLS layer
			return true
		}
		buf := readBufs.Get().(*[]byte)
		for {
			m, err := syscall.Read(int(fd), *buf)
			switch {
			case err == syscall.EINTR:
				continue
			case err == syscall.EAGAIN:
				readBufs.Put(buf)
				waited = true
				return !wait // wait for readability without holding the buffer
			case err != nil:
				readBufs.Put(buf)
				rerr = &net.OpError{Op: "read", Net: "tcp", Source: s.l.conn.LocalAddr(), Addr: s.l.conn.RemoteAddr(), Err: os.NewSyscallError("read", err)}
			case m == 0:
				readBufs.Put(buf)
				rerr = io.EOF
			default:
				got, n = buf, m
			}
			return true
		}
	})
	if err != nil {
		if errors.Is(err, os.ErrDeadlineExceeded) && s.l.detached.Load() {
			return nil, 0, waited, io.EOF
		}
		return nil, 0, waited, err
	}
	return got, n, waited, rerr
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
func (s source) Cancel(error) {
	if s.l.canceled.Swap(true) || s.l.detached.Load() || s.l.handover.Load() {
		return
	}
	go func() {
		<-s.l.ready
		if s.l.conn == nil {
			return
		}
		if tc, ok := s.l.conn.(interface{ CloseRead() error }); ok {
			tc.CloseRead()
			return
		}
		s.l.conn.Close()
	}()
}

// detach hands the connection over (startTls): a Read waiting for
// readability is woken by a deadline in the past and reports EOF, taking
// no bytes.
func (l *link) detach() {
	l.detached.Store(true)
	if l.conn != nil {
		l.conn.SetReadDeadline(time.Unix(1, 0))
	}
}

// sink drains a Go-backed WritableStream into the link.
type sink struct{ l *link }

// TryWrite makes one non-blocking write attempt, so a chunk the kernel can
// take now costs no goroutine and no copy.
func (s sink) TryWrite(p []byte) (int, error) {
	if !s.l.isReady() || s.l.err != nil || s.l.raw == nil || s.l.detached.Load() {
		return 0, nil
	}
	var n int
	var werr error
	err := s.l.raw.Write(func(fd uintptr) bool {
		for {
			m, err := syscall.Write(int(fd), p)
			switch {
			case err == syscall.EINTR:
				continue
			case err == syscall.EAGAIN:
			case err != nil:
				werr = &net.OpError{Op: "write", Net: "tcp", Source: s.l.conn.LocalAddr(), Addr: s.l.conn.RemoteAddr(), Err: os.NewSyscallError("write", err)}
			default:
				n = m
			}
			return true
		}
	})
	if err != nil {
		return 0, err
	}
	if n > 0 {
		s.l.sent.Add(int64(n))
		s.l.writes.Add(1)
	}
	return n, werr
}

// Write blocks until p is written or the connection fails.
func (s sink) Write(p []byte) error {
	<-s.l.ready
	if s.l.err != nil {
		return s.l.err
	}
	n, err := s.l.conn.Write(p)
	s.l.sent.Add(int64(n))
	s.l.writes.Add(1)
	return err
}

// Close sends FIN and keeps the read side open (half-close). A peer that
// reset the connection has nobody left to send FIN to: the close succeeds,
// as Node's socket.end() does on ENOTCONN, rather than failing the script
// for the peer's leaving.
func (s sink) Close() error {
	<-s.l.ready
	if s.l.err != nil {
		return s.l.err
	}
	defer s.l.ended(false)
	if s.l.detached.Load() || s.l.handover.Load() {
		return nil
	}
	if tc, ok := s.l.conn.(interface{ CloseWrite() error }); ok {
		if err := tc.CloseWrite(); err != nil && !errors.Is(err, syscall.ENOTCONN) {
			return err
		}
	}
	return nil
}

// Abort closes the connection, which fails a pending Write at once.
func (s sink) Abort(error) {
	if s.l.detached.Load() || s.l.handover.Load() {
		return
	}
	go func() {
		<-s.l.ready
		if s.l.conn != nil {
			s.l.conn.Close()
		}
	}()
}

// CanPipeFrom reports whether src is a plain TCP connection whose bytes can
// move to this one inside the kernel.
func (s sink) CanPipeFrom(src streams.Source) bool {
	from, ok := src.(source)
	if !ok || !s.l.isReady() || !from.l.isReady() || s.l.detached.Load() || from.l.detached.Load() {
		return false
	}
	_, srcTCP := from.l.conn.(*net.TCPConn)
	_, dstTCP := s.l.conn.(*net.TCPConn)
	return srcTCP && dstTCP
}

// PipeFrom copies src to this connection until src's EOF, without
// JavaScript. It waits for readability before taking a pooled buffer, so an
// idle piped connection holds neither a buffer nor, as splice would, a pipe
// and its two descriptors.
func (s sink) PipeFrom(src streams.Source) error {
	from := src.(source)
	for {
		buf, n, _, err := from.pooledRead(true)
		if n > 0 {
			from.l.received.Add(int64(n))
			m, werr := s.l.conn.Write((*buf)[:n])
			readBufs.Put(buf)
			s.l.sent.Add(int64(m))
			if werr != nil {
				return werr
			}
		}
		switch {
		case err == io.EOF:
			from.l.ended(true)
			return nil
		case err != nil && (from.l.canceled.Load() || from.l.detached.Load()):
			return nil
		case err != nil:
			return &streams.SourceError{Err: err}
		}
	}
}

var (
	_ streams.Source    = source{}
	_ streams.TryReader = source{}
	_ streams.Sink      = sink{}
	_ streams.Piper     = sink{}
)
