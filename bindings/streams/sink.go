package streams

import (
	"errors"
	"fmt"

	"github.com/dop251/goja"
)

// Sink is the Go side of a Go-backed writable byte stream.
type Sink interface {
	// TryWrite is called on the loop; it writes as much of p as it can without blocking and returns how much.
	// p is only borrowed for the duration of the call.
	TryWrite(p []byte) (int, error)
	// Write is called off the loop, from a goroutine of the stream's, with what TryWrite left; it blocks until
	// all of p is written. p is the sink's to keep (a copy).
	Write(p []byte) error
	// Close is called off the loop after every write finished: it ends the stream (for TCP, a FIN).
	Close() error
	// Abort is called on the loop when the stream is aborted or errored; it must make pending Write/Close
	// return promptly. It may be called more than once.
	Abort(reason error)
}

// writable is the Go state of a Go-backed WritableStream. Its JS controller
// holds it as an opaque handle. Loop goroutine only, except sink.
type writable struct {
	opaque
	s    *Streams
	sink Sink
	ctl  goja.Value // the JS controller record

	aborted bool // Abort was called: no TryWrite any more
}

// NewWritable returns a WritableStream draining into sink; chunks must be ArrayBuffer or ArrayBufferView
// (anything else: TypeError). highWaterMark is in bytes for backpressure (writer.desiredSize/ready).
// Loop goroutine only.
//
// A write of anything but bytes is rejected with a TypeError and leaves the
// stream writable, as workerd does for socket streams. The bytes a write
// stands for count towards desiredSize until the sink has accepted them:
// what TryWrite took stops counting at once.
func (s *Streams) NewWritable(sink Sink, highWaterMark int) (*goja.Object, error) {
	if sink == nil {
		return nil, errors.New("streams: NewWritable: nil Sink")
	}
	if highWaterMark < 0 {
		return nil, fmt.Errorf("streams: NewWritable: negative highWaterMark %d", highWaterMark)
	}
	if err := s.init(); err != nil {
		return nil, err
	}
	w := &writable{s: s, sink: sink}
	res, err := s.newGoWritable(goja.Undefined(), s.rt.NewDynamicObject(w), s.rt.ToValue(highWaterMark))
	if err != nil {
		return nil, fmt.Errorf("streams: NewWritable: %w", err)
	}
	pair := res.ToObject(s.rt)
	w.ctl = pair.Get("1")
	return pair.Get("0").ToObject(s.rt), nil
}

func (s *Streams) writableArg(v goja.Value) *writable {
	w, ok := v.Export().(*writable)
	if !ok {
		panic(s.rt.NewTypeError("not a Go-backed writable"))
	}
	return w
}

// write offers a chunk to the sink. It returns -1 when the sink took all of
// it on the loop, a chunkBytes code if the chunk is not bytes, or else how
// many bytes are left for a goroutine to write; the outcome then arrives
// through goWriteDone. A failing TryWrite throws its error.
func (s *Streams) write(call goja.FunctionCall) goja.Value {
	w := s.writableArg(call.Argument(0))
	b, code := s.chunkBytes(call.Argument(1))
	if code != 0 {
		return s.rt.ToValue(code)
	}
	if len(b) == 0 {
		return s.rt.ToValue(-1)
	}
	if w.aborted {
		panic(s.jsError("the stream was aborted"))
	}
	n, err := w.sink.TryWrite(b)
	if err != nil {
		panic(s.jsError(err.Error()))
	}
	if n < 0 || n > len(b) {
		panic(s.jsError(fmt.Sprintf("TryWrite returned an invalid count %d for %d bytes", n, len(b))))
	}
	if n == len(b) {
		return s.rt.ToValue(-1)
	}
	rest := append([]byte(nil), b[n:]...)
	done := s.h.Loop.RegisterCallback()
	sink := w.sink
	go func() {
		err := sink.Write(rest)
		done(func() error { return s.settle(s.goWriteDone, w.ctl, err) })
	}()
	return s.rt.ToValue(len(rest))
}

// close is the sink's close algorithm; the outcome arrives through goCloseDone.
func (s *Streams) close(call goja.FunctionCall) goja.Value {
	w := s.writableArg(call.Argument(0))
	done := s.h.Loop.RegisterCallback()
	sink := w.sink
	go func() {
		err := sink.Close()
		done(func() error { return s.settle(s.goCloseDone, w.ctl, err) })
	}()
	return goja.Undefined()
}

// abort is called when the stream is aborted or starts erroring.
func (s *Streams) abort(call goja.FunctionCall) goja.Value {
	w := s.writableArg(call.Argument(0))
	w.aborted = true
	w.sink.Abort(errors.New(call.Argument(1).String()))
	return goja.Undefined()
}

// settle reports the outcome of a Go operation to a JS completion function.
func (s *Streams) settle(f goja.Callable, ctl goja.Value, err error) error {
	var e goja.Value = goja.Undefined()
	if err != nil {
		e = s.rt.ToValue(err.Error())
	}
	_, jerr := f(goja.Undefined(), ctl, e)
	return jerr
}

// jsError returns a JS Error with msg as its message.
func (s *Streams) jsError(msg string) *goja.Object {
	if obj, err := s.rt.New(s.errorCtor, s.rt.ToValue(msg)); err == nil {
		return obj
	}
	return s.rt.NewTypeError(msg)
}
