package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
)

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			if _, err := os.Stat(filepath.Join(d, "bench", "runner")); err == nil {
				return d, nil
			}
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("run from inside the sockw repository (no go.mod with bench/runner above %s)", dir)
		}
	}
}

func goBuild(root string, args ...string) error {
	cmd := exec.Command("go", append([]string{"build"}, args...)...)
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("go build %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

// ensureNPM installs bench/package.json's runtimes when they are missing.
func ensureNPM(p *paths) error {
	if p.bun != "" && exists(p.deno) && exists(p.workerd) {
		return nil
	}
	fmt.Fprintln(os.Stderr, "installing Bun, Deno and workerd from npm into bench/node_modules")
	// npm install, not npm ci: the lock file lists the deno package's
	// optional platform packages for this platform only, which npm ci
	// refuses as out of sync.
	cmd := exec.Command("npm", "install", "--no-audit", "--no-fund")
	cmd.Dir = filepath.Join(p.root, "bench")
	out, err := cmd.CombinedOutput()
	nofile := p.nofile
	*p = *newPaths(p.root)
	p.nofile = nofile
	if err != nil {
		return fmt.Errorf("npm install: %v: %s", err, oneLine(string(out)))
	}
	return nil
}

func exists(path string) bool { _, err := os.Stat(path); return err == nil }

// raiseNoFile lifts the open-file limit as far as it goes and returns it:
// the servers inherit it and the idle mode holds 10,000 connections.
func raiseNoFile() (uint64, error) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 0, fmt.Errorf("getrlimit: %w", err)
	}
	if lim.Max < 65536 {
		// Raising the hard limit needs CAP_SYS_RESOURCE; try, then settle
		// for the hard limit.
		want := syscall.Rlimit{Cur: 65536, Max: 65536}
		if syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want) == nil {
			return want.Cur, nil
		}
	}
	lim.Cur = lim.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 0, fmt.Errorf("setrlimit: %w", err)
	}
	return lim.Cur, nil
}
