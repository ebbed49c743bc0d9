package kv

import (
	"context"
	"fmt"

	"github.com/dop251/goja"
)

// valueType is the type option of get: how a value reaches the script.
type valueType int

const (
	typeText valueType = iota
	typeJSON
	typeArrayBuffer
	typeStream
)

var valueTypes = map[string]valueType{
	"text":        typeText,
	"json":        typeJSON,
	"arrayBuffer": typeArrayBuffer,
	"stream":      typeStream,
}

// get is KvNamespace.prototype.get(key, type | {type, cacheTtl}): the value,
// or null; with an array of keys, a Map of them (a bulk read).
func (iso *isolate) get(call goja.FunctionCall) goja.Value {
	s := iso.store(call.This)
	return iso.guard(func() goja.Value { return iso.read(s, call, false) })
}

// getWithMetadata is KvNamespace.prototype.getWithMetadata(key, type |
// {type, cacheTtl}): {value, metadata, cacheStatus}, value and metadata
// null when the key is missing.
func (iso *isolate) getWithMetadata(call goja.FunctionCall) goja.Value {
	s := iso.store(call.This)
	return iso.guard(func() goja.Value { return iso.read(s, call, true) })
}

// guard turns an exception thrown while a method reads its arguments (a
// getter's, a toString's) into the rejection of the promise the method
// returns, as workerd's evalNow does.
func (iso *isolate) guard(fn func() goja.Value) (res goja.Value) {
	if ex := iso.rt.Try(func() { res = fn() }); ex != nil {
		return iso.rejected(ex.Value())
	}
	return res
}

func (iso *isolate) read(s Store, call goja.FunctionCall, withMetadata bool) goja.Value {
	method := "get()"
	if withMetadata {
		method = "getWithMetadata()"
	}
	if keys, ok := call.Argument(0).(*goja.Object); ok && keys.ClassName() == "Array" {
		return iso.readBulk(s, keys, call.Argument(1), method, withMetadata)
	}
	key, reason := iso.checkKey(call.Argument(0), method, "GET")
	if reason != nil {
		return iso.rejected(reason)
	}
	typ, reason := iso.readOptions(call.Argument(1), "GET")
	if reason != nil {
		return iso.rejected(reason)
	}
	return iso.spawn(func(ctx context.Context) settle {
		e, found, err := s.Get(ctx, key)
		return func() (goja.Value, goja.Value) {
			if err != nil {
				return nil, iso.storeFailure("GET", err)
			}
			if !found {
				if withMetadata {
					return iso.withMetadata(goja.Null(), goja.Null()), nil
				}
				return goja.Null(), nil
			}
			v, reason := iso.decode(e.Value, typ)
			if reason != nil || !withMetadata {
				return v, reason
			}
			meta, reason := iso.metadata(e.Metadata)
			if reason != nil {
				return nil, reason
			}
			return iso.withMetadata(v, meta), nil
		}
	})
}

// readOptions converts get's second argument, (DOMString or GetOptions):
// nothing means text, an object is {type, cacheTtl}, anything else is a
// type name.
func (iso *isolate) readOptions(v goja.Value, op string) (valueType, goja.Value) {
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return typeText, nil
	}
	var name goja.Value
	if o, ok := v.(*goja.Object); ok {
		name = o.Get("type")
		if ttl := o.Get("cacheTtl"); ttl != nil && !goja.IsUndefined(ttl) {
			// Checked, then ignored: one node has no edge cache to tune.
			if f := ttl.ToFloat(); !(f >= MinCacheTTL) {
				return 0, iso.newError(fmt.Sprintf("KV %s failed: 400 Invalid cache_ttl of %s. Cache TTL must be at least %d.", op, formatInteger(f), MinCacheTTL))
			}
		}
	} else {
		name = v
	}
	if name == nil || goja.IsUndefined(name) {
		return typeText, nil
	}
	if _, ok := name.(*goja.Symbol); ok {
		return 0, iso.typeError("Cannot convert a Symbol value to a string")
	}
	typ, ok := valueTypes[name.String()]
	if !ok {
		return 0, iso.typeError(`Unknown response type. Possible types are "text", "arrayBuffer", "json", and "stream".`)
	}
	return typ, nil
}

