package encoding

import (
	_ "embed"
	"fmt"
	"sync"

	"github.com/dop251/goja"
)

//go:embed streams.js
var streamsSource string

// streamsProgram is compiled once per process and run once per isolate.
var streamsProgram = sync.OnceValues(func() (*goja.Program, error) {
	return goja.Compile("encoding/streams.js", streamsSource, true)
})

// streamClasses makes TextEncoderStream and TextDecoderStream. They are
// JavaScript classes: their work is TransformStream bookkeeping, and the
// bytes still go through the Go natives passed in.
func (b *binding) streamClasses(textDecoder *goja.Object) (encoderStream, decoderStream goja.Value, err error) {
	prg, err := streamsProgram()
	if err != nil {
		return nil, nil, err
	}
	v, err := b.rt.RunProgram(prg)
	if err != nil {
		return nil, nil, err
	}
	factory, ok := goja.AssertFunction(v)
	if !ok {
		return nil, nil, fmt.Errorf("streams.js did not evaluate to a function")
	}
	encode := b.rt.ToValue(func(call goja.FunctionCall) goja.Value {
		return b.encodeValue(call.Argument(0))
	})
	classes, err := factory(goja.Undefined(), textDecoder, textDecoder.Get("prototype").(*goja.Object).Get("decode"), encode)
	if err != nil {
		return nil, nil, err
	}
	arr := classes.(*goja.Object)
	return arr.Get("0"), arr.Get("1"), nil
}
