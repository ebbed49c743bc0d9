package clone

import (
	"strconv"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings/events"
)

// structuredClone is the global structuredClone(value, options).
func (c *cloner) structuredClone(call goja.FunctionCall) goja.Value {
	if len(call.Arguments) == 0 {
		panic(c.rt.NewTypeError("Failed to execute 'structuredClone' on 'ServiceWorkerGlobalScope': 1 argument required, but only 0 present."))
	}
	if err := c.ready(); err != nil {
		panic(c.rt.NewTypeError(err.Error()))
	}
	return c.clone(call.Argument(0), c.transferOption(call.Argument(1)))
}

// transferOption converts a StructuredSerializeOptions dictionary and
// returns its transfer member, a sequence<object>.
func (c *cloner) transferOption(v goja.Value) []goja.Value {
	if goja.IsUndefined(v) || goja.IsNull(v) {
		return nil
	}
	opts, ok := v.(*goja.Object)
	if !ok {
		panic(c.rt.NewTypeError("Failed to execute 'structuredClone' on 'ServiceWorkerGlobalScope': The provided value is not of type 'StructuredSerializeOptions'."))
	}
	t := opts.Get("transfer")
	if t == nil || goja.IsUndefined(t) {
		return nil
	}
	if _, ok := t.(*goja.Object); !ok {
		panic(c.rt.NewTypeError("Failed to execute 'structuredClone' on 'ServiceWorkerGlobalScope': Failed to read the 'transfer' property from 'StructuredSerializeOptions': The provided value cannot be converted to a sequence."))
	}
	var list []goja.Value
	c.rt.ForOf(t, func(item goja.Value) bool {
		if _, ok := item.(*goja.Object); !ok {
			panic(c.rt.NewTypeError("Failed to execute 'structuredClone' on 'ServiceWorkerGlobalScope': Failed to read the 'transfer' property from 'StructuredSerializeOptions': The provided value is not of type 'object'."))
		}
		list = append(list, item)
		return true
	})
	return list
}

// clone is StructuredSerializeWithTransfer followed by
// StructuredDeserializeWithTransfer. Exceptions are thrown as panics, as in
// any goja native.
func (c *cloner) clone(v goja.Value, transfer []goja.Value) goja.Value {
	w := &walk{c: c}
	type moved struct {
		buf   goja.ArrayBuffer
		clone *goja.Object
	}
	var transferred []moved
	for _, t := range transfer {
		o, ok := t.(*goja.Object)
		if !ok || o.ExportType() != arrayBufferType {
			w.fail("Value not transferable")
		}
		if _, dup := w.memory[o]; dup {
			w.fail("ArrayBuffer at index " + strconv.Itoa(len(transferred)) + " is a duplicate of an earlier ArrayBuffer. Duplicates are not allowed.")
		}
		buf := o.Export().(goja.ArrayBuffer)
		// The clone shares the bytes: once the original is detached below,
		// only the clone holds them, as if they had moved.
		clone := c.rt.ToValue(c.rt.NewArrayBuffer(buf.Bytes())).(*goja.Object)
		w.remember(o, clone)
		transferred = append(transferred, moved{buf, clone})
	}
	res := w.value(v)
	for i, m := range transferred {
		if m.buf.Detached() {
			w.fail("ArrayBuffer at index " + strconv.Itoa(i) + " is already detached.")
		}
		m.buf.Detach()
	}
	return res
}

// maxDepth bounds how deeply objects may nest in a cloned value. The walk
// recurses on the Go stack, whose overflow would kill the process; past
// this depth a RangeError is thrown instead, as V8 does when its serializer
// runs out of stack.
const maxDepth = 10000

// walk is one clone operation: its memory maps each source object already
// met to its copy, which keeps shared references shared and ends cycles.
type walk struct {
	c      *cloner
	memory map[*goja.Object]goja.Value
	depth  int
}

func (w *walk) remember(src *goja.Object, copy goja.Value) {
	if w.memory == nil {
		w.memory = make(map[*goja.Object]goja.Value)
	}
	w.memory[src] = copy
}

// fail throws a DataCloneError DOMException.
func (w *walk) fail(msg string) {
	panic(events.NewDOMException(w.c.rt, msg, "DataCloneError"))
}

func (w *walk) value(v goja.Value) goja.Value {
	o, ok := v.(*goja.Object)
	if !ok {
		if s, ok := v.(*goja.Symbol); ok {
			w.fail(s.String() + " could not be cloned.")
		}
		return v // primitives, BigInt included, are immutable
	}
	if copy, ok := w.memory[o]; ok {
		return copy
	}
	if w.depth++; w.depth > maxDepth {
		panic(w.construct(w.c.errorCtors["RangeError"], w.c.rt.ToValue("Maximum call stack size exceeded")))
	}
	copy := w.object(o)
	w.depth--
	return copy
}

