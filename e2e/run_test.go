package e2e

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestEchoWithGoClient(t *testing.T) {
	s := startServer(t, "scripts/echo.js")
	c := s.dial()
	defer c.Close()
	for _, msg := range []string{"hello\n", strings.Repeat("x", 100000), "\x00\xff binary \r\n"} {
		if got := roundTrip(t, c, msg); got != msg {
			t.Fatalf("echo returned %d bytes that differ from the %d sent", len(got), len(msg))
		}
	}
	// Half-close: after our FIN the worker finishes echoing, then closes.
	io.WriteString(c, "last")
	c.(*net.TCPConn).CloseWrite()
	rest, err := io.ReadAll(c)
	if err != nil || string(rest) != "last" {
		t.Fatalf("after half-close got %q, %v", rest, err)
	}
}

func TestEchoWithNetcat(t *testing.T) {
	nc, err := exec.LookPath("nc")
	if err != nil {
		t.Skip("nc is not installed (.ci/run installs netcat-openbsd); the Go-client echo test covers the same path")
	}
	s := startServer(t, "scripts/echo.js")
	host, port, _ := net.SplitHostPort(s.addr)
	cmd := exec.Command(nc, "-N", host, port)
	cmd.Stdin = strings.NewReader("hello from nc\n")
	out, err := cmd.Output()
	if err != nil || string(out) != "hello from nc\n" {
		t.Fatalf("nc got %q, %v", out, err)
	}
}

func TestSeedServiceWorkerExampleSaysHelloWorld(t *testing.T) {
	s := startServer(t, "scripts/seed-hello.js")
	c := s.dial()
	defer c.Close()
	got, err := io.ReadAll(c)
	if err != nil || string(got) != "Hello World" {
		t.Fatalf("got %q, %v; want \"Hello World\" then EOF", got, err)
	}
}

