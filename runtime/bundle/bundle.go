// Package bundle turns a worker's .js, .mjs or .ts entry file and its
// imports into one goja program, with esbuild: what goja lacks is lowered,
// an inline source map keeps the user's files and lines in stack traces, and
// built-in modules (cloudflare:sockets) are served by the host.
package bundle

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/dop251/goja"
	"github.com/dop251/goja/parser"
	"github.com/evanw/esbuild/pkg/api"
)

// Mode says how a bundled script is meant to run.
type Mode int

const (
	// Worker bundles a worker: its top-level code runs once per isolate
	// and its exports (the module syntax's default export) are returned.
	// Top-level await is refused, as workerd refuses it.
	Worker Mode = iota
	// Exec bundles a script for `sockw exec`: its body runs inside an
	// async function, so top-level await and `for await` work, as in Deno.
	Exec
)

// builtinNamespace is the esbuild namespace of the modules the host serves.
const builtinNamespace = "sockw-builtin"

// builtinParam names the wrapper's parameter through which a bundle reaches
// the host's built-in modules. Bundled user code cannot see it unless it
// names it, and it is not a global.
const builtinParam = "__sockw_builtin"

// Bundle is a worker or exec script bundled into one program. The program is
// immutable and shared by every isolate of a worker version.
type Bundle struct {
	// Entry is the entry file as the user named it.
	Entry string
	Mode  Mode
	// Inputs lists the files the bundle was built from, for --watch.
	Inputs  []string
	program *goja.Program
}

// Program is the compiled bundle. Running it yields a function taking the
// host's built-in module resolver (a function from a module name to its
// exports object); calling that runs the script's top level and returns its
// exports (Worker) or the promise of its completion (Exec).
func (b *Bundle) Program() *goja.Program { return b.program }

// BuildError is a script that cannot be bundled or compiled. Its text names
// the user's file, line and column and shows the line with a caret.
type BuildError struct {
	Entry    string
	Messages []string
}

func (e *BuildError) Error() string {
	return strings.Join(e.Messages, "\n")
}

// BuiltinModules maps an importable module name (as in
// `import { connect } from 'cloudflare:sockets'`) to the module.
//
// A name with the node: prefix also answers to its bare form (`events` for
// node:events), ahead of any package of that name in node_modules, as Node
// resolves it. A name under sockw:internal/ may be imported only by other
// built-in modules.
type BuiltinModules map[string]Module

// Module is a module the host serves instead of the file system: written in
// JavaScript and bundled like the user's code (Source), or, without Source,
// built by the host at run time: the bundle asks the host for its exports
// object by name when the importing code first runs.
type Module struct {
	// Source is the module's JavaScript, an ES module or CommonJS.
	Source string
	// Globals marks a module whose exports stand in for the free globals of
	// the same name (process, Buffer) in a bundle that uses Node, that is,
	// holds a node: module or a package from node_modules. They are never
	// properties of globalThis.
	Globals bool
}

// internalPrefix starts the names of modules only built-in modules import.
const internalPrefix = "sockw:internal/"

