package kv

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
	bolt "go.etcd.io/bbolt"
)

// crashChildEnv makes the test binary, re-executed by TestCrashLosesNoAck,
// run TestCrashChild: a worker that writes through the JavaScript API until
// it is killed.
const crashChildEnv = "SOCKW_KV_CRASH_CHILD"

// crashValue is the value the child writes under key number i.
func crashValue(key string, i int) string {
	return strings.Repeat(key+";", 1+i%97)
}

// TestCrashLosesNoAck kills a process that is writing with SIGKILL and
// checks that every put (and delete) whose promise had resolved is in the
// file when it is opened again.
func TestCrashLosesNoAck(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	const wantAcks = 400
	put := map[string]int{}
	deleted := map[string]bool{}
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	deadline := time.After(2 * time.Minute)
	killed := false
	for !killed {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("the child exited before it was killed (%d acks)", len(put))
			}
			f := strings.Fields(line)
			if len(f) != 3 {
				continue // go test's own output
			}
			i, _ := strconv.Atoi(f[2])
			switch f[0] {
			case "PUT":
				put[f[1]] = i
			case "DEL":
				deleted[f[1]] = true
			}
			if len(put) == wantAcks {
				// Kill mid-stream: writes are in flight now.
				if err := cmd.Process.Kill(); err != nil {
					t.Fatal(err)
				}
				killed = true
			}
		case <-deadline:
			_ = cmd.Process.Kill()
			t.Fatalf("only %d acks in time", len(put))
		}
	}
	// Acks written before the kill are still in the pipe.
	for line := range lines {
		f := strings.Fields(line)
		if len(f) == 3 && f[0] == "PUT" {
			put[f[1]], _ = strconv.Atoi(f[2])
		} else if len(f) == 3 && f[0] == "DEL" {
			deleted[f[1]] = true
		}
	}
	_ = cmd.Wait()

	b, err := OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	err = b.db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatalf("file inconsistent after the crash: %v", err)
	}
	lost := 0
	for key, i := range put {
		e, ok, err := b.Get(ctx, key)
		switch {
		case err != nil:
			t.Fatal(err)
		case deleted[key]:
			if ok {
				t.Errorf("%s: acknowledged delete lost", key)
			}
		case !ok && i%10 == 9:
			// Its delete may have committed without its ack getting out.
		case !ok:
			lost++
			t.Errorf("%s: acknowledged put lost", key)
		case string(e.Value) != crashValue(key, i):
			t.Errorf("%s: value corrupted", key)
		}
	}
	t.Logf("%d puts and %d deletes acknowledged before SIGKILL; %d lost", len(put), len(deleted), lost)
}

// TestCrashChild is the child of TestCrashLosesNoAck. Eight writers put
// keys in a loop, each printing "PUT key i" once its put resolved, and
// delete every tenth key again, printing "DEL key i".
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashChildEnv)
	if path == "" {
		t.Skip("run by TestCrashLosesNoAck")
	}
	b, err := OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t)
	ns, err := New(e.Host, b)
	if err != nil {
		t.Fatal(err)
	}
	rt := e.Runtime
	_ = rt.Set("TEST_KV", ns)
	_ = rt.Set("ack", func(call goja.FunctionCall) goja.Value {
		// os.Stdout is unbuffered: the line is in the pipe when this returns.
		fmt.Fprintf(os.Stdout, "%s %s %d\n", call.Argument(0), call.Argument(1), call.Argument(2).ToInteger())
		return goja.Undefined()
	})
	_ = rt.Set("crashValue", func(call goja.FunctionCall) goja.Value {
		return rt.ToValue(crashValue(call.Argument(0).String(), int(call.Argument(1).ToInteger())))
	})
	err = e.Run("crash-child.js", `
async function writer(w) {
  for (let i = 0; ; i++) {
    const key = 'w' + w + '/' + i;
    await TEST_KV.put(key, crashValue(key, i));
    ack('PUT', key, i);
    if (i % 10 === 9) {
      await TEST_KV.delete(key);
      ack('DEL', key, i);
    }
  }
}
for (let w = 0; w < 8; w++) writer(w);
`, 5*time.Minute)
	t.Fatalf("the child was not killed: %v", err)
}
