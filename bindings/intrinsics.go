package bindings

import (
	"sync"

	"github.com/dop251/goja"
)

// intrinsicsSource fills in what goja lacks and every other JavaScript
// runtime a worker author knows has, V8's (workerd, Node, Deno) included:
// the Annex B accessor helpers and V8's Error.captureStackTrace, which npm
// packages call without checking for them.
const intrinsicsSource = `(function () {
  const define = (o, name, value) => Object.defineProperty(o, name, { value, writable: true, configurable: true });
  const toObject = (v) => {
    if (v === null || v === undefined) throw new TypeError('Cannot convert undefined or null to object');
    return Object(v);
  };
  const callable = (fn, what) => {
    if (typeof fn !== 'function') throw new TypeError(what + ' is not a function');
    return fn;
  };
  const lookup = (o, key, kind) => {
    for (let p = toObject(o); p !== null; p = Object.getPrototypeOf(p)) {
      const d = Object.getOwnPropertyDescriptor(p, key);
      if (d) return d[kind];
    }
    return undefined;
  };
  if (!Object.prototype.__defineGetter__) {
    define(Object.prototype, '__defineGetter__', function __defineGetter__(key, getter) {
      Object.defineProperty(toObject(this), key, { get: callable(getter, 'Object.prototype.__defineGetter__: Expecting function'), enumerable: true, configurable: true });
    });
    define(Object.prototype, '__defineSetter__', function __defineSetter__(key, setter) {
      Object.defineProperty(toObject(this), key, { set: callable(setter, 'Object.prototype.__defineSetter__: Expecting function'), enumerable: true, configurable: true });
    });
    define(Object.prototype, '__lookupGetter__', function __lookupGetter__(key) { return lookup(this, key, 'get'); });
    define(Object.prototype, '__lookupSetter__', function __lookupSetter__(key) { return lookup(this, key, 'set'); });
  }
  if (!Error.captureStackTrace) {
    // V8 puts the stack on target, from the caller of fn (or of
    // captureStackTrace) outwards. goja's stack has no frames to hide by
    // function, so it starts at the caller of captureStackTrace.
    define(Error, 'captureStackTrace', function captureStackTrace(target) {
      if (target === null || (typeof target !== 'object' && typeof target !== 'function')) {
        throw new TypeError('Invalid argument');
      }
      const frames = String(new Error().stack).split('\n').slice(2);
      let head;
      try {
        head = String(target);
      } catch {
        head = 'Error';
      }
      Object.defineProperty(target, 'stack', { value: [head, ...frames].join('\n'), writable: true, configurable: true });
    });
    define(Error, 'stackTraceLimit', 10);
  }
})();`

var intrinsicsProgram = sync.OnceValues(func() (*goja.Program, error) {
	return goja.Compile("sockw/intrinsics.js", intrinsicsSource, true)
})

// DefineIntrinsics adds the Annex B accessor helpers (__defineGetter__ and
// friends) and Error.captureStackTrace, which goja lacks. It runs before
// any script.
func DefineIntrinsics(rt *goja.Runtime) error {
	prg, err := intrinsicsProgram()
	if err != nil {
		return err
	}
	_, err = rt.RunProgram(prg)
	return err
}
