// Package crypto installs the Web Crypto API (https://w3c.github.io/webcrypto/)
// into an isolate: the crypto global (Crypto) with getRandomValues and
// randomUUID, and crypto.subtle (SubtleCrypto) with digest (SHA-1/256/384/512),
// HMAC keys (importKey, exportKey, generateKey, sign, verify) and PBKDF2 keys
// (importKey, deriveBits, deriveKey to HMAC), whose CryptoKey objects scripts
// cannot construct.
//
// The hashing runs in Go. Work above asyncThreshold bytes hashed (a large
// digest, a PBKDF2 derivation of thousands of iterations) runs on another
// goroutine and resolves through the event loop, so that it does not stall
// the other connections of the isolate.
package crypto

import (
	crand "crypto/rand"
	"fmt"
	"reflect"

	"github.com/sockw/sockw/bindings/internal/webidl"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings"
	"github.com/sockw/sockw/runtime/eventloop"
)

// asyncThreshold is the input size above which subtle operations run off the
// event loop. Below it, the goroutine hand-off (a few microseconds) costs
// more than the hash.
const asyncThreshold = 64 << 10

// maxRandomBytes is getRandomValues' quota.
const maxRandomBytes = 65536

// binding is the per-isolate state of this package. Event loop only.
type binding struct {
	rt       *goja.Runtime
	loop     *eventloop.Loop
	errs     *webidl.Errors
	buf      *webidl.BufferSource
	classes  *webidl.ClassMaker
	keyProto *goja.Object
}

type cryptoSlots struct {
	webidl.Expandos
	subtle *goja.Object
}

type subtleSlots struct {
	webidl.Expandos
}

var (
	typeCrypto = reflect.TypeFor[*cryptoSlots]()
	typeSubtle = reflect.TypeFor[*subtleSlots]()
)

// interfaces are the interface objects Install defines.
var interfaces = []string{"Crypto", "SubtleCrypto", "CryptoKey"}

// Install defines Crypto, SubtleCrypto and CryptoKey and the crypto
// attribute of the global object on h.Runtime, with the property attributes
// WebIDL gives them. It must run on the loop goroutine. The objects are
// built on first use (see installLazily).
func Install(h *bindings.Host) error {
	rt, loop := h.Runtime, h.Loop
	var built map[string]goja.Value
	once := func() (map[string]goja.Value, error) {
		if built != nil {
			return built, nil
		}
		v, err := build(rt, loop)
		if err != nil {
			return nil, err
		}
		built = v
		return built, nil
	}
	if err := installLazily(rt, interfaces, once); err != nil {
		return fmt.Errorf("crypto: %w", err)
	}
	if err := defineCryptoAttribute(rt, once); err != nil {
		return fmt.Errorf("crypto: %w", err)
	}
	return nil
}

// defineCryptoAttribute defines crypto, the [SameObject] readonly attribute
// of WindowOrWorkerGlobalScope: the global object being [Global], an
// enumerable, configurable accessor of it, whose getter builds the
// package's objects on first use. It has no setter: assigning to crypto
// fails (a TypeError in strict code).
func defineCryptoAttribute(rt *goja.Runtime, build func() (map[string]goja.Value, error)) error {
	global := rt.GlobalObject()
	get := webidl.Func(rt, "get crypto", 0, func(call goja.FunctionCall) goja.Value {
		// An undefined this stands for the global object.
		if o, ok := call.This.(*goja.Object); !(ok && o == global) && !goja.IsUndefined(call.This) {
			panic(rt.NewTypeError("Failed to read 'crypto' on 'WorkerGlobalScope': Illegal invocation"))
		}
		v, err := build()
		if err != nil {
			panic(rt.NewTypeError(fmt.Sprintf("cannot initialize crypto: %v", err)))
		}
		return v["crypto"]
	})
	return global.DefineAccessorProperty("crypto", get, nil, goja.FLAG_TRUE, goja.FLAG_TRUE)
}

