package url

import (
	"reflect"
	"slices"
	"sync"

	"github.com/sockw/sockw/bindings/internal/webidl"

	"github.com/dop251/goja"
)

// searchParams is a URLSearchParams' internal slots: its list and, for the
// query object of a URL, that URL.
type searchParams struct {
	webidl.Expandos
	list []pair
	url  *urlObject
}

var typeSearchParams = reflect.TypeFor[*searchParams]()

// update is the URLSearchParams "update" steps: the URL's query follows the
// list. (Since whatwg/url#844 an opaque path cannot end in a bare space, so
// there are no trailing spaces to strip when the query goes.)
func (s *searchParams) update() {
	if s.url == nil {
		return
	}
	q := serializeForm(s.list)
	s.url.rec.query, s.url.rec.hasQuery = q, q != ""
}

// queryObject returns the URL's URLSearchParams, the same object each time.
func (b *binding) queryObject(u *urlObject) *goja.Object {
	if u.paramsObj == nil {
		u.params = &searchParams{url: u}
		if u.rec.hasQuery {
			u.params.list = parseForm(u.rec.query)
		}
		u.paramsObj = webidl.NewInstance(b.rt, b.paramsProto, u.params)
	}
	return u.paramsObj
}

func (b *binding) thisParams(this goja.Value, member string) *searchParams {
	if o, ok := this.(*goja.Object); ok && o.ExportType() == typeSearchParams {
		return o.Export().(*searchParams)
	}
	panic(b.errs.TypeError("Failed to execute '" + member + "' on 'URLSearchParams': Illegal invocation"))
}

func (b *binding) searchParamsClass() (*goja.Object, error) {
	rt := b.rt
	c, proto, err := b.classes.Class("URLSearchParams", 0, func(p *goja.Object, init, _ goja.Value) *goja.Object {
		s := &searchParams{}
		if !goja.IsUndefined(init) {
			s.list = b.initList(init)
		}
		return webidl.NewInstance(rt, p, s)
	})
	if err != nil {
		return nil, err
	}
	b.paramsProto = proto
	str := func(s string) goja.Value { return rt.ToValue(s) }
	op := func(name string, length int, f func(s *searchParams, call goja.FunctionCall) goja.Value) {
		webidl.Method(rt, proto, name, length, func(call goja.FunctionCall) goja.Value {
			s := b.thisParams(call.This, name)
			b.requireArgs(call, length, "'"+name+"' on 'URLSearchParams'")
			return f(s, call)
		})
	}
	// hasValue reports whether the optional value argument was given.
	hasValue := func(call goja.FunctionCall) bool {
		return len(call.Arguments) > 1 && !goja.IsUndefined(call.Argument(1))
	}
	webidl.Getter(rt, proto, "size", func(call goja.FunctionCall) goja.Value {
		return rt.ToValue(len(b.thisParams(call.This, "size").list))
	})
	op("append", 2, func(s *searchParams, call goja.FunctionCall) goja.Value {
		s.list = append(s.list, pair{b.usv(call.Argument(0)), b.usv(call.Argument(1))})
		s.update()
		return goja.Undefined()
	})
	op("delete", 1, func(s *searchParams, call goja.FunctionCall) goja.Value {
		name := b.usv(call.Argument(0))
		if hasValue(call) {
			value := b.usv(call.Argument(1))
			s.list = slices.DeleteFunc(s.list, func(p pair) bool { return p.name == name && p.value == value })
		} else {
			s.list = slices.DeleteFunc(s.list, func(p pair) bool { return p.name == name })
		}
		s.update()
		return goja.Undefined()
	})
	op("get", 1, func(s *searchParams, call goja.FunctionCall) goja.Value {
		name := b.usv(call.Argument(0))
		for _, p := range s.list {
			if p.name == name {
				return str(p.value)
			}
		}
		return goja.Null()
	})
	op("getAll", 1, func(s *searchParams, call goja.FunctionCall) goja.Value {
		name := b.usv(call.Argument(0))
		var out []any
		for _, p := range s.list {
			if p.name == name {
				out = append(out, p.value)
			}
		}
		return rt.NewArray(out...)
	})
	op("has", 1, func(s *searchParams, call goja.FunctionCall) goja.Value {
		name := b.usv(call.Argument(0))
		withValue := hasValue(call)
		var value string
		if withValue {
			value = b.usv(call.Argument(1))
		}
		for _, p := range s.list {
			if p.name == name && (!withValue || p.value == value) {
				return rt.ToValue(true)
			}
		}
		return rt.ToValue(false)
	})
	op("set", 2, func(s *searchParams, call goja.FunctionCall) goja.Value {
		name, value := b.usv(call.Argument(0)), b.usv(call.Argument(1))
		found := false
		s.list = slices.DeleteFunc(s.list, func(p pair) bool {
			if p.name != name {
				return false
			}
			if found {
				return true
			}
			found = true
			return false
		})
		if i := slices.IndexFunc(s.list, func(p pair) bool { return p.name == name }); i >= 0 {
			s.list[i].value = value
		} else {
			s.list = append(s.list, pair{name, value})
		}
		s.update()
		return goja.Undefined()
	})
	op("sort", 0, func(s *searchParams, _ goja.FunctionCall) goja.Value {
		slices.SortStableFunc(s.list, func(a, b pair) int {
			switch {
			case lessUTF16(a.name, b.name):
				return -1
			case lessUTF16(b.name, a.name):
				return 1
			}
			return 0
		})
		s.update()
		return goja.Undefined()
	})
	op("toString", 0, func(s *searchParams, _ goja.FunctionCall) goja.Value {
		return str(serializeForm(s.list))
	})
	op("forEach", 1, func(s *searchParams, call goja.FunctionCall) goja.Value {
		cb, ok := goja.AssertFunction(call.Argument(0))
		if !ok {
			panic(b.errs.TypeError("Failed to execute 'forEach' on 'URLSearchParams': parameter 1 is not of type 'Function'."))
		}
		// The list is live: callbacks that change it change what is visited.
		for i := 0; i < len(s.list); i++ {
			p := s.list[i]
			if _, err := cb(call.Argument(1), str(p.value), str(p.name), call.This); err != nil {
				panic(err)
			}
		}
		return goja.Undefined()
	})
	if err := b.defineIterators(proto); err != nil {
		return nil, err
	}
	return c, nil
}

