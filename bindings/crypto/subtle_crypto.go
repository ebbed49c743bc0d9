package crypto

import (
	"math"
	"strconv"

	"github.com/sockw/sockw/bindings/internal/webidl"

	"github.com/dop251/goja"
)

// opError is a failure of a SubtleCrypto operation. name is the DOMException
// name the spec gives, or "TypeError" for WebIDL conversion failures.
type opError struct {
	name, msg string
}

func (e *opError) Error() string { return e.name + ": " + e.msg }

func newError(name, msg string) *opError { return &opError{name: name, msg: msg} }

func (b *binding) jsError(e *opError) *goja.Object {
	if e.name == "TypeError" {
		return b.errs.TypeError(e.msg)
	}
	return b.errs.DOMException(e.name, e.msg)
}

// job is the Go half of an operation: work runs on any goroutine with bytes
// the operation copied, finish turns its result into a JavaScript value on
// the loop.
type job struct {
	size   int
	work   func() (any, *opError)
	finish func(any) goja.Value
}

// promise runs an operation the way WebIDL says for promise-returning
// methods: every failure, including a conversion that throws, rejects the
// returned promise instead of throwing. Inputs above asyncThreshold are
// worked on another goroutine; the loop stays alive until the result is back.
func (b *binding) promise(prepare func() (job, *opError)) goja.Value {
	p, resolve, reject := b.rt.NewPromise()
	settle := func(res any, err *opError, finish func(any) goja.Value) {
		if err != nil {
			_ = reject(b.jsError(err))
			return
		}
		_ = resolve(finish(res))
	}
	j, err, thrown := b.catch(prepare)
	switch {
	case thrown != nil:
		_ = reject(thrown)
	case err != nil:
		_ = reject(b.jsError(err))
	case j.size > asyncThreshold && b.loop != nil:
		done := b.loop.RegisterCallback()
		go func() {
			res, err := j.work()
			done(func() error {
				settle(res, err, j.finish)
				return nil
			})
		}()
	default:
		res, err := j.work()
		settle(res, err, j.finish)
	}
	return b.rt.ToValue(p)
}

// catch runs prepare and turns a JavaScript exception it raised (a getter
// that threw, or a conversion error thrown as a JS error) into a value.
// Runtime.Try, unlike a bare recover, also unwinds goja's VM state.
func (b *binding) catch(prepare func() (job, *opError)) (j job, err *opError, thrown goja.Value) {
	if ex := b.rt.Try(func() { j, err = prepare() }); ex != nil {
		return job{}, nil, ex.Value()
	}
	return j, err, nil
}

func (b *binding) thisSubtle(this goja.Value, member string) *opError {
	if o, ok := this.(*goja.Object); !ok || o.ExportType() != typeSubtle {
		return newError("TypeError", "Failed to execute '"+member+"' on 'SubtleCrypto': Illegal invocation")
	}
	return nil
}

