package streams

import (
	"reflect"

	"github.com/dop251/goja"
)

var arrayBufferType = reflect.TypeOf(goja.ArrayBuffer{})

// natives returns the object of Go functions the JS side is given. They are
// all plain func(goja.FunctionCall) goja.Value natives, the cheapest kind of
// call goja makes.
func (s *Streams) natives() *goja.Object {
	o := s.rt.NewObject()
	_ = o.Set("intrinsics", s.intrinsics)
	for name, f := range map[string]func(goja.FunctionCall) goja.Value{
		"transfer":    s.transfer,
		"isDetached":  s.isDetached,
		"byteLength":  s.byteLength,
		"copy":        s.copyBytes,
		"clone":       s.clone,
		"byteSize":    s.byteSize,
		"pull":        s.pull,
		"cancel":      s.cancel,
		"write":       s.write,
		"close":       s.close,
		"abort":       s.abort,
		"pipe":        s.pipe,
		"pipeObjects": s.pipeObjects,
	} {
		_ = o.Set(name, f)
	}
	return o
}

// arrayBuffer returns v as an ArrayBuffer without exporting other objects
// (exporting a plain object would copy its properties).
func arrayBuffer(v goja.Value) (goja.ArrayBuffer, bool) {
	obj, ok := v.(*goja.Object)
	if !ok || obj.ExportType() != arrayBufferType {
		return goja.ArrayBuffer{}, false
	}
	ab, ok := obj.Export().(goja.ArrayBuffer)
	return ab, ok
}

func (s *Streams) mustArrayBuffer(v goja.Value) goja.ArrayBuffer {
	ab, ok := arrayBuffer(v)
	if !ok {
		panic(s.rt.NewTypeError("expected an ArrayBuffer"))
	}
	if ab.Detached() {
		panic(s.rt.NewTypeError("ArrayBuffer is detached"))
	}
	return ab
}

// transfer is the spec's TransferArrayBuffer: the bytes move to a new
// ArrayBuffer without a copy and the old one is detached. goja has no
// transfer of its own; Detach is the closest it offers, and a detached
// buffer in goja throws on byteLength where the spec would report 0.
func (s *Streams) transfer(call goja.FunctionCall) goja.Value {
	ab := s.mustArrayBuffer(call.Argument(0))
	moved := s.rt.NewArrayBuffer(ab.Bytes())
	ab.Detach()
	return s.rt.ToValue(moved)
}

func (s *Streams) isDetached(call goja.FunctionCall) goja.Value {
	ab, ok := arrayBuffer(call.Argument(0))
	return s.rt.ToValue(ok && ab.Detached())
}

// byteLength is an ArrayBuffer's [[ArrayBufferByteLength]], 0 once detached.
func (s *Streams) byteLength(call goja.FunctionCall) goja.Value {
	ab, ok := arrayBuffer(call.Argument(0))
	if !ok || ab.Detached() {
		return s.rt.ToValue(0)
	}
	return s.rt.ToValue(len(ab.Bytes()))
}

// bytesAt returns n bytes of v starting at off, throwing a RangeError if
// they are out of bounds.
func (s *Streams) bytesAt(v goja.Value, off, n int64) []byte {
	b := s.mustArrayBuffer(v).Bytes()
	if off < 0 || n < 0 || off > int64(len(b)) || n > int64(len(b))-off {
		panic(s.rangeError("offset is outside the bounds of the buffer"))
	}
	return b[off : off+n]
}

// typedArrayBytes returns the bytes a typed array views, without a copy. Its
// buffer must not be detached: goja's export of such a view is invalid.
func (s *Streams) typedArrayBytes(view *goja.Object) []byte {
	if b, ok := view.Export().([]byte); ok {
		return b // Uint8Array, Uint8ClampedArray
	}
	var b []byte
	if err := s.rt.ExportTo(view, &b); err != nil {
		panic(s.rt.NewTypeError("expected a typed array"))
	}
	return b
}

// Results of chunkBytes besides success, shared with go_streams.js.
const (
	chunkNotBytes = -2
	chunkDetached = -3
)

// chunkBytes returns the bytes of an ArrayBuffer or ArrayBufferView, without
// a copy, or chunkNotBytes or chunkDetached.
func (s *Streams) chunkBytes(v goja.Value) ([]byte, int) {
	obj, ok := v.(*goja.Object)
	if !ok {
		return nil, chunkNotBytes
	}
	t := obj.ExportType()
	switch {
	case t == arrayBufferType:
		ab := obj.Export().(goja.ArrayBuffer)
		if ab.Detached() {
			return nil, chunkDetached
		}
		return ab.Bytes(), 0
	case t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Interface:
		// A typed array: goja exports them as slices of their element type.
		buf, err := s.taBuffer(obj)
		if err != nil {
			return nil, chunkNotBytes
		}
		if ab, ok := arrayBuffer(buf); !ok || ab.Detached() {
			return nil, chunkDetached
		}
		return s.typedArrayBytes(obj), 0
	case t.Kind() == reflect.Map:
		// Perhaps a DataView, which exports like a plain object.
		buf, err := s.dvBuffer(obj)
		if err != nil {
			return nil, chunkNotBytes
		}
		ab, ok := arrayBuffer(buf)
		if !ok {
			return nil, chunkNotBytes
		}
		if ab.Detached() {
			return nil, chunkDetached
		}
		off, err1 := s.dvByteOffset(obj)
		n, err2 := s.dvByteLength(obj)
		if err1 != nil || err2 != nil {
			return nil, chunkDetached
		}
		b := ab.Bytes()
		o, l := off.ToInteger(), n.ToInteger()
		if o < 0 || l < 0 || o+l > int64(len(b)) {
			return nil, chunkDetached
		}
		return b[o : o+l], 0
	}
	return nil, chunkNotBytes
}

// byteSize is the chunk size for a Go-backed writable: its byte length, or
// a chunkBytes code.
func (s *Streams) byteSize(call goja.FunctionCall) goja.Value {
	b, code := s.chunkBytes(call.Argument(0))
	if code != 0 {
		return s.rt.ToValue(code)
	}
	return s.rt.ToValue(len(b))
}

// copyBytes is CopyDataBlockBytes(dst, dstOff, src, srcOff, n).
func (s *Streams) copyBytes(call goja.FunctionCall) goja.Value {
	n := call.Argument(4).ToInteger()
	dst := s.bytesAt(call.Argument(0), call.Argument(1).ToInteger(), n)
	src := s.bytesAt(call.Argument(2), call.Argument(3).ToInteger(), n)
	copy(dst, src)
	return goja.Undefined()
}

// clone is CloneArrayBuffer(src, off, n): a new ArrayBuffer with a copy.
func (s *Streams) clone(call goja.FunctionCall) goja.Value {
	src := s.bytesAt(call.Argument(0), call.Argument(1).ToInteger(), call.Argument(2).ToInteger())
	return s.rt.ToValue(s.rt.NewArrayBuffer(append([]byte(nil), src...)))
}

func (s *Streams) rangeError(msg string) *goja.Object {
	if obj, err := s.rt.New(s.rangeErrorCtor, s.rt.ToValue(msg)); err == nil {
		return obj
	}
	return s.rt.NewTypeError(msg)
}

// opaque gives a Go value an identity in JavaScript that exposes nothing:
// the JS side holds it and hands it back to the natives.
type opaque struct{}

func (opaque) Get(string) goja.Value       { return nil }
func (opaque) Set(string, goja.Value) bool { return false }
func (opaque) Has(string) bool             { return false }
func (opaque) Delete(string) bool          { return true }
func (opaque) Keys() []string              { return nil }
