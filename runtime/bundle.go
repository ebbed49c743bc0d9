package runtime

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/dop251/goja"
	"github.com/dop251/goja/parser"
	"github.com/evanw/esbuild/pkg/api"
)

// BundleMode says how a bundled script is meant to run.
type BundleMode int

const (
	// WorkerMode bundles a worker: its top-level code runs once per isolate
	// and its exports (the module syntax's default export) are returned.
	// Top-level await is refused, as workerd refuses it.
	WorkerMode BundleMode = iota
	// ExecMode bundles a script for `sockw exec`: its body runs inside an
	// async function, so top-level await and `for await` work, as in Deno.
	ExecMode
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
	Entry   string
	Mode    BundleMode
	program *goja.Program
}

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
// `import { connect } from 'cloudflare:sockets'`) to its export names.
type BuiltinModules map[string][]string

// Build bundles the entry file and the files it imports into one program.
// modules lists the names served by the host instead of the file system.
func Build(entry string, mode BundleMode, modules BuiltinModules) (*Bundle, error) {
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
		// Workers builds prefer these export conditions (as wrangler does).
		Conditions: []string{"workerd", "worker", "import", "default"},
		MainFields: []string{"module", "main"},
		LogLevel:   api.LogLevelSilent,
		Plugins:    []api.Plugin{builtinPlugin(modules)},
		Charset:    api.CharsetUTF8,
	}
	switch mode {
	case WorkerMode:
		opts.Format = api.FormatIIFE
		opts.GlobalName = "__sockw_exports"
		opts.Banner = map[string]string{"js": "(function (" + builtinParam + ") {"}
		opts.Footer = map[string]string{"js": "return __sockw_exports; })"}
	case ExecMode:
		opts.Format = api.FormatESModule
		opts.Banner = map[string]string{"js": "(async function (" + builtinParam + ") {"}
		opts.Footer = map[string]string{"js": "})"}
	}
	res := api.Build(opts)
	if len(res.Errors) > 0 {
		return nil, &BuildError{Entry: entry, Messages: formatMessages(res.Errors)}
	}
	if len(res.OutputFiles) != 1 {
		return nil, fmt.Errorf("bundle %s: esbuild returned %d files, want 1", entry, len(res.OutputFiles))
	}
	code := string(res.OutputFiles[0].Contents)
	if mode == ExecMode {
		// An exec script's exports have no reader; the export clause would be
		// a syntax error inside the wrapper function.
		code = exportClause.ReplaceAllString(code, "\n")
	}
	prog, err := compile(entry, code)
	if err != nil {
		return nil, err
	}
	return &Bundle{Entry: entry, Mode: mode, program: prog}, nil
}

// exportClause matches the single export statement esbuild puts at the end of
// an ES module bundle.
var exportClause = regexp.MustCompile(`\nexport\s*\{[^}]*\};\n`)

func compile(entry, code string) (*goja.Program, error) {
	// The inline source map is read; nothing is loaded from disk.
	noDisk := parser.WithSourceMapLoader(func(path string) ([]byte, error) {
		return nil, fmt.Errorf("source maps are not loaded from disk (%s)", path)
	})
	ast, err := goja.Parse(entry, code, noDisk)
	if err != nil {
		return nil, &BuildError{Entry: entry, Messages: []string{fmt.Sprintf("%s: the bundled script does not compile: %v", entry, err)}}
	}
	prog, err := goja.CompileAST(ast, false)
	if err != nil {
		return nil, &BuildError{Entry: entry, Messages: []string{fmt.Sprintf("%s: the bundled script does not compile: %v", entry, err)}}
	}
	return prog, nil
}

func builtinPlugin(modules BuiltinModules) api.Plugin {
	return api.Plugin{
		Name: "sockw-builtins",
		Setup: func(b api.PluginBuild) {
			b.OnResolve(api.OnResolveOptions{Filter: `^[a-z]+:`}, func(args api.OnResolveArgs) (api.OnResolveResult, error) {
				if _, ok := modules[args.Path]; !ok {
					return api.OnResolveResult{}, fmt.Errorf("no built-in module %q (sockw has: %s)", args.Path, strings.Join(moduleNames(modules), ", "))
				}
				return api.OnResolveResult{Path: args.Path, Namespace: builtinNamespace}, nil
			})
			b.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: builtinNamespace}, func(args api.OnLoadArgs) (api.OnLoadResult, error) {
				var src strings.Builder
				fmt.Fprintf(&src, "const m = %s(%q);\nexport default m;\n", builtinParam, args.Path)
				for _, name := range modules[args.Path] {
					fmt.Fprintf(&src, "export const %s = m.%s;\n", name, name)
				}
				s := src.String()
				return api.OnLoadResult{Contents: &s, Loader: api.LoaderJS}, nil
			})
		},
	}
}

func moduleNames(modules BuiltinModules) []string {
	names := make([]string, 0, len(modules))
	for name := range modules {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// formatMessages renders esbuild's messages as "file:line:col: error: text"
// followed by the offending line and a caret under the column.
func formatMessages(msgs []api.Message) []string {
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
		fmt.Fprintf(&b, "%s:%d:%d: error: %s\n", loc.File, loc.Line, loc.Column+1, text)
		fmt.Fprintf(&b, "    %s\n", loc.LineText)
		caret := "^"
		if loc.Length > 1 {
			caret += strings.Repeat("~", loc.Length-1)
		}
		fmt.Fprintf(&b, "    %s%s", caretPad(loc.LineText, loc.Column), caret)
		for _, n := range m.Notes {
			if n.Text != "" {
				fmt.Fprintf(&b, "\n  note: %s", n.Text)
			}
		}
		out = append(out, b.String())
	}
	return out
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
