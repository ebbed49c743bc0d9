// A Node module sockw does not implement: importing it works, so that a
// package that never uses it bundles; using any of its functions throws.
'use strict';
const { notSupported } = require('sockw:internal/node-codes');

// Properties that module interop, promise resolution and inspection probe;
// answering them with a throwing function would make the stub look like an
// ES module, a thenable or a class.
const probes = new Set(['__esModule', 'default', 'then', 'constructor', 'prototype', 'toJSON', 'inspect', 'valueOf', 'toString']);

// The stub is an empty object whose prototype answers every name, so that
// both require() and esbuild's ES module interop (which copies own
// properties onto an object with the same prototype) reach the thrower.
module.exports = function unsupported(moduleName) {
  const cache = new Map();
  return Object.create(new Proxy({}, {
    get(target, key) {
      if (typeof key !== 'string' || probes.has(key)) return undefined;
      let fn = cache.get(key);
      if (!fn) {
        const name = moduleName + '.' + key;
        fn = function () {
          throw notSupported(name);
        };
        Object.defineProperty(fn, 'name', { value: key });
        cache.set(key, fn);
      }
      return fn;
    },
    has(target, key) { return typeof key === 'string' && !probes.has(key); },
  }));
};
