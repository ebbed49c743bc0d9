package encoding

import (
	"reflect"

	"github.com/sockw/sockw/bindings/internal/webidl"

	"github.com/dop251/goja"
)

// textEncoder is a TextEncoder's internal slots: it has none beyond its
// brand, but scripts may add properties.
type textEncoder struct {
	webidl.Expandos
}

var typeTextEncoder = reflect.TypeFor[*textEncoder]()

// textEncoderClass builds https://encoding.spec.whatwg.org/#interface-textencoder.
func (b *binding) textEncoderClass() (*goja.Object, error) {
	rt := b.rt
	c, proto, err := b.classes.Class("TextEncoder", 0, func(proto *goja.Object, _, _ goja.Value) *goja.Object {
		return webidl.NewInstance(rt, proto, &textEncoder{})
	})
	if err != nil {
		return nil, err
	}
	webidl.Getter(rt, proto, "encoding", func(call goja.FunctionCall) goja.Value {
		b.thisEncoder(call.This, "encoding")
		return rt.ToValue("utf-8")
	})
	webidl.Method(rt, proto, "encode", 0, b.encode)
	webidl.Method(rt, proto, "encodeInto", 2, b.encodeInto)
	return c, nil
}

func (b *binding) thisEncoder(this goja.Value, member string) {
	if o, ok := this.(*goja.Object); !ok || o.ExportType() != typeTextEncoder {
		panic(b.errs.typeError("Failed to execute '" + member + "' on 'TextEncoder': Illegal invocation"))
	}
}

// encode returns a new Uint8Array holding the UTF-8 encoding of its argument.
func (b *binding) encode(call goja.FunctionCall) goja.Value {
	b.thisEncoder(call.This, "encode")
	return b.encodeValue(call.Argument(0))
}

// encodeValue is encode without the brand check; TextEncoderStream uses it.
func (b *binding) encodeValue(input goja.Value) goja.Value {
	var p []byte
	if !goja.IsUndefined(input) {
		p = encodeUTF8(b.toString(input))
	}
	if p == nil {
		p = []byte{}
	}
	return b.bufs().Uint8ArrayOf(p)
}

// encodeInto writes into a Uint8Array the longest prefix of its source string
// that fits whole, and returns {read, written}.
func (b *binding) encodeInto(call goja.FunctionCall) goja.Value {
	b.thisEncoder(call.This, "encodeInto")
	b.requireArgs(call, 2, "'encodeInto' on 'TextEncoder'")
	src := b.toString(call.Argument(0))
	dst, ok := b.bufs().Uint8ArrayBytes(call.Argument(1))
	if !ok {
		panic(b.errs.typeError("Failed to execute 'encodeInto' on 'TextEncoder': parameter 2 is not of type 'Uint8Array'."))
	}
	read, written := encodeInto(src, dst)
	res := b.rt.NewObject()
	_ = res.Set("read", read)
	_ = res.Set("written", written)
	return res
}
