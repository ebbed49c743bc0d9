package broadcast

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dop251/goja"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/sockw/sockw/bindings"
	"github.com/sockw/sockw/bindings/bindingstest"
	"github.com/sockw/sockw/bindings/events"
	"github.com/sockw/sockw/bindings/timers"
)

// gates let scripts in different isolates wait for each other: signal(name)
// opens a gate, wait(name) returns a promise that resolves once it is open.
type gates struct {
	mu    sync.Mutex
	gates map[string]chan struct{}
}

func (g *gates) gate(name string) chan struct{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.gates == nil {
		g.gates = make(map[string]chan struct{})
	}
	c, ok := g.gates[name]
	if !ok {
		c = make(chan struct{})
		g.gates[name] = c
	}
	return c
}

func (g *gates) install(e *bindingstest.Env) {
	rt := e.Runtime
	_ = rt.Set("signal", func(call goja.FunctionCall) goja.Value {
		close(g.gate(call.Argument(0).String()))
		return goja.Undefined()
	})
	_ = rt.Set("wait", func(call goja.FunctionCall) goja.Value {
		p, resolve, _ := rt.NewPromise()
		done := e.Loop.RegisterCallback()
		c := g.gate(call.Argument(0).String())
		go func() {
			<-c
			done(func() error { return resolve(nil) })
		}()
		return rt.ToValue(p)
	})
	// block holds the loop goroutine itself until the gate opens, as a
	// long task would.
	_ = rt.Set("block", func(call goja.FunctionCall) goja.Value {
		<-g.gate(call.Argument(0).String())
		return goja.Undefined()
	})
}

// runAll runs each script in its env, each on a goroutine of its own, and
// fails the test with their errors.
func runAll(t *testing.T, envs []*bindingstest.Env, scripts []string) {
	t.Helper()
	errs := make([]error, len(envs))
	var wg sync.WaitGroup
	for i := range envs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = envs[i].Run("isolate.js", scripts[i], 20*time.Second)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("isolate %d: %v", i, err)
		}
	}
}

func exportString(t *testing.T, e *bindingstest.Env, name string) string {
	t.Helper()
	v := e.Runtime.Get(name)
	if v == nil {
		t.Fatalf("%s is not set", name)
	}
	return v.String()
}

// Two isolates on their own goroutines talk through one Hub, in both
// directions, and the receiver sees the sender's order.
func TestTwoIsolates(t *testing.T) {
	hub := NewHub()
	var g gates
	a, b := newEnv(t, hub), newEnv(t, hub)
	g.install(a)
	g.install(b)
	runAll(t, []*bindingstest.Env{a, b}, []string{`
const ch = new BroadcastChannel('c');
ch.onmessage = (e) => {
  globalThis.result = JSON.stringify(e.data);
  ch.close();
};
wait('b ready').then(() => {
  for (let i = 0; i < 200; i++) ch.postMessage({ seq: i, pad: 'x'.repeat(i) });
});
`, `
const ch = new BroadcastChannel('c');
const got = [];
ch.onmessage = (e) => {
  got.push(e.data.seq);
  if (got.length === 200) {
    ch.postMessage({ count: got.length, ordered: got.every((s, i) => s === i) });
    ch.close();
  }
};
signal('b ready');
`})
	if got := exportString(t, a, "result"); got != `{"count":200,"ordered":true}` {
		t.Errorf("A got %s", got)
	}
	if n := hub.subscribers("c"); n != 0 {
		t.Errorf("%d isolates still subscribed after every channel closed", n)
	}
}

// With two senders, each sender's messages arrive in its order.
func TestOrderPerSender(t *testing.T) {
	hub := NewHub()
	var g gates
	envs := []*bindingstest.Env{newEnv(t, hub), newEnv(t, hub), newEnv(t, hub)}
	for _, e := range envs {
		g.install(e)
	}
	sender := func(name string) string {
		return `
const ch = new BroadcastChannel('c');
wait('ready').then(() => {
  for (let i = 0; i < 300; i++) ch.postMessage({ from: '` + name + `', seq: i });
  ch.close();
});`
	}
	runAll(t, envs, []string{sender("a"), sender("c"), `
const ch = new BroadcastChannel('c');
const next = { a: 0, c: 0 };
let bad = 0;
ch.onmessage = ({ data }) => {
  if (data.seq !== next[data.from]++) bad++;
  if (next.a === 300 && next.c === 300) {
    globalThis.result = 'bad ' + bad;
    ch.close();
  }
};
signal('ready');
`})
	if got := exportString(t, envs[2], "result"); got != "bad 0" {
		t.Errorf("receiver: %s", got)
	}
}

