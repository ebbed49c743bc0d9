package listener

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"
)

func TestDevCertificateIsMadeOnceAndServesTLS(t *testing.T) {
	dir := t.TempDir()
	cert, file, created, err := DevCertificate(dir)
	if err != nil || !created {
		t.Fatalf("first use: created=%v err=%v", created, err)
	}
	again, _, created, err := DevCertificate(dir)
	if err != nil || created || Fingerprint(again) != Fingerprint(cert) {
		t.Fatalf("second use made a new certificate (created=%v, err=%v)", created, err)
	}
	addr, _ := ParseAddress("tls://127.0.0.1:0")
	l, err := ListenTLS(context.Background(), addr, &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"smtp"}}, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	got := make(chan string, 1)
	go l.Serve(func(c *tls.Conn) {
		st := c.ConnectionState()
		got <- st.NegotiatedProtocol + " " + st.ServerName
		io.Copy(c, c)
	})
	pool := x509.NewCertPool()
	leaf, _ := x509.ParseCertificate(cert.Certificate[0])
	pool.AddCert(leaf)
	c, err := tls.Dial("tcp", l.Addr().String(), &tls.Config{RootCAs: pool, ServerName: "localhost", NextProtos: []string{"smtp"}})
	if err != nil {
		t.Fatalf("client handshake against %s: %v", file, err)
	}
	defer c.Close()
	if s := <-got; s != "smtp localhost" {
		t.Fatalf("handler saw %q", s)
	}
}

func TestTLSHandshakeTimeoutClosesSilentClient(t *testing.T) {
	cert, _, _, err := DevCertificate(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	addr, _ := ParseAddress("tls://127.0.0.1:0")
	l, err := ListenTLS(context.Background(), addr, &tls.Config{Certificates: []tls.Certificate{cert}}, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go l.Serve(func(c *tls.Conn) { t.Error("handler called for a failed handshake") })
	c, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "this is not TLS\r\n\r\n")
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadAll(c); err != nil {
		t.Fatalf("server did not close the connection: %v", err)
	}
}
