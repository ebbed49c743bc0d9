package kv

import (
	"context"
	"fmt"

	"github.com/dop251/goja"
)

// list is KvNamespace.prototype.list({prefix, limit, cursor}): a page of
// keys in byte order, {keys: [{name, expiration?, metadata?}],
// list_complete, cursor?, cacheStatus}. cursor is there only when
// list_complete is false, as in workerd.
func (iso *isolate) list(call goja.FunctionCall) goja.Value {
	s := iso.store(call.This)
	return iso.guard(func() goja.Value { return iso.listKeys(s, call.Argument(0)) })
}

func (iso *isolate) listKeys(s Store, opts goja.Value) goja.Value {
	var prefix, cursor string
	limit := MaxListLimit
	if opts != nil && !goja.IsUndefined(opts) && !goja.IsNull(opts) {
		o, ok := opts.(*goja.Object)
		if !ok {
			return iso.rejected(iso.typeError("KV list() options must be an object."))
		}
		// In WebIDL's order: cursor, limit, prefix.
		if v := o.Get("cursor"); v != nil && !goja.IsUndefined(v) && !goja.IsNull(v) {
			cursor = v.String()
		}
		if v := o.Get("limit"); v != nil && !goja.IsUndefined(v) {
			// As workerd: a limit that is not positive asks for the default.
			if f := v.ToFloat(); f > MaxListLimit {
				return iso.rejected(iso.newError(fmt.Sprintf("KV GET failed: 400 Invalid key_count_limit of %s. Please specify an integer less than %d.", formatInteger(f), MaxListLimit)))
			} else if f >= 1 {
				limit = int(f)
			}
		}
		if v := o.Get("prefix"); v != nil && !goja.IsUndefined(v) && !goja.IsNull(v) {
			if _, ok := v.(*goja.Symbol); ok {
				return iso.rejected(iso.typeError("Cannot convert a Symbol value to a string"))
			}
			prefix = v.String()
			if len(prefix) > MaxKeySize {
				return iso.rejected(iso.keyTooLong("GET", prefix))
			}
		}
	}
	return iso.spawn(func(ctx context.Context) settle {
		keys, next, err := s.List(ctx, prefix, cursor, limit)
		return func() (goja.Value, goja.Value) {
			if err != nil {
				return nil, iso.storeFailure("GET", err)
			}
			return iso.listResult(keys, next)
		}
	})
}

func (iso *isolate) listResult(keys []ListedKey, next string) (goja.Value, goja.Value) {
	rt := iso.rt
	items := make([]any, len(keys))
	for i, k := range keys {
		o := rt.NewObject()
		_ = o.Set("name", k.Name)
		if k.Expiration != 0 {
			_ = o.Set("expiration", k.Expiration)
		}
		if k.Metadata != nil {
			meta, reason := iso.metadata(k.Metadata)
			if reason != nil {
				return nil, reason
			}
			_ = o.Set("metadata", meta)
		}
		items[i] = o
	}
	res := rt.NewObject()
	_ = res.Set("keys", rt.NewArray(items...))
	_ = res.Set("list_complete", next == "")
	if next != "" {
		_ = res.Set("cursor", next)
	}
	_ = res.Set("cacheStatus", goja.Null())
	return res, nil
}

// delete is KvNamespace.prototype.delete(key): it resolves once the key is
// durably gone, whether or not it was there.
func (iso *isolate) delete(call goja.FunctionCall) goja.Value {
	s := iso.store(call.This)
	return iso.guard(func() goja.Value {
		key, reason := iso.checkKey(call.Argument(0), "delete()", "DELETE")
		if reason != nil {
			return iso.rejected(reason)
		}
		return iso.spawn(func(ctx context.Context) settle {
			err := s.Delete(ctx, key)
			return func() (goja.Value, goja.Value) {
				if err != nil {
					return nil, iso.storeFailure("DELETE", err)
				}
				return goja.Undefined(), nil
			}
		})
	})
}
