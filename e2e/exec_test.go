package e2e

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestExecTopLevelAwaitAndForAwait(t *testing.T) {
	script := writeScript(t, "client.mjs", `async function* numbers() { yield 1; yield 2; yield 3; }
let sum = 0;
for await (const n of numbers()) sum += n;
await new Promise((r) => setTimeout(r, 10));
console.log("sum", sum);
console.error("to stderr");
`)
	stdout, stderr, code := sockw(t, "exec", script)
	if code != 0 || stdout != "sum 6\n" || stderr != "to stderr\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

func TestExecUncaughtErrorExitsNonZeroWithPosition(t *testing.T) {
	for name, src := range map[string]string{
		"throw.js":  "function f() {\n  throw new RangeError('nope');\n}\nf();\n",
		"reject.js": "await null;\nawait Promise.reject(new Error('async nope'));\n",
		"timer.js":  "setTimeout(() => { null.x; }, 1);\n",
	} {
		script := writeScript(t, name, src)
		_, stderr, code := sockw(t, "exec", script)
		if code != 1 || !strings.Contains(stderr, "error: Uncaught") || !strings.Contains(stderr, "file:///") || !strings.Contains(stderr, name+":") {
			t.Errorf("%s: exit %d, stderr %q", name, code, stderr)
		}
	}
}

// The sandbox: no require, process, file system or host environment.
func TestExecSandboxHasNoHostAccess(t *testing.T) {
	script := writeScript(t, "sandbox.js", `const absent = ["require", "process", "module", "exports", "Deno", "Bun", "fs", "__dirname", "__filename"];
for (const name of absent) {
  if (typeof globalThis[name] !== "undefined") throw new Error(name + " is defined");
}
let threw = false;
try { require("fs").readFileSync("/etc/passwd"); } catch (e) { threw = /not supported in sockw/.test(e.message); }
if (!threw) throw new Error("require('fs').readFileSync did not throw");
console.log("sandboxed");
`)
	stdout, stderr, code := sockw(t, "exec", script)
	if code != 0 || stdout != "sandboxed\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	// fs is importable, so that packages which never use it bundle, but
	// every use of it throws.
	bad := writeScript(t, "reads_fs.js", "import { readFileSync } from 'fs';\nconsole.log(readFileSync('/etc/passwd'));\n")
	_, stderr, code = sockw(t, "exec", bad)
	if code == 0 || !strings.Contains(stderr, "not supported in sockw: fs.readFileSync") || strings.Contains(stderr, "root:") {
		t.Fatalf("importing fs: exit %d, stderr %q", code, stderr)
	}
}

func TestExecInfiniteLoopStopsAtCPULimit(t *testing.T) {
	script := writeScript(t, "spin.js", "for (;;) {}\n")
	_, stderr, code := sockw(t, "exec", "--cpu-limit", "50ms", script)
	if code != 1 || !strings.Contains(stderr, "CPU limit exceeded") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}

// The conformance suites for the web platform globals are JS files run under
// sockw exec, so they exercise the real globals the way users do.
func TestConformanceSuites(t *testing.T) {
	var files []string
	for _, pkg := range []string{"streams", "encoding", "events", "timers", "clone", "crypto", "url", "node"} {
		found, _ := filepath.Glob(filepath.Join(repoRoot, "bindings", pkg, "testdata", "*_test.js"))
		if len(found) == 0 {
			t.Errorf("bindings/%s has no conformance suite", pkg)
		}
		files = append(files, found...)
	}
	for _, f := range files {
		rel, _ := filepath.Rel(repoRoot, f)
		t.Run(rel, func(t *testing.T) {
			stdout, stderr, code := sockw(t, "exec", rel)
			if code != 0 {
				t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
			}
			if !strings.Contains(stdout, " passed, 0 failed") {
				t.Fatalf("no summary line:\n%s", stdout)
			}
		})
	}
}