func (w *walk) object(o *goja.Object) goja.Value {
	// goja's class names are reliable only for some kinds; the Go type an
	// object exports as tells the others apart without calling into
	// JavaScript. A proxy is checked first: a revoked one has no class.
	t := o.ExportType()
	switch t {
	case proxyType:
		w.fail("#<Object> could not be cloned.") // exotic
	case arrayBufferType:
		return w.arrayBuffer(o)
	case promiseType:
		w.fail("#<Promise> could not be cloned.")
	case bigIntType:
		return w.wrapper(o, w.c.bigintValueOf, nil)
	}
	class := o.ClassName()
	if class == "Object" {
		switch {
		case t == plainType:
			return w.ordinary(o)
		case t == mapType:
			return w.mapObject(o)
		case t == setType:
			return w.setObject(o)
		case typedArrayTypes[t]:
			return w.typedArray(o)
		}
		w.fail("#<Object> could not be cloned.") // a Go host object, or a Symbol wrapper
	}
	switch class {
	case "Arguments":
		return w.ordinary(o)
	case "Array":
		return w.array(o)
	case "Boolean":
		return w.wrapper(o, w.c.booleanValueOf, w.c.booleanCtor)
	case "Number":
		return w.wrapper(o, w.c.numberValueOf, w.c.numberCtor)
	case "String":
		return w.wrapper(o, w.c.stringValueOf, w.c.stringCtor)
	case "Date":
		return w.wrapper(o, w.c.dateGetTime, w.c.dateCtor)
	case "RegExp":
		return w.regExp(o)
	case "Error":
		return w.error(o)
	case "Function", "AsyncFunction", "GeneratorFunction", "AsyncGeneratorFunction":
		if s, ok := o.Get("name").(goja.String); ok && s.String() != "" {
			w.fail("function " + s.String() + " could not be cloned.")
		}
		w.fail("function could not be cloned.")
	}
	w.fail("#<" + class + "> could not be cloned.")
	panic("unreachable")
}

// call runs a captured built-in, rethrowing its exception.
func (w *walk) call(fn goja.Callable, this goja.Value, args ...goja.Value) goja.Value {
	v, err := fn(this, args...)
	if err != nil {
		panic(err)
	}
	return v
}

func (w *walk) construct(ctor *goja.Object, args ...goja.Value) *goja.Object {
	o, err := w.c.rt.New(ctor, args...)
	if err != nil {
		panic(err)
	}
	return o
}

// ordinary clones an ordinary object as a plain object (its prototype is
// lost, as the spec says). goja shows some objects with internal slots as
// ordinary ones (DataView, WeakMap, WeakSet, iterators, generators) and so
// are the platform objects of other bindings; their prototype chain tells
// them apart.
func (w *walk) ordinary(o *goja.Object) goja.Value {
	if o == w.c.rt.GlobalObject() {
		w.fail("#<global> could not be cloned.")
	}
	for p := o.Prototype(); p != nil && p != w.c.objectProto; p = p.Prototype() {
		if kind, ok := w.c.protoKinds[p]; ok {
			if kind.is == nil || w.c.has(kind.is, o) {
				if kind.name == "DataView" {
					return w.dataView(o)
				}
				w.fail("#<" + kind.name + "> could not be cloned.")
			}
			break // for example Object.create(DataView.prototype): ordinary
		}
		if name, ok := w.c.platformPrototypes()[p]; ok {
			w.fail(name + " object could not be cloned.")
		}
	}
	out := w.c.rt.NewObject()
	w.remember(o, out)
	w.properties(o, out)
	return out
}

// properties copies o's own enumerable string-keyed properties to out, in
// order, reading each with [[Get]] (so getters run) and cloning its value.
// A property deleted by an earlier getter is skipped, unless the prototype
// chain has one of the same name (which the spec would skip too).
func (w *walk) properties(o, out *goja.Object) {
	for _, k := range o.Keys() {
		v := o.Get(k)
		if v == nil {
			continue
		}
		if err := out.DefineDataProperty(k, w.value(v), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
			panic(err)
		}
	}
}

func (w *walk) array(o *goja.Object) goja.Value {
	out := w.c.rt.NewArray()
	w.remember(o, out)
	if err := out.Set("length", o.Get("length")); err != nil {
		panic(err)
	}
	w.properties(o, out)
	return out
}

// wrapper clones a Boolean, Number, String, BigInt or Date object from the
// primitive in its internal slot; ctor nil means Object(primitive).
func (w *walk) wrapper(o *goja.Object, valueOf goja.Callable, ctor *goja.Object) goja.Value {
	prim := w.call(valueOf, o)
	var out *goja.Object
	if ctor == nil {
		out = w.call(w.c.objectFn, goja.Undefined(), prim).(*goja.Object)
	} else {
		out = w.construct(ctor, prim)
	}
	w.remember(o, out)
	return out
}

