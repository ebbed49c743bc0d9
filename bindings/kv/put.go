package kv

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"reflect"
	"time"

	"github.com/dop251/goja"
)

var arrayBufferType = reflect.TypeOf(goja.ArrayBuffer{})

const putTypesError = "KV put() accepts only strings, ArrayBuffers, ArrayBufferViews, and ReadableStreams as values."

// put is KvNamespace.prototype.put(key, value, {expiration, expirationTtl,
// metadata}). The promise resolves once the value is durable (see
// Store.Put).
func (iso *isolate) put(call goja.FunctionCall) goja.Value {
	s := iso.store(call.This)
	return iso.guard(func() goja.Value { return iso.write(s, call) })
}

func (iso *isolate) write(s Store, call goja.FunctionCall) goja.Value {
	rt := iso.rt
	key, reason := iso.checkKey(call.Argument(0), "put()", "PUT")
	if reason != nil {
		return iso.rejected(reason)
	}
	var e Entry
	opts, reason := iso.putOptions(call.Argument(2), &e)
	if reason != nil {
		return iso.rejected(reason)
	}
	var stream *goja.Object
	switch v := call.Argument(1).(type) {
	case goja.String:
		e.Value = []byte(v.String())
	case *goja.Object:
		if v.ExportType() == arrayBufferType {
			e.Value = bytes.Clone(v.Export().(goja.ArrayBuffer).Bytes())
			break
		}
		h, err := iso.helpers()
		if err != nil {
			return iso.rejected(iso.typeError(err.Error()))
		}
		view, err := h.viewBytes(goja.Undefined(), v)
		if err != nil {
			return iso.rejected(exceptionValue(err))
		}
		if u8, ok := view.(*goja.Object); ok {
			e.Value = bytes.Clone(u8.Export().([]byte))
			break
		}
		if rs, ok := rt.GlobalObject().Get("ReadableStream").(*goja.Object); ok && rt.InstanceOf(v, rs) {
			stream = v
			break
		}
		return iso.rejected(iso.typeError(putTypesError))
	default:
		return iso.rejected(iso.typeError(putTypesError))
	}
	if reason := iso.checkPut(opts, &e); reason != nil {
		return iso.rejected(reason)
	}
	if stream != nil {
		return iso.putStream(s, key, e, stream)
	}
	if len(e.Value) > MaxValueSize {
		return iso.rejected(iso.valueTooLong(len(e.Value)))
	}
	return iso.spawn(iso.putWork(s, key, e))
}

func (iso *isolate) putWork(s Store, key string, e Entry) func(context.Context) settle {
	return func(ctx context.Context) settle {
		err := s.Put(ctx, key, e)
		return func() (goja.Value, goja.Value) {
			if err != nil {
				return nil, iso.storeFailure("PUT", err)
			}
			return goja.Undefined(), nil
		}
	}
}

// putStream reads a ReadableStream to its end (in JavaScript: its chunks
// may come from script), then stores what it read.
func (iso *isolate) putStream(s Store, key string, e Entry, stream *goja.Object) goja.Value {
	rt := iso.rt
	h, err := iso.helpers()
	if err != nil {
		return iso.rejected(iso.typeError(err.Error()))
	}
	tooLong := rt.ToValue(func(call goja.FunctionCall) goja.Value {
		return iso.valueTooLong(int(call.Argument(0).ToInteger()))
	})
	store := rt.ToValue(func(call goja.FunctionCall) goja.Value {
		u8, ok := call.Argument(0).(*goja.Object)
		if !ok {
			panic(iso.typeError("KV put(): the stream gave no bytes"))
		}
		// helpers.js made this array for us alone: no copy needed.
		e.Value, _ = u8.Export().([]byte)
		return iso.spawn(iso.putWork(s, key, e))
	})
	p, err := h.putStream(goja.Undefined(), stream, rt.ToValue(MaxValueSize), tooLong, store)
	if err != nil {
		return iso.rejected(exceptionValue(err))
	}
	return p
}

func (iso *isolate) valueTooLong(n int) goja.Value {
	return iso.newError(fmt.Sprintf("KV PUT failed: 413 Value length of %d exceeds limit of %d.", n, MaxValueSize))
}

// putOptions holds put's expiration options, as given.
type putOptions struct {
	expiration, expirationTTL goja.Value
}

// putOptions converts put's options dictionary: metadata to JSON text in
// e, the expirations kept for checkPut (the KV service's checks come after
// the binding's).
func (iso *isolate) putOptions(v goja.Value, e *Entry) (putOptions, goja.Value) {
	var opts putOptions
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return opts, nil
	}
	o, ok := v.(*goja.Object)
	if !ok {
		return opts, iso.typeError("KV put() options must be an object.")
	}
	// In WebIDL's order: expiration, expirationTtl, metadata.
	opts.expiration = o.Get("expiration")
	opts.expirationTTL = o.Get("expirationTtl")
	meta := o.Get("metadata")
	if meta != nil && !goja.IsUndefined(meta) && !goja.IsNull(meta) {
		h, err := iso.helpers()
		if err != nil {
			return opts, iso.typeError(err.Error())
		}
		j, err := h.stringify(goja.Undefined(), meta)
		if err != nil {
			return opts, exceptionValue(err)
		}
		if s, ok := j.(goja.String); ok {
			e.Metadata = []byte(s.String())
		}
	}
	return opts, nil
}

// checkPut applies the KV service's checks of expirations and metadata,
// and sets e.Expiration. expirationTtl wins over expiration.
func (iso *isolate) checkPut(opts putOptions, e *Entry) goja.Value {
	now := time.Now().Unix()
	switch ttl, exp := opts.expirationTTL, opts.expiration; {
	case ttl != nil && !goja.IsUndefined(ttl):
		f := math.Trunc(ttl.ToFloat())
		if !(f > 0) || math.IsInf(f, 1) {
			return iso.newError(fmt.Sprintf("KV PUT failed: 400 Invalid expiration_ttl of %s. Please specify integer greater than 0.", formatInteger(f)))
		}
		if f < MinExpirationTTL {
			return iso.newError(fmt.Sprintf("KV PUT failed: 400 Invalid expiration_ttl of %s. Expiration TTL must be at least %d.", formatInteger(f), MinExpirationTTL))
		}
		e.Expiration = now + int64(math.Min(f, maxExpiration))
	case exp != nil && !goja.IsUndefined(exp):
		f := math.Trunc(exp.ToFloat())
		if !(f > float64(now)) || math.IsInf(f, 1) {
			return iso.newError(fmt.Sprintf("KV PUT failed: 400 Invalid expiration of %s. Please specify integer greater than the current number of seconds since the UNIX epoch.", formatInteger(f)))
		}
		if f < float64(now+MinExpirationTTL) {
			return iso.newError(fmt.Sprintf("KV PUT failed: 400 Invalid expiration of %s. Expiration times must be at least %d seconds in the future.", formatInteger(f), MinExpirationTTL))
		}
		e.Expiration = int64(math.Min(f, maxExpiration))
	}
	if len(e.Metadata) > MaxMetadataSize {
		return iso.newError(fmt.Sprintf("KV PUT failed: 413 Metadata length of %d exceeds limit of %d.", len(e.Metadata), MaxMetadataSize))
	}
	return nil
}

// maxExpiration caps expirations far beyond any use (2^42 seconds is some
// 139,000 years), so that adding now cannot overflow.
const maxExpiration = 1 << 42
