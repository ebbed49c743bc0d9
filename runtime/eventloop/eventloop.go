// Package eventloop runs the JavaScript of one goja runtime on one goroutine.
//
// A Loop owns its *goja.Runtime: every use of the runtime, and every
// conversion of a Go value into a JavaScript value, happens inside a task the
// loop runs. Other goroutines reach the runtime only by queueing tasks
// (RegisterCallback, Enqueue). goja drains the microtask (promise job) queue
// whenever control returns from JavaScript to Go, so every task is followed
// by its microtasks before the next task starts.
//
// Unlike goja_nodejs' loop, a Loop stays alive while Go operations it was
// told about are pending, and it enforces a CPU budget per task.
package eventloop

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/dop251/goja"
)

// ErrStopped is returned by Run once the loop has been stopped, and reported
// by Enqueue for tasks that arrive after that.
var ErrStopped = errors.New("event loop stopped")

// BudgetError is the value a task is interrupted with when it runs longer than
// the loop's task budget. It reaches the caller of Run wrapped in a
// *goja.InterruptedError; use errors.As to find it.
type BudgetError struct {
	Budget time.Duration
}

func (e *BudgetError) Error() string {
	return fmt.Sprintf("CPU limit exceeded: a task ran longer than %v", e.Budget)
}

// Options configure a Loop. The zero value is valid: no budget, errors dropped.
type Options struct {
	// TaskBudget bounds the wall-clock time of one task including its
	// microtasks. A task that exceeds it is interrupted and Run returns the
	// interruption. Zero means no limit.
	TaskBudget time.Duration

	// OnError receives an exception thrown by a task that nothing caught
	// (for example a timer callback that throws), with the task's owner. The
	// loop keeps running.
	OnError func(owner any, err error)

	// OnUnhandledRejection receives a promise rejection that still had no
	// handler after the task that caused it and its microtasks finished,
	// with the task's owner.
	OnUnhandledRejection func(owner any, reason goja.Value)

	// OnAbort is told which owner's task ran past TaskBudget or overflowed
	// the call stack (err is the *goja.InterruptedError or
	// *goja.StackOverflowError). If it returns true the loop goes on with its
	// next task: goja unwound the task and dropped only the microtasks that
	// task queued. Otherwise, or if OnAbort is nil, Run returns err.
	OnAbort func(owner any, err error) (resume bool)
}

// Loop is an event loop for one goja runtime. Its methods are safe to call
// from any goroutine unless their documentation says "loop goroutine only".
type Loop struct {
	rt   *goja.Runtime
	opts Options

	mu      sync.Mutex
	queue   []queued
	pending int  // registered callbacks and refs that keep Run alive
	stopped bool // Stop was called or Run returned
	wake    chan struct{}

	// Loop goroutine only.
	owner     any // whom the running task works for; see SetOwner
	timers    timerHeap
	timerByID map[int]*timer
	// unrefTimers counts the pending timers that do not keep the loop alive.
	unrefTimers int
	nextTimer   int
	rejections  []*goja.Promise

	budget budgetWatch
}

// New returns a loop for rt. The loop becomes the only user of rt: from now
// on rt may be touched only from tasks running on the loop.
func New(rt *goja.Runtime, opts Options) *Loop {
	l := &Loop{
		rt:        rt,
		opts:      opts,
		wake:      make(chan struct{}, 1),
		timerByID: make(map[int]*timer),
	}
	l.budget.rt = rt
	l.budget.limit = opts.TaskBudget
	rt.SetPromiseRejectionTracker(l.trackRejection)
	return l
}

// Runtime returns the runtime the loop owns. Loop goroutine only.
func (l *Loop) Runtime() *goja.Runtime { return l.rt }