// Build bundles the entry file and the files it imports into one program.
// modules lists the names served by the host instead of the file system.
func Build(entry string, mode Mode, modules BuiltinModules) (*Bundle, error) {
	abs, err := filepath.Abs(entry)
	if err != nil {
		return nil, fmt.Errorf("bundle %s: %w", entry, err)
	}
	if _, err := os.Stat(abs); err != nil {
		return nil, &BuildError{Entry: entry, Messages: []string{fmt.Sprintf("%s: cannot read the script: %v", entry, unwrapPathError(err))}}
	}
	cwd, err := os.Getwd()
	if err != nil {
		return nil, fmt.Errorf("bundle %s: %w", entry, err)
	}
	chain := newImportChain(abs, cwd)
	opts := api.BuildOptions{
		EntryPoints:    []string{abs},
		Bundle:         true,
		Write:          false,
		AbsWorkingDir:  cwd,
		Outfile:        filepath.Join(cwd, "bundle.js"),
		Sourcemap:      api.SourceMapInline,
		SourcesContent: api.SourcesContentExclude,
		Target:         api.ESNext,
		// goja has async functions but no async generators and no for-await.
		Supported: map[string]bool{"async-generator": false, "for-await": false},
		Platform:  api.PlatformNeutral,
		// Workers builds prefer these export conditions (as wrangler does);
		// esbuild adds "import" for imports and "require" for require()
		// calls, so a CommonJS package requiring a dual package gets its
		// CommonJS build, as in Node, and "default" always applies.
		Conditions: []string{"workerd", "worker"},
		MainFields: []string{"module", "main"},
		LogLevel:   api.LogLevelSilent,
		Plugins:    []api.Plugin{builtinPlugin(modules, chain)},
		Charset:    api.CharsetUTF8,
		Metafile:   true,
	}
	switch mode {
	case Worker:
		opts.Format = api.FormatIIFE
		opts.GlobalName = "__sockw_exports"
		opts.Banner = map[string]string{"js": "(function (" + builtinParam + ") {" + strictMarker}
		opts.Footer = map[string]string{"js": "return __sockw_exports; })"}
	case Exec:
		opts.Format = api.FormatESModule
		opts.Banner = map[string]string{"js": "(async function (" + builtinParam + ") {" + strictMarker}
		opts.Footer = map[string]string{"js": "})"}
	}
	res := api.Build(opts)
	// Node's globals stand in only for code that uses Node: a script that
	// imports a node: module or a package from node_modules. A web script
	// keeps the web's setTimeout, and sees no process or Buffer.
	if inject := injected(modules); len(res.Errors) == 0 && len(inject) > 0 && usesNode(res.Metafile) {
		opts.Inject = inject
		res = api.Build(opts)
	}
	if len(res.Errors) > 0 {
		return nil, &BuildError{Entry: entry, Messages: formatMessages(res.Errors, cwd, chain)}
	}
	if len(res.OutputFiles) != 1 {
		return nil, fmt.Errorf("bundle %s: esbuild returned %d files, want 1", entry, len(res.OutputFiles))
	}
	code := displaySourcePaths(string(res.OutputFiles[0].Contents), cwd)
	// A module is strict code, in workerd as in the spec; a classic script
	// (no import or export: the 2021 examples, a snippet pasted from a
	// browser console) keeps sloppy mode, as a browser or Node runs it. The
	// marker sits on the banner's line, so the source map is unaffected.
	strict := ""
	if isModule(res.Metafile, abs, cwd) {
		strict = `"use strict";`
	}
	code = strings.Replace(code, strictMarker, strict, 1)
	if mode == Exec {
		// An exec script's exports have no reader; the export clause would be
		// a syntax error inside the wrapper function.
		code = exportClause.ReplaceAllString(code, "\n")
	}
	prog, err := compile(entry, code)
	if err != nil {
		return nil, err
	}
	return &Bundle{Entry: entry, Mode: mode, Inputs: inputs(cwd, res.Metafile), program: prog}, nil
}

// inputs lists the files esbuild read, as absolute paths.
func inputs(cwd, metafile string) []string {
	var meta struct {
		Inputs map[string]json.RawMessage `json:"inputs"`
	}
	if json.Unmarshal([]byte(metafile), &meta) != nil {
		return nil
	}
	var files []string
	for p := range meta.Inputs {
		if strings.Contains(p, ":") && !filepath.IsAbs(p) {
			continue // a built-in module, not a file
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(cwd, p)
		}
		files = append(files, p)
	}
	slices.Sort(files)
	return files
}

// strictMarker is replaced by a "use strict" directive for modules.
const strictMarker = "/*sockw:strict*/"

// isModule reports whether esbuild read the entry as an ES module.
func isModule(metafile, entry, cwd string) bool {
	var meta struct {
		Inputs map[string]struct {
			Format string `json:"format"`
		} `json:"inputs"`
	}
	if json.Unmarshal([]byte(metafile), &meta) != nil {
		return true
	}
	for p, in := range meta.Inputs {
		if !filepath.IsAbs(p) {
			p = filepath.Join(cwd, p)
		}
		if p == entry {
			return in.Format == "esm"
		}
	}
	return true
}

// exportClause matches the single export statement esbuild puts at the end of
// an ES module bundle.
var exportClause = regexp.MustCompile(`\nexport\s*\{[^}]*\};\n`)

func compile(entry, code string) (prog *goja.Program, err error) {
	// goja's parser panics on some inputs (string escapes above U+FFFFF);
	// a script must never take the process down.
	defer func() {
		if r := recover(); r != nil {
			prog, err = nil, &BuildError{Entry: entry, Messages: []string{fmt.Sprintf("%s: the bundled script does not compile: %v", entry, r)}}
		}
	}()
	// The inline source map is read; nothing is loaded from disk.
	noDisk := parser.WithSourceMapLoader(func(path string) ([]byte, error) {
		return nil, fmt.Errorf("source maps are not loaded from disk (%s)", path)
	})
	// goja resolves the map's source names against the directory of the
	// name it parses; they are relative to the working directory (or
	// absolute), so the name has no directory.
	ast, err := goja.Parse("bundle.js", code, noDisk)
	if err != nil {
		return nil, &BuildError{Entry: entry, Messages: []string{fmt.Sprintf("%s: the bundled script does not compile: %v", entry, err)}}
	}
	prog, err = goja.CompileAST(ast, false)
	if err != nil {
		return nil, &BuildError{Entry: entry, Messages: []string{fmt.Sprintf("%s: the bundled script does not compile: %v", entry, err)}}
	}
	return prog, nil
}

