package timers

import (
	"math"
	"math/big"
	"reflect"
	"time"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings"
)

// timers is one isolate's timer state. Event loop only.
type timers struct {
	h      *bindings.Host
	rt     *goja.Runtime
	global *goja.Object

	// timers maps the ids scripts see to loop timer ids, for the timers
	// still pending. Scripts get their own small ids because loop ids grow
	// with every interval run and would outgrow a WebIDL long, and so that
	// clearTimeout cannot cancel a timer another binding set on the loop.
	timers map[int32]int
	lastID int32

	then goja.Value // the then of queueMicrotask's thenables, made on first use
}

// notFunction is workerd's text for a timer handler that is not a function
// (a string, which HTML would compile: workers have no eval of strings).
func notFunction(method string) string {
	return "Failed to execute '" + method + "' on 'ServiceWorkerGlobalScope': parameter 1 is not of type 'Function'."
}

func (t *timers) setTimeout(call goja.FunctionCall) goja.Value {
	return t.schedule(call, false, "setTimeout")
}

func (t *timers) setInterval(call goja.FunctionCall) goja.Value {
	return t.schedule(call, true, "setInterval")
}

// schedule runs HTML's timer initialization steps for a function handler.
// There is no nesting-level clamp to 4 ms: like Deno and workerd, only the
// loop's 1 ms floor for intervals applies.
func (t *timers) schedule(call goja.FunctionCall, repeat bool, method string) goja.Value {
	fn, ok := goja.AssertFunction(call.Argument(0))
	if !ok {
		panic(t.rt.NewTypeError(notFunction(method)))
	}
	ms := toLong(t.rt, call.Argument(1))
	if ms < 0 {
		ms = 0
	}
	var args []goja.Value
	if len(call.Arguments) > 2 {
		args = append([]goja.Value(nil), call.Arguments[2:]...)
	}
	id := t.newID()
	t.timers[id] = t.h.Loop.SetTimer(time.Duration(ms)*time.Millisecond, repeat, func() error {
		if !repeat {
			delete(t.timers, id)
		}
		_, err := fn(t.global, args...)
		return err
	})
	return t.rt.ToValue(id)
}

// newID returns the next positive id not in use, wrapping around after
// the largest long.
func (t *timers) newID() int32 {
	for {
		if t.lastID == math.MaxInt32 {
			t.lastID = 0
		}
		t.lastID++
		if _, used := t.timers[t.lastID]; !used {
			return t.lastID
		}
	}
}

// clear is clearTimeout and clearInterval, which share one id space.
func (t *timers) clear(call goja.FunctionCall) goja.Value {
	id := toLong(t.rt, call.Argument(0))
	if loopID, ok := t.timers[id]; ok {
		delete(t.timers, id)
		t.h.Loop.ClearTimer(loopID)
	}
	return goja.Undefined()
}

var bigIntType = reflect.TypeOf((*big.Int)(nil))

// toLong converts v to a WebIDL long: ToNumber, then NaN and infinities to
// 0, truncation, and wrap-around modulo 2^32. undefined is 0 (the default).
func toLong(rt *goja.Runtime, v goja.Value) int32 {
	if v == nil || goja.IsUndefined(v) {
		return 0
	}
	if v.ExportType() == bigIntType {
		panic(rt.NewTypeError("Cannot convert a BigInt value to a number"))
	}
	f := v.ToNumber().ToFloat()
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	f = math.Trunc(f)
	return int32(uint32(int64(math.Mod(f, 1<<32))))
}
