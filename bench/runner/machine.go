package main

import (
	"bufio"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// machine describes where the run happened.
type machine struct {
	date      string
	cpus      int
	cpuModel  string
	kernel    string
	memory    string
	goVersion string
	commit    string
	loadStart string
	loadEnd   string
	elapsed   time.Duration

	repsRun, repsPlanned int
	cut                  string
}

func describeMachine(root string) *machine {
	m := &machine{
		date:      time.Now().UTC().Format("2006-01-02 15:04 UTC"),
		cpus:      runtime.NumCPU(),
		kernel:    strings.TrimSpace(readFile("/proc/sys/kernel/osrelease")),
		loadStart: loadAvg(),
	}
	m.cpuModel = procField("/proc/cpuinfo", "model name")
	m.memory = procField("/proc/meminfo", "MemTotal")
	if out, err := exec.Command("go", "version").Output(); err == nil {
		m.goVersion = strings.TrimSpace(string(out))
	}
	git := exec.Command("git", "rev-parse", "--short", "HEAD")
	git.Dir = root
	if out, err := git.Output(); err == nil {
		m.commit = strings.TrimSpace(string(out))
		st := exec.Command("git", "status", "--porcelain", "--untracked-files=no")
		st.Dir = root
		if out, err := st.Output(); err == nil && len(strings.TrimSpace(string(out))) > 0 {
			m.commit += " (with uncommitted changes)"
		}
	}
	return m
}

func readFile(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}

// procField returns the value of the first "key: value" line of a /proc file.
func procField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// loadAvg is the 1, 5 and 15 minute load: other work on the machine skews
// every figure, so the report shows it.
func loadAvg() string {
	f := strings.Fields(readFile("/proc/loadavg"))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
