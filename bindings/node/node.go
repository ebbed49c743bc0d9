// Package node serves the Node.js built-in modules that npm packages lean on
// (node:buffer, node:events, node:net and friends), so that a driver bundled
// from node_modules runs unchanged. The modules are CommonJS sources in js/,
// bundled with the script that imports them; their hot paths (Buffer
// encodings, hashing, DNS) call into Go through the internal module
// sockw:internal/node, which Binding builds once per isolate.
//
// Node's globals (Buffer, process, global, setImmediate) are not properties
// of globalThis: the bundler substitutes them for the free identifiers of the
// code that uses them, from the module GlobalsModule.
//
// A Node module sockw does not implement is still served, so that packages
// which import it without using it bundle; each of its functions throws
// "not supported in sockw: <module>.<name>".
package node

import (
	"embed"
	"fmt"
	"path"
	"strings"
)

// InternalModule is the module through which the JavaScript sources reach Go.
const InternalModule = "sockw:internal/node"

// GlobalsModule exports the stand-ins for Node's free globals.
const GlobalsModule = "sockw:internal/node-globals"

//go:embed js/*.js
var sources embed.FS

// unsupported are the Node modules served only as stubs that throw on use.
// A module with its own source in js/ overrides its stub: buffer is listed
// so that node:stream, which reaches node:buffer lazily, bundles in builds
// without it.
var unsupported = []string{
	"async_hooks", "child_process", "cluster", "console", "constants", "dgram", "diagnostics_channel",
	"domain", "fs", "fs/promises", "http", "http2", "https", "inspector", "module", "os", "path",
	"path/posix", "perf_hooks", "punycode", "querystring", "readline", "repl", "sys", "trace_events",
	"tty", "v8", "vm", "wasi", "worker_threads", "zlib",
}

// Sources returns the JavaScript of every module this package serves, by the
// name scripts import it as (node:events), including GlobalsModule.
func Sources() (map[string]string, error) {
	out := map[string]string{}
	entries, err := sources.ReadDir("js")
	if err != nil {
		return nil, fmt.Errorf("node modules: %w", err)
	}
	for _, e := range entries {
		src, err := sources.ReadFile("js/" + e.Name())
		if err != nil {
			return nil, fmt.Errorf("node modules: %w", err)
		}
		out[moduleName(e.Name())] = string(src)
	}
	for _, name := range unsupported {
		if _, ok := out["node:"+name]; !ok {
			out["node:"+name] = fmt.Sprintf("module.exports = require('sockw:internal/node-unsupported')(%q);\n", name)
		}
	}
	return out, nil
}

// moduleName maps a source file to its module: events.js is node:events,
// stream.promises.js is node:stream/promises, and files starting with an
// underscore are internal (_globals.js is sockw:internal/node-globals).
func moduleName(file string) string {
	base := strings.ReplaceAll(strings.TrimSuffix(path.Base(file), ".js"), ".", "/")
	if rest, ok := strings.CutPrefix(base, "_"); ok {
		return "sockw:internal/node-" + rest
	}
	return "node:" + base
}
