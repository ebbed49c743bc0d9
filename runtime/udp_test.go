package runtime

import (
	"context"
	"net"
	"path/filepath"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/sockw/sockw/listener"
)

// scripts/echo.js on a UDP listener: socket.readable.pipeTo(socket.writable)
// echoes every datagram, and the flow's end (its idle timeout) is the
// readable's end, so the pipe and the handler's promise fulfil: nothing is
// logged as an error, and the connection is gone.
func TestUDPPipeEchoEndsCleanly(t *testing.T) {
	core, logs := observer.New(zap.DebugLevel)
	w, err := NewWorker(Config{Entry: filepath.Join("..", "scripts", "echo.js"), Name: "test", Logger: zap.New(core)})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := listener.ListenUDP(context.Background(), listener.Address{Network: "udp", HostPort: "127.0.0.1:0"},
		listener.UDPConfig{IdleTimeout: 200 * time.Millisecond}, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	go ln.Serve(func(f *listener.Flow) { w.ServeFlow(f) })
	t.Cleanup(func() {
		ln.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		w.Shutdown(ctx)
	})
	c, err := net.DialUDP("udp", nil, ln.Addr().(*net.UDPAddr))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	buf := make([]byte, 100)
	for _, m := range []string{"one", "two", "three"} {
		c.Write([]byte(m))
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, err := c.Read(buf)
		if err != nil || string(buf[:n]) != m {
			t.Fatalf("echo of %q: %q, %v", m, buf[:n], err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for w.OpenConnections() != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d connections still open after the flow's idle timeout", w.OpenConnections())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if errs := logs.FilterLevelExact(zap.ErrorLevel).All(); len(errs) > 0 {
		t.Fatalf("logged %q (%v)", errs[0].Message, errs[0].ContextMap())
	}
}