func builtinPlugin(modules BuiltinModules, chain *importChain) api.Plugin {
	return api.Plugin{
		Name: "sockw-builtins",
		Setup: func(b api.PluginBuild) {
			b.OnResolve(api.OnResolveOptions{Filter: `^[a-z]+:`}, func(args api.OnResolveArgs) (api.OnResolveResult, error) {
				_, ok := modules[args.Path]
				if !ok {
					return api.OnResolveResult{}, fmt.Errorf("no built-in module %q (sockw has: %s)", args.Path, strings.Join(moduleNames(modules), ", "))
				}
				// An injected module has no importer.
				if strings.HasPrefix(args.Path, internalPrefix) && args.Namespace != builtinNamespace && args.Importer != "" {
					return api.OnResolveResult{}, fmt.Errorf("%q is internal to sockw's built-in modules", args.Path)
				}
				return api.OnResolveResult{Path: args.Path, Namespace: builtinNamespace}, nil
			})
			// Node resolves its own modules' bare names before node_modules.
			// "process/" (with the slash) names the npm package that stands
			// in for the builtin in browsers; in Node it hands back the
			// builtin itself, so it resolves to the builtin here too.
			b.OnResolve(api.OnResolveOptions{Filter: `^[a-z_]+(/[a-z_]*)?$`}, func(args api.OnResolveArgs) (api.OnResolveResult, error) {
				name := "node:" + strings.TrimSuffix(args.Path, "/")
				if _, ok := modules[name]; ok {
					return api.OnResolveResult{Path: name, Namespace: builtinNamespace}, nil
				}
				return api.OnResolveResult{}, nil
			})
			// Every other import is resolved here too, to remember who
			// imported what: a failed import is reported with its chain.
			b.OnResolve(api.OnResolveOptions{Filter: `.*`}, func(args api.OnResolveArgs) (api.OnResolveResult, error) {
				if args.PluginData == chain || args.Namespace != "file" {
					return api.OnResolveResult{}, nil
				}
				res := b.Resolve(args.Path, api.ResolveOptions{
					Importer: args.Importer, ResolveDir: args.ResolveDir, Kind: args.Kind,
					Namespace: args.Namespace, PluginData: chain,
				})
				if len(res.Errors) > 0 || res.External {
					return api.OnResolveResult{}, nil
				}
				chain.add(res.Path, args.Importer)
				out := api.OnResolveResult{Path: res.Path, Namespace: res.Namespace, Suffix: res.Suffix, PluginData: res.PluginData}
				if !res.SideEffects {
					out.SideEffects = api.SideEffectsFalse
				}
				return out, nil
			})
			b.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: builtinNamespace}, func(args api.OnLoadArgs) (api.OnLoadResult, error) {
				m := modules[args.Path]
				if m.Source != "" {
					return api.OnLoadResult{Contents: &m.Source, Loader: api.LoaderJS}, nil
				}
				// CommonJS, so that require() of a host module yields its
				// exports object, and named imports read it at use.
				s := fmt.Sprintf("module.exports = %s(%q);\n", builtinParam, args.Path)
				return api.OnLoadResult{Contents: &s, Loader: api.LoaderJS}, nil
			})
		},
	}
}

// usesNode reports whether a bundle holds a Node module or an npm package.
func usesNode(metafile string) bool {
	var meta struct {
		Inputs map[string]json.RawMessage `json:"inputs"`
	}
	if json.Unmarshal([]byte(metafile), &meta) != nil {
		return false
	}
	for p := range meta.Inputs {
		if strings.HasPrefix(p, builtinNamespace+":node:") || strings.Contains(p, "node_modules/") {
			return true
		}
	}
	return false
}

