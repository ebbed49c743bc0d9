package events

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/sockw/sockw/bindings/bindingstest"
)

// newEnv returns an Env with events installed whose log is recorded.
func newEnv(t *testing.T) (*bindingstest.Env, *observer.ObservedLogs) {
	t.Helper()
	e := bindingstest.New(t)
	core, logs := observer.New(zapcore.DebugLevel)
	e.Logger = zap.New(core)
	if err := Install(e.Host); err != nil {
		t.Fatal(err)
	}
	return e, logs
}

func TestListenerExceptionsAreLogged(t *testing.T) {
	e, logs := newEnv(t)
	err := e.Run("listeners.js", `
const t = new EventTarget();
t.addEventListener('x', () => { throw new TypeError('listener failed'); });
t.addEventListener('x', {});
let after = false;
t.addEventListener('x', () => { after = true; });
t.dispatchEvent(new Event('x'));
if (!after) throw new Error('later listener did not run');
reportError('explicit report');
`, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	entries := logs.All()
	if len(entries) != 3 {
		t.Fatalf("got %d log entries, want 3: %v", len(entries), entries)
	}
	for i, want := range []string{"TypeError: listener failed", "handleEvent", "explicit report"} {
		got := entries[i].ContextMap()["error"]
		if s, _ := got.(string); !strings.Contains(s, want) {
			t.Errorf("entry %d: error = %q, want it to contain %q", i, got, want)
		}
		if entries[i].Level != zapcore.ErrorLevel {
			t.Errorf("entry %d: level %v", i, entries[i].Level)
		}
	}
}

func TestReportErrorOfUnprintableValues(t *testing.T) {
	e, logs := newEnv(t)
	err := e.Run("report.js", `
reportError({ toString() { throw new Error('no'); } });
reportError(Symbol('s'));
reportError(Object.create(null));
reportError(undefined);
`, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if n := logs.Len(); n != 4 {
		t.Fatalf("got %d log entries, want 4", n)
	}
}

func TestOnAbort(t *testing.T) {
	e, _ := newEnv(t)
	rt := e.Runtime
	var log []string
	_ = rt.Set("goLog", func(call goja.FunctionCall) goja.Value {
		log = append(log, call.Argument(0).String())
		return goja.Undefined()
	})
	_ = rt.Set("watch", func(call goja.FunctionCall) goja.Value {
		name := call.Argument(1).String()
		remove, err := OnAbort(rt, call.Argument(0), func(reason goja.Value) {
			log = append(log, name+":"+reason.String())
		})
		if err != nil {
			panic(rt.NewTypeError(err.Error()))
		}
		return rt.ToValue(func(goja.FunctionCall) goja.Value { remove(); return goja.Undefined() })
	})
	err := e.Run("onabort.js", `
const c = new AbortController();
c.signal.addEventListener('abort', () => goLog('event'));
watch(c.signal, 'first');
const unwatch = watch(c.signal, 'removed');
watch(c.signal, 'second');
unwatch();
unwatch();
c.abort('why');
watch(c.signal, 'late'); // already aborted: runs at once
let threw = false;
try { watch({}, 'bad'); } catch (e) { threw = e instanceof TypeError; }
if (!threw) throw new Error('OnAbort accepted a non-signal');
`, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"first:why", "second:why", "event", "late:why"}
	if strings.Join(log, ",") != strings.Join(want, ",") {
		t.Errorf("log = %v, want %v", log, want)
	}
}

func TestOnAbortPanicIsReported(t *testing.T) {
	e, logs := newEnv(t)
	rt := e.Runtime
	signal, abort, err := NewAbortSignal(rt)
	if err != nil {
		t.Fatal(err)
	}
	ran := false
	if _, err := OnAbort(rt, signal, func(goja.Value) { panic(rt.NewTypeError("algorithm failed")) }); err != nil {
		t.Fatal(err)
	}
	if _, err := OnAbort(rt, signal, func(goja.Value) { ran = true }); err != nil {
		t.Fatal(err)
	}
	if err := abort(nil); err != nil {
		t.Fatal(err)
	}
	if !ran {
		t.Error("the second algorithm did not run")
	}
	if logs.Len() != 1 {
		t.Errorf("got %d log entries, want 1", logs.Len())
	}
}

func TestNewAbortSignal(t *testing.T) {
	e, _ := newEnv(t)
	rt := e.Runtime
	signal, abort, err := NewAbortSignal(rt)
	if err != nil {
		t.Fatal(err)
	}
	if !IsAbortSignal(rt, signal) {
		t.Fatal("IsAbortSignal = false")
	}
	if IsAbortSignal(rt, rt.NewObject()) {
		t.Fatal("IsAbortSignal({}) = true")
	}
	if _, aborted, err := Aborted(rt, signal); err != nil || aborted {
		t.Fatalf("Aborted before abort = %v, %v", aborted, err)
	}
	_ = rt.Set("signal", signal)
	if err := e.Run("listen.js", `signal.onabort = () => { globalThis.fired = (globalThis.fired || 0) + 1; };`, time.Second); err != nil {
		t.Fatal(err)
	}
	if err := abort(nil); err != nil {
		t.Fatal(err)
	}
	if err := abort(rt.ToValue("ignored")); err != nil {
		t.Fatal(err)
	}
	reason, aborted, err := Aborted(rt, signal)
	if err != nil || !aborted {
		t.Fatalf("Aborted after abort = %v, %v", aborted, err)
	}
	if !IsDOMException(rt, reason) || reason.ToObject(rt).Get("name").String() != "AbortError" {
		t.Errorf("reason = %v, want an AbortError DOMException", reason)
	}
	if got := rt.Get("fired").ToInteger(); got != 1 {
		t.Errorf("abort event fired %d times", got)
	}
	if _, _, err := Aborted(rt, rt.ToValue(1)); err == nil {
		t.Error("Aborted(1) did not fail")
	}
}

func TestHelpersWithoutInstall(t *testing.T) {
	rt := goja.New()
	if IsAbortSignal(rt, rt.NewObject()) || IsDOMException(rt, rt.NewObject()) {
		t.Error("a predicate held without Install")
	}
	if _, err := OnAbort(rt, rt.NewObject(), func(goja.Value) {}); err == nil {
		t.Error("OnAbort did not fail")
	}
	if _, _, err := NewAbortSignal(rt); err == nil {
		t.Error("NewAbortSignal did not fail")
	}
}

// A pending AbortSignal.timeout must not keep the loop (and `sockw exec`)
// alive, as in browsers and Deno.
func TestTimeoutDoesNotKeepLoopAlive(t *testing.T) {
	e, _ := newEnv(t)
	start := time.Now()
	if err := e.Run("timeout.js", `AbortSignal.timeout(60000).onabort = () => { throw new Error('fired'); };`, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Run took %v", d)
	}
}

// Install gives each runtime its own classes: a signal of one isolate is
// not a signal in another.
func TestIsolatesAreSeparate(t *testing.T) {
	a, _ := newEnv(t)
	b, _ := newEnv(t)
	sig, _, err := NewAbortSignal(a.Runtime)
	if err != nil {
		t.Fatal(err)
	}
	if IsAbortSignal(b.Runtime, sig) {
		t.Error("a signal from another isolate passed the brand check")
	}
	if a.Runtime.Get("AbortSignal").SameAs(b.Runtime.Get("AbortSignal")) {
		t.Error("isolates share AbortSignal")
	}
}

// A script that replaces the globals cannot change what Go helpers make.
func TestHelpersIgnoreReplacedGlobals(t *testing.T) {
	e, _ := newEnv(t)
	if err := e.Run("replace.js", `globalThis.DOMException = function () { return { fake: true }; };`, time.Second); err != nil {
		t.Fatal(err)
	}
	ex := NewDOMException(e.Runtime, "m", "AbortError")
	if !IsDOMException(e.Runtime, ex) || ex.Get("fake") != nil {
		t.Error("NewDOMException used the replaced global")
	}
}

func TestLazyGlobals(t *testing.T) {
	e, _ := newEnv(t)
	iso := e.Runtime.GlobalObject().GetSymbol(isolateKey).Export().(*isolate)
	_ = e.Runtime.Set("setUp", func(goja.FunctionCall) goja.Value { return e.Runtime.ToValue(iso.state == setupDone) })
	if iso.state != setupPending {
		t.Fatal("Install ran the setup")
	}
	err := e.Run("lazy.js", `
// Assigning or deleting a global before first use is for good.
globalThis.CustomEvent = 'mine';
delete globalThis.AbortController;
if (setUp()) throw new Error('assigning and deleting globals ran the setup');
// Asking for the descriptor shows the WebIDL data property, built then.
const d = Object.getOwnPropertyDescriptor(globalThis, 'Event');
if (!setUp()) throw new Error('the descriptor did not run the setup');
if (typeof d.value !== 'function' || !d.writable || !d.configurable || d.enumerable) throw new Error('not a data property: ' + JSON.stringify(d));
if (d.value !== Event) throw new Error('another Event');
if ('AbortController' in globalThis) throw new Error('setup restored a deleted global');
for (const name of ['DOMException', 'EventTarget', 'AbortSignal', 'ErrorEvent', 'PromiseRejectionEvent']) {
  const d = Reflect.getOwnPropertyDescriptor(globalThis, name);
  if (typeof d.value !== 'function') throw new Error(name + ' not defined by the setup');
}
if (CustomEvent !== 'mine') throw new Error('setup overwrote an assigned global');
`, time.Second)
	if err != nil {
		t.Fatal(err)
	}
}

// TestLazyGlobalDescriptors: the reflection built-ins build the lazy
// globals they are asked about, and behave as the intrinsics otherwise.
func TestLazyGlobalDescriptors(t *testing.T) {
	e, _ := newEnv(t)
	rt := e.Runtime
	built := 0
	if _, err := DefineLazyGlobals(rt, []string{"LazyA", "LazyB"}, func() (map[string]goja.Value, error) {
		built++
		return map[string]goja.Value{"LazyA": rt.ToValue(1), "LazyB": rt.ToValue(2)}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := DefineLazyGlobals(rt, []string{"LazyC"}, func() (map[string]goja.Value, error) {
		return nil, errors.New("broken")
	}); err != nil {
		t.Fatal(err)
	}
	_ = rt.Set("built", func(goja.FunctionCall) goja.Value { return rt.ToValue(built) })
	err := e.Run("reflect.js", `
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
if (!same(Object.getOwnPropertyDescriptor({ x: 1 }, 'x'), { value: 1, writable: true, enumerable: true, configurable: true })) throw new Error('ordinary objects');
if (Object.getOwnPropertyDescriptor(globalThis, 'nope') !== undefined) throw new Error('missing property');
let threw = false;
try { Reflect.getOwnPropertyDescriptor(1, 'x'); } catch (e) { threw = e instanceof TypeError; }
if (!threw) throw new Error('Reflect.getOwnPropertyDescriptor(1) did not throw a TypeError');
if (Object.getOwnPropertyDescriptor.name !== 'getOwnPropertyDescriptor' || Object.getOwnPropertyDescriptor.length !== 2) throw new Error('name or length');
if (Object.keys(Object).includes('getOwnPropertyDescriptor')) throw new Error('enumerable');
if (built() !== 0) throw new Error('built early');
let conversions = 0;
const key = { toString() { conversions++; return 'LazyB'; } };
if (Object.getOwnPropertyDescriptor(globalThis, key).value !== 2) throw new Error('object key');
if (conversions !== 1) throw new Error('the key was converted ' + conversions + ' times');
if (LazyA !== 1 || built() !== 1) throw new Error('built ' + built() + ' times');
const d = Object.getOwnPropertyDescriptors(globalThis);
if (d.LazyA.value !== 1 || d.LazyA.enumerable || !d.LazyA.writable) throw new Error('LazyA: ' + JSON.stringify(d.LazyA));
if (typeof d.LazyC.get !== 'function') throw new Error('a failed build shows the placeholder');
threw = false;
try { LazyC; } catch (e) { threw = e instanceof TypeError && e.message.includes('broken'); }
if (!threw) throw new Error('reading a global whose build failed did not throw');
`, time.Second)
	if err != nil {
		t.Fatal(err)
	}
}

// The Go helpers set the classes up on first use, before any script ran.
func TestHelpersBeforeScripts(t *testing.T) {
	e, _ := newEnv(t)
	rt := e.Runtime
	if IsDOMException(rt, rt.NewObject()) {
		t.Fatal("IsDOMException({}) = true")
	}
	ex := NewDOMException(rt, "m", "TimeoutError")
	if !IsDOMException(rt, ex) {
		t.Fatal("NewDOMException did not make a DOMException")
	}
	_ = rt.Set("ex", ex)
	if err := e.Run("check.js", `if (!(ex instanceof DOMException) || ex.code !== 23) throw new Error('different class');`, time.Second); err != nil {
		t.Fatal(err)
	}
}

// TestEventTargetHelper: EventTarget returns the isolate's own class, set
// up on demand, whatever the script did to the global.
func TestEventTargetHelper(t *testing.T) {
	if _, err := EventTarget(goja.New()); !errors.Is(err, ErrNotInstalled) {
		t.Fatalf("without Install: err = %v", err)
	}
	e, _ := newEnv(t)
	rt := e.Runtime
	if err := e.Run("replace.js", `globalThis.EventTarget = function () {};`, time.Second); err != nil {
		t.Fatal(err)
	}
	c, err := EventTarget(rt)
	if err != nil {
		t.Fatal(err)
	}
	o, err := rt.New(c)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := goja.AssertFunction(o.Get("addEventListener")); !ok {
		t.Fatal("not an EventTarget")
	}
	if c.Get("name").String() != "EventTarget" || c == rt.Get("EventTarget") {
		t.Fatal("got the script's EventTarget")
	}
}
