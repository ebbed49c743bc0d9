// node:process, as far as a sandboxed worker has one: an EventEmitter whose
// env holds the worker's own variables (never the host's), whose nextTick
// queues a microtask, and where everything about the host process is absent
// or neutral.
'use strict';
const EventEmitter = require('node:events');
const internal = require('sockw:internal/node');
const { invalidArgType, validateFunction } = require('sockw:internal/node-codes');

function nextTick(fn, ...args) {
  validateFunction(fn, 'callback');
  queueMicrotask(args.length ? () => fn(...args) : fn);
}

// emitWarning(warning[, type[, code]]) or emitWarning(warning, {type, code,
// detail}): prints the warning and emits it as process's 'warning' event.
function emitWarning(warning, type, code) {
  let detail;
  if (type !== null && typeof type === 'object') {
    ({ type, code, detail } = type);
  }
  if (typeof warning === 'string') {
    const w = new Error(warning);
    w.name = typeof type === 'string' && type ? type : 'Warning';
    if (code !== undefined) w.code = code;
    if (detail !== undefined) w.detail = detail;
    warning = w;
  } else if (!(warning instanceof Error)) {
    throw invalidArgType('warning', ['Error', 'string'], warning);
  }
  console.warn((warning.code ? '[' + warning.code + '] ' : '') + warning.name + ': ' + warning.message +
    (typeof warning.detail === 'string' ? '\n' + warning.detail : ''));
  queueMicrotask(() => process.emit('warning', warning));
}

const process = new EventEmitter();
Object.assign(process, {
  env: internal.env,
  argv: [],
  execArgv: [],
  version: 'v20.0.0',
  versions: { node: '20.0.0' },
  platform: 'linux',
  release: { name: 'node' },
  exitCode: undefined,
  nextTick,
  cwd() { return '/'; },
  emitWarning,
  hrtime,
  uptime() { return performance.now() / 1000; },
});

// hrtime([previous]) is [seconds, nanoseconds] from an arbitrary origin;
// hrtime.bigint() the same in nanoseconds.
function hrtime(previous) {
  const ns = Math.round(performance.now() * 1e6);
  let s = Math.floor(ns / 1e9);
  let n = ns % 1e9;
  if (previous) {
    s -= previous[0];
    n -= previous[1];
    if (n < 0) {
      s--;
      n += 1e9;
    }
  }
  return [s, n];
}
hrtime.bigint = () => BigInt(Math.round(performance.now() * 1e6));

// stdout and stderr print through console, one log line per line written;
// they are not terminals. Built on first use, since streams are large.
function stdio(fd, print) {
  let stream;
  return () => {
    if (!stream) {
      const { Writable } = require('node:stream');
      let partial = '';
      stream = new Writable({
        decodeStrings: false,
        write(chunk, encoding, callback) {
          const text = partial + (typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk));
          const lines = text.split('\n');
          partial = lines.pop();
          for (const line of lines) print(line);
          callback();
        },
        final(callback) {
          if (partial) print(partial);
          partial = '';
          callback();
        },
      });
      stream.fd = fd;
      stream.isTTY = false;
    }
    return stream;
  };
}
Object.defineProperty(process, 'stdout', { get: stdio(1, (line) => console.log(line)), enumerable: true, configurable: true });
Object.defineProperty(process, 'stderr', { get: stdio(2, (line) => console.error(line)), enumerable: true, configurable: true });

module.exports = process;
