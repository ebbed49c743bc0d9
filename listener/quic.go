package listener

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"slices"
	"sync"
	"time"

	"github.com/quic-go/quic-go"
	"go.uber.org/zap"
)

// QUICConfig bounds what one QUIC client may hold. Zero fields take the
// defaults below.
type QUICConfig struct {
	// HandshakeTimeout bounds a handshake, so a client that never finishes
	// one holds its state for no longer than this. Default HandshakeTimeout.
	HandshakeTimeout time.Duration
	// IdleTimeout closes a connection on which nothing was received for this
	// long. Default 30s.
	IdleTimeout time.Duration
	// MaxIncomingStreams and MaxIncomingUniStreams bound the streams a peer
	// may have open at once on one connection. Default 100 each.
	MaxIncomingStreams, MaxIncomingUniStreams int64
}

func (c QUICConfig) quicConfig() *quic.Config {
	qc := &quic.Config{
		HandshakeIdleTimeout:  c.HandshakeTimeout,
		MaxIdleTimeout:        c.IdleTimeout,
		MaxIncomingStreams:    c.MaxIncomingStreams,
		MaxIncomingUniStreams: c.MaxIncomingUniStreams,
		EnableDatagrams:       true,
	}
	if qc.HandshakeIdleTimeout <= 0 {
		qc.HandshakeIdleTimeout = HandshakeTimeout
	}
	if qc.MaxIdleTimeout <= 0 {
		qc.MaxIdleTimeout = 30 * time.Second
	}
	if qc.MaxIncomingStreams <= 0 {
		qc.MaxIncomingStreams = 100
	}
	if qc.MaxIncomingUniStreams <= 0 {
		qc.MaxIncomingUniStreams = 100
	}
	return qc
}

// QUIC accepts QUIC connections on one UDP address.
type QUIC struct {
	addr   Address
	tr     *quic.Transport
	ln     *quic.Listener
	logger *zap.Logger
	limit  *logLimiter

	mu     sync.Mutex
	closed bool
}

// ListenQUIC binds addr (UDP) and serves QUIC with tlsConfig, whose
// NextProtos (the --alpn list) must not be empty: QUIC has no default
// application protocol. A client offering none of them fails the handshake.
func ListenQUIC(ctx context.Context, addr Address, tlsConfig *tls.Config, cfg QUICConfig, logger *zap.Logger) (*QUIC, error) {
	if tlsConfig == nil || len(tlsConfig.NextProtos) == 0 {
		return nil, fmt.Errorf("listen %s: QUIC needs at least one ALPN protocol (--alpn)", addr)
	}
	var lc net.ListenConfig
	pc, err := lc.ListenPacket(ctx, "udp", addr.HostPort)
	if err != nil {
		return nil, fmt.Errorf("listen %s: %w", addr, unwrapOp(err))
	}
	l := &QUIC{addr: addr, logger: logger, limit: newLogLimiter(time.Second)}
	l.tr = &quic.Transport{Conn: pc.(*net.UDPConn)}
	ln, err := l.tr.Listen(l.watchALPN(tlsConfig), cfg.quicConfig())
	if err != nil {
		l.tr.Close()
		pc.Close()
		return nil, fmt.Errorf("listen %s: %w", addr, err)
	}
	l.ln = ln
	return l, nil
}

// watchALPN returns config with a hook that logs a client offering none of
// its protocols, before crypto/tls fails that handshake with the
// no_application_protocol alert. The hook sees every ClientHello, so a
// scanner's floods are logged once per second, not once per packet.
func (l *QUIC) watchALPN(config *tls.Config) *tls.Config {
	config = config.Clone()
	next := config.GetConfigForClient
	want := config.NextProtos
	config.GetConfigForClient = func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
		if !slices.ContainsFunc(hello.SupportedProtos, func(p string) bool { return slices.Contains(want, p) }) {
			if n, ok := l.limit.allow("alpn"); ok {
				remote := ""
				if hello.Conn != nil {
					remote = hello.Conn.RemoteAddr().String()
				}
				l.logger.Info("QUIC handshake refused: no ALPN protocol in common",
					zap.Stringer("listen", l.addr), zap.String("remote", remote),
					zap.Strings("offered", hello.SupportedProtos), zap.Strings("want", want), zap.Int("suppressed", n))
			}
		}
		if next != nil {
			return next(hello)
		}
		return nil, nil
	}
	return config
}

// Addr returns the bound address (with the real port if 0 was asked for).
func (l *QUIC) Addr() net.Addr { return l.ln.Addr() }

// Serve accepts connections until Close and calls handle with each one,
// on the accepting goroutine, once its handshake has completed: handle
// must hand the connection off without blocking. Serve returns
// ErrServerClosed after Close.
func (l *QUIC) Serve(handle func(*quic.Conn)) error {
	for {
		c, err := l.ln.Accept(context.Background())
		if err != nil {
			l.mu.Lock()
			closed := l.closed
			l.mu.Unlock()
			if closed || errors.Is(err, quic.ErrServerClosed) || errors.Is(err, net.ErrClosed) {
				return ErrServerClosed
			}
			return fmt.Errorf("accept on %s: %w", l.addr, err)
		}
		handle(c)
	}
}

// Close stops accepting and closes the UDP socket. Unlike TCP, the
// connections already handed out share that socket, so they end too (the
// peers see them close).
func (l *QUIC) Close() error {
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
	err := l.ln.Close()
	if terr := l.tr.Close(); err == nil {
		err = terr
	}
	return err
}

// logLimiter lets one log line per cause through per interval and counts
// the ones it held back, so a flood of bad clients costs one line a second.
type logLimiter struct {
	every time.Duration

	mu   sync.Mutex
	last map[string]time.Time
	held map[string]int
}

func newLogLimiter(every time.Duration) *logLimiter {
	return &logLimiter{every: every, last: map[string]time.Time{}, held: map[string]int{}}
}

// allow reports whether a line for cause may be logged now and, if so, how
// many were held back since the last one.
func (r *logLimiter) allow(cause string) (suppressed int, ok bool) {
	now := time.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	if t, seen := r.last[cause]; seen && now.Sub(t) < r.every {
		r.held[cause]++
		return 0, false
	}
	r.last[cause] = now
	n := r.held[cause]
	delete(r.held, cause)
	return n, true
}
