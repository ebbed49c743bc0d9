// Package streams installs the WHATWG Streams Standard into an isolate:
// ReadableStream (default and byte streams, BYOB readers, tee, pipes, async
// iteration, ReadableStream.from), WritableStream, TransformStream and the
// queuing strategies, with their readers, writers and controllers.
//
// The spec's algorithms are written in JavaScript (js/*.js), compiled once
// per process and run once per isolate inside a closure, so that internal
// state stays out of reach of scripts. Byte work happens in Go.
//
// Go code creates streams backed by Go: NewReadable wraps a Source and
// NewWritable a Sink. They are instances of the same ReadableStream and
// WritableStream classes scripts construct, with fast paths inside: a read
// with nothing queued goes straight to Source.Read on a goroutine, a write
// with nothing queued calls Sink.TryWrite on the loop, and a pipe between a
// Go readable and a Go writable whose Sink is a Piper pumps in Go without
// entering JavaScript per chunk. Default (object) streams that a binding
// builds in JavaScript can be marked with SetPipeHandle, so that a pipe
// between two of them is carried out in Go too (ObjectPiper).
//
// Where this differs from the spec, and why:
//
//   - goja cannot transfer an ArrayBuffer. TransferArrayBuffer moves the
//     bytes to a new ArrayBuffer without copying them and detaches the old
//     one with goja's ArrayBuffer.Detach; but in goja, reading byteLength of
//     a detached buffer, or of a view on one, throws a TypeError where the
//     spec reads 0.
//   - The implementation is set up on the first use of any of the globals
//     (or of NewReadable/NewWritable); see Install. The built-ins the
//     internals rely on are captured before.
//   - The pipe's reads and writes run on callbacks instead of a chain of
//     promises (allowed: both streams are locked), and its abort algorithm is
//     an ordinary "abort" listener of the signal, so it runs among the
//     signal's listeners rather than before them.
//   - A write that Sink.TryWrite takes entirely settles at once: write()
//     returns a promise that is already fulfilled.
package streams

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/dop251/goja"
	"go.uber.org/zap"

	"github.com/sockw/sockw/bindings"
	"github.com/sockw/sockw/bindings/events"
)

// globals are the interfaces the spec exposes, in the order they are
// defined on the global object.
var globals = [...]string{
	"ReadableStream",
	"ReadableStreamDefaultReader",
	"ReadableStreamBYOBReader",
	"ReadableStreamDefaultController",
	"ReadableByteStreamController",
	"ReadableStreamBYOBRequest",
	"WritableStream",
	"WritableStreamDefaultWriter",
	"WritableStreamDefaultController",
	"TransformStream",
	"TransformStreamDefaultController",
	"ByteLengthQueuingStrategy",
	"CountQueuingStrategy",
}

// Streams is the streams implementation installed in one isolate.
type Streams struct {
	h  *bindings.Host
	rt *goja.Runtime

	// Captured at Install, before any script could replace them.
	intrinsics     *goja.Object
	errorCtor      goja.Value
	rangeErrorCtor goja.Value

	ready   bool
	initErr error
	exports *goja.Object // the classes, once set up

	// Internals of the JS side (loop goroutine only).
	newGoReadable goja.Callable
	newGoWritable goja.Callable
	goReadDone    goja.Callable
	goWriteDone   goja.Callable
	goCloseDone   goja.Callable
	errorStream   goja.Callable
	closeReadable goja.Callable
	flushWritable goja.Callable
	setPipeHandle goja.Callable

	// The intrinsic getters of typed arrays and DataViews.
	taBuffer     goja.Callable
	dvBuffer     goja.Callable
	dvByteOffset goja.Callable
	dvByteLength goja.Callable
}

// Install defines the stream classes as globals of h.Runtime and returns the handle other bindings use to
// create Go-backed streams in the same isolate.
//
// Setting the implementation up costs most of a millisecond in goja, so
// Install only defines each global as a placeholder (see
// events.DefineLazyGlobals): the first use of any of them, or of
// NewReadable or NewWritable, sets everything up. Scripts never see a
// placeholder: reading one, or asking for its property descriptor, turns
// it into the writable, configurable, non-enumerable data property WebIDL
// defines. Assigning to a global before that replaces it as assigning to a
// data property would.
func Install(h *bindings.Host) (*Streams, error) {
	if _, err := program(); err != nil {
		return nil, fmt.Errorf("streams: %w", err)
	}
	ip, err := intrinsicsProgram()
	if err != nil {
		return nil, fmt.Errorf("streams: %w", err)
	}
	rt := h.Runtime
	iv, err := rt.RunProgram(ip)
	if err != nil {
		return nil, fmt.Errorf("streams: capturing intrinsics: %w", err)
	}
	intrinsics := iv.ToObject(rt)
	s := &Streams{
		h:              h,
		rt:             rt,
		intrinsics:     intrinsics,
		errorCtor:      intrinsics.Get(strconv.Itoa(intrinsicError)),
		rangeErrorCtor: intrinsics.Get(strconv.Itoa(intrinsicRangeError)),
	}
	if _, err := events.DefineLazyGlobals(rt, globals[:], func() (map[string]goja.Value, error) {
		if err := s.init(); err != nil {
			return nil, err
		}
		values := make(map[string]goja.Value, len(globals))
		for _, name := range globals {
			values[name] = s.exports.Get(name)
		}
		return values, nil
	}); err != nil {
		return nil, fmt.Errorf("streams: %w", err)
	}
	return s, nil
}

