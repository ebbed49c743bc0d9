package e2e

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/smtp"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// goEchoServer is an upstream for the proxy: a plain Go echo server that
// echoes until the client's FIN, then closes its side.
func goEchoServer(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				io.Copy(c, c)
				c.(*net.TCPConn).CloseWrite()
			}()
		}
	}()
	return ln.Addr().String()
}

func TestProxyCarriesBytesBothWaysWithHalfClose(t *testing.T) {
	upstream := goEchoServer(t)
	s := startServer(t, "scripts/proxy.js", "--var", "UPSTREAM="+upstream)
	c := s.dial()
	defer c.Close()
	payload := bytes.Repeat([]byte("proxied bytes "), 100000) // 1.4 MB
	go func() {
		c.Write(payload)
		c.(*net.TCPConn).CloseWrite()
	}()
	got, err := io.ReadAll(c)
	if err != nil || !bytes.Equal(got, payload) {
		t.Fatalf("proxy returned %d bytes (%v), sent %d", len(got), err, len(payload))
	}
}

func TestProxyRefusedByDeployedEgressPolicy(t *testing.T) {
	upstream := goEchoServer(t)
	s := startServer(t, "scripts/proxy.js", "--var", "UPSTREAM="+upstream, "--egress", "deployed")
	c := s.dial()
	defer c.Close()
	if _, err := c.Read(make([]byte, 1)); err == nil {
		t.Fatal("the proxy reached loopback under the deployed policy")
	}
	s.logs.waitFor(t, `refused by the egress policy: loopback addresses are not reachable \(rule \\"loopback\\"\)`, 5*time.Second)
}

// devCert starts the server with a private cache folder, so sockw makes a
// development certificate there, and returns a pool that trusts it.
func devCertEnv(t *testing.T) ([]string, func() *x509.CertPool) {
	dir := t.TempDir()
	env := []string{"XDG_CACHE_HOME=" + dir}
	return env, func() *x509.CertPool {
		data, err := os.ReadFile(filepath.Join(dir, "sockw", "dev-cert.pem"))
		if err != nil {
			t.Fatal(err)
		}
		pool := x509.NewCertPool()
		block, _ := pem.Decode(data)
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		pool.AddCert(cert)
		return pool
	}
}

