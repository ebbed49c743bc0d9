package streams

import (
	"errors"
	"io"
	"net"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings/bindingstest"
)

// tcpPair returns both ends of a real TCP connection on 127.0.0.1.
func tcpPair(t testing.TB) (server, client *net.TCPConn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			accepted <- nil
			return
		}
		accepted <- c
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	s := <-accepted
	if s == nil {
		t.Fatal("accept failed")
	}
	t.Cleanup(func() { s.Close(); c.Close() })
	return s.(*net.TCPConn), c.(*net.TCPConn)
}

// connSource reads a TCP connection for a Go-backed readable.
type connSource struct {
	c       *net.TCPConn
	size    int
	cancels atomic.Int32
	reason  atomic.Value // string
}

func (s *connSource) Read() ([]byte, error) {
	b := make([]byte, s.size)
	for {
		n, err := s.c.Read(b)
		if n > 0 {
			return b[:n], nil
		}
		if err != nil {
			return nil, err
		}
	}
}

func (s *connSource) Cancel(reason error) {
	s.cancels.Add(1)
	s.reason.Store(reason.Error())
	s.c.SetReadDeadline(time.Unix(1, 0))
}

// connSink writes to a TCP connection for a Go-backed writable: TryWrite is
// a non-blocking write(2) on the socket.
type connSink struct {
	c       *net.TCPConn
	rc      syscall.RawConn
	aborts  atomic.Int32
	tried   atomic.Int64 // bytes TryWrite took
	written atomic.Int64 // bytes Write took
}

func newConnSink(t testing.TB, c *net.TCPConn) *connSink {
	rc, err := c.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	return &connSink{c: c, rc: rc}
}

func (k *connSink) TryWrite(p []byte) (int, error) {
	var n int
	var werr error
	err := k.rc.Write(func(fd uintptr) bool {
		n, werr = syscall.Write(int(fd), p)
		if errors.Is(werr, syscall.EAGAIN) {
			n, werr = 0, nil
		}
		return true
	})
	if n < 0 {
		n = 0
	}
	k.tried.Add(int64(n))
	if werr != nil {
		return n, werr
	}
	return n, err
}

func (k *connSink) Write(p []byte) error {
	n, err := k.c.Write(p)
	k.written.Add(int64(n))
	return err
}

func (k *connSink) Close() error { return k.c.CloseWrite() }

func (k *connSink) Abort(error) {
	k.aborts.Add(1)
	k.c.SetWriteDeadline(time.Unix(1, 0))
}

// pipingSink is a connSink that can also pump from a connSource in Go.
type pipingSink struct {
	*connSink
	pumps atomic.Int32
}

func (k *pipingSink) CanPipeFrom(src Source) bool {
	_, ok := src.(*connSource)
	return ok
}

func (k *pipingSink) PipeFrom(src Source) error {
	k.pumps.Add(1)
	_, err := io.Copy(k.c, src.(*connSource).c)
	return err
}

var (
	_ Source = (*connSource)(nil)
	_ Sink   = (*connSink)(nil)
	_ Piper  = (*pipingSink)(nil)
)

// goEnv is a test environment with streams and a setTimeout.
func goEnv(t *testing.T) (*bindingstest.Env, *Streams) {
	env, s := newEnv(t)
	must(t, env.Runtime.Set("setTimeout", setTimeoutFunc(env)))
	return env, s
}

func setTimeoutFunc(env *bindingstest.Env) func(goja.FunctionCall) goja.Value {
	rt := env.Runtime
	return func(call goja.FunctionCall) goja.Value {
		fn, ok := goja.AssertFunction(call.Argument(0))
		if !ok {
			panic(rt.NewTypeError("setTimeout: not a function"))
		}
		d := time.Duration(call.Argument(1).ToFloat() * float64(time.Millisecond))
		return rt.ToValue(env.Loop.SetTimer(d, false, func() error {
			_, err := fn(goja.Undefined())
			return err
		}))
	}
}

// runJS runs src inside an async function and fails the test if it throws
// or does not finish.
func runJS(t *testing.T, env *bindingstest.Env, src string) {
	t.Helper()
	script := "(async () => {\nconst sleep = (ms) => new Promise((r) => setTimeout(r, ms));\n" + src + "\nglobalThis.__finished = true;\n})();"
	if err := env.Run(t.Name(), script, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	if v := env.Runtime.Get("__finished"); v == nil || !v.ToBoolean() {
		t.Fatal("the script did not finish")
	}
}

// tryConnSource is a connSource that also reads without blocking.
type tryConnSource struct {
	*connSource
	rc    syscall.RawConn
	tries atomic.Int32 // TryRead calls that returned something
}

func newTryConnSource(t testing.TB, c *net.TCPConn, size int) *tryConnSource {
	rc, err := c.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	return &tryConnSource{connSource: &connSource{c: c, size: size}, rc: rc}
}

func (s *tryConnSource) TryRead() ([]byte, error) {
	b := make([]byte, s.size)
	var n int
	var rerr error
	again := false
	err := s.rc.Read(func(fd uintptr) bool {
		n, rerr = syscall.Read(int(fd), b)
		again = errors.Is(rerr, syscall.EAGAIN)
		return true
	})
	switch {
	case err != nil:
		return nil, err
	case again:
		return nil, nil
	}
	s.tries.Add(1)
	switch {
	case rerr != nil:
		return nil, rerr
	case n == 0:
		return nil, io.EOF
	}
	return b[:n], nil
}

var _ TryReader = (*tryConnSource)(nil)