// RegisterCallback reserves a task slot and keeps the loop alive until the
// slot is used. It must be called from the loop goroutine, typically by a
// binding that is about to start a Go operation. The returned function must
// be called exactly once, from any goroutine, with the task to run when the
// operation completes. If the loop has stopped by then, the task is dropped:
// the caller must release its Go resources by other means (its context).
//
// The task runs for the owner of the task that registered the callback, so
// work a connection started stays that connection's (see SetOwner).
func (l *Loop) RegisterCallback() func(task func() error) {
	owner := l.owner
	l.mu.Lock()
	l.pending++
	l.mu.Unlock()
	return func(task func() error) {
		l.mu.Lock()
		l.pending--
		if !l.stopped {
			l.queue = append(l.queue, queued{task, owner})
		}
		l.mu.Unlock()
		l.signal()
	}
}

// Ref keeps the loop alive until the returned function is called. A server
// isolate holds one ref for its whole life; Run then returns only when its
// context ends or a task is interrupted. The returned function is idempotent.
func (l *Loop) Ref() (unref func()) {
	l.mu.Lock()
	l.pending++
	l.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			l.pending--
			l.mu.Unlock()
			l.signal()
		})
	}
}

// Enqueue queues a task from any goroutine without keeping the loop alive.
// It reports ErrStopped if the loop no longer runs tasks.
func (l *Loop) Enqueue(task func() error) error {
	l.mu.Lock()
	if l.stopped {
		l.mu.Unlock()
		return ErrStopped
	}
	l.queue = append(l.queue, queued{task: task})
	l.mu.Unlock()
	l.signal()
	return nil
}

// SetOwner records whom the running task works for, typically a connection.
// Callbacks registered and timers set from now until the task ends inherit
// the owner, and OnAbort names it. Each task starts with the owner
// it inherited (nil for Enqueue). Loop goroutine only.
func (l *Loop) SetOwner(owner any) { l.owner = owner }

// Owner returns the owner of the running task. Loop goroutine only.
func (l *Loop) Owner() any { return l.owner }

type queued struct {
	task  func() error
	owner any
}

// Stop makes Run return ErrStopped after the current task. Tasks queued later
// are dropped. A task that is running JavaScript is interrupted.
func (l *Loop) Stop() {
	l.mu.Lock()
	already := l.stopped
	l.stopped = true
	l.mu.Unlock()
	if !already {
		l.budget.interruptRunning(ErrStopped)
		l.signal()
	}
}

func (l *Loop) signal() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// Run runs tasks and timers on the calling goroutine until nothing keeps the
// loop alive (it returns nil), ctx ends (ctx.Err()), Stop is called
// (ErrStopped), or a task is interrupted or overflows the stack (that error,
// a *goja.InterruptedError or *goja.StackOverflowError). After Run returns
// the loop is stopped and the runtime must not be used for JavaScript again
// unless the error was nil.
func (l *Loop) Run(ctx context.Context) (err error) {
	defer func() {
		l.mu.Lock()
		l.stopped = true
		l.queue = nil
		l.mu.Unlock()
	}()
	stopWatch := context.AfterFunc(ctx, l.Stop)
	defer stopWatch()

	wait := time.NewTimer(time.Hour)
	defer wait.Stop()
	var batch []queued
	for {
		l.mu.Lock()
		batch, l.queue = l.queue, batch[:0]
		stopped, pending := l.stopped, l.pending
		l.mu.Unlock()
		if stopped {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return ErrStopped
		}
		for i, q := range batch {
			if err := l.run(q.owner, q.task); err != nil {
				return err
			}
			batch[i] = queued{}
		}
		if err := l.runDueTimers(); err != nil {
			return err
		}
		if len(batch) > 0 {
			continue // tasks may have queued more; look again before sleeping
		}
		if pending == 0 && len(l.timers) == l.unrefTimers {
			l.mu.Lock()
			idle := len(l.queue) == 0 && l.pending == 0
			l.mu.Unlock()
			if idle {
				return nil
			}
			continue
		}
		var timerC <-chan time.Time
		if len(l.timers) > 0 {
			wait.Reset(time.Until(l.timers[0].due))
			timerC = wait.C
		}
		select {
		case <-l.wake:
		case <-timerC:
		}
	}
}

// RunOnLoop runs task now, on the calling goroutine, which must be the
// loop's (or own the loop before Run starts), for set-up code such as an
// isolate's top-level script. The budget applies, rejections are tracked as
// for any task, and the task's error is returned to the caller rather than
// reported to OnError or OnAbort.
func (l *Loop) RunOnLoop(task func() error) error {
	owner, err := l.exec(l.owner, task)
	l.reportRejections(owner)
	return err
}

