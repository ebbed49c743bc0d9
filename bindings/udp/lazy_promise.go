package udp

import "github.com/dop251/goja"

// lazyPromise is a promise made only when a script asks for it: most
// handlers never look at a socket's opened or closed, and a promise with its
// resolving functions is a large part of a flow's cost in goja. Until then
// its outcome is remembered and replayed. Loop goroutine only.
type lazyPromise struct {
	p               *goja.Promise
	resolve, reject func(any) error
	state           int // 0 pending, 1 fulfilled, 2 rejected
	value           func() goja.Value
}

// promise returns the promise, settled already if the outcome is known.
func (lp *lazyPromise) promise(b *Binding) *goja.Promise {
	if lp.p == nil {
		lp.p, lp.resolve, lp.reject = b.rt.NewPromise()
		switch lp.state {
		case 1:
			lp.resolve(lp.value())
		case 2:
			lp.reject(lp.value())
			b.markHandled(lp.p)
		}
	}
	return lp.p
}

// fulfill settles the promise with value(), now or when it is made.
func (lp *lazyPromise) fulfill(value func() goja.Value) {
	if lp.state != 0 {
		return
	}
	lp.state, lp.value = 1, value
	if lp.p != nil {
		lp.resolve(value())
	}
}

// fail rejects the promise with reason; a rejection nobody asked about is
// not an unhandled rejection.
func (lp *lazyPromise) fail(b *Binding, reason goja.Value) {
	if lp.state != 0 {
		return
	}
	lp.state, lp.value = 2, func() goja.Value { return reason }
	if lp.p != nil {
		lp.reject(reason)
		b.markHandled(lp.p)
	}
}
