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

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings"
)

// binding is the per-isolate state the natives of this package share.
// Event loop only, like the runtime it holds.
type binding struct {
	rt      *goja.Runtime
	errs    *errors
	buf     *bufferSource
	classes *classMaker
}

// Install defines TextEncoder, TextDecoder, TextEncoderStream,
// TextDecoderStream, atob and btoa as globals of h.Runtime. It must run on
// the loop goroutine. The globals are built on first use (see
// installLazily), the stream classes separately from the rest. They look
// TransformStream up when they are constructed, so the streams binding may
// be installed after this one.
func Install(h *bindings.Host) error {
	rt := h.Runtime
	var b *binding
	var core map[string]goja.Value
	buildCore := func() (map[string]goja.Value, error) {
		if core != nil {
			return core, nil
		}
		var err error
		b, core, err = build(rt)
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
	if err := installLazily(rt, []string{"TextEncoder", "TextDecoder", "atob", "btoa"}, buildCore); err != nil {
		return fmt.Errorf("encoding: %w", err)
	}
	if err := installLazily(rt, []string{"TextEncoderStream", "TextDecoderStream"}, buildStreams); err != nil {
		return fmt.Errorf("encoding: %w", err)
	}
	return nil
}

// build makes TextEncoder, TextDecoder, atob and btoa.
func build(rt *goja.Runtime) (*binding, map[string]goja.Value, error) {
	classes, err := newClassMaker(rt)
	if err != nil {
		return nil, nil, err
	}
	b := &binding{rt: rt, errs: newErrors(rt), classes: classes}
	encoder, err := b.textEncoderClass()
	if err != nil {
		return nil, nil, fmt.Errorf("TextEncoder: %w", err)
	}
	decoder, err := b.textDecoderClass()
	if err != nil {
		return nil, nil, fmt.Errorf("TextDecoder: %w", err)
	}
	return b, map[string]goja.Value{
		"TextEncoder": encoder,
		"TextDecoder": decoder,
		"atob":        defineFunc(rt, "atob", 1, b.atob),
		"btoa":        defineFunc(rt, "btoa", 1, b.btoa),
	}, nil
}

// bufs returns the BufferSource helper, made when bytes first cross: it
// touches the typed array intrinsics, which goja builds on first use.
func (b *binding) bufs() *bufferSource {
	if b.buf == nil {
		buf, err := newBufferSource(b.rt)
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
