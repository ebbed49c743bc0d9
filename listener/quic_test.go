package listener

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/quic-go/quic-go"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
)

// quicServer listens on a free port with the dev certificate and ALPN
// "echo", and returns the listener, a client TLS config trusting it, and
// the observed log.
func quicServer(t *testing.T) (*QUIC, *tls.Config, *observer.ObservedLogs) {
	t.Helper()
	cert, _, _, err := DevCertificate(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	core, logs := observer.New(zap.DebugLevel)
	addr, err := ParseAddress("tcp://127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr.Network = "quic"
	l, err := ListenQUIC(context.Background(), addr, &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"echo"}}, QUICConfig{}, zap.New(core))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	leaf, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(leaf)
	return l, &tls.Config{RootCAs: roots, ServerName: "localhost", NextProtos: []string{"echo"}}, logs
}

func TestQUICServeHandsOverCompletedHandshakes(t *testing.T) {
	l, clientTLS, _ := quicServer(t)
	got := make(chan *quic.Conn, 1)
	served := make(chan error, 1)
	go func() { served <- l.Serve(func(c *quic.Conn) { got <- c }) }()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := quic.DialAddr(ctx, l.Addr().String(), clientTLS, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseWithError(0, "")
	select {
	case sc := <-got:
		st := sc.ConnectionState()
		if !st.TLS.HandshakeComplete || st.TLS.NegotiatedProtocol != "echo" {
			t.Fatalf("handed over with handshake complete %v, ALPN %q", st.TLS.HandshakeComplete, st.TLS.NegotiatedProtocol)
		}
		if !st.SupportsDatagrams.Local {
			t.Error("datagrams are not enabled on the listener")
		}
	case <-ctx.Done():
		t.Fatal("no connection handed over")
	}
	l.Close()
	if err := <-served; !errors.Is(err, ErrServerClosed) {
		t.Fatalf("Serve after Close = %v, want ErrServerClosed", err)
	}
}

func TestQUICWrongALPNFailsAndIsLoggedOncePerSecond(t *testing.T) {
	l, clientTLS, logs := quicServer(t)
	handed := make(chan struct{}, 1)
	go l.Serve(func(c *quic.Conn) { handed <- struct{}{}; c.CloseWithError(0, "") })

	clientTLS.NextProtos = []string{"nope"}
	for i := 0; i < 5; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err := quic.DialAddr(ctx, l.Addr().String(), clientTLS, nil)
		cancel()
		if err == nil || !strings.Contains(err.Error(), "application protocol") {
			t.Fatalf("dial with the wrong ALPN: %v, want a failed handshake naming the application protocol", err)
		}
	}
	if n := logs.FilterMessageSnippet("no ALPN protocol in common").Len(); n != 1 {
		t.Errorf("logged %d lines for 5 refusals within a second, want 1", n)
	}
	select {
	case <-handed:
		t.Fatal("a connection with the wrong ALPN was handed over")
	default:
	}
}

func TestListenQUICWantsALPN(t *testing.T) {
	_, err := ListenQUIC(context.Background(), Address{Network: "quic", HostPort: "127.0.0.1:0"}, &tls.Config{}, QUICConfig{}, zap.NewNop())
	if err == nil || !strings.Contains(err.Error(), "ALPN") {
		t.Fatalf("ListenQUIC without ALPN: %v, want an error naming ALPN", err)
	}
}

func TestLogLimiter(t *testing.T) {
	r := newLogLimiter(50 * time.Millisecond)
	if _, ok := r.allow("a"); !ok {
		t.Fatal("first line held back")
	}
	r.allow("a")
	r.allow("a")
	if _, ok := r.allow("b"); !ok {
		t.Fatal("another cause held back")
	}
	time.Sleep(60 * time.Millisecond)
	n, ok := r.allow("a")
	if !ok || n != 2 {
		t.Fatalf("after the interval: allow = %d, %v; want 2 held back, true", n, ok)
	}
}