// exec runs one task under the budget for owner and returns the owner the
// task ended with (it may have called SetOwner).
func (l *Loop) exec(owner any, task func() error) (any, error) {
	prev := l.owner
	l.owner = owner
	l.budget.start()
	err := task()
	if fired := l.budget.stop(); fired != nil {
		// goja turns an interrupt that lands inside a promise job into a
		// rejection and leaves the flag set, which would interrupt the next
		// task too. The task was cut short either way: say so.
		l.rt.ClearInterrupt()
		if err == nil {
			err = fired
		}
	}
	owner, l.owner = l.owner, prev
	return owner, err
}

// run executes one queued task, then reports rejections that the task and
// its microtasks left unhandled. Ordinary exceptions go to OnError; limits
// go to OnAbort; other uncatchable errors are returned.
func (l *Loop) run(owner any, task func() error) error {
	owner, err := l.exec(owner, task)
	if err != nil {
		var interrupted *goja.InterruptedError
		var overflow *goja.StackOverflowError
		var budget *BudgetError
		if errors.As(err, &overflow) || errors.As(err, &budget) {
			if l.opts.OnAbort != nil && l.opts.OnAbort(owner, err) {
				l.rejections = l.rejections[:0]
				return nil
			}
			return err
		}
		if errors.As(err, &interrupted) {
			return err
		}
		if l.opts.OnError != nil {
			l.opts.OnError(owner, err)
		}
	}
	l.reportRejections(owner)
	return nil
}

func (l *Loop) trackRejection(p *goja.Promise, op goja.PromiseRejectionOperation) {
	switch op {
	case goja.PromiseRejectionReject:
		l.rejections = append(l.rejections, p)
	case goja.PromiseRejectionHandle:
		for i, q := range l.rejections {
			if q == p {
				l.rejections = append(l.rejections[:i], l.rejections[i+1:]...)
				return
			}
		}
	}
}

func (l *Loop) reportRejections(owner any) {
	if len(l.rejections) == 0 {
		return
	}
	rejected := l.rejections
	l.rejections = nil
	for _, p := range rejected {
		if p.State() == goja.PromiseStateRejected && l.opts.OnUnhandledRejection != nil {
			l.opts.OnUnhandledRejection(owner, p.Result())
		}
	}
}

// SetTimer schedules fn to run as a task after d, and again every d if
// repeat is set; it returns an id for ClearTimer. Ids start at 1 and are
// never reused. A pending timer keeps the loop alive. Loop goroutine only.
func (l *Loop) SetTimer(d time.Duration, repeat bool, fn func() error) int {
	if d < 0 {
		d = 0
	}
	l.nextTimer++
	t := &timer{id: l.nextTimer, due: time.Now().Add(d), every: d, repeat: repeat, fn: fn, seq: l.nextTimer, owner: l.owner}
	if repeat && t.every == 0 {
		t.every = time.Millisecond // as browsers clamp, so an interval cannot starve the loop
	}
	heap.Push(&l.timers, t)
	l.timerByID[t.id] = t
	return t.id
}

// ClearTimer cancels a timer; unknown or finished ids are ignored. Loop
// goroutine only.
func (l *Loop) ClearTimer(id int) {
	t, ok := l.timerByID[id]
	if !ok {
		return
	}
	delete(l.timerByID, id)
	if t.index >= 0 {
		heap.Remove(&l.timers, t.index)
	}
	if t.unref {
		l.unrefTimers--
	}
}

// SetTimerRef says whether a pending timer keeps the loop alive, as Node's
// timeout.ref() and unref() do; timers keep it alive unless told otherwise.
// Unknown or finished ids are ignored. Loop goroutine only.
func (l *Loop) SetTimerRef(id int, ref bool) {
	t, ok := l.timerByID[id]
	if !ok || t.unref == !ref {
		return
	}
	t.unref = !ref
	if t.unref {
		l.unrefTimers++
	} else {
		l.unrefTimers--
	}
}