// defineSubtle defines SubtleCrypto's operations. Those this package does not
// implement reject with NotSupportedError.
func (b *binding) defineSubtle(proto *goja.Object) {
	rt := b.rt
	op := func(name string, length int, f func(call goja.FunctionCall) (job, *opError)) {
		webidl.Method(rt, proto, name, length, func(call goja.FunctionCall) goja.Value {
			return b.promise(func() (job, *opError) {
				if err := b.thisSubtle(call.This, name); err != nil {
					return job{}, err
				}
				if len(call.Arguments) < length {
					return job{}, newError("TypeError", "Failed to execute '"+name+"' on 'SubtleCrypto': "+
						itoa(length)+" arguments required, but only "+itoa(len(call.Arguments))+" present.")
				}
				return f(call)
			})
		})
	}
	op("digest", 2, b.digest)
	op("importKey", 5, b.importKey)
	op("exportKey", 2, b.exportKey)
	op("generateKey", 3, b.generateKey)
	op("sign", 3, b.sign)
	op("verify", 4, b.verify)
	op("deriveBits", 2, b.deriveBits)
	op("deriveKey", 5, b.deriveKey)
	for _, m := range []struct {
		name   string
		length int
	}{{"encrypt", 3}, {"decrypt", 3}, {"wrapKey", 4}, {"unwrapKey", 7}} {
		name := m.name
		op(name, m.length, func(goja.FunctionCall) (job, *opError) {
			return job{}, newError("NotSupportedError", "SubtleCrypto."+name+" is not supported")
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// digest hashes data with a SHA algorithm.
func (b *binding) digest(call goja.FunctionCall) (job, *opError) {
	alg, err := b.normalize(call.Argument(0), opDigest)
	if err != nil {
		return job{}, err
	}
	data, err := b.copyBytes(call.Argument(1), "data")
	if err != nil {
		return job{}, err
	}
	return job{
		size:   len(data),
		work:   func() (any, *opError) { return alg.hash.sum(data), nil },
		finish: b.arrayBuffer,
	}, nil
}

// deriveBits implements SubtleCrypto.deriveBits; an algorithm with a
// deriveBits entry in the registry is dispatched here.
func (b *binding) deriveBits(call goja.FunctionCall) (job, *opError) {
	alg, err := b.normalize(call.Argument(0), opDeriveBits)
	if err != nil {
		return job{}, err
	}
	key, err := b.keyArg(call.Argument(1), alg, "deriveBits")
	if err != nil {
		return job{}, err
	}
	return alg.deriveBits(b, alg, key, optionalLength(call.Argument(2)))
}

// optionalLength converts deriveBits' "optional unsigned long? length =
// null" argument, -1 standing for null.
func optionalLength(v goja.Value) int {
	if goja.IsUndefined(v) || goja.IsNull(v) {
		return -1
	}
	f := v.ToFloat()
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	// WebIDL's unsigned long wraps modulo 2^32.
	return int(uint32(int64(math.Mod(math.Trunc(f), 1<<32))))
}

// deriveKey implements SubtleCrypto.deriveKey: derive the bits the derived
// key's algorithm needs, then import them, both in the same job.
func (b *binding) deriveKey(call goja.FunctionCall) (job, *opError) {
	alg, err := b.normalize(call.Argument(0), opDeriveBits)
	if err != nil {
		return job{}, err
	}
	derived, err := b.normalize(call.Argument(2), opImportKey)
	if err != nil {
		return job{}, err
	}
	if derived.importRaw == nil || derived.keyLength == nil {
		return job{}, newError("NotSupportedError", "Cannot derive a key of type "+derived.name)
	}
	length, err := derived.keyLength(derived)
	if err != nil {
		return job{}, err
	}
	extractable := call.Argument(3).ToBoolean()
	usages, err := b.keyUsages(call.Argument(4))
	if err != nil {
		return job{}, err
	}
	key, err := b.keyArg(call.Argument(1), alg, "deriveKey")
	if err != nil {
		return job{}, err
	}
	j, err := alg.deriveBits(b, alg, key, length)
	if err != nil {
		return job{}, err
	}
	bits := j.work
	j.work = func() (any, *opError) {
		secret, err := bits()
		if err != nil {
			return nil, err
		}
		k, err := derived.importRaw(derived, secret.([]byte), extractable, usages)
		if err != nil {
			return nil, err
		}
		if err := checkUsagesNotEmpty(k); err != nil {
			return nil, err
		}
		return k, nil
	}
	j.finish = func(res any) goja.Value { return b.newKey(res.(*cryptoKey)) }
	return j, nil
}

// copyBytes converts a BufferSource argument and copies it, as the spec does
// before any work starts.
func (b *binding) copyBytes(v goja.Value, what string) ([]byte, *opError) {
	p, ok := b.bufs().Bytes(v)
	if !ok {
		return nil, newError("TypeError", "Failed to execute: parameter '"+what+"' is not of type 'ArrayBuffer or ArrayBufferView'.")
	}
	return append([]byte{}, p...), nil
}

// arrayBuffer hands a Go result to JavaScript as a new ArrayBuffer.
func (b *binding) arrayBuffer(res any) goja.Value {
	return b.rt.ToValue(b.rt.NewArrayBuffer(res.([]byte)))
}
