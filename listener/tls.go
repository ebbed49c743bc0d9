package listener

import (
	"context"
	"crypto/tls"
	"net"
	"time"

	"go.uber.org/zap"
)

// HandshakeTimeout bounds a TLS handshake, so a client that never finishes
// it holds a goroutine and a descriptor for no longer than this.
const HandshakeTimeout = 10 * time.Second

// TLS accepts TCP connections and completes a TLS handshake on each before
// handing it on, so the handler sees the negotiated ALPN and SNI at once.
type TLS struct {
	tcp    *TCP
	config *tls.Config
}

// ListenTLS binds addr and serves TLS with config.
func ListenTLS(ctx context.Context, addr Address, config *tls.Config, logger *zap.Logger) (*TLS, error) {
	tcp, err := ListenTCP(ctx, addr, logger)
	if err != nil {
		return nil, err
	}
	return &TLS{tcp: tcp, config: config}, nil
}

// Addr returns the bound address.
func (l *TLS) Addr() net.Addr { return l.tcp.Addr() }

// Serve accepts connections until Close, handshakes each on its own
// goroutine and calls handle with the *tls.Conn of those that succeed.
// Failed handshakes are logged at debug level: they are the client's
// business, and a scanner could otherwise flood the log.
func (l *TLS) Serve(handle func(*tls.Conn)) error {
	return l.tcp.Serve(func(c *net.TCPConn) {
		go func() {
			tc := tls.Server(c, l.config)
			ctx, cancel := context.WithTimeout(context.Background(), HandshakeTimeout)
			defer cancel()
			if err := tc.HandshakeContext(ctx); err != nil {
				l.tcp.logger.Debug("TLS handshake failed", zap.String("remote", c.RemoteAddr().String()), zap.Error(err))
				c.Close()
				return
			}
			handle(tc)
		}()
	})
}

// Close stops accepting.
func (l *TLS) Close() error { return l.tcp.Close() }