// A channel closed in one isolate hears nothing more, and its isolate
// leaves the hub; the isolates that still listen keep getting messages.
func TestCloseAcrossIsolates(t *testing.T) {
	hub := NewHub()
	var g gates
	a, b := newEnv(t, hub), newEnv(t, hub)
	g.install(a)
	g.install(b)
	_ = a.Runtime.Set("subscribers", func(goja.FunctionCall) goja.Value {
		return a.Runtime.ToValue(hub.subscribers("c"))
	})
	runAll(t, []*bindingstest.Env{a, b}, []string{`
const ch = new BroadcastChannel('c');
const mine = new BroadcastChannel('c');
const heard = [];
mine.onmessage = (e) => {
  heard.push(e.data);
  if (e.data === 'two') {
    globalThis.result = heard.join(',') + ' subscribers ' + subscribers();
    ch.close();
    mine.close();
  }
};
wait('b ready').then(async () => {
  ch.postMessage('one');
  await wait('b closed');
  ch.postMessage('two');
});
`, `
const ch = new BroadcastChannel('c');
const heard = [];
ch.onmessage = (e) => {
  heard.push(e.data);
  ch.close();
  globalThis.result = heard.join(',');
  signal('b closed');
};
signal('b ready');
`})
	if got := exportString(t, a, "result"); got != "one,two subscribers 1" {
		t.Errorf("A: %s", got)
	}
	if got := exportString(t, b, "result"); got != "one" {
		t.Errorf("B: %s", got)
	}
}

// A slow isolate's queue is bounded: what does not fit is dropped,
// counted and logged once, and what fits arrives in order.
func TestSlowIsolateIsBounded(t *testing.T) {
	hub := NewHubWithLimits(Limits{Messages: 10})
	var g gates
	core, logs := observer.New(zapcore.WarnLevel)
	a, b := newEnv(t, hub), newEnvLogging(t, hub, zap.New(core))
	g.install(a)
	g.install(b)
	runAll(t, []*bindingstest.Env{a, b}, []string{`
const ch = new BroadcastChannel('c');
wait('b ready').then(() => {
  for (let i = 0; i < 100; i++) ch.postMessage(i);
  ch.close();
  signal('posted');
});
`, `
const ch = new BroadcastChannel('c');
const got = [];
ch.onmessage = (e) => got.push(e.data);
signal('b ready');
block('posted'); // the loop is busy while A posts
// The messages that fit are queued tasks already; a timer runs after them.
setTimeout(() => {
  globalThis.result = got.join(',');
  ch.close();
}, 50);
`})
	if got := exportString(t, b, "result"); got != "0,1,2,3,4,5,6,7,8,9" {
		t.Errorf("B got %s", got)
	}
	if d := hub.Dropped(); d != 90 {
		t.Errorf("Dropped() = %d, want 90", d)
	}
	if logs.Len() != 1 || !strings.Contains(logs.All()[0].Message, "too slow") {
		t.Errorf("logged %v, want one warning", logs.All())
	} else if n := logs.All()[0].ContextMap()["dropped"]; n != int64(1) {
		t.Errorf("the first warning counts %v drops", n)
	}
}

// An isolate whose context ends leaves the hub.
func TestEndedIsolateUnsubscribes(t *testing.T) {
	hub := NewHub()
	b := newEnv(t, hub)
	ctx, cancel := context.WithCancel(b.Context)
	b.Context = ctx
	_ = b.Runtime.Set("end", func(goja.FunctionCall) goja.Value {
		cancel()
		return goja.Undefined()
	})
	err := b.Run("ending.js", `new BroadcastChannel('c'); new BroadcastChannel('d'); end();`, 5*time.Second)
	if err != context.Canceled {
		t.Fatalf("Run = %v, want the context's end", err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for hub.subscribers("c")+hub.subscribers("d") != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the ended isolate is still subscribed")
		}
		time.Sleep(time.Millisecond)
	}
	// Publishing to a name nobody listens to is fine.
	hub.publish(&message{name: "c"})
}

// An isolate that cannot deserialize (here: it lacks package clone) gets
// messageerror instead of message.
func TestMessageError(t *testing.T) {
	hub := NewHub()
	var g gates
	a := newEnv(t, hub)
	b := bindingstest.New(t)
	for _, install := range []func(*bindings.Host) error{events.Install, timers.Install} {
		if err := install(b.Host); err != nil {
			t.Fatal(err)
		}
	}
	if err := Install(b.Host, hub); err != nil {
		t.Fatal(err)
	}
	g.install(a)
	g.install(b)
	runAll(t, []*bindingstest.Env{a, b}, []string{`
const ch = new BroadcastChannel('c');
wait('b ready').then(() => { ch.postMessage({ x: 1 }); ch.close(); });
`, `
const ch = new BroadcastChannel('c');
ch.onmessage = () => { globalThis.result = 'message'; };
ch.onmessageerror = (e) => {
  globalThis.result = e.type + ' ' + (e instanceof MessageEvent) + ' ' + e.data;
  ch.close();
};
signal('b ready');
`})
	if got := exportString(t, b, "result"); got != "messageerror true null" {
		t.Errorf("B: %s", got)
	}
}

func TestInstallNeedsHub(t *testing.T) {
	e := bindingstest.New(t)
	if err := Install(e.Host, nil); err == nil {
		t.Error("Install with a nil Hub succeeded")
	}
}

// Without package events the globals say what is missing when used.
func TestNeedsEvents(t *testing.T) {
	e := bindingstest.New(t)
	if err := Install(e.Host, NewHub()); err != nil {
		t.Fatal(err)
	}
	_, err := e.Runtime.RunString(`new BroadcastChannel('x')`)
	if err == nil || !strings.Contains(err.Error(), "package events") {
		t.Errorf("got %v", err)
	}
}