// decode turns a stored value into what the type option asks for. The
// bytes are the caller's (a copy made by the Store), so an ArrayBuffer
// takes them without another copy.
func (iso *isolate) decode(b []byte, typ valueType) (goja.Value, goja.Value) {
	rt := iso.rt
	switch typ {
	case typeText:
		return rt.ToValue(string(b)), nil
	case typeArrayBuffer:
		return rt.ToValue(rt.NewArrayBuffer(b)), nil
	}
	h, err := iso.helpers()
	if err != nil {
		return nil, iso.typeError(err.Error())
	}
	if typ == typeJSON {
		v, err := h.parse(goja.Undefined(), rt.ToValue(string(b)))
		if err != nil {
			return nil, exceptionValue(err)
		}
		return v, nil
	}
	ctor, ok := rt.GlobalObject().Get("ReadableStream").(*goja.Object)
	if !ok {
		return nil, iso.typeError(`KV get() cannot return a "stream": there is no global ReadableStream.`)
	}
	v, err := h.newStream(goja.Undefined(), ctor, rt.ToValue(rt.NewArrayBuffer(b)))
	if err != nil {
		return nil, exceptionValue(err)
	}
	return v, nil
}

// metadata parses stored metadata; none is null.
func (iso *isolate) metadata(b []byte) (goja.Value, goja.Value) {
	if b == nil {
		return goja.Null(), nil
	}
	h, err := iso.helpers()
	if err != nil {
		return nil, iso.typeError(err.Error())
	}
	v, err := h.parse(goja.Undefined(), iso.rt.ToValue(string(b)))
	if err != nil {
		return nil, exceptionValue(err)
	}
	return v, nil
}

func (iso *isolate) withMetadata(value, metadata goja.Value) goja.Value {
	o := iso.rt.NewObject()
	_ = o.Set("value", value)
	_ = o.Set("metadata", metadata)
	_ = o.Set("cacheStatus", goja.Null())
	return o
}

// readBulk is get or getWithMetadata with an array of keys: at most
// MaxBulkKeys, read as "text" or "json" only, giving a Map from each key to
// its value (or {value, metadata, cacheStatus}), null for missing keys.
func (iso *isolate) readBulk(s Store, arr *goja.Object, opts goja.Value, method string, withMetadata bool) goja.Value {
	rt := iso.rt
	n := arr.Get("length").ToInteger()
	if n > MaxBulkKeys {
		return iso.rejected(iso.newError(fmt.Sprintf("KV GET_BULK failed: 400 You can request a maximum of %d keys", MaxBulkKeys)))
	}
	keys := make([]string, n)
	for i := range keys {
		k, reason := iso.checkKey(arr.Get(fmt.Sprint(i)), method, "GET_BULK")
		if reason != nil {
			return iso.rejected(reason)
		}
		keys[i] = k
	}
	typ, reason := iso.readOptions(opts, "GET_BULK")
	if reason != nil {
		return iso.rejected(reason)
	}
	if typ != typeText && typ != typeJSON {
		return iso.rejected(iso.newError(`KV GET_BULK failed: 400 Bulk reads support only the "text" and "json" types`))
	}
	return iso.spawn(func(ctx context.Context) settle {
		entries := make([]Entry, len(keys))
		found := make([]bool, len(keys))
		var err error
		for i, k := range keys {
			if entries[i], found[i], err = s.Get(ctx, k); err != nil {
				break
			}
		}
		return func() (goja.Value, goja.Value) {
			if err != nil {
				return nil, iso.storeFailure("GET_BULK", err)
			}
			h, herr := iso.helpers()
			if herr != nil {
				return nil, iso.typeError(herr.Error())
			}
			values := make([]any, len(keys))
			jsKeys := make([]any, len(keys))
			for i, e := range entries {
				jsKeys[i] = keys[i]
				if !found[i] {
					values[i] = goja.Null()
					continue
				}
				v, reason := iso.decode(e.Value, typ)
				if reason != nil {
					return nil, reason
				}
				if withMetadata {
					meta, reason := iso.metadata(e.Metadata)
					if reason != nil {
						return nil, reason
					}
					v = iso.withMetadata(v, meta)
				}
				values[i] = v
			}
			m, err := h.newMap(goja.Undefined(), rt.NewArray(jsKeys...), rt.NewArray(values...))
			if err != nil {
				return nil, exceptionValue(err)
			}
			return m, nil
		}
	})
}

// exceptionValue returns what a helper threw, for rejecting with it. An
// error no script may catch (an interrupt) is panicked on: inside a native
// goja unwinds with it, and spawn hands it to the loop.
func exceptionValue(err error) goja.Value {
	if ex, ok := err.(*goja.Exception); ok {
		return ex.Value()
	}
	panic(err)
}
