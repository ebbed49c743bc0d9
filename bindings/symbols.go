package bindings

import "github.com/dop251/goja"

// DefineAsyncIterator gives the runtime a Symbol.asyncIterator, which goja
// lacks. It is the registered symbol esbuild's lowered `for await` falls back
// to, so bundled code and the built-in streams agree on it. It must run
// before any binding or script that uses the symbol.
func DefineAsyncIterator(rt *goja.Runtime) error {
	_, err := rt.RunString(`if (typeof Symbol.asyncIterator !== 'symbol') {
  Object.defineProperty(Symbol, 'asyncIterator', { value: Symbol.for('Symbol.asyncIterator') });
}`)
	return err
}
