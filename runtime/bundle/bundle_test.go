package bundle

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var sockets = BuiltinModules{"cloudflare:sockets": {"connect"}}

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

func TestBuildSyntaxErrorHasPositionAndCaret(t *testing.T) {
	dir := writeFiles(t, map[string]string{"w.js": "import './lib.js';\n", "lib.js": "const a = 1;\n\tlet b c;\n"})
	_, err := Build(filepath.Join(dir, "w.js"), Worker, sockets)
	var be *BuildError
	if !errors.As(err, &be) {
		t.Fatalf("err = %v, want a BuildError", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "lib.js:2:8: error: Expected \";\" but found \"c\"") || !strings.Contains(msg, "\n    \tlet b c;\n    \t      ^") {
		t.Fatalf("message:\n%s", msg)
	}
}

func TestBuildUnknownImportsAreClear(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.js": "import x from 'node:fs';\n",
		"b.js": "import y from './missing.js';\n",
	})
	_, err := Build(filepath.Join(dir, "a.js"), Worker, sockets)
	if err == nil || !strings.Contains(err.Error(), `no built-in module "node:fs"`) || !strings.Contains(err.Error(), "cloudflare:sockets") {
		t.Fatalf("node:fs: %v", err)
	}
	_, err = Build(filepath.Join(dir, "b.js"), Worker, sockets)
	if err == nil || !strings.Contains(err.Error(), "b.js:1:15") || !strings.Contains(err.Error(), "./missing.js") {
		t.Fatalf("missing file: %v", err)
	}
}

func TestBuildRefusesTopLevelAwaitInWorkersOnly(t *testing.T) {
	dir := writeFiles(t, map[string]string{"w.js": "await null;\nexport default { connect() {} };\n"})
	if _, err := Build(filepath.Join(dir, "w.js"), Worker, nil); err == nil || !strings.Contains(err.Error(), "w.js:1:1") {
		t.Fatalf("worker with top-level await: %v", err)
	}
	if _, err := Build(filepath.Join(dir, "w.js"), Exec, nil); err != nil {
		t.Fatalf("exec with top-level await: %v", err)
	}
}

func TestBuildListsInputs(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"w.ts":       "import { f } from './lib/f';\nimport { connect } from 'cloudflare:sockets';\nexport default { connect() { f(connect) } };\n",
		"lib/f.ts":   "export function f(x: unknown) { return x }\n",
		"unused.txt": "",
	})
	b, err := Build(filepath.Join(dir, "w.ts"), Worker, sockets)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "lib/f.ts"), filepath.Join(dir, "w.ts")}
	if strings.Join(b.Inputs, ",") != strings.Join(want, ",") {
		t.Fatalf("inputs %v, want %v", b.Inputs, want)
	}
}
