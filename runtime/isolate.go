package runtime

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/dop251/goja"
	"go.uber.org/zap"

	"github.com/sockw/sockw/bindings"
	"github.com/sockw/sockw/bindings/console"
	"github.com/sockw/sockw/bindings/kv"
	"github.com/sockw/sockw/bindings/sockets"
	"github.com/sockw/sockw/runtime/eventloop"
)

// Isolate is one goja runtime with its event loop, running one version of a
// worker. Only its loop goroutine touches the runtime; other goroutines hand
// it connections with Serve.
type Isolate struct {
	version *Version
	logger  *zap.Logger
	loop    *eventloop.Loop
	ctx     context.Context
	cancel  context.CancelFunc
	done    chan struct{} // closed when the loop has stopped
	unref   func()        // releases the ref that keeps the loop serving

	// live counts connections and waitUntil promises the isolate still
	// serves; a retiring isolate stops when it reaches zero. conns counts
	// the connections alone, which the version's limit counts too.
	live     atomic.Int64
	conns    atomic.Int64
	retiring atomic.Bool

	// pending holds connections queued to the loop but not yet started, so
	// they are closed, not leaked, if the loop stops first.
	mu      sync.Mutex
	pending map[inbound]struct{}
	stopped bool

	// Event loop only.
	rt        *goja.Runtime
	globals   *globals
	env       *goja.Object
	module    *goja.Object  // the default export, when the worker uses module syntax
	connectFn goja.Callable // its connect method
	listeners []goja.Callable
	// waitUntilFn and noopFn are made once per isolate for every ctx.
	waitUntilFn, noopFn goja.Value
	stopOnce            sync.Once
}

// newIsolate builds an isolate and runs the worker's top-level code in it.
// A script that throws at the top level or defines no handler is an error.
// The loop is started on its own goroutine on success.
func newIsolate(v *Version) (*Isolate, error) {
	setRegexpTimeout()
	ctx, cancel := context.WithCancel(context.Background())
	iso := &Isolate{version: v, logger: v.logger, ctx: ctx, cancel: cancel, done: make(chan struct{}), pending: map[inbound]struct{}{}}
	iso.rt = goja.New()
	iso.rt.SetMaxCallStackSize(DefaultMaxCallStack)
	iso.loop = eventloop.New(iso.rt, eventloop.Options{
		TaskBudget:           v.cfg.cpuLimit(),
		OnError:              iso.onError,
		OnUnhandledRejection: iso.onUnhandledRejection,
		OnAbort:              iso.onAbort,
	})
	h := &bindings.Host{Runtime: iso.rt, Loop: iso.loop, Logger: iso.logger, Context: ctx}
	// The bindings are ours and run unbudgeted (the first isolate compiles
	// their programs); the script's top level runs under the CPU limit.
	var err error
	sock := sockets.Options{Policy: v.cfg.Egress, ServerTLS: v.cfg.TLS, RootCAs: v.cfg.RootCAs}
	if iso.globals, err = installGlobals(h, console.LogPrinter(iso.logger), sock, v.cfg.Hub, v.cfg.Vars); err == nil {
		err = iso.loop.RunOnLoop(func() error { return iso.load(h) })
	}
	if err != nil {
		cancel()
		return nil, iso.loadError(err)
	}
	iso.unref = iso.loop.Ref()
	go iso.run()
	return iso, nil
}

