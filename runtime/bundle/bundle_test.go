package bundle

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dop251/goja"
)

var sockets = BuiltinModules{"cloudflare:sockets": {}}

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

var nodeLike = BuiltinModules{
	"node:events":           {Source: "import { tag } from 'sockw:internal/tag';\nexport class EventEmitter { tag() { return tag } }\nexport default EventEmitter;\n"},
	"sockw:internal/tag":    {},
	"sockw:internal/global": {Source: "export const process = { env: {} };\n", Globals: true},
}

func TestBuildServesBareNodeNamesAheadOfNodeModules(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"w.js":                         "import { EventEmitter } from 'events';\nimport E2 from 'node:events';\nexport default { connect() { return [EventEmitter, E2, process.env] } };\n",
		"node_modules/events/index.js": "throw new Error('the npm package, not the builtin');\n",
	})
	b, err := Build(filepath.Join(dir, "w.js"), Worker, nodeLike)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Inputs) != 1 {
		t.Fatalf("inputs %v: node_modules/events was bundled", b.Inputs)
	}
}

func TestBuildKeepsInternalModulesInternal(t *testing.T) {
	dir := writeFiles(t, map[string]string{"w.js": "import { tag } from 'sockw:internal/tag';\n"})
	_, err := Build(filepath.Join(dir, "w.js"), Worker, nodeLike)
	if err == nil || !strings.Contains(err.Error(), "internal") {
		t.Fatalf("err = %v", err)
	}
}

func TestBuildNamesThePackageAndImportChainOfAMissingModule(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"w.js":                             "import { f } from 'driver';\nexport default { connect() { f() } };\n",
		"node_modules/driver/package.json": `{"name":"driver","main":"lib/index.js"}`,
		"node_modules/driver/lib/index.js": "export { f } from './inner.js';\n",
		"node_modules/driver/lib/inner.js": "import x from 'left-pad-native';\nexport const f = () => x;\n",
	})
	_, err := Build(filepath.Join(dir, "w.js"), Worker, nodeLike)
	if err == nil {
		t.Fatal("bundled a package whose import is missing")
	}
	msg := err.Error()
	for _, want := range []string{`"left-pad-native"`, `in package "driver"`, "w.js -> ", "node_modules/driver/lib/index.js -> ", "node_modules/driver/lib/inner.js"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
}

func TestBuildInjectsNodeGlobalsOnlyWhereNodeIsUsed(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"web.js":  "export default { connect() { return typeof process } };\n",
		"node.js": "import 'node:events';\nexport default { connect() { return typeof process.env } };\n",
	})
	web, err := Build(filepath.Join(dir, "web.js"), Worker, nodeLike)
	if err != nil {
		t.Fatal(err)
	}
	node, err := Build(filepath.Join(dir, "node.js"), Worker, nodeLike)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		b    *Bundle
		want string
	}{{web, "undefined"}, {node, "object"}} {
		if got := runConnect(t, c.b); got != c.want {
			t.Errorf("%s: connect returned %v, want %s", c.b.Entry, got, c.want)
		}
	}
}

// runConnect runs a worker bundle in a bare runtime, with host modules as
// empty objects, and returns what its connect() returns, as a string.
func runConnect(t *testing.T, b *Bundle) string {
	t.Helper()
	rt := goja.New()
	wrapper, err := rt.RunProgram(b.Program())
	if err != nil {
		t.Fatal(err)
	}
	run, _ := goja.AssertFunction(wrapper)
	exports, err := run(goja.Undefined(), rt.ToValue(func(goja.FunctionCall) goja.Value { return rt.NewObject() }))
	if err != nil {
		t.Fatal(err)
	}
	connect, _ := goja.AssertFunction(exports.ToObject(rt).Get("default").ToObject(rt).Get("connect"))
	got, err := connect(goja.Undefined())
	if err != nil {
		t.Fatal(err)
	}
	return got.String()
}

// A dual package gives import its ES module and require() its CommonJS
// build, with the Workers conditions ahead of both.
func TestBuildExportConditions(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"w.js":                           "import a from 'dual';\nimport w from 'edge';\nconst b = require('dual');\nexport default { connect() { return [a, typeof b, w].join(',') } };\n",
		"node_modules/dual/package.json": `{"name":"dual","exports":{"import":"./esm.mjs","require":"./cjs.js"}}`,
		"node_modules/dual/esm.mjs":      "export default 'esm';\n",
		"node_modules/dual/cjs.js":       "module.exports = function cjs() {};\n",
		"node_modules/edge/package.json": `{"name":"edge","exports":{"workerd":"./workerd.js","node":"./node.js","default":"./default.js"}}`,
		"node_modules/edge/workerd.js":   "export default 'workerd';\n",
		"node_modules/edge/node.js":      "export default 'node';\n",
		"node_modules/edge/default.js":   "export default 'default';\n",
	})
	b, err := Build(filepath.Join(dir, "w.js"), Worker, nodeLike)
	if err != nil {
		t.Fatal(err)
	}
	if got := runConnect(t, b); got != "esm,function,workerd" {
		t.Fatalf("got %s, want esm,function,workerd", got)
	}
}
