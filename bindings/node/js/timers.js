// node:timers: Node's timer functions, which return Timeout objects with
// ref/unref/refresh rather than the web's numbers. A Timeout converts to a
// number, and clearTimeout accepts either.
'use strict';
const internal = require('sockw:internal/node');
const { validateFunction } = require('sockw:internal/node-codes');

const byId = new Map(); // primitive id -> Timeout, for clearTimeout(number)
let lastId = 0;

class Timeout {
  constructor(callback, after, args, repeat) {
    this._onTimeout = callback;
    this._idleTimeout = after;
    this._args = args;
    this._repeat = repeat;
    this._ref = true;
    this._destroyed = false;
    this._id = ++lastId;
    this._start();
  }
  _start() {
    const self = this;
    this._timer = internal.setTimer(function () {
      if (!self._repeat) self._finish();
      self._onTimeout.apply(self, self._args);
    }, this._idleTimeout, this._repeat, this);
    if (!this._ref) internal.refTimer(this._timer, false);
    byId.set(this._id, this);
  }
  _finish() {
    this._destroyed = true;
    byId.delete(this._id);
  }
  ref() {
    this._ref = true;
    if (!this._destroyed) internal.refTimer(this._timer, true);
    return this;
  }
  unref() {
    this._ref = false;
    if (!this._destroyed) internal.refTimer(this._timer, false);
    return this;
  }
  hasRef() { return this._ref; }
  refresh() {
    if (!this._destroyed) {
      internal.clearTimer(this._timer);
      this._start();
    }
    return this;
  }
  close() {
    clearTimeout(this);
    return this;
  }
  [Symbol.toPrimitive]() { return this._id; }
}

class Immediate {
  constructor(callback, args) {
    this._onImmediate = callback;
    this._args = args;
    this._ref = true;
    this._destroyed = false;
    const self = this;
    this._timer = internal.setTimer(function () {
      self._destroyed = true;
      self._onImmediate.apply(self, self._args);
    }, 0, false, this);
  }
  ref() { this._ref = true; if (!this._destroyed) internal.refTimer(this._timer, true); return this; }
  unref() { this._ref = false; if (!this._destroyed) internal.refTimer(this._timer, false); return this; }
  hasRef() { return this._ref; }
}

function setTimeout(callback, after, ...args) {
  validateFunction(callback, 'callback');
  return new Timeout(callback, after, args, false);
}

function setInterval(callback, repeat, ...args) {
  validateFunction(callback, 'callback');
  return new Timeout(callback, repeat, args, true);
}

function clearTimeout(timer) {
  if (timer == null) return;
  if (typeof timer === 'number' || typeof timer === 'string') timer = byId.get(Number(timer));
  if (timer instanceof Timeout && !timer._destroyed) {
    internal.clearTimer(timer._timer);
    timer._finish();
  }
}

function setImmediate(callback, ...args) {
  validateFunction(callback, 'callback');
  return new Immediate(callback, args);
}

function clearImmediate(immediate) {
  if (immediate instanceof Immediate && !immediate._destroyed) {
    immediate._destroyed = true;
    internal.clearTimer(immediate._timer);
  }
}

module.exports = {
  setTimeout,
  clearTimeout,
  setInterval,
  clearInterval: clearTimeout,
  setImmediate,
  clearImmediate,
  Timeout,
  Immediate,
};
Object.defineProperty(module.exports, 'promises', {
  enumerable: true,
  get() { return require('node:timers/promises'); },
});
