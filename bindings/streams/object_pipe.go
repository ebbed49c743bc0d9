package streams

import (
	"errors"
	"fmt"

	"github.com/dop251/goja"
)

// ObjectPiper is the Go side of a default (object) WritableStream, built in
// JavaScript by a binding and marked with SetPipeHandle, that can take the
// chunks of a marked readable without JavaScript seeing them: pipeTo between
// two UDP sockets. It is to default streams what Piper is to Go-backed byte
// streams.
type ObjectPiper interface {
	// PipeObjectsFrom is asked on the loop when readable.pipeTo(writable)
	// starts with no AbortSignal, nothing queued in either stream and no pull
	// of the readable in flight; src is the readable's handle. The streams'
	// start algorithms may still be running: the piper answers for whether
	// its ends are ready. It reports whether it took the pipe over. If it
	// did, the pipe holds both streams locked until the piper ends p, on the
	// loop; meanwhile nothing is read from or written to the streams in
	// JavaScript.
	PipeObjectsFrom(src any, p *ObjectPipe) bool
}

// ObjectPipe is one readable.pipeTo(writable) an ObjectPiper carries out.
// Loop goroutine only.
//
// Its methods end it, reporting why; only the first call counts. Each one
// changes the streams as its event would, unless one of them has already
// left the readable or writable state (then what happened stands), and
// hands the pipe back to the spec's pipe loop, which applies the rules for
// closing and errors to what it finds: before the method returns, the pipe
// has started closing (unless preventClose), aborting (unless preventAbort)
// or cancelling (unless preventCancel) the other stream, or has settled.
type ObjectPipe struct {
	s     *Streams
	done  goja.Callable // the JS side's completion: (outcome, reason)
	ended bool
}

// Outcomes of an ObjectPipe, shared with go_streams.js.
const (
	pipeSourceEnded = iota
	pipeSourceErrored
	pipeSinkErrored
)

// SourceEnded reports that the source has no more chunks: the readable
// closes, then (unless preventClose) the writable.
func (p *ObjectPipe) SourceEnded() error {
	return p.end(pipeSourceEnded, goja.Undefined())
}

// SourceErrored reports that reading the source failed: the readable errors
// with reason, then the writable is aborted with it (unless preventAbort).
func (p *ObjectPipe) SourceErrored(reason goja.Value) error {
	return p.end(pipeSourceErrored, reason)
}

// SinkErrored reports that writing to the sink failed: the writable errors
// with reason, then the readable is cancelled with it (unless
// preventCancel).
func (p *ObjectPipe) SinkErrored(reason goja.Value) error {
	return p.end(pipeSinkErrored, reason)
}

func (p *ObjectPipe) end(outcome int, reason goja.Value) error {
	if p.ended {
		return nil
	}
	p.ended = true
	if reason == nil {
		reason = goja.Undefined()
	}
	if _, err := p.done(goja.Undefined(), p.s.rt.ToValue(outcome), reason); err != nil {
		return fmt.Errorf("streams: ending a pipe: %w", err)
	}
	return nil
}

// SetPipeHandle marks a default ReadableStream, or a WritableStream that is
// not Go-backed, both made in JavaScript, with a Go handle. A pipe from a
// marked readable into a marked writable whose handle is an ObjectPiper is
// offered to that piper (see ObjectPiper); any other pipe, and every other
// use of the streams, goes on in JavaScript as before. The readable should
// have a high water mark of 0, so that nothing pulls it while Go pumps.
// Loop goroutine only.
func (s *Streams) SetPipeHandle(stream *goja.Object, handle any) error {
	if err := s.init(); err != nil {
		return err
	}
	ok, err := s.setPipeHandle(goja.Undefined(), stream, s.rt.ToValue(handle))
	if err != nil {
		return fmt.Errorf("streams: SetPipeHandle: %w", err)
	}
	if !ok.ToBoolean() {
		return errors.New("streams: SetPipeHandle: not a default ReadableStream or a JavaScript WritableStream")
	}
	return nil
}

// pipeObjects is called by the JS pipe when both ends carry a pipe handle
// and nothing is queued. It reports whether the writable's piper took over.
func (s *Streams) pipeObjects(call goja.FunctionCall) goja.Value {
	piper, ok := call.Argument(1).Export().(ObjectPiper)
	if !ok || s.h.Context.Err() != nil {
		return s.rt.ToValue(false)
	}
	done, ok := goja.AssertFunction(call.Argument(2))
	if !ok {
		panic(s.rt.NewTypeError("pipe callback is not a function"))
	}
	p := &ObjectPipe{s: s, done: done}
	return s.rt.ToValue(piper.PipeObjectsFrom(call.Argument(0).Export(), p))
}
