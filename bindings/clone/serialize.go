package clone

import (
	"math/big"
	"strings"
	"unicode/utf8"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings/events"
)

// Serialize is HTML's StructuredSerialize: it turns v into a Serialized
// that another runtime (on another goroutine) can Deserialize. It accepts
// the same values structuredClone does, reads them in the same order (so
// getters run as they would for structuredClone) and fails the same way:
// an exception (a DataCloneError DOMException, or one a getter threw) is
// returned as a *goja.Exception. Transferring is not supported. Loop
// goroutine only.
func Serialize(rt *goja.Runtime, v goja.Value) (s Serialized, err error) {
	c := lookup(rt)
	if c == nil {
		return Serialized{}, ErrNotInstalled
	}
	defer func() {
		// As in Clone: an interrupt or stack overflow in a getter unwinds
		// as a panic.
		if x := recover(); x != nil {
			e, ok := x.(error)
			if !ok || !uncatchable(e) {
				panic(x)
			}
			s, err = Serialized{}, e
		}
	}()
	if err := c.ready(); err != nil {
		return Serialized{}, err
	}
	sz := &serializer{walk: walk{c: c}}
	var root record
	if ex := rt.Try(func() { root = sz.value(v) }); ex != nil {
		return Serialized{}, ex
	}
	return Serialized{root: root, objects: sz.objects, size: sz.size}, nil
}

// serializer is one Serialize operation. It reuses walk's failure and
// depth handling; its memory maps each object met to the id of its record.
type serializer struct {
	walk
	ids     map[*goja.Object]int
	objects int
	size    int
}

// nodeSize is what a record costs beyond its bytes and strings, roughly.
const nodeSize = 32

func (s *serializer) newID(o *goja.Object) int {
	if s.ids == nil {
		s.ids = make(map[*goja.Object]int)
	}
	id := s.objects
	s.objects++
	s.ids[o] = id
	return id
}

func (s *serializer) value(v goja.Value) record {
	s.size += nodeSize
	switch {
	case v == nil || goja.IsUndefined(v):
		return undefinedRecord{}
	case goja.IsNull(v):
		return nullRecord{}
	}
	switch x := v.(type) {
	case goja.String:
		return s.string(x)
	case *goja.Symbol:
		s.fail(x.String() + " could not be cloned.")
	case *goja.Object:
		if id, ok := s.ids[x]; ok {
			return refRecord(id)
		}
		if s.depth++; s.depth > maxDepth {
			panic(s.construct(s.c.errorCtors["RangeError"], s.c.rt.ToValue("Maximum call stack size exceeded")))
		}
		r := s.object(x)
		s.depth--
		return r
	}
	switch x := v.Export().(type) {
	case bool:
		return boolRecord(x)
	case int64:
		return numberRecord(float64(x))
	case float64:
		return numberRecord(x)
	case *big.Int:
		s.size += len(x.Bits()) * 8
		return bigintRecord{x} // Export made a copy
	}
	s.fail("#<" + v.ExportType().String() + "> could not be cloned.")
	panic("unreachable")
}

// string keeps a string exactly: as Go text when that round-trips, as
// UTF-16 code units when it has lone surrogates.
func (s *serializer) string(str goja.String) stringRecord {
	g := str.String()
	n := str.Length()
	s.size += len(g)
	// A UTF-8 form as long as the UTF-16 one is ASCII; otherwise only a
	// U+FFFD may stand for a lone surrogate that String() replaced.
	if len(g) == n || !strings.ContainsRune(g, utf8.RuneError) {
		return stringRecord{s: g}
	}
	u := make([]uint16, n)
	for i := range u {
		u[i] = str.CharAt(i)
	}
	return stringRecord{u: u}
}