func TestHelloTypeScriptGreetsWithEnvAndCloses(t *testing.T) {
	s := startServer(t, "scripts/hello.ts", "--var", "NAME=sockw")
	c := s.dial()
	defer c.Close()
	got, err := io.ReadAll(c)
	if err != nil || string(got) != "Hello, sockw!\n" {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestSyntaxErrorNamesFileLineAndColumn(t *testing.T) {
	bad := writeScript(t, "broken.ts", "export default {\n  connect(socket) {\n    let x = ;\n  }\n}\n")
	for _, cmd := range [][]string{{"check", bad}, {"run", bad, "--listen", "tcp://127.0.0.1:0"}} {
		stdout, stderr, code := sockw(t, cmd...)
		if code == 0 {
			t.Fatalf("sockw %s exited 0", cmd[0])
		}
		if !strings.Contains(stderr, "broken.ts:3:13: error: Unexpected \";\"") || !strings.Contains(stderr, "    let x = ;\n                ^") {
			t.Fatalf("sockw %s stderr:\n%s", cmd[0], stderr)
		}
		if strings.Contains(stdout+stderr, "listening") {
			t.Fatalf("sockw %s listened despite the error", cmd[0])
		}
	}
}

func TestCheckAcceptsExamples(t *testing.T) {
	entries, _ := os.ReadDir("../scripts")
	for _, e := range entries {
		if e.IsDir() || !(strings.HasSuffix(e.Name(), ".js") || strings.HasSuffix(e.Name(), ".ts")) {
			continue
		}
		stdout, stderr, code := sockw(t, "check", "scripts/"+e.Name())
		if code != 0 || !strings.Contains(stdout, "ok") {
			t.Errorf("check scripts/%s: exit %d\n%s%s", e.Name(), code, stdout, stderr)
		}
	}
}

func TestBadListenAddressIsOneLineNamingIt(t *testing.T) {
	_, stderr, code := sockw(t, "run", "scripts/echo.js", "--listen", "tcp://127.0.0.1")
	if code == 0 || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.Contains(stderr, `"tcp://127.0.0.1"`) {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	_, stderr, code = sockw(t, "run", "scripts/echo.js", "--listen", "tcp://"+taken.Addr().String())
	if code == 0 || !strings.Contains(stderr, taken.Addr().String()) || !strings.Contains(stderr, "address already in use") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}

// A handler that throws or rejects loses its own connection only; the log
// names the script's file and line.
func TestThrowingHandlerClosesOnlyItsConnection(t *testing.T) {
	script := writeScript(t, "thrower.js", `export default {
  async connect(socket) {
    const reader = socket.readable.getReader();
    const writer = socket.writable.getWriter();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      const text = new TextDecoder().decode(value);
      if (text.startsWith("throw")) throw new Error("asked to throw");
      if (text.startsWith("reject")) await Promise.reject(new TypeError("asked to reject"));
      await writer.write(value);
    }
  },
};
`)
	s := startServer(t, script)
	good := s.dial()
	defer good.Close()
	roundTrip(t, good, "ping")
	for _, cmd := range []string{"throw", "reject"} {
		bad := s.dial()
		io.WriteString(bad, cmd)
		if n, err := bad.Read(make([]byte, 10)); err == nil {
			t.Fatalf("%s: the connection stayed open (read %d bytes)", cmd, n)
		}
		bad.Close()
	}
	s.logs.waitFor(t, `asked to throw.*thrower\.js:9:`, 5*time.Second)
	s.logs.waitFor(t, `asked to reject`, 5*time.Second)
	if got := roundTrip(t, good, "still here"); got != "still here" {
		t.Fatalf("the other connection broke: %q", got)
	}
}

// An endless loop is interrupted at the CPU limit; its isolate is discarded
// with the connections it held, and the 50 connections on the other isolate
// keep working throughout. Each connection first learns which isolate
// serves it, so the test knows which connections must survive.
func TestEndlessLoopIsInterruptedOthersGoOn(t *testing.T) {
	script := writeScript(t, "looper.js", `const isolate = crypto.randomUUID();
export default {
  async connect(socket) {
    const reader = socket.readable.getReader();
    const writer = socket.writable.getWriter();
    await writer.write(new TextEncoder().encode(isolate + "\n"));
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      if (value[0] === 0x21) { for (;;) {} }   // "!" loops forever
      await writer.write(value);
    }
  },
};
`)
	s := startServer(t, script, "--cpu-limit", "100ms", "--isolates", "2")
	type tracked struct {
		c       net.Conn
		r       *bufio.Reader
		isolate string
	}
	var conns []tracked
	byIsolate := map[string][]int{}
	for i := 0; i < 100; i++ {
		c := s.dial()
		defer c.Close()
		r := bufio.NewReader(c)
		id := readLine(t, r)
		conns = append(conns, tracked{c, r, id})
		byIsolate[id] = append(byIsolate[id], i)
	}
	if len(byIsolate) != 2 {
		t.Fatalf("connections landed on %d isolates, want 2", len(byIsolate))
	}
	looper := conns[0]
	io.WriteString(looper.c, "!")
	if _, err := looper.r.ReadByte(); err == nil {
		t.Fatal("the looping connection was not closed")
	}
	s.logs.waitFor(t, `isolate discarded: CPU limit exceeded.*100ms`, 5*time.Second)
	s.logs.waitFor(t, `looper\.js:10:`, 5*time.Second)
	var wg sync.WaitGroup
	survivors := 0
	for i, tc := range conns {
		if tc.isolate == looper.isolate {
			continue
		}
		survivors++
		wg.Add(1)
		go func(i int, tc tracked) {
			defer wg.Done()
			msg := fmt.Sprintf("after %d\n", i)
			io.WriteString(tc.c, msg)
			if got, err := tc.r.ReadString('\n'); err != nil || got != msg {
				t.Errorf("connection %d on the other isolate: %q, %v", i, got, err)
			}
		}(i, tc)
	}
	wg.Wait()
	if survivors < 45 {
		t.Fatalf("only %d connections were on the other isolate", survivors)
	}
	for _, i := range byIsolate[looper.isolate][1:] {
		conns[i].c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := conns[i].r.ReadByte(); err == nil {
			t.Errorf("connection %d of the discarded isolate stayed open", i)
		}
	}
	fresh := s.dial()
	defer fresh.Close()
	fr := bufio.NewReader(fresh)
	if id := readLine(t, fr); id == looper.isolate {
		t.Fatal("a new connection went to the discarded isolate")
	}
	io.WriteString(fresh, "new\n")
	if got := readLine(t, fr); got != "new" {
		t.Fatalf("a new connection after the loop got %q", got)
	}
}

func TestGracefulShutdownLetsOpenConnectionsFinish(t *testing.T) {
	s := startServer(t, "scripts/echo.js", "--grace", "5s")
	c := s.dial()
	defer c.Close()
	roundTrip(t, c, "before")
	s.cmd.Process.Signal(os.Interrupt)
	s.logs.waitFor(t, "shutting down", 5*time.Second)
	if _, err := net.DialTimeout("tcp", s.addr, time.Second); err == nil {
		t.Fatal("still accepting after SIGINT")
	}
	if got := roundTrip(t, c, "during"); got != "during" {
		t.Fatalf("open connection broke during shutdown: %q", got)
	}
	c.Close()
	if err := s.stop(10 * time.Second); err != nil {
		t.Fatal(err)
	}
}

func TestWatchReloadsAndKeepsOpenConnectionsOnOldVersion(t *testing.T) {
	script := writeScript(t, "greeter.js", `export default {
  async connect(socket) {
    const w = socket.writable.getWriter();
    await w.write(new TextEncoder().encode("v1\n"));
    for await (const chunk of socket.readable) await w.write(chunk);
  },
};
`)
	s := startServer(t, script, "--watch")
	old := s.dial()
	defer old.Close()
	r := bufio.NewReader(old)
	if got := readLine(t, r); got != "v1" {
		t.Fatalf("first greeting %q", got)
	}
	src, _ := os.ReadFile(script)
	os.WriteFile(script, []byte(strings.Replace(string(src), "v1", "v2", 1)), 0o644)
	s.logs.waitFor(t, `reloaded`, 10*time.Second)
	c := s.dial()
	defer c.Close()
	if got := readLine(t, bufio.NewReader(c)); got != "v2" {
		t.Fatalf("after reload greeting %q", got)
	}
	io.WriteString(old, "old still works\n")
	if got := readLine(t, r); got != "old still works" {
		t.Fatalf("old connection after reload: %q", got)
	}
}

func TestIsolatesOneSharesState(t *testing.T) {
	script := writeScript(t, "counter.js", `let n = 0;
export default {
  async connect(socket) {
    n++;
    const w = socket.writable.getWriter();
    await w.write(new TextEncoder().encode(String(n)));
  },
};
`)
	s := startServer(t, script, "--isolates", "1")
	for want := 1; want <= 5; want++ {
		c := s.dial()
		got, _ := io.ReadAll(c)
		c.Close()
		if string(got) != fmt.Sprint(want) {
			t.Fatalf("connection %d saw count %q", want, got)
		}
	}
}

// An operator can profile a running node: --pprof serves Go's profiles on
// the address given, and the heap profile names sockw's own functions.
func TestPprofServesProfiles(t *testing.T) {
	s := startServer(t, "scripts/echo.js", "--pprof", "127.0.0.1:0")
	addr := s.logs.waitFor(t, `serving Go profiles.*http://(127\.0\.0\.1:\d+)/debug/pprof/`, 10*time.Second)
	c := s.dial()
	defer c.Close()
	if got := roundTrip(t, c, "ping"); got != "ping" {
		t.Fatalf("echo = %q", got)
	}
	resp, err := http.Get("http://" + addr + "/debug/pprof/heap?debug=1")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "github.com/sockw/sockw/") {
		t.Fatalf("heap profile: %s\n%.400s", resp.Status, body)
	}
}
