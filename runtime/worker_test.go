package runtime

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/sockw/sockw/bindings/broadcast"
	"github.com/sockw/sockw/internal/gcpace"
	"github.com/sockw/sockw/listener"
)

// serveWorker runs the script in dir/name behind a real TCP listener on
// 127.0.0.1 and returns the address and the worker's observed log.
func serveWorker(t testing.TB, entry string, cfg Config) (string, *Worker, *observer.ObservedLogs) {
	t.Helper()
	core, logs := observer.New(zap.DebugLevel)
	cfg.Entry = entry
	if cfg.Name == "" {
		cfg.Name = "test"
	}
	cfg.Logger = zap.New(core)
	w, err := NewWorker(cfg)
	if err != nil {
		t.Fatal(err)
	}
	addr, _ := listener.ParseAddress("tcp://127.0.0.1:0")
	ln, err := listener.ListenTCP(context.Background(), addr, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	go ln.Serve(func(c *net.TCPConn) { w.ServeConn(c) })
	t.Cleanup(func() {
		ln.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		w.Shutdown(ctx)
	})
	return ln.Addr().String(), w, logs
}

func dial(t testing.TB, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	return c
}

func echoScript(t testing.TB) string {
	return filepath.Join("..", "scripts", "echo-loop.js")
}

func TestModuleHandlerEchoesAndClosesWhenPromiseSettles(t *testing.T) {
	addr, _, _ := serveWorker(t, echoScript(t), Config{})
	c := dial(t, addr)
	defer c.Close()
	io.WriteString(c, "abc")
	buf := make([]byte, 3)
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "abc" {
		t.Fatalf("%q %v", buf, err)
	}
	c.(*net.TCPConn).CloseWrite()
	if rest, err := io.ReadAll(c); err != nil || len(rest) != 0 {
		t.Fatalf("after FIN: %q %v", rest, err)
	}
}

func TestEnvCarriesVars(t *testing.T) {
	dir := writeFiles(t, map[string]string{"w.js": `export default { async connect(s, env) {
  const w = s.writable.getWriter();
  await w.write(new TextEncoder().encode(env.A + "," + env.B + "," + typeof env.PATH));
} }`})
	addr, _, _ := serveWorker(t, filepath.Join(dir, "w.js"), Config{Vars: map[string]string{"A": "1", "B": "two"}})
	c := dial(t, addr)
	defer c.Close()
	got, _ := io.ReadAll(c)
	if string(got) != "1,two,undefined" {
		t.Fatalf("env seen as %q", got)
	}
}

func TestTopLevelThrowFailsLoadWithPosition(t *testing.T) {
	dir := writeFiles(t, map[string]string{"w.js": "const x = 1;\nthrow new Error('at load');\nexport default { connect() {} };\n"})
	_, err := NewWorker(Config{Name: "bad", Entry: filepath.Join(dir, "w.js")})
	if err == nil || !strings.Contains(err.Error(), "at load") || !strings.Contains(err.Error(), "w.js:2:") {
		t.Fatalf("err = %v", err)
	}
	dir = writeFiles(t, map[string]string{"w.js": "export const x = 1;\n"})
	_, err = NewWorker(Config{Name: "none", Entry: filepath.Join(dir, "w.js")})
	if err == nil || !strings.Contains(err.Error(), "no connect handler") {
		t.Fatalf("err = %v", err)
	}
}

// Garbage, abrupt disconnects and resets must leave no goroutine behind.
func TestNoGoroutineLeakAfterRudePeers(t *testing.T) {
	addr, w, _ := serveWorker(t, echoScript(t), Config{Isolates: 2})
	warm := dial(t, addr)
	io.WriteString(warm, "x")
	io.ReadFull(warm, make([]byte, 1))
	warm.Close()
	waitFor(t, func() bool { return w.OpenConnections() == 0 })
	before := runtime.NumGoroutine()
	var wg sync.WaitGroup
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c := dial(t, addr)
			junk := make([]byte, 1<<16)
			for j := range junk {
				junk[j] = byte(i * j)
			}
			c.Write(junk) // the echo is never read: the server's write blocks
			if i%2 == 0 {
				c.(*net.TCPConn).SetLinger(0) // RST instead of FIN
			}
			c.Close()
		}(i)
	}
	wg.Wait()
	waitFor(t, func() bool { return w.OpenConnections() == 0 })
	waitFor(t, func() bool { return runtime.NumGoroutine() <= before })
}