// load runs the bundle's top level and finds the connect handler.
func (iso *Isolate) load(h *bindings.Host) error {
	rt := iso.rt
	iso.waitUntilFn = rt.ToValue(iso.waitUntil)
	iso.noopFn = rt.ToValue(func(goja.FunctionCall) goja.Value { return goja.Undefined() })
	iso.env = rt.NewObject()
	for k, val := range iso.version.cfg.Vars {
		iso.env.Set(k, val)
	}
	for name, store := range iso.version.cfg.KV {
		ns, err := kv.New(h, store)
		if err != nil {
			return fmt.Errorf("KV namespace %s: %w", name, err)
		}
		iso.env.Set(name, ns)
	}
	if err := rt.GlobalObject().DefineDataProperty("addEventListener", rt.ToValue(iso.addEventListener), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
		return err
	}
	wrapper, err := rt.RunProgram(iso.version.bundle.Program())
	if err != nil {
		return err
	}
	call, ok := goja.AssertFunction(wrapper)
	if !ok {
		return fmt.Errorf("bundle of %s did not produce its wrapper", iso.version.bundle.Entry)
	}
	exports, err := call(goja.Undefined(), iso.globals.builtinResolver(rt))
	if err != nil {
		return err
	}
	if obj, ok := exports.(*goja.Object); ok {
		if def, ok := obj.Get("default").(*goja.Object); ok {
			if fn, ok := goja.AssertFunction(def.Get("connect")); ok {
				iso.module, iso.connectFn = def, fn
			}
		}
	}
	if iso.connectFn == nil && len(iso.listeners) == 0 {
		return errNoHandler
	}
	return nil
}

var errNoHandler = errors.New("the script defines no connect handler: export default { async connect(socket, env, ctx) { ... } } or call addEventListener('connect', (event) => { ... })")

func (iso *Isolate) loadError(err error) error {
	var le *LimitError
	if errors.Is(err, errNoHandler) || errors.As(err, &le) {
		return fmt.Errorf("worker %s (%s): %w", iso.version.cfg.Name, iso.version.bundle.Entry, err)
	}
	var ex *goja.Exception
	var intr *goja.InterruptedError
	if errors.As(err, &intr) {
		return fmt.Errorf("worker %s (%s): top-level code: %w", iso.version.cfg.Name, iso.version.bundle.Entry, limitFor(err))
	}
	if errors.As(err, &ex) {
		return fmt.Errorf("worker %s: top-level code threw: %w", iso.version.cfg.Name, scriptError(iso.version.cfg.Name, err))
	}
	return fmt.Errorf("worker %s: %w", iso.version.cfg.Name, err)
}

// addEventListener is the service-worker entry form. Only 'connect' means
// anything to the runtime; other types are accepted and never fired.
func (iso *Isolate) addEventListener(call goja.FunctionCall) goja.Value {
	if call.Argument(0).String() != "connect" {
		return goja.Undefined()
	}
	fn, ok := goja.AssertFunction(call.Argument(1))
	if !ok {
		if obj, isObj := call.Argument(1).(*goja.Object); isObj {
			if handle, ok := goja.AssertFunction(obj.Get("handleEvent")); ok {
				fn = func(_ goja.Value, args ...goja.Value) (goja.Value, error) { return handle(obj, args...) }
			}
		}
	}
	if fn == nil {
		panic(iso.rt.NewTypeError("addEventListener: the listener must be a function or an object with handleEvent"))
	}
	iso.listeners = append(iso.listeners, fn)
	return goja.Undefined()
}

// run runs the loop until the isolate is stopped or dies.
func (iso *Isolate) run() {
	defer close(iso.done)
	err := iso.loop.Run(iso.ctx)
	var le *LimitError
	if err != nil && !errors.Is(err, eventloop.ErrStopped) && !errors.Is(err, context.Canceled) && !errors.As(limitFor(err), &le) {
		iso.logger.Error("isolate stopped; its connections are closed", zap.Error(err))
	}
	iso.cancel() // the bindings close every connection still open
	iso.mu.Lock()
	iso.stopped = true
	for c := range iso.pending {
		c.drop()
	}
	iso.pending = nil
	iso.mu.Unlock()
	// No onClosed runs after the loop: give the version back every slot.
	iso.version.open.Add(-iso.conns.Swap(0))
}

