package streams

import (
	"errors"
	"fmt"
	"io"

	"github.com/dop251/goja"
)

// Source is the Go side of a Go-backed readable byte stream.
type Source interface {
	// Read blocks until it can return a non-empty chunk, io.EOF, or another error. The stream calls it from
	// a goroutine of its own, never from the loop and never concurrently with itself. The returned slice
	// belongs to the stream (and to JavaScript) from then on.
	Read() ([]byte, error)
	// Cancel is called on the loop when the stream is cancelled; it must make a pending Read return promptly.
	// It may be called more than once.
	Cancel(reason error)
}

// TryReader is implemented by a Source that can also read without blocking.
// When the stream wants a chunk it calls TryRead on the loop first, and
// starts a goroutine with Read only if TryRead had nothing: a chunk already
// waiting (in the kernel's buffer, for a socket) then reaches JavaScript
// without a goroutine handoff.
type TryReader interface {
	// TryRead returns a non-empty chunk, io.EOF or another error if it can
	// without blocking, and (nil, nil) otherwise. It is called on the loop,
	// never while a Read is out. The returned slice belongs to the stream.
	TryRead() ([]byte, error)
}

// readable is the Go state of a Go-backed ReadableStream. Its JS controller
// holds it as an opaque handle. Loop goroutine only, except src.
type readable struct {
	opaque
	s   *Streams
	src Source
	ctl goja.Value // the JS controller record

	reading bool  // a Read goroutine is out
	ended   bool  // EOF, an error, or a cancel: Read is not called again
	pumping bool  // a pipe pump owns src
	pending error // returned by Read together with data; reported by the next pull
	// pumpAfterRead is a pump waiting for the outstanding Read to return.
	pumpAfterRead *pump
}

// NewReadable returns a ReadableStream of type "bytes" fed by src (chunks are Uint8Array views over the
// slices Read returned, no copy). highWaterMark is in bytes (0 = pull only on demand). Loop goroutine only.
//
// Besides a cancel, ErrorStream and CloseReadable also call src.Cancel while
// a Read is out, so that its goroutine ends. Goroutines are started only
// while h.Context is live; one blocked in Read ends when Read returns (when
// its connection closes, for a socket), and its result is then dropped if the
// isolate is gone.
func (s *Streams) NewReadable(src Source, highWaterMark int) (*goja.Object, error) {
	if src == nil {
		return nil, errors.New("streams: NewReadable: nil Source")
	}
	if highWaterMark < 0 {
		return nil, fmt.Errorf("streams: NewReadable: negative highWaterMark %d", highWaterMark)
	}
	if err := s.init(); err != nil {
		return nil, err
	}
	r := &readable{s: s, src: src}
	res, err := s.newGoReadable(goja.Undefined(), s.rt.NewDynamicObject(r), s.rt.ToValue(highWaterMark))
	if err != nil {
		return nil, fmt.Errorf("streams: NewReadable: %w", err)
	}
	pair := res.ToObject(s.rt)
	r.ctl = pair.Get("1")
	return pair.Get("0").ToObject(s.rt), nil
}

func (s *Streams) readableArg(call goja.FunctionCall) *readable {
	r, ok := call.Argument(0).Export().(*readable)
	if !ok {
		panic(s.rt.NewTypeError("not a Go-backed readable"))
	}
	return r
}

// pull starts one Read for the controller's pull; the outcome arrives
// through goReadDone.
func (s *Streams) pull(call goja.FunctionCall) goja.Value {
	r := s.readableArg(call)
	if r.reading || r.pumping {
		return goja.Undefined()
	}
	if err := r.pending; err != nil {
		r.pending = nil
		r.ended = true
		s.deliver(r, nil, err)
		return goja.Undefined()
	}
	if tr, ok := r.src.(TryReader); ok && !r.ended {
		if b, err := tr.TryRead(); len(b) > 0 || err != nil {
			// The answer is already here: deliver it within this pull.
			r.settle(b, err)
			return goja.Undefined()
		}
	}
	r.startRead()
	return goja.Undefined()
}

func (r *readable) startRead() {
	if r.ended || r.s.h.Context.Err() != nil {
		return
	}
	r.reading = true
	done := r.s.h.Loop.RegisterCallback()
	src := r.src
	go func() {
		b, err := src.Read()
		done(func() error { return r.readDone(b, err) })
	}()
}

// readDone runs on the loop when a Read returns.
func (r *readable) readDone(b []byte, err error) error {
	r.reading = false
	if p := r.pumpAfterRead; p != nil {
		r.pumpAfterRead = nil
		p.start(b, err)
		return nil
	}
	if r.ended {
		return nil // cancelled or errored meanwhile: the chunk has nowhere to go
	}
	if len(b) == 0 && err == nil {
		r.startRead() // a Source should not do this; ask again
		return nil
	}
	return r.settle(b, err)
}

// settle hands a chunk or an end to the JS controller.
func (r *readable) settle(b []byte, err error) error {
	if len(b) > 0 && err != nil {
		r.pending = err
		err = nil
	}
	if err != nil {
		r.ended = true
	}
	return r.s.deliver(r, b, err)
}

// deliver hands the outcome of a Read to the JS controller.
func (s *Streams) deliver(r *readable, b []byte, err error) error {
	undefined := goja.Undefined()
	var e goja.Value = undefined
	buf, n := undefined, undefined
	switch {
	case len(b) > 0:
		buf = s.rt.ToValue(s.rt.NewArrayBuffer(b))
		n = s.rt.ToValue(len(b))
	case errors.Is(err, io.EOF):
		e = goja.Null()
	default:
		e = s.rt.ToValue(err.Error())
	}
	_, jerr := s.goReadDone(undefined, r.ctl, buf, n, e)
	return jerr
}

// cancel is called when the stream is cancelled or errored.
func (s *Streams) cancel(call goja.FunctionCall) goja.Value {
	r := s.readableArg(call)
	if r.ended && !r.reading && !r.pumping {
		return goja.Undefined()
	}
	r.ended = true
	r.pending = nil
	r.src.Cancel(errors.New(call.Argument(1).String()))
	return goja.Undefined()
}
