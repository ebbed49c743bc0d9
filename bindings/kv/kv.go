// Package kv gives workers key-value namespaces shaped like Cloudflare
// Workers KV (https://developers.cloudflare.com/kv/api/): objects handed to a
// worker in its env, with get, getWithMetadata, put, delete and list, over a
// Store. Bolt, a Store in one bbolt file per namespace, is the embedded one.
//
// Every method returns a promise. Arguments are checked on the loop
// goroutine, with Cloudflare's limits and error texts; the storage call then
// runs on a goroutine of its own and settles the promise through the event
// loop, so a slow disk never stalls the isolate.
package kv

import (
	"context"
	"errors"
	"fmt"

	"github.com/dop251/goja"
	"go.uber.org/zap"

	"github.com/sockw/sockw/bindings"
)

// Cloudflare's limits (https://developers.cloudflare.com/kv/platform/limits/).
const (
	MaxKeySize       = 512      // bytes of a key, UTF-8 encoded
	MaxValueSize     = 25 << 20 // bytes of a value
	MaxMetadataSize  = 1024     // bytes of metadata, serialized as JSON
	MinExpirationTTL = 60       // seconds
	MinCacheTTL      = 60       // seconds
	MaxListLimit     = 1000     // keys per list() page, also the default
	MaxBulkKeys      = 100      // keys per bulk get()
)

// isolateKey names the global property under which New keeps the isolate's
// *isolate: read-only and opaque to scripts.
var isolateKey = goja.NewSymbol("sockw.kv")

// isolate is the KV state of one runtime, shared by its namespaces. Event
// loop only.
type isolate struct {
	h          *bindings.Host
	rt         *goja.Runtime
	proto      *goja.Object
	namespaces map[*goja.Object]Store

	help    *helpers // see helpers()
	helpErr error
	errCtor *goja.Object // the isolate's Error, captured on first use
}

// New returns a KV namespace object backed by s, to be put in a worker's
// env. It must run on h's loop goroutine. Many namespaces may share one
// isolate and one Store may back namespaces in many isolates; New does not
// take ownership of s (the caller closes it when no isolate uses it).
func New(h *bindings.Host, s Store) (*goja.Object, error) {
	if s == nil {
		return nil, errors.New("kv: nil Store")
	}
	iso, err := isolateOf(h)
	if err != nil {
		return nil, fmt.Errorf("kv: %w", err)
	}
	o := iso.rt.NewObject()
	if err := o.SetPrototype(iso.proto); err != nil {
		return nil, fmt.Errorf("kv: %w", err)
	}
	iso.namespaces[o] = s
	return o, nil
}

func isolateOf(h *bindings.Host) (*isolate, error) {
	rt := h.Runtime
	global := rt.GlobalObject()
	if v := global.GetSymbol(isolateKey); v != nil {
		if slot, ok := v.Export().(isolateSlot); ok {
			return slot.isolate, nil
		}
	}
	iso := &isolate{h: h, rt: rt, namespaces: make(map[*goja.Object]Store)}
	proto, err := iso.prototype()
	if err != nil {
		return nil, err
	}
	iso.proto = proto
	slot := rt.NewDynamicObject(isolateSlot{iso})
	if err := global.DefineDataPropertySymbol(isolateKey, slot, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
		return nil, err
	}
	return iso, nil
}

// isolateSlot holds the isolate in the global property isolateKey. It is a
// goja.DynamicObject, which wraps in far less time than reflection would,
// and shows scripts an empty object that takes no properties.
type isolateSlot struct{ *isolate }

func (isolateSlot) Get(string) goja.Value       { return nil }
func (isolateSlot) Set(string, goja.Value) bool { return false }
func (isolateSlot) Has(string) bool             { return false }
func (isolateSlot) Delete(string) bool          { return true }
func (isolateSlot) Keys() []string              { return nil }