// build makes this package's globals.
func build(rt *goja.Runtime, loop *eventloop.Loop) (map[string]goja.Value, error) {
	classes, err := webidl.NewClassMaker(rt)
	if err != nil {
		return nil, err
	}
	b := &binding{rt: rt, loop: loop, errs: webidl.NewErrors(rt), classes: classes}
	illegal := func(*goja.Object, goja.Value, goja.Value) *goja.Object {
		panic(rt.NewTypeError("Illegal constructor"))
	}
	cryptoClass, cryptoProto, err := classes.Class("Crypto", 0, illegal)
	if err != nil {
		return nil, fmt.Errorf("Crypto: %w", err)
	}
	subtleClass, subtleProto, err := classes.Class("SubtleCrypto", 0, illegal)
	if err != nil {
		return nil, fmt.Errorf("SubtleCrypto: %w", err)
	}
	keyClass, keyProto, err := classes.Class("CryptoKey", 0, illegal)
	if err != nil {
		return nil, fmt.Errorf("CryptoKey: %w", err)
	}
	b.keyProto = keyProto

	webidl.Method(rt, cryptoProto, "getRandomValues", 1, b.getRandomValues)
	webidl.Method(rt, cryptoProto, "randomUUID", 0, b.randomUUID)
	webidl.Getter(rt, cryptoProto, "subtle", func(call goja.FunctionCall) goja.Value {
		c, ok := webidl.SlotsOf[*cryptoSlots](call.This)
		if !ok {
			panic(rt.NewTypeError("Failed to execute 'subtle' on 'Crypto': Illegal invocation"))
		}
		return c.subtle
	})
	b.defineSubtle(subtleProto)
	b.defineCryptoKey(keyProto)

	subtle := webidl.NewInstance(rt, subtleProto, &subtleSlots{})
	return map[string]goja.Value{
		"Crypto":       cryptoClass,
		"SubtleCrypto": subtleClass,
		"CryptoKey":    keyClass,
		"crypto":       webidl.NewInstance(rt, cryptoProto, &cryptoSlots{subtle: subtle}),
	}, nil
}

// bufs returns the BufferSource helper, made when bytes first cross: it
// touches the typed array intrinsics, which goja builds on first use.
func (b *binding) bufs() *webidl.BufferSource {
	if b.buf == nil {
		buf, err := webidl.NewBufferSource(b.rt)
		if err != nil {
			panic(b.errs.TypeError("crypto: " + err.Error()))
		}
		b.buf = buf
	}
	return b.buf
}

func (b *binding) thisCrypto(this goja.Value, member string) {
	if o, ok := this.(*goja.Object); !ok || o.ExportType() != typeCrypto {
		panic(b.errs.TypeError("Failed to execute '" + member + "' on 'Crypto': Illegal invocation"))
	}
}

// getRandomValues fills an integer typed array with cryptographically strong
// random bytes and returns it.
func (b *binding) getRandomValues(call goja.FunctionCall) goja.Value {
	b.thisCrypto(call.This, "getRandomValues")
	arg := call.Argument(0)
	name, p, ok := b.bufs().View(arg)
	kind := webidl.ViewName(name)
	if !ok {
		panic(b.errs.TypeError("Failed to execute 'getRandomValues' on 'Crypto': parameter 1 is not of type 'ArrayBufferView'."))
	}
	if !kind.Integer() {
		panic(b.errs.DOMException("TypeMismatchError", "Failed to execute 'getRandomValues' on 'Crypto': The provided ArrayBufferView is of type '"+kind.String()+"', which is not an integer array type."))
	}
	if len(p) > maxRandomBytes {
		panic(b.errs.DOMException("QuotaExceededError", fmt.Sprintf("Failed to execute 'getRandomValues' on 'Crypto': The ArrayBufferView's byte length (%d) exceeds the number of bytes of entropy available via this API (%d).", len(p), maxRandomBytes)))
	}
	_, _ = crand.Read(p) // never fails on supported platforms
	return arg
}

// randomUUID returns a version 4 UUID from the same random source.
func (b *binding) randomUUID(call goja.FunctionCall) goja.Value {
	b.thisCrypto(call.This, "randomUUID")
	var u [16]byte
	_, _ = crand.Read(u[:])
	u[6] = u[6]&0x0F | 0x40
	u[8] = u[8]&0x3F | 0x80
	const hex = "0123456789abcdef"
	out := make([]byte, 0, 36)
	for i, c := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hex[c>>4], hex[c&0xF])
	}
	return b.rt.ToValue(string(out))
}
