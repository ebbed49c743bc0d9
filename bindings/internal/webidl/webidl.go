// Package webidl is the goja glue the web-platform bindings share: WebIDL
// property definitions, interface objects whose constructors see new.target,
// platform objects with internal slots and Expandos, and zero-copy access to
// BufferSource arguments.
package webidl

import (
	"fmt"
	"reflect"
	"sync"
	"unsafe"

	"github.com/dop251/goja"
)

// Func creates a native function with the given name and length. goja
// names a Go func after its Go symbol, so both are redefined as WebIDL wants.
func Func(rt *goja.Runtime, name string, length int, fn func(goja.FunctionCall) goja.Value) *goja.Object {
	f := rt.ToValue(fn).(*goja.Object)
	SetNameLength(rt, f, name, length)
	return f
}

func SetNameLength(rt *goja.Runtime, f *goja.Object, name string, length int) {
	_ = f.DefineDataProperty("name", rt.ToValue(name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	if length != 0 {
		_ = f.DefineDataProperty("length", rt.ToValue(length), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	}
}

// Method defines a WebIDL operation on o (an interface prototype or
// object, or the [Global] global object): writable, enumerable,
// configurable.
func Method(rt *goja.Runtime, o *goja.Object, name string, length int, fn func(goja.FunctionCall) goja.Value) {
	_ = o.DefineDataProperty(name, Func(rt, name, length, fn), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
}

// Getter defines a WebIDL readonly attribute: an enumerable, configurable
// accessor whose getter is named "get <name>".
func Getter(rt *goja.Runtime, o *goja.Object, name string, fn func(goja.FunctionCall) goja.Value) {
	g := Func(rt, "get "+name, 0, fn)
	_ = o.DefineAccessorProperty(name, g, nil, goja.FLAG_TRUE, goja.FLAG_TRUE)
}

// classSource makes interface objects. goja passes no new.target to a Go
// constructor invoked with new, so a Go constructor cannot tell `new X()`
// from a strict-mode `X()`; a JavaScript function can. It hands new.target
// and the first two arguments (no constructor here reads more, and naming
// them avoids an arguments object per call) to the Go constructor, whose
// result `new` then returns.
// Everything else about the function is set from Go, where defining a
// property costs a tenth of Object.defineProperty.
const classSource = `(function (name, construct) {
  'use strict';
  return function (a, b) {
    if (new.target === undefined) {
      throw new TypeError("Failed to construct '" + name + "': Please use the 'new' operator, this DOM object constructor cannot be called as a function.");
    }
    return construct(new.target, a, b);
  };
})`

var classProgram = sync.OnceValues(func() (*goja.Program, error) {
	return goja.Compile("webidl/class.js", classSource, true)
})

// ClassMaker creates interface objects in one runtime.
type ClassMaker struct {
	rt   *goja.Runtime
	make goja.Callable
}

func NewClassMaker(rt *goja.Runtime) (*ClassMaker, error) {
	prg, err := classProgram()
	if err != nil {
		return nil, err
	}
	v, err := rt.RunProgram(prg)
	if err != nil {
		return nil, err
	}
	f, ok := goja.AssertFunction(v)
	if !ok {
		return nil, fmt.Errorf("class.js did not evaluate to a function")
	}
	return &ClassMaker{rt: rt, make: f}, nil
}

// Constructor is the Go side of a WebIDL constructor. It receives the
// prototype new.target asks for and the first two arguments (undefined when
// absent, which for every constructor here means the same as undefined
// given), and returns the new platform object.
type Constructor func(proto *goja.Object, arg0, arg1 goja.Value) *goja.Object

// Class creates an interface object and its prototype.
func (m *ClassMaker) Class(name string, length int, ctor Constructor) (c, proto *goja.Object, err error) {
	rt := m.rt
	var defaultProto *goja.Object
	construct := rt.ToValue(func(call goja.FunctionCall) goja.Value {
		p := defaultProto
		if nt, ok := call.Argument(0).(*goja.Object); ok {
			if np, ok := nt.Get("prototype").(*goja.Object); ok {
				p = np
			}
		}
		return ctor(p, call.Argument(1), call.Argument(2))
	})
	v, err := m.make(goja.Undefined(), rt.ToValue(name), construct)
	if err != nil {
		return nil, nil, err
	}
	c = v.(*goja.Object)
	_ = c.DefineDataProperty("name", rt.ToValue(name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	_ = c.DefineDataProperty("length", rt.ToValue(length), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	defaultProto = rt.NewObject()
	_ = defaultProto.DefineDataProperty("constructor", c, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	_ = defaultProto.DefineDataPropertySymbol(goja.SymToStringTag, rt.ToValue(name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	_ = c.DefineDataProperty("prototype", defaultProto, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	return c, defaultProto, nil
}

// NewInstance returns a platform object whose internal slots are slots, with
// the prototype new.target asked for, so subclasses work. Methods find the
// slots again with Export, which for a dynamic object is a field read.
func NewInstance(rt *goja.Runtime, proto *goja.Object, slots goja.DynamicObject) *goja.Object {
	o := rt.NewDynamicObject(slots)
	_ = o.SetPrototype(proto)
	return o
}

// Expandos lets scripts add ordinary properties to a platform object, which
// WebIDL objects allow. Embedding it makes a slots struct a DynamicObject.
type Expandos struct {
	props map[string]goja.Value
	keys  []string
}

func (e *Expandos) Get(key string) goja.Value { return e.props[key] }

func (e *Expandos) Set(key string, v goja.Value) bool {
	if e.props == nil {
		e.props = make(map[string]goja.Value)
	}
	if _, ok := e.props[key]; !ok {
		e.keys = append(e.keys, key)
	}
	e.props[key] = v
	return true
}

func (e *Expandos) Has(key string) bool {
	_, ok := e.props[key]
	return ok
}

func (e *Expandos) Delete(key string) bool {
	if _, ok := e.props[key]; ok {
		delete(e.props, key)
		for i, k := range e.keys {
			if k == key {
				e.keys = append(e.keys[:i], e.keys[i+1:]...)
				break
			}
		}
	}
	return true
}

func (e *Expandos) Keys() []string { return e.keys }

// BufferSource reads BufferSource arguments without copying. The getters of
// the intrinsic %TypedArray%.prototype.buffer and DataView.prototype.buffer
// are captured at install time: calling them is both the brand check WebIDL
// asks for and the only way to learn, through goja's public API, whether the
// buffer behind a view was detached (Export of a view over a detached buffer
// would return a slice over freed memory).
type BufferSource struct {
	rt               *goja.Runtime
	typedArrayBuffer goja.Callable
	dataViewBuffer   goja.Callable
	typedArrayTag    goja.Callable // %TypedArray%.prototype[Symbol.toStringTag]
	typedArrayLength goja.Callable // %TypedArray%.prototype.byteLength
	uint8Array       *goja.Object  // the intrinsic Uint8Array constructor
	uint8ArrayProto  *goja.Object
}

// intrinsicsSource evaluates to the intrinsics BufferSource needs.
const intrinsicsSource = `[
  Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), 'buffer').get,
  Object.getOwnPropertyDescriptor(DataView.prototype, 'buffer').get,
  Uint8Array,
  Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag).get,
  Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), 'byteLength').get,
]`

var intrinsicsProgram = sync.OnceValues(func() (*goja.Program, error) {
	return goja.Compile("webidl/intrinsics.js", intrinsicsSource, true)
})

func NewBufferSource(rt *goja.Runtime) (*BufferSource, error) {
	prg, err := intrinsicsProgram()
	if err != nil {
		return nil, err
	}
	v, err := rt.RunProgram(prg)
	if err != nil {
		return nil, err
	}
	arr := v.(*goja.Object)
	ta, _ := goja.AssertFunction(arr.Get("0"))
	dv, _ := goja.AssertFunction(arr.Get("1"))
	tag, _ := goja.AssertFunction(arr.Get("3"))
	length, _ := goja.AssertFunction(arr.Get("4"))
	u8 := arr.Get("2").(*goja.Object)
	return &BufferSource{rt: rt, typedArrayBuffer: ta, dataViewBuffer: dv, typedArrayTag: tag, typedArrayLength: length,
		uint8Array: u8, uint8ArrayProto: u8.Get("prototype").(*goja.Object)}, nil
}

var (
	typeArrayBuffer = reflect.TypeFor[goja.ArrayBuffer]()
	typeMap         = reflect.TypeFor[map[string]any]()
	typeBytes       = reflect.TypeFor[[]byte]()
)

// bytes returns the bytes v views and whether v is an ArrayBuffer or an
// ArrayBufferView. A detached buffer reads as empty, as WebIDL's "get a copy
// of the bytes held by the buffer source" says. The result aliases the
// script's memory: use it before returning to JavaScript.
func (b *BufferSource) Bytes(v goja.Value) ([]byte, bool) {
	o, ok := v.(*goja.Object)
	if !ok {
		return nil, false
	}
	switch t := o.ExportType(); {
	case t == typeArrayBuffer:
		ab, ok := o.Export().(goja.ArrayBuffer)
		if !ok || ab.Detached() {
			return nil, ok
		}
		return ab.Bytes(), true
	case t == typeMap:
		// A DataView exports like an ordinary object; its getter tells them apart.
		buf, err := b.dataViewBuffer(o)
		if err != nil {
			return nil, false
		}
		if ab, ok := buf.Export().(goja.ArrayBuffer); !ok || ab.Detached() {
			return nil, true
		}
		var p []byte
		if err := b.rt.ExportTo(o, &p); err != nil {
			return nil, false
		}
		return p, true
	case t.Kind() == reflect.Slice:
		return b.TypedArrayBytes(o)
	}
	return nil, false
}

// uint8ArrayBytes returns the bytes of v if it is a Uint8Array, as WebIDL's
// Uint8Array type requires (a Uint8ClampedArray exports as []byte too).
func (b *BufferSource) Uint8ArrayBytes(v goja.Value) ([]byte, bool) {
	o, ok := v.(*goja.Object)
	if !ok || o.ExportType() != typeBytes {
		return nil, false
	}
	if o.Prototype() != b.uint8ArrayProto {
		tag, err := b.typedArrayTag(o)
		if err != nil || tag.String() != "Uint8Array" {
			return nil, false
		}
	}
	return b.TypedArrayBytes(o)
}

// typedArrayBytes returns the bytes of a typed array, and false if o is not
// one (a Go slice wrapped by ToValue also exports as a slice).
func (b *BufferSource) TypedArrayBytes(o *goja.Object) ([]byte, bool) {
	buf, err := b.typedArrayBuffer(o)
	if err != nil {
		return nil, false
	}
	if ab, ok := buf.Export().(goja.ArrayBuffer); !ok || ab.Detached() {
		return nil, true
	}
	// goja's Export of an empty view at the very end of its buffer makes a
	// pointer one past the allocation, which -race's checkptr rejects.
	if n, err := b.typedArrayLength(o); err != nil || n.ToInteger() == 0 {
		return nil, err == nil
	}
	switch s := o.Export().(type) {
	case []byte:
		return s, true
	case []int8:
		return asBytes(s), true
	case []uint16:
		return asBytes(s), true
	case []int16:
		return asBytes(s), true
	case []uint32:
		return asBytes(s), true
	case []int32:
		return asBytes(s), true
	case []float32:
		return asBytes(s), true
	case []float64:
		return asBytes(s), true
	case []int64:
		return asBytes(s), true
	case []uint64:
		return asBytes(s), true
	}
	return nil, false
}

func asBytes[E any](s []E) []byte {
	if len(s) == 0 {
		return nil
	}
	var e E
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), len(s)*int(unsafe.Sizeof(e)))
}

// uint8ArrayOf wraps p, which the caller hands over, in a new Uint8Array.
func (b *BufferSource) Uint8ArrayOf(p []byte) goja.Value {
	u, err := b.rt.New(b.uint8Array, b.rt.ToValue(b.rt.NewArrayBuffer(p)))
	if err != nil {
		panic(err)
	}
	return u
}

// SlotsOf returns the internal slots of v if it is a platform object of type
// T, for brand checks.
func SlotsOf[T any](v goja.Value) (T, bool) {
	var zero T
	o, ok := v.(*goja.Object)
	if !ok || o.ExportType() != reflect.TypeFor[T]() {
		return zero, false
	}
	t, ok := o.Export().(T)
	return t, ok
}

// View returns the bytes of an ArrayBufferView and the name of its type
// ("Uint8Array", "DataView", ...); ok is false for anything else.
func (b *BufferSource) View(v goja.Value) (name string, p []byte, ok bool) {
	o, isObj := v.(*goja.Object)
	if !isObj {
		return "", nil, false
	}
	switch t := o.ExportType(); {
	case t == typeMap:
		if _, err := b.dataViewBuffer(o); err != nil {
			return "", nil, false
		}
		p, ok = b.Bytes(o)
		return "DataView", p, ok
	case t.Kind() == reflect.Slice:
		tag, err := b.typedArrayTag(o)
		if err != nil || goja.IsUndefined(tag) {
			return "", nil, false
		}
		p, ok = b.TypedArrayBytes(o)
		return tag.String(), p, ok
	}
	return "", nil, false
}

// ViewName is the type name View reports.
type ViewName string

// Integer reports an integer typed array (what getRandomValues accepts).
func (n ViewName) Integer() bool {
	switch n {
	case "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array",
		"Int32Array", "Uint32Array", "BigInt64Array", "BigUint64Array":
		return true
	}
	return false
}

func (n ViewName) String() string { return string(n) }

// IsBufferSource reports whether v is an ArrayBuffer or a view of one.
func (b *BufferSource) IsBufferSource(v goja.Value) bool {
	_, ok := b.Bytes(v)
	return ok
}

// Accessor defines a WebIDL attribute with a setter: an enumerable,
// configurable accessor whose getter and setter are named "get <name>" and
// "set <name>".
func Accessor(rt *goja.Runtime, o *goja.Object, name string, get, set func(goja.FunctionCall) goja.Value) {
	g := Func(rt, "get "+name, 0, get)
	s := Func(rt, "set "+name, 1, set)
	_ = o.DefineAccessorProperty(name, g, s, goja.FLAG_TRUE, goja.FLAG_TRUE)
}

// LazyPromise is a promise made only when a script asks for it: most
// handlers never look at a socket's opened or closed, and a promise with its
// resolving functions is a large part of a connection's cost in goja. Until
// then its outcome is remembered and replayed. Loop goroutine only.
type LazyPromise struct {
	p               *goja.Promise
	resolve, reject func(any) error
	state           int // 0 pending, 1 fulfilled, 2 rejected
	value           func() goja.Value
}

// Promise returns the promise, settled already if the outcome is known.
func (lp *LazyPromise) Promise(rt *goja.Runtime) *goja.Promise {
	if lp.p == nil {
		lp.p, lp.resolve, lp.reject = rt.NewPromise()
		switch lp.state {
		case 1:
			lp.resolve(lp.value())
		case 2:
			lp.reject(lp.value())
			MarkHandled(rt, lp.p)
		}
	}
	return lp.p
}

// Fulfill settles the promise with value(), now or when it is made.
func (lp *LazyPromise) Fulfill(value func() goja.Value) {
	if lp.state != 0 {
		return
	}
	lp.state, lp.value = 1, value
	if lp.p != nil {
		lp.resolve(value())
	}
}

// Fail rejects the promise with reason; a rejection nobody asked about is
// not an unhandled rejection.
func (lp *LazyPromise) Fail(rt *goja.Runtime, reason goja.Value) {
	if lp.state != 0 {
		return
	}
	lp.state, lp.value = 2, func() goja.Value { return reason }
	if lp.p != nil {
		lp.reject(reason)
		MarkHandled(rt, lp.p)
	}
}

// Settled reports whether the outcome is known.
func (lp *LazyPromise) Settled() bool { return lp.state != 0 }

// Fulfilled reports whether the promise is (or will be made) fulfilled.
func (lp *LazyPromise) Fulfilled() bool { return lp.state == 1 }

// MarkHandled attaches a rejection handler that does nothing, so a
// rejection the script never looks at is not reported as unhandled.
func MarkHandled(rt *goja.Runtime, p *goja.Promise) {
	obj := rt.ToValue(p).ToObject(rt)
	if then, ok := goja.AssertFunction(obj.Get("then")); ok {
		then(obj, goja.Undefined(), rt.ToValue(func(goja.FunctionCall) goja.Value { return goja.Undefined() }))
	}
}

// Errors makes the JavaScript errors the specs name. The Error constructor
// is the one the isolate started with, so a script that replaces the global
// cannot change what the bindings throw.
type Errors struct {
	rt    *goja.Runtime
	error *goja.Object
}

// NewErrors captures rt's Error constructor.
func NewErrors(rt *goja.Runtime) *Errors {
	er, _ := rt.Get("Error").(*goja.Object)
	return &Errors{rt: rt, error: er}
}

// TypeError returns a TypeError with msg.
func (e *Errors) TypeError(msg string) *goja.Object { return e.rt.NewTypeError(msg) }

// DOMException returns a DOMException made by the global DOMException that
// package events installs, looked up when the error happens so that install
// order does not matter. Without one (an isolate built without events) it
// falls back to an Error whose name is set, which scripts that test e.name
// still understand.
func (e *Errors) DOMException(name, msg string) *goja.Object {
	if ctor, ok := e.rt.Get("DOMException").(*goja.Object); ok {
		if o, err := e.rt.New(ctor, e.rt.ToValue(msg), e.rt.ToValue(name)); err == nil {
			return o
		}
	}
	o, err := e.rt.New(e.error, e.rt.ToValue(msg))
	if err != nil {
		return e.rt.NewTypeError(msg)
	}
	_ = o.DefineDataProperty("name", e.rt.ToValue(name), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	return o
}

// Then attaches reactions to p; a nil reaction passes the outcome through.
func Then(rt *goja.Runtime, p *goja.Promise, onOK, onErr goja.Value) {
	obj := rt.ToValue(p).ToObject(rt)
	fn, ok := goja.AssertFunction(obj.Get("then"))
	if !ok {
		return
	}
	if onOK == nil {
		onOK = goja.Undefined()
	}
	if onErr == nil {
		onErr = goja.Undefined()
	}
	fn(obj, onOK, onErr)
}

// DefineInterface wires an interface object and its prototype as WebIDL
// does (toStringTag, prototype, constructor) and, if global, puts the
// interface on the global object. A nil ctor only tags the prototype.
func DefineInterface(rt *goja.Runtime, name string, ctor, proto *goja.Object, global bool) {
	proto.DefineDataPropertySymbol(goja.SymToStringTag, rt.ToValue(name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	if ctor == nil {
		return
	}
	ctor.DefineDataProperty("prototype", proto, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	proto.DefineDataProperty("constructor", ctor, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	if global {
		rt.GlobalObject().DefineDataProperty(name, ctor, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	}
}
