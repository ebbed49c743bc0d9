package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"time"
)

// clockTicks is sysconf(_SC_CLK_TCK), the unit of utime and stime in
// /proc/PID/stat. Go cannot call sysconf without cgo; Linux has reported 100
// on every architecture since 2.6 (USER_HZ is fixed by the kernel ABI,
// whatever CONFIG_HZ is), so CPU time here has a resolution of 10 ms. A
// measured window of a few seconds at a few hundred ms of server CPU keeps
// that error around 1%.
const clockTicks = 100

// procSample is what the load generator reads about the server at one moment.
type procSample struct {
	// CPU is utime+stime of the whole process (all threads, live and
	// exited), from /proc/PID/stat.
	CPU time.Duration
	// RSS is VmRSS from /proc/PID/status.
	RSS int64
}

// readProc samples process pid.
func readProc(pid int) (procSample, error) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return procSample{}, fmt.Errorf("server pid %d: %w", pid, err)
	}
	cpu, err := parseStatCPU(stat)
	if err != nil {
		return procSample{}, fmt.Errorf("server pid %d: /proc/%d/stat: %w", pid, pid, err)
	}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return procSample{}, fmt.Errorf("server pid %d: %w", pid, err)
	}
	rss, err := parseStatusRSS(status)
	if err != nil {
		return procSample{}, fmt.Errorf("server pid %d: /proc/%d/status: %w", pid, pid, err)
	}
	return procSample{CPU: cpu, RSS: rss}, nil
}

// parseStatCPU returns utime+stime from the contents of /proc/PID/stat.
func parseStatCPU(stat []byte) (time.Duration, error) {
	// The command name (field 2) is in parentheses and may itself contain
	// spaces and parentheses, so fields are counted from the last ')'.
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("no command name in %q", stat)
	}
	// After ')': field 3 (state) is rest[0]; utime and stime are fields 14
	// and 15, i.e. rest[11] and rest[12].
	rest := bytes.Fields(stat[i+1:])
	if len(rest) < 13 {
		return 0, fmt.Errorf("only %d fields after the command name", len(rest))
	}
	var ticks uint64
	for _, f := range rest[11:13] {
		n, err := strconv.ParseUint(string(f), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("utime/stime %q: %w", f, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * (time.Second / clockTicks), nil
}

// parseStatusRSS returns VmRSS in bytes from the contents of /proc/PID/status.
func parseStatusRSS(status []byte) (int64, error) {
	for line := range bytes.SplitSeq(status, []byte("\n")) {
		v, ok := bytes.CutPrefix(line, []byte("VmRSS:"))
		if !ok {
			continue
		}
		f := bytes.Fields(v)
		if len(f) != 2 || string(f[1]) != "kB" {
			return 0, fmt.Errorf("VmRSS line %q: want \"N kB\"", line)
		}
		kb, err := strconv.ParseInt(string(f[0]), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("VmRSS %q: %w", f[0], err)
		}
		return kb << 10, nil
	}
	return 0, fmt.Errorf("no VmRSS line (a zombie or kernel thread?)")
}

// selfCPU is the load generator's own CPU time (user+system), with
// microsecond resolution from getrusage: it shows when the load generator,
// not the server, is the bottleneck.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// raiseNoFile lifts this process's open-file limit to at least want (up to
// the hard limit, or beyond it when the process may raise the hard limit,
// as root can). It returns the soft limit in force afterwards.
func raiseNoFile(want uint64) (uint64, error) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 0, fmt.Errorf("getrlimit(NOFILE): %w", err)
	}
	if lim.Cur >= want {
		return lim.Cur, nil
	}
	if lim.Max < want {
		raised := syscall.Rlimit{Cur: want, Max: want}
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &raised); err == nil {
			return want, nil
		}
	}
	lim.Cur = min(want, lim.Max)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 0, fmt.Errorf("setrlimit(NOFILE, %d): %w", lim.Cur, err)
	}
	return lim.Cur, nil
}
