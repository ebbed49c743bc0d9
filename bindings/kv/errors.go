package kv

import (
	"fmt"
	"math"
	"strconv"

	"github.com/dop251/goja"
)

// newError returns an Error, as workerd rejects with for what the KV
// service refuses (the texts start "KV <OP> failed: <status>"). The Error
// constructor is the isolate's own, captured on first use, so a script that
// replaces the global cannot change what KV rejects with.
func (iso *isolate) newError(msg string) goja.Value {
	rt := iso.rt
	if iso.errCtor == nil {
		iso.errCtor, _ = rt.GlobalObject().Get("Error").(*goja.Object)
	}
	if iso.errCtor != nil {
		if o, err := rt.New(iso.errCtor, rt.ToValue(msg)); err == nil {
			return o
		}
	}
	return rt.NewTypeError(msg)
}

func (iso *isolate) typeError(msg string) goja.Value { return iso.rt.NewTypeError(msg) }

// checkKey validates a key as workerd and the KV service do. method names
// the call in errors ("get()" for a non-string, "GET" for the service's
// texts). It returns the key, or the reason to reject with.
func (iso *isolate) checkKey(v goja.Value, call, op string) (string, goja.Value) {
	s, ok := v.(goja.String)
	if !ok {
		return "", iso.typeError(fmt.Sprintf("KV %s key must be a string, not %s.", call, typeOf(v)))
	}
	key := s.String()
	switch {
	case key == "":
		return "", iso.typeError("Key name cannot be empty.")
	case key == ".":
		return "", iso.typeError(`"." is not allowed as a key name.`)
	case key == "..":
		return "", iso.typeError(`".." is not allowed as a key name.`)
	case len(key) > MaxKeySize:
		return "", iso.keyTooLong(op, key)
	}
	return key, nil
}

func (iso *isolate) keyTooLong(op, key string) goja.Value {
	return iso.newError(fmt.Sprintf("KV %s failed: 414 UTF-8 encoded length of %d exceeds key length limit of %d.", op, len(key), MaxKeySize))
}

// typeOf is JavaScript's typeof, for error texts.
func typeOf(v goja.Value) string {
	switch {
	case v == nil || goja.IsUndefined(v):
		return "undefined"
	case goja.IsNull(v):
		return "null"
	}
	switch v.(type) {
	case goja.String:
		return "string"
	case *goja.Symbol:
		return "symbol"
	case *goja.Object:
		if _, ok := goja.AssertFunction(v); ok {
			return "function"
		}
		return "object"
	}
	switch v.Export().(type) {
	case bool:
		return "boolean"
	case int64, float64:
		return "number"
	}
	return "bigint"
}

// formatInteger shows a number the way the KV service echoes a parameter
// back in its errors: as an integer where it is one.
func formatInteger(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return strconv.FormatFloat(math.Trunc(f), 'f', -1, 64)
}
