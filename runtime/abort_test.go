package runtime

import (
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A connection whose handler loops forever is closed with its isolate; a
// fresh isolate serves the next connection.
func TestLoopingConnectionDiscardsItsIsolate(t *testing.T) {
	dir := writeFiles(t, map[string]string{"w.js": `export default {
  async connect(socket) {
    const reader = socket.readable.getReader();
    const writer = socket.writable.getWriter();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      if (value[0] === 0x21) { for (;;) {} }
      await writer.write(value);
    }
  },
};`})
	addr, _, logs := serveWorker(t, filepath.Join(dir, "w.js"), Config{Isolates: 1, CPULimit: 50 * time.Millisecond})
	good := dial(t, addr)
	defer good.Close()
	io.WriteString(good, "a")
	if _, err := io.ReadFull(good, make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	bad := dial(t, addr)
	defer bad.Close()
	io.WriteString(bad, "!")
	if _, err := bad.Read(make([]byte, 1)); err == nil {
		t.Fatal("the looping connection stayed open")
	}
	if _, err := good.Read(make([]byte, 1)); err == nil {
		t.Fatal("a connection of the discarded isolate stayed open")
	}
	entry := logs.FilterMessageSnippet("isolate discarded").All()
	if st, _ := entry[0].ContextMap()["stack"].(string); len(entry) != 1 || !strings.Contains(st, "w.js:8:") {
		t.Fatalf("log: %v", logs.All())
	}
	fresh := dial(t, addr)
	defer fresh.Close()
	io.WriteString(fresh, "c")
	buf := make([]byte, 1)
	if _, err := io.ReadFull(fresh, buf); err != nil || buf[0] != 'c' {
		t.Fatalf("fresh connection: %q %v", buf, err)
	}
}
