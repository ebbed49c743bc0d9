// node:process, as far as a sandboxed worker has one: env holds the worker's
// own variables (never the host's), nextTick queues a microtask, and
// everything about the host process is absent or neutral.
'use strict';
const internal = require('sockw:internal/node');

const process = {
  env: internal.env,
  argv: [],
  execArgv: [],
  version: 'v20.0.0',
  versions: { node: '20.0.0' },
  platform: 'linux',
  release: { name: 'node' },
  exitCode: undefined,
  nextTick(fn, ...args) {
    if (typeof fn !== 'function') {
      const err = new TypeError('The "callback" argument must be of type function. Received ' + typeof fn);
      err.code = 'ERR_INVALID_ARG_TYPE';
      throw err;
    }
    queueMicrotask(args.length ? () => fn(...args) : fn);
  },
  cwd() { return '/'; },
  emitWarning(warning) { console.warn(typeof warning === 'string' ? 'Warning: ' + warning : String(warning)); },
};
module.exports = process;
