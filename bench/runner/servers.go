package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Server kinds: what a mode needs the server to do.
const (
	kindEcho  = "echo"  // TCP echo
	kindGreet = "greet" // TCP: write one line, close
	kindUDP   = "udp"   // UDP echo
	kindQUIC  = "quic"  // QUIC stream echo
)

// server is one contender: how to start it for each kind it supports.
type server struct {
	name  string // short id used in tables and results.json
	label string // what it is, for the report
	// cmd returns the command line serving kind on port, or nil if this
	// server has no such mode (why says so).
	cmd func(kind string, port int) []string
	// why explains, per unsupported kind, the gap in the table.
	why map[string]string
	// version is filled in by probe; missing explains an unusable server.
	version string
	missing string
	// probeCmd prints the version.
	probeCmd []string
	// fdsPerConn is how many descriptors the server spends on one
	// connection (1 when zero); idle runs cap their connections so they fit
	// the open-file limit.
	fdsPerConn int
}

// supports reports whether the server has a working mode of this kind.
func (s *server) supports(kind string) bool {
	if s.missing != "" || s.cmd(kind, 1) == nil {
		return false
	}
	_, broken := s.why[kind]
	return !broken
}

// paths are where bench/run finds the binaries, relative to the repo root.
type paths struct {
	root     string
	bench    string // bench/bin/sockw-bench
	goraw    string // bench/bin/goraw
	sockw    string // bin/sockw
	node     string
	bun      string
	deno     string
	workerd  string
	nodeJS   string // bench/servers/node/server.mjs
	capnp    string // bench/servers/workerd/config.capnp
	greetJS  string // bench/workers/greet.js
	echoJS   string // scripts/echo.js
	loopJS   string // scripts/echo-loop.js
	quicJS   string // scripts/quic-echo.js
	nodeMods string // bench/node_modules
	// nofile is the open-file limit the servers inherit.
	nofile uint64
}

func newPaths(root string) *paths {
	j := func(p ...string) string { return filepath.Join(append([]string{root}, p...)...) }
	nm := j("bench", "node_modules")
	p := &paths{
		root:     root,
		bench:    j("bench", "bin", "sockw-bench"),
		goraw:    j("bench", "bin", "goraw"),
		sockw:    j("bin", "sockw"),
		nodeJS:   j("bench", "servers", "node", "server.mjs"),
		capnp:    j("bench", "servers", "workerd", "config.capnp"),
		greetJS:  j("bench", "workers", "greet.js"),
		echoJS:   j("scripts", "echo.js"),
		loopJS:   j("scripts", "echo-loop.js"),
		quicJS:   j("scripts", "quic-echo.js"),
		nodeMods: nm,
		workerd:  filepath.Join(nm, "@cloudflare", "workerd-linux-64", "bin", "workerd"),
		deno:     filepath.Join(nm, "@deno", "linux-x64-glibc", "deno"),
	}
	p.node, _ = exec.LookPath("node")
	// The bun package's postinstall would copy the platform binary to
	// bun/bin/bun.exe; npm may have skipped install scripts, so look in
	// both places.
	for _, c := range []string{
		filepath.Join(nm, "@oven", "bun-linux-x64", "bin", "bun"),
		filepath.Join(nm, "bun", "bin", "bun.exe"),
	} {
		if st, err := os.Stat(c); err == nil && st.Size() > 1<<20 {
			p.bun = c
			break
		}
	}
	return p
}

