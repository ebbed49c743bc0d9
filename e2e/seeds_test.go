package e2e

import (
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// seed copies a seed example with its remote host and port pointed at addr.
func seed(t *testing.T, name, host, port, addr string) string {
	src, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "seeds", name))
	if err != nil {
		t.Fatal(err)
	}
	h, p, _ := net.SplitHostPort(addr)
	out := strings.Replace(string(src), host, "'"+h+"'", 1)
	out = strings.Replace(out, port, p, 1)
	if out == string(src) {
		t.Fatal("nothing substituted")
	}
	return writeScript(t, name, out)
}

// The 2021 Socket Workers announcement's TCP client example, verbatim.
func TestSeedSocketWorkersTCPExample(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		io.WriteString(c, "hello")
		c.Close()
	}()
	script := seed(t, "socket-workers-tcp.js", "'123.123.123.123'", "1234", ln.Addr().String())
	stdout, stderr, code := sockw(t, "exec", script)
	if code != 0 || stdout != "Uint8Array(5) [ 104, 101, 108, 108, 111 ]\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// Chrome's Direct Sockets example from the article, verbatim, against the
// article's server: `echo "Hello from server" | nc -l`.
func TestSeedDirectSocketsExample(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	received := make(chan string, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		io.WriteString(c, "Hello from server\n")
		buf := make([]byte, 64)
		n, _ := io.ReadAtLeast(c, buf, len("Hello from chrome"))
		received <- string(buf[:n])
	}()
	script := seed(t, "direct-sockets-tcp.js", "'asnokaze.com'", strconv.Itoa(123), ln.Addr().String())
	stdout, stderr, code := sockw(t, "exec", script)
	if code != 0 || stdout != "Hello from server\n\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if got := <-received; got != "Hello from chrome" {
		t.Fatalf("server received %q", got)
	}
}