// init sets the implementation up on first use. Loop goroutine only.
func (s *Streams) init() error {
	if s.ready || s.initErr != nil {
		return s.initErr
	}
	s.initErr = s.setUp()
	s.ready = s.initErr == nil
	return s.initErr
}

func (s *Streams) setUp() error {
	rt := s.rt
	prog, err := program()
	if err != nil {
		return fmt.Errorf("streams: %w", err)
	}
	fv, err := rt.RunProgram(prog)
	if err != nil {
		return fmt.Errorf("streams: running the implementation: %w", err)
	}
	fn, ok := goja.AssertFunction(fv)
	if !ok {
		return fmt.Errorf("streams: the implementation is not a function")
	}
	ev, err := fn(goja.Undefined(), s.natives())
	if err != nil {
		return fmt.Errorf("streams: setting up the implementation: %w", err)
	}
	exports := ev.ToObject(rt)
	s.exports = exports
	internals := exports.Get("internals").ToObject(rt)
	for name, dst := range map[string]*goja.Callable{
		"newGoReadable": &s.newGoReadable,
		"newGoWritable": &s.newGoWritable,
		"goReadDone":    &s.goReadDone,
		"goWriteDone":   &s.goWriteDone,
		"goCloseDone":   &s.goCloseDone,
		"errorStream":   &s.errorStream,
		"closeReadable": &s.closeReadable,
		"flushWritable": &s.flushWritable,
		"setPipeHandle": &s.setPipeHandle,
		"taBuffer":      &s.taBuffer,
		"dvBuffer":      &s.dvBuffer,
		"dvByteOffset":  &s.dvByteOffset,
		"dvByteLength":  &s.dvByteLength,
	} {
		f, ok := goja.AssertFunction(internals.Get(name))
		if !ok {
			return fmt.Errorf("streams: internal %s is not a function", name)
		}
		*dst = f
	}
	for _, name := range globals {
		c, ok := exports.Get(name).(*goja.Object)
		if !ok {
			return fmt.Errorf("streams: %s is not an object", name)
		}
		if err := exposeMembers(c); err != nil {
			return fmt.Errorf("streams: %s: %w", name, err)
		}
	}
	return nil
}

// ErrorStream errors a stream (readable or writable, as ReadableStreamError / WritableStreamDealWithRejection
// would) with reason, e.g. when the peer resets the connection. Loop goroutine only.
func (s *Streams) ErrorStream(stream *goja.Object, reason goja.Value) {
	if err := s.init(); err != nil {
		s.h.Logger.Error("streams: erroring a stream failed", zap.Error(err))
		return
	}
	if reason == nil {
		reason = goja.Undefined()
	}
	if _, err := s.errorStream(goja.Undefined(), stream, reason); err != nil {
		s.h.Logger.Error("streams: erroring a stream failed", zap.Error(err))
	}
}

// CloseReadable closes a Go-backed readable as if its source had reached EOF (pending reads resolve done).
// Loop goroutine only.
//
// The source is not read again: a Read still out is cancelled with
// Source.Cancel so that its goroutine ends.
func (s *Streams) CloseReadable(stream *goja.Object) {
	if err := s.init(); err != nil {
		s.h.Logger.Error("streams: closing a readable failed", zap.Error(err))
		return
	}
	if _, err := s.closeReadable(goja.Undefined(), stream); err != nil {
		s.h.Logger.Error("streams: closing a readable failed", zap.Error(err))
	}
}

// Flush closes a writable as writer.close() would, whoever holds its lock:
// the queued writes drain, then the sink closes (for a Go-backed writable,
// Sink.Close: a FIN). The promise fulfills once the sink is closed and
// rejects if the stream errors first; for a stream already closing it is
// that close's promise. The sockets binding flushes a socket this way when a
// module handler's promise settles. Loop goroutine only.
func (s *Streams) Flush(writable *goja.Object) *goja.Promise {
	if err := s.init(); err != nil {
		return s.rejected(err)
	}
	v, err := s.flushWritable(goja.Undefined(), writable)
	if err != nil {
		return s.rejected(err)
	}
	p, ok := v.Export().(*goja.Promise)
	if !ok {
		return s.rejected(errors.New("streams: Flush did not get a promise"))
	}
	return p
}

// rejected returns a promise rejected with err as a JS Error.
func (s *Streams) rejected(err error) *goja.Promise {
	p, _, reject := s.rt.NewPromise()
	var reason goja.Value = s.jsError(err.Error())
	var ex *goja.Exception
	if errors.As(err, &ex) {
		reason = ex.Value()
	}
	_ = reject(reason)
	return p
}
