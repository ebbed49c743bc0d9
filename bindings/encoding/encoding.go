// Package encoding installs the Encoding Standard's TextEncoder, TextDecoder,
// TextEncoderStream and TextDecoderStream (https://encoding.spec.whatwg.org/)
// and the HTML Standard's atob and btoa into an isolate.
//
// Byte work happens in Go: encoding reads goja's strings in place and
// decoding produces strings goja takes without converting them again. The
// two stream classes are spec bookkeeping and are written in JavaScript on
// top of the global TransformStream.
package encoding

import (
	"fmt"

	"github.com/sockw/sockw/bindings/internal/webidl"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings"
)

// binding is the per-isolate state the natives of this package share.
// Event loop only, like the runtime it holds.
type binding struct {
	rt      *goja.Runtime
	errs    *errors
	buf     *webidl.BufferSource
	classes *webidl.ClassMaker
}

// Install defines TextEncoder, TextDecoder, TextEncoderStream,
// TextDecoderStream, atob and btoa as globals of h.Runtime, with the
// property attributes WebIDL gives them. It must run on the loop
// goroutine. The interfaces are built on first use (see installLazily),
// the stream classes separately from the rest. They look TransformStream
// up when they are constructed, so the streams binding may be installed
// after this one.
func Install(h *bindings.Host) error {
	rt := h.Runtime
	var b *binding
	base := func() *binding {
		if b == nil {
			b = &binding{rt: rt, errs: newErrors(rt)}
		}
		return b
	}
	var core map[string]goja.Value
	buildCore := func() (map[string]goja.Value, error) {
		if core != nil {
			return core, nil
		}
		var err error
		core, err = base().buildCore()
		return core, err
	}
	buildStreams := func() (map[string]goja.Value, error) {
		c, err := buildCore()
		if err != nil {
			return nil, err
		}
		enc, dec, err := b.streamClasses(c["TextDecoder"].(*goja.Object))
		if err != nil {
			return nil, fmt.Errorf("streams: %w", err)
		}
		return map[string]goja.Value{"TextEncoderStream": enc, "TextDecoderStream": dec}, nil
	}
	if err := installLazily(rt, []string{"TextEncoder", "TextDecoder"}, buildCore); err != nil {
		return fmt.Errorf("encoding: %w", err)
	}
	if err := installLazily(rt, []string{"TextEncoderStream", "TextDecoderStream"}, buildStreams); err != nil {
		return fmt.Errorf("encoding: %w", err)
	}
	// atob and btoa are operations of the [Global] WorkerGlobalScope: own,
	// enumerable properties of the global object, defined at once. They
	// need none of the classes.
	global := rt.GlobalObject()
	webidl.Method(rt, global, "atob", 1, func(call goja.FunctionCall) goja.Value { return base().atob(call) })
	webidl.Method(rt, global, "btoa", 1, func(call goja.FunctionCall) goja.Value { return base().btoa(call) })
	return nil
}

// buildCore makes TextEncoder and TextDecoder.
func (b *binding) buildCore() (map[string]goja.Value, error) {
	classes, err := webidl.NewClassMaker(b.rt)
	if err != nil {
		return nil, err
	}
	b.classes = classes
	encoder, err := b.textEncoderClass()
	if err != nil {
		return nil, fmt.Errorf("TextEncoder: %w", err)
	}
	decoder, err := b.textDecoderClass()
	if err != nil {
		return nil, fmt.Errorf("TextDecoder: %w", err)
	}
	return map[string]goja.Value{
		"TextEncoder": encoder,
		"TextDecoder": decoder,
	}, nil
}

// bufs returns the BufferSource helper, made when bytes first cross: it
// touches the typed array intrinsics, which goja builds on first use.
func (b *binding) bufs() *webidl.BufferSource {
	if b.buf == nil {
		buf, err := webidl.NewBufferSource(b.rt)
		if err != nil {
			panic(b.errs.typeError("encoding: " + err.Error()))
		}
		b.buf = buf
	}
	return b.buf
}

// requireArgs throws WebIDL's TypeError for a call with too few arguments.
func (b *binding) requireArgs(call goja.FunctionCall, n int, what string) {
	if len(call.Arguments) < n {
		panic(b.errs.typeError(fmt.Sprintf("Failed to execute %s: %d argument required, but only %d present.", what, n, len(call.Arguments))))
	}
}

// toString is WebIDL's DOMString conversion (ECMAScript ToString): it may
// run a script's toString, and it throws a TypeError for a Symbol.
func (b *binding) toString(v goja.Value) goja.String {
	if s, ok := v.(goja.String); ok {
		return s
	}
	if _, ok := v.(*goja.Symbol); !ok {
		p := v.ToString() // ToPrimitive for objects; undefined and null stay as they are
		if s, ok := p.(goja.String); ok {
			return s
		}
		if _, ok := p.(*goja.Symbol); !ok {
			return b.rt.ToValue(p.String()).(goja.String)
		}
	}
	panic(b.errs.typeError("Cannot convert a Symbol value to a string"))
}