func (l *Loop) runDueTimers() error {
	now := time.Now()
	// Run only timers due now; a timer added by a callback waits for the next turn.
	for n := len(l.timers); n > 0 && len(l.timers) > 0 && !l.timers[0].due.After(now); n-- {
		t := heap.Pop(&l.timers).(*timer)
		if t.repeat {
			t.due = now.Add(t.every)
			l.nextTimer++
			t.seq = l.nextTimer
			heap.Push(&l.timers, t)
		} else {
			delete(l.timerByID, t.id)
			if t.unref {
				l.unrefTimers--
			}
		}
		if err := l.run(t.owner, t.fn); err != nil {
			return err
		}
	}
	return nil
}

type timer struct {
	id     int
	seq    int // orders timers that fall due at the same instant
	due    time.Time
	every  time.Duration
	repeat bool
	unref  bool // does not keep the loop alive
	fn     func() error
	owner  any
	index  int
}

type timerHeap []*timer

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if h[i].due.Equal(h[j].due) {
		return h[i].seq < h[j].seq
	}
	return h[i].due.Before(h[j].due)
}
func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *timerHeap) Push(x any) {
	t := x.(*timer)
	t.index = len(*h)
	*h = append(*h, t)
}
func (h *timerHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	t.index = -1
	return t
}

// budgetWatch interrupts a task that runs past the limit. One timer is reset
// per task instead of allocated, and a late fire for a task that already
// ended is recognised by the start time, so it never hits the next task.
//
// The limit is CPU time, not wall time: on a busy machine a task can wait
// for a core far longer than it runs. When the wall-clock limit passes, the
// watchdog samples the CPU clock of the thread the task started on and
// interrupts only if that thread is mostly running, so a descheduled task is
// spared and a spinning one is stopped within about 1.5 limits. (Locking the
// loop to its thread would make this exact, but doubles the latency of every
// wake-up.) A task that takes hardCap limits of wall time is stopped
// regardless, which also covers a task the scheduler moved to another
// thread.
type budgetWatch struct {
	rt    *goja.Runtime
	limit time.Duration

	mu      sync.Mutex
	running bool
	started time.Time
	timer   *time.Timer
	fired   *BudgetError  // set when the running task was interrupted
	tid     int           // the thread the task started on, 0 when unknown
	sample  time.Duration // that thread's CPU at the previous fire, or -1
}

const hardCap = 20

func (b *budgetWatch) start() {
	b.mu.Lock()
	b.running = true
	b.fired = nil
	b.sample = -1
	if b.limit > 0 {
		b.started = time.Now()
		b.tid = gettid()
		if b.timer == nil {
			b.timer = time.AfterFunc(b.limit, b.fire)
		} else {
			b.timer.Reset(b.limit)
		}
	}
	b.mu.Unlock()
}

// stop ends the task's watch and reports the interruption, if any.
func (b *budgetWatch) stop() *BudgetError {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.running = false
	return b.fired
}

func (b *budgetWatch) fire() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.running {
		return
	}
	wall := time.Since(b.started)
	if left := b.limit - wall; left > 0 {
		b.timer.Reset(left) // a stale fire from an earlier task
		return
	}
	if cpu, ok := threadCPU(b.tid); ok && b.tid != 0 && wall < hardCap*b.limit {
		window := b.limit / 2
		if b.sample < 0 {
			b.sample = cpu
			b.timer.Reset(window)
			return
		}
		if used := cpu - b.sample; used < window/2 {
			// The thread mostly waited for a core: not this task's fault.
			b.sample = cpu
			b.timer.Reset(window)
			return
		}
	}
	b.fired = &BudgetError{Budget: b.limit}
	b.rt.Interrupt(b.fired)
}

// interruptRunning interrupts JavaScript only if a task is running, so that
// a stop between tasks does not leave a stale interrupt flag behind.
func (b *budgetWatch) interruptRunning(v error) {
	b.mu.Lock()
	if b.running {
		b.rt.Interrupt(v)
	}
	b.mu.Unlock()
}
