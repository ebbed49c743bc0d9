package streams

import (
	"embed"
	"fmt"
	"strings"
	"sync"

	"github.com/dop251/goja"
)

//go:embed js/*.js
var jsFiles embed.FS

// jsOrder lists the implementation's files in the order they are joined.
// Every file only declares things; nothing runs before exports.js returns, so
// the order matters only for top-level constants that later files use.
var jsOrder = [...]string{
	"prelude.js",
	"queuing_strategy.js",
	"readable_stream.js",
	"readable_stream_reader.js",
	"readable_stream_default_controller.js",
	"readable_byte_stream_controller.js",
	"readable_stream_tee.js",
	"readable_stream_pipe.js",
	"readable_stream_iterator.js",
	"writable_stream.js",
	"writable_stream_default_writer.js",
	"writable_stream_default_controller.js",
	"transform_stream.js",
	"go_streams.js",
	"exports.js",
}

// program is the implementation compiled once per process: a function
// expression that takes the natives object and returns the classes.
var program = sync.OnceValues(func() (*goja.Program, error) {
	src, err := source()
	if err != nil {
		return nil, err
	}
	prog, err := goja.Compile("streams.js", src, true)
	if err != nil {
		return nil, fmt.Errorf("compiling the implementation: %w", err)
	}
	return prog, nil
})

// intrinsicsProgram lists the built-ins the implementation must not take
// from a script that patched them. Install runs it, before any script,
// although the implementation itself is set up only on first use. Indexes
// into its result are the intrinsic* constants.
var intrinsicsProgram = sync.OnceValues(func() (*goja.Program, error) {
	prog, err := goja.Compile("streams-intrinsics.js", `[
  Promise, Promise.prototype.then, Promise.resolve, Reflect.apply,
  Function.prototype.call, Function.prototype.bind,
  Object.defineProperty, Object.getPrototypeOf, Object.setPrototypeOf,
  Object.getOwnPropertyDescriptor, Object.freeze,
  Error, TypeError, RangeError,
]`, true)
	if err != nil {
		return nil, fmt.Errorf("compiling the intrinsics: %w", err)
	}
	return prog, nil
})

const (
	intrinsicError      = 11
	intrinsicRangeError = 13
)

func source() (string, error) {
	var b strings.Builder
	b.WriteString("(function (natives) {\n'use strict';\n")
	for _, name := range jsOrder {
		data, err := jsFiles.ReadFile("js/" + name)
		if err != nil {
			return "", fmt.Errorf("reading %s: %w", name, err)
		}
		b.Write(data)
		b.WriteString("\n")
	}
	b.WriteString("})")
	return b.String(), nil
}