// object mirrors walk.object: the same kinds, told apart the same way, in
// the same order, with the same errors.
func (s *serializer) object(o *goja.Object) record {
	c := s.c
	t := o.ExportType()
	switch t {
	case proxyType:
		s.fail("#<Object> could not be cloned.")
	case arrayBufferType:
		return s.arrayBuffer(o)
	case promiseType:
		s.fail("#<Promise> could not be cloned.")
	case bigIntType:
		prim := s.call(c.bigintValueOf, o)
		return wrapperRecord{id: s.newID(o), prim: s.value(prim)}
	}
	class := o.ClassName()
	if class == "Object" {
		switch {
		case t == plainType:
			return s.ordinary(o)
		case t == mapType:
			return s.mapObject(o)
		case t == setType:
			return s.setObject(o)
		case typedArrayTypes[t]:
			return s.typedArray(o)
		}
		s.fail("#<Object> could not be cloned.")
	}
	switch class {
	case "Arguments":
		return s.ordinary(o)
	case "Array":
		return s.array(o)
	case "Boolean":
		return wrapperRecord{id: s.newID(o), prim: s.value(s.call(c.booleanValueOf, o))}
	case "Number":
		return wrapperRecord{id: s.newID(o), prim: s.value(s.call(c.numberValueOf, o))}
	case "String":
		return wrapperRecord{id: s.newID(o), prim: s.value(s.call(c.stringValueOf, o))}
	case "Date":
		return dateRecord{id: s.newID(o), t: s.call(c.dateGetTime, o).ToFloat()}
	case "RegExp":
		return s.regExp(o)
	case "Error":
		return s.error(o)
	case "Function", "AsyncFunction", "GeneratorFunction", "AsyncGeneratorFunction":
		if name, ok := o.Get("name").(goja.String); ok && name.String() != "" {
			s.fail("function " + name.String() + " could not be cloned.")
		}
		s.fail("function could not be cloned.")
	}
	s.fail("#<" + class + "> could not be cloned.")
	panic("unreachable")
}

func (s *serializer) ordinary(o *goja.Object) record {
	c := s.c
	if o == c.rt.GlobalObject() {
		s.fail("#<global> could not be cloned.")
	}
	for p := o.Prototype(); p != nil && p != c.objectProto; p = p.Prototype() {
		if kind, ok := c.protoKinds[p]; ok {
			if kind.is == nil || c.has(kind.is, o) {
				if kind.name == "DataView" {
					return s.dataView(o)
				}
				s.fail("#<" + kind.name + "> could not be cloned.")
			}
			break
		}
		if name, ok := c.platformPrototypes()[p]; ok {
			s.fail(name + " object could not be cloned.")
		}
	}
	r := objectRecord{id: s.newID(o)}
	r.props = s.properties(o)
	return r
}

// properties is walk.properties: own enumerable string keys, in order,
// read with [[Get]]; a key an earlier getter deleted is skipped.
func (s *serializer) properties(o *goja.Object) []property {
	keys := o.Keys()
	props := make([]property, 0, len(keys))
	for _, k := range keys {
		v := o.Get(k)
		if v == nil {
			continue
		}
		s.size += len(k)
		props = append(props, property{key: k, value: s.value(v)})
	}
	return props
}

func (s *serializer) array(o *goja.Object) record {
	r := arrayRecord{id: s.newID(o), length: o.Get("length").ToInteger()}
	r.props = s.properties(o)
	return r
}

func (s *serializer) regExp(o *goja.Object) record {
	c := s.c
	source, ok := s.call(c.regExpSource, o).(goja.String)
	if !ok {
		s.fail("#<RegExp> could not be cloned.")
	}
	var flags []byte
	for _, f := range c.regExpFlags {
		if s.call(f.get, o).ToBoolean() {
			flags = append(flags, f.flag)
		}
	}
	return regExpRecord{id: s.newID(o), source: s.string(source), flags: string(flags)}
}

