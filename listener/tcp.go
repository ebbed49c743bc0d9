package listener

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"go.uber.org/zap"
)

// TCP accepts TCP connections on one address.
type TCP struct {
	addr   Address
	ln     *net.TCPListener
	logger *zap.Logger

	mu     sync.Mutex
	closed bool
}

// ListenTCP binds addr. A port in use or a host that cannot be bound is an
// error naming the address.
func ListenTCP(ctx context.Context, addr Address, logger *zap.Logger) (*TCP, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr.HostPort)
	if err != nil {
		return nil, fmt.Errorf("listen %s: %w", addr, unwrapOp(err))
	}
	return &TCP{addr: addr, ln: ln.(*net.TCPListener), logger: logger}, nil
}

// Addr returns the bound address (with the real port if 0 was asked for).
func (l *TCP) Addr() net.Addr { return l.ln.Addr() }

// Serve accepts connections until Close and calls handle with each one, on
// the accepting goroutine: handle must hand the connection off without
// blocking. Serve returns ErrServerClosed after Close. Errors that a busy
// machine recovers from (out of file descriptors) are logged and retried
// with backoff, as net/http does, so a flood cannot stop the listener.
func (l *TCP) Serve(handle func(*net.TCPConn)) error {
	var delay time.Duration
	for {
		c, err := l.ln.AcceptTCP()
		if err != nil {
			l.mu.Lock()
			closed := l.closed
			l.mu.Unlock()
			if closed || errors.Is(err, net.ErrClosed) {
				return ErrServerClosed
			}
			if delay == 0 {
				delay = 5 * time.Millisecond
			} else if delay *= 2; delay > time.Second {
				delay = time.Second
			}
			l.logger.Warn("accept failed; retrying", zap.Stringer("listen", l.addr), zap.Error(err), zap.Duration("retry_in", delay))
			time.Sleep(delay)
			continue
		}
		delay = 0
		handle(c)
	}
}

// Close stops accepting. Connections already handed out are not touched.
func (l *TCP) Close() error {
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
	return l.ln.Close()
}

// unwrapOp drops the *net.OpError wrapper whose text repeats the address.
func unwrapOp(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err
	}
	return err
}