// initList converts the constructor's argument: a sequence of pairs, a
// record, or a string in application/x-www-form-urlencoded form.
func (b *binding) initList(init goja.Value) []pair {
	o, isObj := init.(*goja.Object)
	if !isObj {
		s := b.usv(init)
		if len(s) > 0 && s[0] == '?' {
			s = s[1:]
		}
		return parseForm(s)
	}
	if it := o.GetSymbol(goja.SymIterator); it != nil && !goja.IsUndefined(it) && !goja.IsNull(it) {
		if _, ok := goja.AssertFunction(it); !ok {
			panic(b.errs.TypeError("Failed to construct 'URLSearchParams': The object's @@iterator is not callable."))
		}
		var list []pair
		b.rt.ForOf(init, func(item goja.Value) bool {
			if _, ok := item.(*goja.Object); !ok {
				panic(b.errs.TypeError("Failed to construct 'URLSearchParams': The provided value cannot be converted to a sequence."))
			}
			var pairItems []string
			b.rt.ForOf(item, func(v goja.Value) bool {
				pairItems = append(pairItems, b.usv(v))
				return true
			})
			if len(pairItems) != 2 {
				panic(b.errs.TypeError("Failed to construct 'URLSearchParams': Sequence initializer must only contain pair elements"))
			}
			list = append(list, pair{pairItems[0], pairItems[1]})
			return true
		})
		return list
	}
	var list []pair
	for _, k := range o.Keys() {
		v := o.Get(k)
		if v == nil {
			v = goja.Undefined()
		}
		list = append(list, pair{k, b.usv(v)})
	}
	return list
}

// iterator is a URLSearchParams Iterator's slots: it walks the live list.
type iterator struct {
	webidl.Expandos
	params *searchParams
	kind   int // 0 keys, 1 values, 2 entries
	index  int
}

var typeIterator = reflect.TypeFor[*iterator]()

var iteratorProtoProgram = sync.OnceValues(func() (*goja.Program, error) {
	return goja.Compile("url/iterator.js", `Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()))`, true)
})

// defineIterators defines keys, values, entries (operations: enumerable) and
// @@iterator (the same function as entries, not enumerable), as WebIDL does
// for a pair iterator. The iterator prototype, which inherits from
// %IteratorPrototype%, is made when the first iterator is.
func (b *binding) defineIterators(proto *goja.Object) error {
	rt := b.rt
	mk := func(name string, kind int) *goja.Object {
		f := webidl.Func(rt, name, 0, func(call goja.FunctionCall) goja.Value {
			s := b.thisParams(call.This, name)
			return webidl.NewInstance(rt, b.iteratorProto(), &iterator{params: s, kind: kind})
		})
		_ = proto.DefineDataProperty(name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
		return f
	}
	mk("keys", 0)
	mk("values", 1)
	entries := mk("entries", 2)
	return proto.DefineDataPropertySymbol(goja.SymIterator, entries, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// iteratorProto returns the prototype of URLSearchParams iterators.
func (b *binding) iteratorProto() *goja.Object {
	if b.iterProto != nil {
		return b.iterProto
	}
	rt := b.rt
	prg, err := iteratorProtoProgram()
	if err != nil {
		panic(b.errs.TypeError("url: " + err.Error()))
	}
	v, err := rt.RunProgram(prg)
	if err != nil {
		panic(err)
	}
	b.iterProto = rt.CreateObject(v.(*goja.Object))
	_ = b.iterProto.DefineDataPropertySymbol(goja.SymToStringTag, rt.ToValue("URLSearchParams Iterator"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	webidl.Method(rt, b.iterProto, "next", 0, func(call goja.FunctionCall) goja.Value {
		o, ok := call.This.(*goja.Object)
		if !ok || o.ExportType() != typeIterator {
			panic(b.errs.TypeError("Failed to execute 'next' on 'URLSearchParams Iterator': Illegal invocation"))
		}
		it := o.Export().(*iterator)
		res := rt.NewObject()
		if it.index >= len(it.params.list) {
			_ = res.Set("value", goja.Undefined())
			_ = res.Set("done", true)
			return res
		}
		p := it.params.list[it.index]
		it.index++
		switch it.kind {
		case 0:
			_ = res.Set("value", p.name)
		case 1:
			_ = res.Set("value", p.value)
		default:
			_ = res.Set("value", rt.NewArray(p.name, p.value))
		}
		_ = res.Set("done", false)
		return res
	})
	return b.iterProto
}
