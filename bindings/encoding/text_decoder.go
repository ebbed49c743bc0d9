package encoding

import (
	"bytes"
	"reflect"
	"unsafe"

	"github.com/sockw/sockw/bindings/internal/webidl"

	"github.com/dop251/goja"
)

// textDecoder is a TextDecoder's internal slots
// (https://encoding.spec.whatwg.org/#interface-textdecoder).
type textDecoder struct {
	webidl.Expandos
	enc        *encodingInfo
	dec        decoder
	fatal      bool
	ignoreBOM  bool
	bomSeen    bool
	doNotFlush bool
}

var typeTextDecoder = reflect.TypeFor[*textDecoder]()

// textDecoderClass builds the TextDecoder interface object.
func (b *binding) textDecoderClass() (*goja.Object, error) {
	rt := b.rt
	c, proto, err := b.classes.Class("TextDecoder", 0, b.newTextDecoder)
	if err != nil {
		return nil, err
	}
	webidl.Getter(rt, proto, "encoding", func(call goja.FunctionCall) goja.Value {
		return rt.ToValue(b.thisDecoder(call.This, "encoding").enc.name)
	})
	webidl.Getter(rt, proto, "fatal", func(call goja.FunctionCall) goja.Value {
		return rt.ToValue(b.thisDecoder(call.This, "fatal").fatal)
	})
	webidl.Getter(rt, proto, "ignoreBOM", func(call goja.FunctionCall) goja.Value {
		return rt.ToValue(b.thisDecoder(call.This, "ignoreBOM").ignoreBOM)
	})
	webidl.Method(rt, proto, "decode", 0, b.decode)
	return c, nil
}

func (b *binding) newTextDecoder(proto *goja.Object, arg0, arg1 goja.Value) *goja.Object {
	label := "utf-8"
	if !goja.IsUndefined(arg0) {
		label = b.toString(arg0).String()
	}
	opts := b.dictionary(arg1, "TextDecoder")
	var fatal, ignoreBOM bool
	if opts != nil {
		fatal = member(opts, "fatal").ToBoolean()
		ignoreBOM = member(opts, "ignoreBOM").ToBoolean()
	}
	enc := lookupLabel(label)
	if enc == nil {
		panic(b.errs.rangeErr("Failed to construct 'TextDecoder': The encoding label provided ('" + label + "') is invalid."))
	}
	d := &textDecoder{enc: enc, dec: enc.newDec(), fatal: fatal, ignoreBOM: ignoreBOM}
	return webidl.NewInstance(b.rt, proto, d)
}

// dictionary converts a WebIDL dictionary argument: undefined and null mean
// every member takes its default (nil here), other primitives are a
// TypeError.
func (b *binding) dictionary(v goja.Value, iface string) *goja.Object {
	if goja.IsUndefined(v) || goja.IsNull(v) {
		return nil
	}
	o, ok := v.(*goja.Object)
	if !ok {
		panic(b.errs.typeError("Failed to construct '" + iface + "': The provided value is not of type 'Dictionary'."))
	}
	return o
}

// member reads a dictionary member; goja's Get returns nil for a missing one.
func member(o *goja.Object, name string) goja.Value {
	if v := o.Get(name); v != nil {
		return v
	}
	return goja.Undefined()
}

func (b *binding) thisDecoder(this goja.Value, member string) *textDecoder {
	if o, ok := this.(*goja.Object); ok && o.ExportType() == typeTextDecoder {
		return o.Export().(*textDecoder)
	}
	panic(b.errs.typeError("Failed to execute '" + member + "' on 'TextDecoder': Illegal invocation"))
}

// decode implements TextDecoder.prototype.decode(input, {stream}).
func (b *binding) decode(call goja.FunctionCall) goja.Value {
	d := b.thisDecoder(call.This, "decode")
	var src []byte
	if input := call.Argument(0); !goja.IsUndefined(input) {
		p, ok := b.bufs().Bytes(input)
		if !ok {
			panic(b.errs.typeError("Failed to execute 'decode' on 'TextDecoder': parameter 1 is not of type 'ArrayBuffer or ArrayBufferView'."))
		}
		src = p
	}
	stream := false
	if opts := b.dictionary(call.Argument(1), "TextDecoder"); opts != nil {
		stream = member(opts, "stream").ToBoolean()
	}
	// src aliases the script's buffer, so a "stream" getter that wrote to it
	// is seen, as the spec's copy after the conversions sees it.
	return b.decodeBytes(d, src, stream)
}

func (b *binding) decodeBytes(d *textDecoder, src []byte, stream bool) goja.Value {
	if !d.doNotFlush {
		d.dec.reset()
		d.bomSeen = false
	}
	d.doNotFlush = stream
	out, ok := d.dec.decode(nil, src, !stream, d.fatal)
	if !ok {
		panic(b.errs.typeError("Failed to execute 'decode' on 'TextDecoder': The encoded data was not valid for encoding " + d.enc.name + "."))
	}
	if d.enc.unicode && !d.ignoreBOM && !d.bomSeen && len(out) > 0 {
		out = bytes.TrimPrefix(out, []byte("\uFEFF"))
		d.bomSeen = true
	}
	if len(out) == 0 {
		return b.rt.ToValue("")
	}
	// out is valid UTF-8 that nothing else references or changes, so the
	// string can share its memory.
	return b.rt.ToValue(unsafe.String(unsafe.SliceData(out), len(out)))
}
