package streams

import (
	"errors"
	"io"

	"github.com/dop251/goja"
)

// Piper is implemented by a Sink that can move bytes from a Source without JavaScript seeing them
// (pipeTo between two sockets: io.Copy / splice). CanPipeFrom is asked on the loop; PipeFrom runs off the
// loop and returns nil when src reached EOF.
//
// An error PipeFrom returns is taken as the sink's failure (the writable
// errors and, unless preventCancel, the readable is cancelled) unless it
// wraps a *SourceError, which makes it the source's (the readable errors and,
// unless preventAbort, the writable is aborted), as the spec's pipe rules
// propagate errors.
type Piper interface {
	CanPipeFrom(src Source) bool
	PipeFrom(src Source) error
}

// SourceError marks an error PipeFrom returns because reading the source
// failed, as opposed to writing to the sink.
type SourceError struct {
	Err error
}

// Error returns the text of the source's error.
func (e *SourceError) Error() string { return e.Err.Error() }

// Unwrap returns the source's error.
func (e *SourceError) Unwrap() error { return e.Err }

// pump moves bytes from a Go-backed readable to a Go-backed writable in Go
// for readable.pipeTo(writable). The pipe holds both streams locked
// meanwhile; when the pump returns, the JS pipe loop takes over and applies
// the spec's rules to the state the pump left (EOF closes the readable, an
// error errors one of the streams).
type pump struct {
	s      *Streams
	r      *readable
	w      *writable
	piper  Piper
	onDone goja.Callable
}

// pipe is called by the JS pipe when both ends are Go-backed and nothing is
// queued. It reports whether the pump took over.
func (s *Streams) pipe(call goja.FunctionCall) goja.Value {
	r := s.readableArg(call)
	w := s.writableArg(call.Argument(1))
	onDone, ok := goja.AssertFunction(call.Argument(2))
	if !ok {
		panic(s.rt.NewTypeError("pipe callback is not a function"))
	}
	piper, ok := w.sink.(Piper)
	if !ok || r.ended || r.pumping || r.pending != nil || w.aborted || s.h.Context.Err() != nil {
		return s.rt.ToValue(false)
	}
	if !piper.CanPipeFrom(r.src) {
		return s.rt.ToValue(false)
	}
	p := &pump{s: s, r: r, w: w, piper: piper, onDone: onDone}
	r.pumping = true
	if r.reading {
		// A pull's Read is still out: its chunk goes first, straight to the
		// sink, and the pump starts after it.
		r.pumpAfterRead = p
	} else {
		p.start(nil, nil)
	}
	return s.rt.ToValue(true)
}

// start runs the pump, beginning with a chunk (and error) that a Read
// returned before the pump took over. Loop goroutine only.
func (p *pump) start(first []byte, readErr error) {
	done := p.s.h.Loop.RegisterCallback()
	go func() {
		err := p.run(first, readErr)
		done(func() error { return p.finish(err) })
	}()
}

func (p *pump) run(first []byte, readErr error) error {
	if len(first) > 0 {
		if err := p.w.sink.Write(first); err != nil {
			return err
		}
	}
	if readErr != nil {
		if errors.Is(readErr, io.EOF) {
			return nil
		}
		return &SourceError{Err: readErr}
	}
	return p.piper.PipeFrom(p.r.src)
}

// finish reports the pump's outcome to the JS pipe.
func (p *pump) finish(err error) error {
	p.r.pumping = false
	undefined := goja.Undefined()
	if err == nil {
		p.r.ended = true
		_, jerr := p.onDone(undefined, undefined, p.s.rt.ToValue(false))
		return jerr
	}
	var srcErr *SourceError
	fromSource := errors.As(err, &srcErr)
	if fromSource {
		p.r.ended = true
	}
	_, jerr := p.onDone(undefined, p.s.rt.ToValue(err.Error()), p.s.rt.ToValue(fromSource))
	return jerr
}