func (w *walk) regExp(o *goja.Object) goja.Value {
	source := w.call(w.c.regExpSource, o)
	var flags []byte
	for _, f := range w.c.regExpFlags {
		if w.call(f.get, o).ToBoolean() {
			flags = append(flags, f.flag)
		}
	}
	out := w.construct(w.c.regExpCtor, source, w.c.rt.ToValue(string(flags)))
	w.remember(o, out)
	return out
}

func (w *walk) arrayBuffer(o *goja.Object) goja.Value {
	buf := o.Export().(goja.ArrayBuffer)
	if buf.Detached() {
		w.fail("An ArrayBuffer is detached and could not be cloned.")
	}
	out := w.c.rt.ToValue(w.c.rt.NewArrayBuffer(append([]byte(nil), buf.Bytes()...)))
	w.remember(o, out)
	return out
}

// typedArray clones a typed array as a view of the clone of its buffer,
// so views that share a buffer share the cloned one.
func (w *walk) typedArray(o *goja.Object) goja.Value {
	name := w.call(w.c.typedArrayName, o).String()
	ctor := w.c.typedArrayCtors[name]
	if ctor == nil {
		w.fail("#<" + name + "> could not be cloned.")
	}
	buf := w.call(w.c.typedArrayBuffer, o).(*goja.Object)
	if buf.Export().(goja.ArrayBuffer).Detached() {
		w.fail("An ArrayBuffer is detached and could not be cloned.")
	}
	offset := w.call(w.c.typedArrayByteOffset, o)
	length := w.call(w.c.typedArrayLength, o)
	out := w.construct(ctor, w.value(buf), offset, length)
	w.remember(o, out)
	return out
}

func (w *walk) dataView(o *goja.Object) goja.Value {
	buf := w.call(w.c.dataViewBuffer, o).(*goja.Object)
	if buf.Export().(goja.ArrayBuffer).Detached() {
		w.fail("An ArrayBuffer is detached and could not be cloned.")
	}
	offset := w.call(w.c.dataViewByteOffset, o)
	length := w.call(w.c.dataViewByteLength, o)
	out := w.construct(w.c.dataViewCtor, w.value(buf), offset, length)
	w.remember(o, out)
	return out
}

// mapObject clones a Map: the entries are listed first, then each key and
// value is cloned, key before value.
func (w *walk) mapObject(o *goja.Object) goja.Value {
	out := w.construct(w.c.mapCtor)
	w.remember(o, out)
	var entries []goja.Value
	w.call(w.c.mapForEach, o, w.c.rt.ToValue(func(call goja.FunctionCall) goja.Value {
		entries = append(entries, call.Argument(1), call.Argument(0))
		return goja.Undefined()
	}))
	for i := 0; i < len(entries); i += 2 {
		k := w.value(entries[i])
		v := w.value(entries[i+1])
		w.call(w.c.mapSet, out, k, v)
	}
	return out
}

func (w *walk) setObject(o *goja.Object) goja.Value {
	out := w.construct(w.c.setCtor)
	w.remember(o, out)
	var items []goja.Value
	w.call(w.c.setForEach, o, w.c.rt.ToValue(func(call goja.FunctionCall) goja.Value {
		items = append(items, call.Argument(0))
		return goja.Undefined()
	}))
	for _, v := range items {
		w.call(w.c.setAdd, out, w.value(v))
	}
	return out
}

// error clones a DOMException, or a native error as the HTML spec says:
// the name if it is one of the seven standard ones (else "Error"), the
// message if it is an own data property, and, as the spec invites, the
// stack.
func (w *walk) error(o *goja.Object) goja.Value {
	rt := w.c.rt
	var out *goja.Object
	if name, message, ok := events.DOMExceptionFields(rt, o); ok {
		out = events.NewDOMException(rt, message, name)
	} else {
		name := "Error"
		if s, ok := o.Get("name").(goja.String); ok {
			if _, std := w.c.errorCtors[s.String()]; std {
				name = s.String()
			}
		}
		desc := w.call(w.c.ownDescriptor, goja.Undefined(), o, rt.ToValue("message"))
		out = w.construct(w.c.errorCtors[name])
		if d, ok := desc.(*goja.Object); ok {
			if v := d.Get("value"); v != nil && d.Get("get") == nil {
				if err := out.DefineDataProperty("message", v.ToString(), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
					panic(err)
				}
			}
		}
	}
	if st, ok := o.Get("stack").(goja.String); ok {
		if err := out.DefineDataProperty("stack", st, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			panic(err)
		}
	}
	w.remember(o, out)
	return out
}
