package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/sockw/sockw/bindings/kv"
)

// projectFile is the settings file of a worker folder, so that
// `sockw run scripts/smtp` needs no flags.
const projectFile = "sockw.json"

// project is a worker folder's sockw.json. Command-line flags override it.
type project struct {
	// Name names the worker in logs (default: the folder's name).
	Name string `json:"name"`
	// Main is the entry file, relative to the folder (default: index.js,
	// index.ts or worker.js, whichever exists).
	Main string `json:"main"`
	// Isolates, as --isolates.
	Isolates int `json:"isolates"`
	// Vars are the worker's env variables, as --var.
	Vars map[string]string `json:"vars"`
	// KVNamespaces are key-value namespaces handed to the worker in env,
	// each stored in <data dir>/<binding>.db.
	KVNamespaces []struct {
		Binding string `json:"binding"`
	} `json:"kv_namespaces"`
}

// loadProject resolves what `sockw run PATH` runs: a script file, or a
// folder with its sockw.json.
func loadProject(path string) (entry string, p project, err error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", p, fmt.Errorf("%s: %w", path, errors.Unwrap(err))
	}
	if !st.IsDir() {
		return path, p, nil
	}
	p.Name = filepath.Base(filepath.Clean(path))
	data, err := os.ReadFile(filepath.Join(path, projectFile))
	switch {
	case err == nil:
		if err := json.Unmarshal(data, &p); err != nil {
			return "", p, fmt.Errorf("%s: %w", filepath.Join(path, projectFile), err)
		}
		if p.Name == "" {
			p.Name = filepath.Base(filepath.Clean(path))
		}
	case !errors.Is(err, os.ErrNotExist):
		return "", p, err
	}
	if p.Main != "" {
		return filepath.Join(path, p.Main), p, nil
	}
	for _, name := range []string{"index.js", "index.ts", "index.mjs", "worker.js", "worker.ts"} {
		if _, err := os.Stat(filepath.Join(path, name)); err == nil {
			return filepath.Join(path, name), p, nil
		}
	}
	return "", p, fmt.Errorf("%s: a folder needs %s with \"main\", or an index.js, index.ts or worker.js", path, projectFile)
}

// openKV opens the project's namespaces under dataDir. The caller closes
// them.
func openKV(p project, dataDir string) (map[string]kv.Store, func(), error) {
	stores := map[string]kv.Store{}
	closeAll := func() {
		for _, s := range stores {
			s.Close()
		}
	}
	for _, ns := range p.KVNamespaces {
		if ns.Binding == "" {
			closeAll()
			return nil, nil, fmt.Errorf("%s: a kv_namespaces entry has no binding name", projectFile)
		}
		if err := os.MkdirAll(dataDir, 0o755); err != nil {
			closeAll()
			return nil, nil, fmt.Errorf("data directory %s: %w", dataDir, err)
		}
		b, err := kv.OpenBolt(filepath.Join(dataDir, ns.Binding+".db"))
		if err != nil {
			closeAll()
			return nil, nil, err
		}
		stores[ns.Binding] = b
	}
	return stores, closeAll, nil
}
