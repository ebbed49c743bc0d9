package kv

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/sockw/sockw/bindings/bindingstest"
)

// blockingStore is a Store whose Get waits until release is closed.
type blockingStore struct {
	Store
	started chan struct{}
	release chan struct{}
}

func (s *blockingStore) Get(ctx context.Context, key string) (Entry, bool, error) {
	close(s.started)
	select {
	case <-s.release:
	case <-ctx.Done():
		return Entry{}, false, ctx.Err()
	}
	return Entry{Value: []byte("late")}, true, nil
}

// A storage call runs off the loop: tasks keep running while it waits.
func TestStorageDoesNotBlockTheLoop(t *testing.T) {
	e := newEnv(t)
	s := &blockingStore{started: make(chan struct{}), release: make(chan struct{})}
	ns, err := New(e.Host, s)
	if err != nil {
		t.Fatal(err)
	}
	_ = e.Runtime.Set("TEST_KV", ns)
	var order []string
	_ = e.Runtime.Set("record", func(call goja.FunctionCall) goja.Value {
		order = append(order, call.Argument(0).String())
		return goja.Undefined()
	})
	go func() {
		<-s.started
		// Only a loop that is free runs this task before the get settles.
		_ = e.Loop.Enqueue(func() error {
			order = append(order, "task")
			close(s.release)
			return nil
		})
	}()
	err = e.Run("block.js", `TEST_KV.get('k').then((v) => record('get ' + v));`, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(order, ",") != "task,get late" {
		t.Errorf("order = %v", order)
	}
}

// failingStore fails every call with an error that names a file.
type failingStore struct{ Store }

var errDisk = errors.New("write /var/lib/sockw/secret.db: input/output error")

func (failingStore) Get(context.Context, string) (Entry, bool, error) { return Entry{}, false, errDisk }
func (failingStore) Put(context.Context, string, Entry) error         { return errDisk }

// A storage failure rejects with a plain message; the details go to the
// log only.
func TestStorageFailureIsLoggedNotShown(t *testing.T) {
	e := newEnv(t)
	core, logs := observer.New(zap.ErrorLevel)
	e.Logger = zap.New(core)
	ns, err := New(e.Host, failingStore{})
	if err != nil {
		t.Fatal(err)
	}
	_ = e.Runtime.Set("TEST_KV", ns)
	err = e.Run("fail.js", `
(async () => {
  for (const call of [() => TEST_KV.get('k'), () => TEST_KV.put('k', 'v')]) {
    const e = await call().then(() => null, (e) => e);
    if (!(e instanceof Error) || !/^KV (GET|PUT) failed: 500 Internal Server Error$/.test(e.message)) throw new Error('got ' + e);
  }
})();`, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if logs.Len() != 2 || !strings.Contains(logs.All()[0].ContextMap()["error"].(string), "secret.db") {
		t.Errorf("log = %v", logs.All())
	}
}

// An entry past its expiration is gone for scripts at once.
func TestExpiredInvisibleToScripts(t *testing.T) {
	e := newEnv(t)
	b := openTemp(t)
	ns, err := New(e.Host, b)
	if err != nil {
		t.Fatal(err)
	}
	_ = e.Runtime.Set("TEST_KV", ns)
	_ = e.Runtime.Set("passTime", func(goja.FunctionCall) goja.Value {
		b.now = func() time.Time { return time.Now().Add(61 * time.Second) }
		return goja.Undefined()
	})
	err = e.Run("expire.js", `
(async () => {
  await TEST_KV.put('k', 'v', { expirationTtl: 60 });
  if (await TEST_KV.get('k') !== 'v') throw new Error('not stored');
  passTime();
  const v = await TEST_KV.get('k');
  const { keys } = await TEST_KV.list();
  if (v !== null || keys.length !== 0) throw new Error('expired entry visible: ' + v + ' ' + keys.length);
})();`, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
}

// Namespaces of one isolate are separate, and one's methods refuse the
// other's objects only when they are not namespaces at all.
func TestTwoNamespaces(t *testing.T) {
	e := newEnv(t)
	a, err := New(e.Host, openTemp(t))
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(e.Host, openTemp(t))
	if err != nil {
		t.Fatal(err)
	}
	_ = e.Runtime.Set("A", a)
	_ = e.Runtime.Set("B", b)
	err = e.Run("two.js", `
(async () => {
  await A.put('k', 'a');
  await B.put('k', 'b');
  if (await A.get('k') !== 'a' || await B.get('k') !== 'b') throw new Error('namespaces share data');
  if (Object.getPrototypeOf(A) !== Object.getPrototypeOf(B)) throw new Error('two prototypes');
  if (await A.get.call(B, 'k') !== 'b') throw new Error('method of A on B');
})();`, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(e.Host, nil); err == nil {
		t.Error("New with a nil Store succeeded")
	}
}

// A call pending when the isolate is discarded ends with it.
func TestIsolateDiscardedDuringCall(t *testing.T) {
	e := bindingstest.New(t)
	ctx, cancel := context.WithCancel(e.Context)
	e.Context = ctx
	s := &blockingStore{started: make(chan struct{}), release: make(chan struct{})}
	ns, err := New(e.Host, s)
	if err != nil {
		t.Fatal(err)
	}
	_ = e.Runtime.Set("TEST_KV", ns)
	go func() {
		<-s.started
		cancel()
	}()
	core, logs := observer.New(zap.ErrorLevel)
	e.Logger = zap.New(core)
	err = e.Run("discard.js", `TEST_KV.get('k');`, 10*time.Second)
	if err != nil && !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v, want nil or the isolate's end", err)
	}
	if logs.Len() != 0 {
		t.Errorf("the end of the isolate was logged as a failure: %v", logs.All())
	}
}
