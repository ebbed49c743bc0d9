package node

import (
	"time"

	"github.com/dop251/goja"
)

// installTimers gives node:timers loop timers it can unref, which the web
// timers cannot express: an unref'd Node timer does not keep `sockw exec`
// running, as it does not keep a Node process alive.
func (b *Binding) installTimers(o *goja.Object) error {
	loop := b.h.Loop
	set := func(call goja.FunctionCall) goja.Value {
		fn, ok := goja.AssertFunction(call.Argument(0))
		if !ok {
			panic(b.rt.NewTypeError("timer callback is not a function"))
		}
		ms := call.Argument(1).ToFloat()
		// Node clamps delays outside 1 ms .. 2^31-1 ms to 1 ms.
		if !(ms >= 1 && ms <= 1<<31-1) {
			ms = 1
		}
		repeat := call.Argument(2).ToBoolean()
		this := call.Argument(3)
		id := loop.SetTimer(time.Duration(ms*float64(time.Millisecond)), repeat, func() error {
			_, err := fn(this)
			return err
		})
		return b.rt.ToValue(id)
	}
	clear := func(call goja.FunctionCall) goja.Value {
		loop.ClearTimer(int(call.Argument(0).ToInteger()))
		return goja.Undefined()
	}
	ref := func(call goja.FunctionCall) goja.Value {
		loop.SetTimerRef(int(call.Argument(0).ToInteger()), call.Argument(1).ToBoolean())
		return goja.Undefined()
	}
	// holdLoop() keeps the loop alive until the function it returns is
	// called, as a ref'd Node handle (an open socket) keeps a process alive.
	hold := func(goja.FunctionCall) goja.Value {
		unref := loop.Ref()
		released := false
		return b.rt.ToValue(func(goja.FunctionCall) goja.Value {
			if !released {
				released = true
				unref()
			}
			return goja.Undefined()
		})
	}
	for name, fn := range map[string]func(goja.FunctionCall) goja.Value{"setTimer": set, "clearTimer": clear, "refTimer": ref, "holdLoop": hold} {
		if err := o.Set(name, fn); err != nil {
			return err
		}
	}
	return nil
}
