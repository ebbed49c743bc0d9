package clone

import (
	"errors"
	"fmt"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings/events"
)

// ErrInvalidSerialized is returned by Deserialize for a Serialized that
// Serialize did not make (the zero value).
var ErrInvalidSerialized = errors.New("clone: not a serialized value")

// Deserialize is HTML's StructuredDeserialize: it builds in rt a new value
// from s, with fresh objects each time (an ArrayBuffer's bytes are copied),
// so one Serialized can be deserialized in many runtimes. An exception (for
// example a RangeError when an ArrayBuffer cannot be allocated) is returned
// as a *goja.Exception. Loop goroutine only.
func Deserialize(rt *goja.Runtime, s Serialized) (v goja.Value, err error) {
	if s.root == nil {
		return nil, ErrInvalidSerialized
	}
	c := lookup(rt)
	if c == nil {
		return nil, ErrNotInstalled
	}
	defer func() {
		if x := recover(); x != nil {
			e, ok := x.(error)
			if !ok || !uncatchable(e) {
				panic(x)
			}
			v, err = nil, e
		}
	}()
	if err := c.ready(); err != nil {
		return nil, err
	}
	d := &deserializer{walk: walk{c: c}, memory: make([]goja.Value, s.objects)}
	if ex := rt.Try(func() { v = d.value(s.root) }); ex != nil {
		return nil, ex
	}
	return v, nil
}

// deserializer is one Deserialize operation; memory holds the objects made
// so far, by record id.
type deserializer struct {
	walk
	memory []goja.Value
}

func (d *deserializer) remember(id int, v goja.Value) {
	if id < 0 || id >= len(d.memory) {
		panic(d.c.rt.NewTypeError(fmt.Sprintf("clone: corrupt serialization: object id %d", id)))
	}
	d.memory[id] = v
}

func (d *deserializer) value(r record) goja.Value {
	rt := d.c.rt
	switch r := r.(type) {
	case undefinedRecord:
		return goja.Undefined()
	case nullRecord:
		return goja.Null()
	case boolRecord:
		return rt.ToValue(bool(r))
	case numberRecord:
		return rt.ToValue(float64(r))
	case bigintRecord:
		return rt.ToValue(r.v) // ToValue copies the *big.Int
	case stringRecord:
		return d.string(r)
	case refRecord:
		if int(r) < 0 || int(r) >= len(d.memory) || d.memory[r] == nil {
			panic(rt.NewTypeError(fmt.Sprintf("clone: corrupt serialization: reference to object %d", int(r))))
		}
		return d.memory[r]
	case wrapperRecord:
		out := d.call(d.c.objectFn, goja.Undefined(), d.value(r.prim))
		d.remember(r.id, out)
		return out
	case dateRecord:
		out := d.construct(d.c.dateCtor, rt.ToValue(r.t))
		d.remember(r.id, out)
		return out
	case regExpRecord:
		out := d.construct(d.c.regExpCtor, d.string(r.source), rt.ToValue(r.flags))
		d.remember(r.id, out)
		return out
	case arrayBufferRecord:
		out := rt.ToValue(rt.NewArrayBuffer(append([]byte(nil), r.data...)))
		d.remember(r.id, out)
		return out
	case viewRecord:
		return d.view(r)
	case mapRecord:
		out := d.construct(d.c.mapCtor)
		d.remember(r.id, out)
		for i := 0; i+1 < len(r.entries); i += 2 {
			k := d.value(r.entries[i])
			v := d.value(r.entries[i+1])
			d.call(d.c.mapSet, out, k, v)
		}
		return out
	case setRecord:
		out := d.construct(d.c.setCtor)
		d.remember(r.id, out)
		for _, item := range r.items {
			d.call(d.c.setAdd, out, d.value(item))
		}
		return out
	case errorRecord:
		return d.error(r)
	case arrayRecord:
		out := rt.NewArray()
		d.remember(r.id, out)
		if err := out.Set("length", r.length); err != nil {
			panic(err)
		}
		d.properties(out, r.props)
		return out
	case objectRecord:
		out := rt.NewObject()
		d.remember(r.id, out)
		d.properties(out, r.props)
		return out
	}
	panic(rt.NewTypeError(fmt.Sprintf("clone: corrupt serialization: record %T", r)))
}

func (d *deserializer) string(r stringRecord) goja.Value {
	if r.u != nil {
		return goja.StringFromUTF16(r.u)
	}
	return d.c.rt.ToValue(r.s)
}

func (d *deserializer) properties(out *goja.Object, props []property) {
	for _, p := range props {
		if err := out.DefineDataProperty(p.key, d.value(p.value), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
			panic(err)
		}
	}
}

func (d *deserializer) view(r viewRecord) goja.Value {
	rt := d.c.rt
	ctor := d.c.dataViewCtor
	if r.ctor != "DataView" {
		ctor = d.c.typedArrayCtors[r.ctor]
	}
	if ctor == nil {
		panic(rt.NewTypeError("clone: corrupt serialization: no constructor " + r.ctor))
	}
	buf := d.value(r.buffer)
	out := d.construct(ctor, buf, rt.ToValue(r.offset), rt.ToValue(r.length))
	d.remember(r.id, out)
	return out
}

func (d *deserializer) error(r errorRecord) goja.Value {
	rt := d.c.rt
	var out *goja.Object
	if r.domException {
		var msg string
		if r.message != nil {
			msg = r.message.s
		}
		out = events.NewDOMException(rt, msg, r.name)
	} else {
		ctor := d.c.errorCtors[r.name]
		if ctor == nil {
			ctor = d.c.errorCtors["Error"]
		}
		out = d.construct(ctor)
		if r.message != nil {
			if err := out.DefineDataProperty("message", d.string(*r.message), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
				panic(err)
			}
		}
	}
	if r.stack != nil {
		if err := out.DefineDataProperty("stack", d.string(*r.stack), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			panic(err)
		}
	}
	d.remember(r.id, out)
	return out
}