// prototype builds KvNamespace.prototype. There is no global KvNamespace:
// as in workerd, namespaces come only from env.
func (iso *isolate) prototype() (*goja.Object, error) {
	rt := iso.rt
	proto := rt.NewObject()
	methods := []struct {
		name   string
		length int
		fn     func(goja.FunctionCall) goja.Value
	}{
		{"get", 1, iso.get},
		{"getWithMetadata", 1, iso.getWithMetadata},
		{"put", 2, iso.put},
		{"delete", 1, iso.delete},
		{"list", 0, iso.list},
	}
	for _, m := range methods {
		fn := rt.ToValue(m.fn).(*goja.Object)
		if err := fn.DefineDataProperty("name", rt.ToValue(m.name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return nil, err
		}
		if err := fn.DefineDataProperty("length", rt.ToValue(m.length), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return nil, err
		}
		if err := proto.DefineDataProperty(m.name, fn, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return nil, err
		}
	}
	if err := proto.DefineDataPropertySymbol(goja.SymToStringTag, rt.ToValue("KvNamespace"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return nil, err
	}
	return proto, nil
}

// store returns the Store of the namespace a method was called on, and
// throws "Illegal invocation" (synchronously, as workerd does) for any
// other this.
func (iso *isolate) store(this goja.Value) Store {
	if o, ok := this.(*goja.Object); ok {
		if s, ok := iso.namespaces[o]; ok {
			return s
		}
	}
	panic(iso.rt.NewTypeError("Illegal invocation"))
}

// helpers returns the isolate's helpers, loading them on first use.
func (iso *isolate) helpers() (*helpers, error) {
	if iso.help == nil && iso.helpErr == nil {
		iso.help, iso.helpErr = loadHelpers(iso.rt)
		if iso.helpErr != nil {
			iso.helpErr = fmt.Errorf("kv: loading helpers: %w", iso.helpErr)
		}
	}
	return iso.help, iso.helpErr
}

// settle runs on the loop once a storage call is done; it returns the
// promise's value, or a non-nil reason to reject it with.
type settle func() (value, reason goja.Value)

// spawn runs work on a goroutine and settles the promise it returns with
// what work's result makes of it on the loop. The pending callback keeps
// the loop alive until then; if the isolate is discarded meanwhile, work's
// context ends and its result is dropped.
func (iso *isolate) spawn(work func(ctx context.Context) settle) goja.Value {
	p, resolve, reject := iso.rt.NewPromise()
	done := iso.h.Loop.RegisterCallback()
	ctx := iso.h.Context
	if ctx == nil {
		ctx = context.Background()
	}
	go func() {
		s := work(ctx)
		if ctx.Err() != nil {
			// The isolate is being discarded: nobody awaits the promise.
			done(func() error { return nil })
			return
		}
		done(func() (err error) {
			defer func() {
				// exceptionValue panics with errors that end the task.
				switch x := recover().(type) {
				case nil:
				case error:
					err = x
				case goja.Value: // a JavaScript throw: the promise's reason
					err = reject(x)
				default:
					panic(x)
				}
			}()
			v, reason := s()
			if reason != nil {
				return reject(reason)
			}
			if v == nil {
				v = goja.Undefined()
			}
			return resolve(v)
		})
	}()
	return iso.rt.ToValue(p)
}

// rejected returns a promise rejected with reason.
func (iso *isolate) rejected(reason goja.Value) goja.Value {
	p, _, reject := iso.rt.NewPromise()
	_ = reject(reason)
	return iso.rt.ToValue(p)
}

// storeFailure turns a Store's error into the rejection a script sees. The
// details (paths, the file system's words) go to the log, not to the
// script.
func (iso *isolate) storeFailure(op string, err error) goja.Value {
	if errors.Is(err, ErrClosed) {
		return iso.newError(fmt.Sprintf("KV %s failed: 503 the namespace is closed", op))
	}
	if errors.Is(err, ErrInvalidCursor) {
		return iso.newError(fmt.Sprintf("KV %s failed: 400 Invalid cursor", op))
	}
	if iso.h.Logger != nil {
		iso.h.Logger.Error("kv: storage failed", zap.String("op", op), zap.Error(err))
	}
	return iso.newError(fmt.Sprintf("KV %s failed: 500 Internal Server Error", op))
}