func TestStartTlsWithGoSMTPClient(t *testing.T) {
	env, roots := devCertEnv(t)
	s := startServerEnv(t, env, "scripts/starttls-echo.js", "--listen", "tcp://127.0.0.1:0")
	s.logs.waitFor(t, `development certificate.*sha256`, 5*time.Second)
	c, err := smtp.Dial(s.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("tester"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := c.Extension("STARTTLS"); !ok {
		t.Fatal("STARTTLS not offered")
	}
	if err := c.StartTLS(&tls.Config{ServerName: "localhost", RootCAs: roots()}); err != nil {
		t.Fatalf("STARTTLS: %v", err)
	}
	if st, ok := c.TLSConnectionState(); !ok || !st.HandshakeComplete {
		t.Fatal("no TLS after STARTTLS")
	}
	id, err := c.Text.Cmd("ECHO over tls")
	if err != nil {
		t.Fatal(err)
	}
	c.Text.StartResponse(id)
	code, msg, err := c.Text.ReadResponse(250)
	c.Text.EndResponse(id)
	if err != nil || code != 250 || msg != "ECHO over tls" {
		t.Fatalf("after TLS: %d %q %v", code, msg, err)
	}
	if err := c.Quit(); err != nil {
		t.Fatal(err)
	}
}

func TestStartTlsWithOpenSSLClient(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl is not installed; the Go SMTP client test covers STARTTLS")
	}
	env, _ := devCertEnv(t)
	s := startServerEnv(t, env, "scripts/starttls-echo.js", "--listen", "tcp://127.0.0.1:0")
	cmd := exec.Command(openssl, "s_client", "-starttls", "smtp", "-connect", s.addr, "-quiet")
	cmd.Stdin = strings.NewReader("ECHO from openssl\r\nQUIT\r\n")
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	done := make(chan error, 1)
	go func() { done <- cmd.Run() }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("openssl hung:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "250 ECHO from openssl") || !strings.Contains(out.String(), "221 2.0.0 Bye") {
		t.Fatalf("openssl session:\n%s", out.String())
	}
}

func TestTLSListenerWithDevCertificate(t *testing.T) {
	env, roots := devCertEnv(t)
	s := startServerEnv(t, env, "scripts/echo.js", "--listen", "tls://127.0.0.1:0")
	c, err := tls.Dial("tcp", s.addr, &tls.Config{ServerName: "localhost", RootCAs: roots()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got := roundTrip(t, c, "secure echo"); got != "secure echo" {
		t.Fatalf("got %q", got)
	}
}

// The worker never reads: the kernel's window closes and the client's
// writes stop, instead of the server buffering what it is sent.
func TestNonReadingScriptStopsThePeer(t *testing.T) {
	script := writeScript(t, "sleepy.js", `export default {
  async connect(socket) { await new Promise(() => {}); },
};
`)
	s := startServer(t, script)
	before := rssKB(t, s.cmd.Process.Pid)
	c := s.dial()
	defer c.Close()
	chunk := make([]byte, 64<<10)
	sent := 0
	c.SetWriteDeadline(time.Now().Add(3 * time.Second))
	for sent < 256<<20 {
		n, err := c.Write(chunk)
		sent += n
		if err != nil {
			break
		}
	}
	if sent >= 256<<20 {
		t.Fatal("256 MiB went into a connection nobody reads")
	}
	if grew := rssKB(t, s.cmd.Process.Pid) - before; grew > 32<<10 {
		t.Fatalf("server RSS grew by %d KiB while the client pushed %d bytes", grew, sent)
	}
}

// 256 MiB flow from a worker to a slow reader; the server's memory stays
// bounded because writer.ready waits on the kernel's window.
func TestBackpressureTowardsSlowReaderKeepsMemoryBounded(t *testing.T) {
	script := writeScript(t, "firehose.js", `export default {
  async connect(socket) {
    const writer = socket.writable.getWriter();
    const chunk = new Uint8Array(64 * 1024).fill(120);
    for (let i = 0; i < 4096; i++) {   // 256 MiB
      await writer.ready;
      writer.write(chunk.slice());
    }
    await writer.close();
  },
};
`)
	// The race detector makes a burst of 64 KiB writes slow; the limit is
	// not what this test is about. Nor is the collector's pacing: the 64 MiB
	// of garbage --gc-headroom allows by default (several times that in RSS
	// under the race detector) would hide what the stream itself holds.
	s := startServer(t, script, "--cpu-limit", "2s", "--gc-headroom", "0")
	pid := s.cmd.Process.Pid
	base := rssKB(t, pid)
	c := s.dial()
	defer c.Close()
	c.SetDeadline(time.Now().Add(3 * time.Minute))
	r := bufio.NewReaderSize(c, 64<<10)
	buf := make([]byte, 256<<10)
	total, peak := 0, 0
	for i := 0; ; i++ {
		n, err := r.Read(buf)
		total += n
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("after %d bytes: %v", total, err)
		}
		if i%64 == 0 {
			time.Sleep(2 * time.Millisecond) // a slow reader
			if kb := rssKB(t, pid); kb > peak {
				peak = kb
			}
		}
	}
	if total != 256<<20 {
		t.Fatalf("received %d bytes, want %d", total, 256<<20)
	}
	if grew := peak - base; grew > 96<<10 {
		t.Fatalf("server RSS grew by %d KiB while streaming 256 MiB to a slow reader", grew)
	}
	t.Logf("server RSS: base %d KiB, peak %d KiB", base, peak)
}

func rssKB(t *testing.T, pid int) int {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			n, _ := strconv.Atoi(strings.Fields(line)[1])
			return n
		}
	}
	t.Fatal("no VmRSS")
	return 0
}