func (s *serializer) arrayBuffer(o *goja.Object) record {
	buf := o.Export().(goja.ArrayBuffer)
	if buf.Detached() {
		s.fail("An ArrayBuffer is detached and could not be cloned.")
	}
	s.size += len(buf.Bytes())
	return arrayBufferRecord{id: s.newID(o), data: append([]byte(nil), buf.Bytes()...)}
}

func (s *serializer) typedArray(o *goja.Object) record {
	c := s.c
	name := s.call(c.typedArrayName, o).String()
	if c.typedArrayCtors[name] == nil {
		s.fail("#<" + name + "> could not be cloned.")
	}
	buf := s.call(c.typedArrayBuffer, o).(*goja.Object)
	if buf.Export().(goja.ArrayBuffer).Detached() {
		s.fail("An ArrayBuffer is detached and could not be cloned.")
	}
	offset := s.call(c.typedArrayByteOffset, o).ToInteger()
	length := s.call(c.typedArrayLength, o).ToInteger()
	b := s.value(buf)
	return viewRecord{id: s.newID(o), ctor: name, buffer: b, offset: offset, length: length}
}

func (s *serializer) dataView(o *goja.Object) record {
	c := s.c
	buf := s.call(c.dataViewBuffer, o).(*goja.Object)
	if buf.Export().(goja.ArrayBuffer).Detached() {
		s.fail("An ArrayBuffer is detached and could not be cloned.")
	}
	offset := s.call(c.dataViewByteOffset, o).ToInteger()
	length := s.call(c.dataViewByteLength, o).ToInteger()
	b := s.value(buf)
	return viewRecord{id: s.newID(o), ctor: "DataView", buffer: b, offset: offset, length: length}
}

// mapObject lists the entries first, then serializes each key and value,
// as walk.mapObject does.
func (s *serializer) mapObject(o *goja.Object) record {
	c := s.c
	r := mapRecord{id: s.newID(o)}
	var entries []goja.Value
	s.call(c.mapForEach, o, c.rt.ToValue(func(call goja.FunctionCall) goja.Value {
		entries = append(entries, call.Argument(1), call.Argument(0))
		return goja.Undefined()
	}))
	r.entries = make([]record, len(entries))
	for i, e := range entries {
		r.entries[i] = s.value(e)
	}
	return r
}

func (s *serializer) setObject(o *goja.Object) record {
	c := s.c
	r := setRecord{id: s.newID(o)}
	var items []goja.Value
	s.call(c.setForEach, o, c.rt.ToValue(func(call goja.FunctionCall) goja.Value {
		items = append(items, call.Argument(0))
		return goja.Undefined()
	}))
	r.items = make([]record, len(items))
	for i, v := range items {
		r.items[i] = s.value(v)
	}
	return r
}

// error serializes a DOMException or a native error as walk.error clones
// them.
func (s *serializer) error(o *goja.Object) record {
	c := s.c
	r := errorRecord{}
	if name, message, ok := events.DOMExceptionFields(c.rt, o); ok {
		msg := stringRecord{s: message}
		r.name, r.message, r.domException = name, &msg, true
	} else {
		r.name = "Error"
		if name, ok := o.Get("name").(goja.String); ok {
			if _, std := c.errorCtors[name.String()]; std {
				r.name = name.String()
			}
		}
		desc := s.call(c.ownDescriptor, goja.Undefined(), o, c.rt.ToValue("message"))
		if d, ok := desc.(*goja.Object); ok {
			if v := d.Get("value"); v != nil && d.Get("get") == nil {
				msg := s.string(toString(c.rt, v))
				r.message = &msg
			}
		}
	}
	if st, ok := o.Get("stack").(goja.String); ok {
		stack := s.string(st)
		r.stack = &stack
	}
	r.id = s.newID(o)
	return r
}

// toString is ECMAScript ToString, as a goja.String.
func toString(rt *goja.Runtime, v goja.Value) goja.String {
	p := v.ToString()
	if str, ok := p.(goja.String); ok {
		return str
	}
	return rt.ToValue(p.String()).(goja.String)
}
