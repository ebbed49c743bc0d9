// Package e2e holds the end-to-end tests: they build the sockw binary, start
// it as a user would, and talk to it with real clients over 127.0.0.1.
package e2e

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// sockwBin is the binary built once for all tests.
var sockwBin string

// repoRoot is the repository's top folder; scripts are named relative to it.
var repoRoot string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sockw-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	repoRoot, _ = filepath.Abs("..")
	sockwBin = filepath.Join(dir, "sockw")
	build := exec.Command("go", "build", "-race", "-o", sockwBin, "./cmd/sockw")
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building sockw: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	stopPostgres()
	os.RemoveAll(dir)
	os.Exit(code)
}

// server is a running `sockw run`.
type server struct {
	t    *testing.T
	cmd  *exec.Cmd
	addr string
	logs *logBuffer
	done chan error
}

// logBuffer collects the server's log and lets a test wait for a line.
type logBuffer struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	wake chan struct{}
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	select {
	case l.wake <- struct{}{}:
	default:
	}
	return len(p), nil
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// waitFor waits until the log matches re and returns the first submatch.
func (l *logBuffer) waitFor(t *testing.T, re string, timeout time.Duration) string {
	t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.After(timeout)
	for {
		if m := rx.FindStringSubmatch(l.String()); m != nil {
			if len(m) > 1 {
				return m[1]
			}
			return m[0]
		}
		select {
		case <-l.wake:
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			t.Fatalf("log never matched %q; log:\n%s", re, l.String())
		}
	}
}

// startServer runs `sockw run script --listen tcp://127.0.0.1:0 args...` and
// waits until it listens.
func startServer(t *testing.T, script string, args ...string) *server {
	t.Helper()
	return startServerEnv(t, nil, script, append([]string{"--listen", "tcp://127.0.0.1:0"}, args...)...)
}

// startServerEnv runs `sockw run script args...` with extra environment
// variables and waits until it listens.
func startServerEnv(t *testing.T, env []string, script string, args ...string) *server {
	t.Helper()
	full := append([]string{"run", script}, args...)
	cmd := exec.Command(sockwBin, full...)
	cmd.Dir = repoRoot
	cmd.Env = append(os.Environ(), env...)
	logs := &logBuffer{wake: make(chan struct{}, 1)}
	cmd.Stdout = logs
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{t: t, cmd: cmd, logs: logs, done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-s.done
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	s.addr = logs.waitFor(t, `listening.*(?:tcp|tls|quic|udp)://(127\.0\.0\.1:\d+)`, 30*time.Second)
	return s
}

// stop sends SIGINT and waits for the process to exit.
func (s *server) stop(timeout time.Duration) error {
	s.cmd.Process.Signal(syscall.SIGINT)
	select {
	case err := <-s.done:
		s.done <- err
		return err
	case <-time.After(timeout):
		return fmt.Errorf("sockw did not exit within %v after SIGINT", timeout)
	}
}

func (s *server) dial() net.Conn {
	s.t.Helper()
	c, err := net.DialTimeout("tcp", s.addr, 5*time.Second)
	if err != nil {
		s.t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(20 * time.Second))
	return c
}

// roundTrip writes msg and reads exactly len(msg) bytes back.
func roundTrip(t *testing.T, c net.Conn, msg string) string {
	t.Helper()
	if _, err := io.WriteString(c, msg); err != nil {
		t.Fatalf("write: %v", err)
	}
	buf := make([]byte, len(msg))
	if _, err := io.ReadFull(c, buf); err != nil {
		t.Fatalf("read: %v (got %q)", err, buf)
	}
	return string(buf)
}

// sockw runs the binary to completion and returns its output and exit code.
func sockw(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, sockwBin, args...)
	cmd.Dir = repoRoot
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code = 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errOut.String(), code
}

// writeScript writes a script into a temporary folder and returns its path.
func writeScript(t *testing.T, name, src string) string {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// readLine reads one line from c.
func readLine(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	s, err := r.ReadString('\n')
	if err != nil {
		t.Fatalf("read line: %v (got %q)", err, s)
	}
	return strings.TrimRight(s, "\r\n")
}