// servers lists the contenders in the order tables show them. Deno runs the
// same node:net/node:dgram file as Node and Bun, through its Node
// compatibility layer (not Deno.listen), so the three differ only in
// runtime.
func servers(p *paths) []*server {
	port := func(n int) string { return fmt.Sprint(n) }
	nodeLike := func(bin string, pre ...string) func(string, int) []string {
		return func(kind string, n int) []string {
			if kind == kindQUIC || bin == "" {
				return nil
			}
			return append(append(append([]string{bin}, pre...), p.nodeJS), kind, port(n))
		}
	}
	workerd := func(echoConst string) func(string, int) []string {
		return func(kind string, n int) []string {
			c := map[string]string{kindEcho: echoConst, kindGreet: "greet"}[kind]
			if c == "" || (kind == kindGreet && echoConst != "echo") {
				return nil
			}
			return []string{p.workerd, "serve", "--experimental", p.capnp, c, "--socket-addr", fmt.Sprintf("tcp=127.0.0.1:%d", n)}
		}
	}
	sockw := func(echoJS string, loop bool) func(string, int) []string {
		return func(kind string, n int) []string {
			script, scheme := echoJS, "tcp"
			switch kind {
			case kindGreet:
				if loop {
					return nil
				}
				script = p.greetJS
			case kindUDP, kindQUIC:
				if loop {
					return nil
				}
				scheme = kind
				if kind == kindQUIC {
					// A QUIC connection is not a byte stream: its echo pipes
					// each incoming stream to itself.
					script = p.quicJS
				}
			}
			// Info logs are per listener, not per connection, but warn
			// keeps the comparison with the log-free servers strict. The
			// connection cap is raised for the 10,000-connection idle run.
			args := []string{p.sockw, "run", script, "--listen", fmt.Sprintf("%s://127.0.0.1:%d", scheme, n),
				"--isolates", "1", "--max-connections", "100000", "--log-level", "warn"}
			if kind == kindQUIC {
				// The load generator offers ALPN "echo" (modes.go).
				args = append(args, "--alpn", "echo")
			}
			return args
		}
	}
	noQUIC := "has no QUIC server API"
	greetOnce := "connrate runs bench/workers/greet.js once per runtime, in the -pipe row"
	echoOnce := "runs scripts/echo.js only, in the -pipe row"
	return []*server{
		{name: "go", label: "Go raw, goroutine per connection (bench/servers/goraw)",
			cmd: func(kind string, n int) []string { return []string{p.goraw, kind, port(n)} },
			why: map[string]string{}, probeCmd: []string{"go", "version"}},
		{name: "node", label: "Node `net` s.pipe(s), `dgram` (bench/servers/node/server.mjs)",
			cmd: nodeLike(p.node), why: map[string]string{kindQUIC: "Node " + noQUIC},
			probeCmd: []string{p.node, "--version"}},
		{name: "bun", label: "Bun, same node:net file",
			cmd: nodeLike(p.bun), why: map[string]string{kindQUIC: "Bun " + noQUIC},
			probeCmd: []string{p.bun, "--version"}},
		{name: "deno", label: "Deno, same file through node:net/node:dgram",
			cmd:      nodeLike(p.deno, "run", "--allow-net", "--no-prompt", "--quiet"),
			why:      map[string]string{kindQUIC: "Deno's QUIC API is unstable and not wired here"},
			probeCmd: []string{p.deno, "--version"}},
		{name: "workerd-pipe", label: "workerd, scripts/echo.js (pipeTo); greet: bench/workers/greet.js",
			fdsPerConn: 2,
			cmd:        workerd("echo"), why: map[string]string{kindUDP: "workerd has no inbound UDP", kindQUIC: "workerd has no inbound QUIC"},
			probeCmd: []string{p.workerd, "--version"}},
		{name: "workerd-loop", label: "workerd, scripts/echo-loop.js (reader/writer loop)",
			fdsPerConn: 2,
			cmd:        workerd("echoLoop"), why: map[string]string{kindGreet: greetOnce, kindUDP: "workerd has no inbound UDP", kindQUIC: "workerd has no inbound QUIC"},
			probeCmd: []string{p.workerd, "--version"}},
		{name: "sockw-pipe", label: "sockw, scripts/echo.js (pipeTo); greet: bench/workers/greet.js",
			cmd: sockw(p.echoJS, false), why: map[string]string{},
			probeCmd: []string{p.sockw, "version"}},
		{name: "sockw-loop", label: "sockw, scripts/echo-loop.js (reader/writer loop)",
			cmd: sockw(p.loopJS, true), why: map[string]string{kindGreet: greetOnce, kindUDP: echoOnce, kindQUIC: echoOnce},
			probeCmd: []string{p.sockw, "version"}},
	}
}

// probe runs the server's version command; a server whose binary is
// missing or does not run is marked, with the reason, and skipped.
func (s *server) probe(env []string) {
	if s.missing != "" {
		return
	}
	if s.probeCmd[0] == "" {
		s.missing = "not installed"
		return
	}
	cmd := exec.Command(s.probeCmd[0], s.probeCmd[1:]...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		s.missing = fmt.Sprintf("%s does not run: %v: %s", filepath.Base(s.probeCmd[0]), err, firstLine(string(out)))
		return
	}
	s.version = firstLine(string(out))
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}