// Serve hands c to the isolate. It reports false if the isolate no longer
// takes connections; c is then still the caller's.
func (iso *Isolate) serve(c inbound) bool {
	if iso.retiring.Load() {
		return false
	}
	iso.mu.Lock()
	if iso.stopped {
		iso.mu.Unlock()
		return false
	}
	iso.pending[c] = struct{}{}
	iso.live.Add(1)
	iso.conns.Add(1)
	iso.version.open.Add(1)
	iso.mu.Unlock()
	err := iso.loop.Enqueue(func() error {
		iso.mu.Lock()
		delete(iso.pending, c)
		iso.mu.Unlock()
		return iso.connect(c)
	})
	if err != nil {
		iso.mu.Lock()
		_, still := iso.pending[c]
		delete(iso.pending, c)
		iso.mu.Unlock()
		if still {
			iso.live.Add(-1)
			iso.conns.Add(-1)
			iso.version.open.Add(-1)
			return false
		}
	}
	return true
}

// Retire lets the isolate finish the connections it has, then stop. It
// takes no new ones.
func (iso *Isolate) Retire() {
	iso.retiring.Store(true)
	iso.maybeStop()
}

// Close stops the isolate at once, closing its connections.
func (iso *Isolate) Close() {
	iso.stop()
	<-iso.done
}

// Done is closed when the isolate has stopped.
func (iso *Isolate) Done() <-chan struct{} { return iso.done }

func (iso *Isolate) stop() {
	iso.stopOnce.Do(func() {
		if iso.unref != nil {
			iso.unref()
		}
		iso.loop.Stop()
	})
}

func (iso *Isolate) release() {
	iso.live.Add(-1)
	iso.maybeStop()
}

func (iso *Isolate) maybeStop() {
	if iso.retiring.Load() && iso.live.Load() <= 0 {
		iso.stop()
	}
}

// onAbort handles a task that ran past the CPU limit or overflowed the
// stack: it logs the culprit and discards the isolate. The isolate cannot
// go on: goja drops the interrupted task's microtasks and, when the
// interrupt unwinds through an async function, leaves its VM's call stack
// behind, after which no promise job runs again. Its connections are
// closed; the shard builds a fresh isolate for the next connection, and
// connections on other isolates never notice.
func (iso *Isolate) onAbort(owner any, err error) bool {
	le := limitFor(err)
	fields := []zap.Field{zap.Error(le), zap.String("script", iso.version.bundle.Entry), zap.Int64("connections_closed", iso.conns.Load())}
	var intr *goja.InterruptedError
	if errors.As(err, &intr) {
		if st := trimStack(intr.String(), ""); st != "" {
			fields = append(fields, zap.String("stack", st))
		}
	}
	if c, ok := owner.(*conn); ok {
		fields = append(fields, zap.String("remote", c.remote))
	}
	iso.logger.Error("isolate discarded: "+le.Error(), fields...)
	iso.retiring.Store(true)
	iso.version.replace(iso)
	return false
}

func limitFor(err error) error {
	var budget *eventloop.BudgetError
	if errors.As(err, &budget) {
		return &LimitError{Limit: "cpu", Value: budget.Budget, Err: err}
	}
	var overflow *goja.StackOverflowError
	if errors.As(err, &overflow) {
		return &LimitError{Limit: "stack", Value: DefaultMaxCallStack, Err: err}
	}
	return err
}

func (iso *Isolate) onError(owner any, err error) {
	se := scriptError(iso.version.cfg.Name, err)
	fields := []zap.Field{zap.String("error", se.Message)}
	if se.Stack != "" {
		fields = append(fields, zap.String("stack", se.Stack))
	}
	if c, ok := owner.(*conn); ok {
		fields = append(fields, zap.String("remote", c.remote))
	}
	iso.logger.Error("uncaught exception", fields...)
}

func (iso *Isolate) onUnhandledRejection(owner any, reason goja.Value) {
	msg, stack := describeValue(reason)
	fields := []zap.Field{zap.String("error", msg)}
	if stack != "" {
		fields = append(fields, zap.String("stack", stack))
	}
	if c, ok := owner.(*conn); ok {
		fields = append(fields, zap.String("remote", c.remote))
	}
	iso.logger.Error("unhandled promise rejection", fields...)
}