func waitFor(t testing.TB, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			n := runtime.Stack(buf, true)
			t.Fatalf("condition not met in time; goroutines:\n%s", buf[:n])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestMaxConnectionsClosesExcess(t *testing.T) {
	addr, w, logs := serveWorker(t, echoScript(t), Config{MaxConnections: 2, Isolates: 1})
	a, b := dial(t, addr), dial(t, addr)
	defer a.Close()
	defer b.Close()
	for _, c := range []net.Conn{a, b} {
		io.WriteString(c, "k")
		io.ReadFull(c, make([]byte, 1))
	}
	third := dial(t, addr)
	defer third.Close()
	if _, err := third.Read(make([]byte, 1)); err == nil {
		t.Fatal("a third connection was served over MaxConnections=2")
	}
	if logs.FilterMessageSnippet("connection limit").Len() == 0 {
		t.Fatal("the drop was not logged")
	}
	if w.OpenConnections() != 2 {
		t.Fatalf("open = %d", w.OpenConnections())
	}
}

// BenchmarkConnectDispatch measures one short connection: accept, dispatch
// the connect event, write a greeting, close.
func BenchmarkConnectDispatch(b *testing.B) {
	defer gcpace.Start(gcpace.DefaultHeadroom)() // as sockw run paces the collector
	dir := writeFiles(b, map[string]string{"w.js": `const hi = new TextEncoder().encode("hi\n");
export default { async connect(s) { const w = s.writable.getWriter(); await w.write(hi); } }`})
	addr, _, _ := serveWorker(b, filepath.Join(dir, "w.js"), Config{})
	buf := make([]byte, 8)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(c, buf[:3]); err != nil {
			b.Fatal(err)
		}
		c.Close()
	}
}

// BenchmarkEchoChunk measures one 64-byte round trip through the reader/
// writer loop (every chunk enters JavaScript and goes back out) and through
// pipeTo, beside a plain Go echo server measured in the same run: the
// difference is sockw's cost per chunk.
func BenchmarkEchoChunk(b *testing.B) {
	defer gcpace.Start(gcpace.DefaultHeadroom)() // as sockw run paces the collector
	for _, size := range []int{64, 64 << 10} {
		for _, script := range []string{"go-raw", "echo-loop.js", "echo.js"} {
			b.Run(fmt.Sprintf("%s/%dB", script, size), func(b *testing.B) { benchEcho(b, script, size) })
		}
	}
}

func benchEcho(b *testing.B, script string, size int) {
	var addr string
	if script == "go-raw" {
		addr = goEcho(b)
	} else {
		addr, _, _ = serveWorker(b, filepath.Join("..", "scripts", script), Config{Isolates: 1})
	}
	c := dial(b, addr)
	defer c.Close()
	c.SetDeadline(time.Time{})
	msg := []byte(strings.Repeat("x", size))
	buf := make([]byte, size)
	b.SetBytes(int64(size))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.Write(msg)
		if _, err := io.ReadFull(c, buf); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIsolateReady measures what a new shard, or the replacement of an
// isolate a limit discarded, costs before it can take a connection: the
// runtime, its globals and the worker's top level (the bundle is shared).
func BenchmarkIsolateReady(b *testing.B) {
	defer gcpace.Start(gcpace.DefaultHeadroom)() // as sockw run paces the collector
	v, err := load(Config{Name: "bench", Entry: echoScript(b), Isolates: 1, Logger: zap.NewNop(), Hub: broadcast.NewHub()}, 1)
	if err != nil {
		b.Fatal(err)
	}
	defer v.Close()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		iso, err := newIsolate(v)
		if err != nil {
			b.Fatal(err)
		}
		iso.Close()
	}
}

// goEcho is the baseline: a goroutine-per-connection Go echo server.
func goEcho(b testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { defer c.Close(); io.Copy(c, c) }()
		}
	}()
	return ln.Addr().String()
}

// writeFiles writes a script and the files it imports into a fresh folder.
func writeFiles(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
