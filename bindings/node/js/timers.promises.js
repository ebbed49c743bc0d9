// node:timers/promises: promise forms of the timers, cancellable with an
// AbortSignal.
'use strict';
const timers = require('node:timers');
const { AbortError } = require('sockw:internal/node-codes');

function abortError(signal) {
  return new AbortError(undefined, { cause: signal.reason });
}

function later(schedule, clear, value, options = {}) {
  const { signal, ref = true } = options;
  if (signal && signal.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clear(handle);
      reject(abortError(signal));
    };
    const handle = schedule(() => {
      if (signal) signal.removeEventListener('abort', onAbort);
      resolve(value);
    });
    if (!ref) handle.unref();
    if (signal) signal.addEventListener('abort', onAbort, { once: true });
  });
}

function setTimeout(delay, value, options) {
  return later((fn) => timers.setTimeout(fn, delay), timers.clearTimeout, value, options);
}

function setImmediate(value, options) {
  return later((fn) => timers.setImmediate(fn), timers.clearImmediate, value, options);
}

// setInterval yields value every delay milliseconds, as an async iterator.
async function* setInterval(delay, value, options = {}) {
  const { signal, ref = true } = options;
  if (signal && signal.aborted) throw abortError(signal);
  let ticks = 0;
  let wake = null;
  const handle = timers.setInterval(() => {
    ticks++;
    if (wake) { wake(); wake = null; }
  }, delay);
  if (!ref) handle.unref();
  const onAbort = () => { if (wake) { wake(); wake = null; } };
  if (signal) signal.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      if (signal && signal.aborted) throw abortError(signal);
      if (ticks === 0) await new Promise((resolve) => { wake = resolve; });
      if (signal && signal.aborted) throw abortError(signal);
      while (ticks > 0) {
        ticks--;
        yield value;
      }
    }
  } finally {
    timers.clearInterval(handle);
    if (signal) signal.removeEventListener('abort', onAbort);
  }
}

module.exports = { setTimeout, setImmediate, setInterval, scheduler: { wait: (delay, options) => setTimeout(delay, undefined, options) } };