// injected lists the modules whose exports stand in for free globals.
func injected(modules BuiltinModules) []string {
	var names []string
	for name, m := range modules {
		if m.Globals {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

func moduleNames(modules BuiltinModules) []string {
	names := make([]string, 0, len(modules))
	for name := range modules {
		if !strings.HasPrefix(name, internalPrefix) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// importChain remembers which file first imported each resolved file, so
// that an import that cannot be resolved deep inside node_modules is
// reported with the path from the entry to it.
type importChain struct {
	entry, cwd string
	mu         sync.Mutex // esbuild resolves on several goroutines
	parent     map[string]string
}

func newImportChain(entry, cwd string) *importChain {
	return &importChain{entry: entry, cwd: cwd, parent: map[string]string{}}
}

func (c *importChain) add(path, importer string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.parent[path]; !ok && path != c.entry {
		c.parent[path] = importer
	}
}

// describe names the package that file belongs to and the chain of imports
// from the entry down to file, for a file inside node_modules; "" otherwise.
func (c *importChain) describe(file string) string {
	abs := file
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(c.cwd, file)
	}
	pkg := packageOf(abs)
	if pkg == "" {
		return ""
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	files := []string{abs}
	for p := abs; len(files) < 64; {
		parent, ok := c.parent[p]
		if !ok {
			break
		}
		files = append(files, parent)
		p = parent
	}
	slices.Reverse(files)
	for i, f := range files {
		if rel, err := filepath.Rel(c.cwd, f); err == nil {
			f = displayPath(rel, c.cwd)
		}
		files[i] = f
	}
	return fmt.Sprintf("in package %q, imported as %s", pkg, strings.Join(files, " -> "))
}

// packageOf names the npm package whose files hold path ("@scope/name" or
// "name"), or "" when path is not inside node_modules.
func packageOf(path string) string {
	const nm = "/node_modules/"
	i := strings.LastIndex(path, nm)
	if i < 0 {
		return ""
	}
	parts := strings.SplitN(path[i+len(nm):], "/", 3)
	if strings.HasPrefix(parts[0], "@") && len(parts) > 1 {
		return parts[0] + "/" + parts[1]
	}
	return parts[0]
}

// formatMessages renders esbuild's messages as "file:line:col: error: text"
// followed by the offending line and a caret under the column.
func formatMessages(msgs []api.Message, cwd string, chain *importChain) []string {
	out := make([]string, 0, len(msgs))
	for _, m := range msgs {
		text := m.Text
		if m.PluginName != "" && strings.HasPrefix(text, "[plugin ") {
			text = text[strings.Index(text, "] ")+2:]
		}
		if m.Location == nil {
			out = append(out, "error: "+text)
			continue
		}
		loc := m.Location
		var b strings.Builder
		fmt.Fprintf(&b, "%s:%d:%d: error: %s\n", displayPath(loc.File, cwd), loc.Line, loc.Column+1, text)
		fmt.Fprintf(&b, "    %s\n", loc.LineText)
		caret := "^"
		if loc.Length > 1 {
			caret += strings.Repeat("~", loc.Length-1)
		}
		fmt.Fprintf(&b, "    %s%s", caretPad(loc.LineText, loc.Column), caret)
		if d := chain.describe(loc.File); d != "" {
			fmt.Fprintf(&b, "\n  note: %s", d)
		}
		for _, n := range m.Notes {
			// A bundle has nothing outside it: marking an import
			// external, as esbuild suggests, cannot help.
			if n.Text != "" && !strings.Contains(n.Text, "as external") && !strings.Contains(n.Text, "Platform") {
				fmt.Fprintf(&b, "\n  note: %s", n.Text)
			}
		}
		out = append(out, b.String())
	}
	return out
}

// displayPath names a file as the user would: relative to the working
// directory when it is inside it, absolute otherwise (never "../../..").
func displayPath(p, cwd string) string {
	if strings.HasPrefix(p, "..") {
		return filepath.Join(cwd, p)
	}
	return p
}

const inlineMapPrefix = "//# sourceMappingURL=data:application/json;base64,"

// displaySourcePaths rewrites the inline source map's file names with
// displayPath, so stack traces name files the way build errors do.
func displaySourcePaths(code, cwd string) string {
	i := strings.LastIndex(code, inlineMapPrefix)
	if i < 0 {
		return code
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(code[i+len(inlineMapPrefix):]))
	if err != nil {
		return code
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return code
	}
	sources, _ := m["sources"].([]any)
	for j, src := range sources {
		if p, ok := src.(string); ok {
			if p = displayPath(p, cwd); filepath.IsAbs(p) {
				// goja would drop the leading slash of a bare path; a file
				// URL survives, and is what Deno prints.
				p = (&url.URL{Scheme: "file", Path: p}).String()
			}
			sources[j] = p
		}
	}
	out, err := json.Marshal(m)
	if err != nil {
		return code
	}
	return code[:i] + inlineMapPrefix + base64.StdEncoding.EncodeToString(out) + "\n"
}

// caretPad keeps tabs so that the caret lines up under the column.
func caretPad(line string, col int) string {
	if col > len(line) {
		col = len(line)
	}
	pad := []byte(line[:col])
	for i, c := range pad {
		if c != '\t' {
			pad[i] = ' '
		}
	}
	return string(pad)
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
