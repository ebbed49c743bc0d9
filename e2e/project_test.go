package e2e

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// A folder runs by convention from its sockw.json, and its KV namespace
// keeps what was acknowledged across a restart of sockw.
func TestFolderWithKVSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "sockw.json"), []byte(`{
  "name": "visits",
  "main": "main.js",
  "isolates": 1,
  "vars": { "GREETING": "visit" },
  "kv_namespaces": [{ "binding": "STORE" }]
}`), 0o644)
	os.WriteFile(filepath.Join(dir, "main.js"), []byte(`export default {
  async connect(socket, env) {
    const n = Number(await env.STORE.get("count") ?? 0) + 1;
    await env.STORE.put("count", String(n));
    const w = socket.writable.getWriter();
    await w.write(new TextEncoder().encode(env.GREETING + " " + n));
  },
};
`), 0o644)
	data := t.TempDir()
	for round, want := range []string{"visit 1", "visit 2"} {
		s := startServer(t, dir, "--data-dir", data)
		c := s.dial()
		got, _ := io.ReadAll(c)
		c.Close()
		if string(got) != want {
			t.Fatalf("round %d: got %q, want %q", round, got, want)
		}
		if err := s.stop(10e9); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(filepath.Join(data, "STORE.db")); err != nil {
		t.Fatalf("the namespace file: %v", err)
	}
}
