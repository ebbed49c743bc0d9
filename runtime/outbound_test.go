package runtime

import (
	"context"
	"io"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/sockw/sockw/egress"
)

// A connection a handler opened goes away with the worker version that
// opened it.
func TestOutboundConnectionsCloseWithTheirVersion(t *testing.T) {
	upstream, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer upstream.Close()
	dir := writeFiles(t, map[string]string{"w.js": `import { connect } from 'cloudflare:sockets';
export default {
  async connect(socket, env) {
    const up = connect(env.UPSTREAM);
    await up.opened;
    await new Promise(() => {}); // hold both connections forever
  },
};`})
	w, err := NewWorker(Config{Name: "holder", Entry: filepath.Join(dir, "w.js"), Isolates: 1,
		Vars: map[string]string{"UPSTREAM": upstream.Addr().String()}, Egress: egress.Development(), Logger: zap.NewNop()})
	if err != nil {
		t.Fatal(err)
	}
	inbound, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer inbound.Close()
	go func() {
		c, err := inbound.Accept()
		if err == nil {
			w.ServeConn(c)
		}
	}()
	peer, err := net.Dial("tcp", inbound.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	up, err := upstream.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer up.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := w.Shutdown(ctx); err == nil || !strings.Contains(err.Error(), "deadline") {
		t.Fatalf("Shutdown = %v; the held connection should outlive the grace period", err)
	}
	up.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadAll(up); err != nil {
		t.Fatalf("the outbound connection was not closed with its version: %v", err)
	}
}
