package runtime

import (
	"bytes"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A reader/writer loop streaming bulk data must not run as one endless
// task: while the kernel keeps data ready, reads are still cut into tasks,
// so the CPU limit never fires and other connections get their turn.
func TestReaderWriterLoopStreamsUnderTheCPULimit(t *testing.T) {
	addr, _, logs := serveWorker(t, filepath.Join("..", "scripts", "echo-loop.js"), Config{Isolates: 1})
	c := dial(t, addr)
	defer c.Close()
	c.SetDeadline(time.Now().Add(60 * time.Second))
	payload := bytes.Repeat([]byte("0123456789abcdef"), 2<<20) // 32 MiB
	go func() {
		c.Write(payload)
		c.(*net.TCPConn).CloseWrite()
	}()
	got, err := io.ReadAll(c)
	if err != nil || !bytes.Equal(got, payload) {
		t.Fatalf("echoed %d of %d bytes: %v; log: %v", len(got), len(payload), err, logs.All())
	}
	if n := logs.FilterMessageSnippet("isolate discarded").Len(); n != 0 {
		t.Fatalf("the isolate was discarded %d times while streaming", n)
	}
}

// pipeTo between two sockets must not hold extra descriptors (a splice
// pipe costs two) for each idle connection.
func TestIdlePipedConnectionsHoldOneDescriptorEach(t *testing.T) {
	addr, w, _ := serveWorker(t, filepath.Join("..", "scripts", "echo.js"), Config{Isolates: 1})
	before := openFDs(t)
	const n = 50
	conns := make([]net.Conn, n)
	for i := range conns {
		conns[i] = dial(t, addr)
		defer conns[i].Close()
		conns[i].Write([]byte("x"))
		io.ReadFull(conns[i], make([]byte, 1))
	}
	waitFor(t, func() bool { return w.OpenConnections() == n })
	// Each connection costs the client's descriptor and the server's.
	if extra := openFDs(t) - before - 2*n; extra > 5 {
		t.Fatalf("%d idle piped connections hold %d descriptors beyond one each side", n, extra)
	}
}

func openFDs(t *testing.T) int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd")
	}
	return len(entries)
}
