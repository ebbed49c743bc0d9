// node:stream. module.exports is the legacy Stream constructor, carrying
// Readable, Writable, Duplex, Transform, PassThrough, pipeline, finished and
// the rest, as Node's does.
'use strict';
const Stream = require('sockw:internal/node-stream_legacy');
const Readable = require('sockw:internal/node-stream_readable');
const Writable = require('sockw:internal/node-stream_writable');
const { Duplex, Transform, PassThrough } = require('sockw:internal/node-stream_duplex');
const { pipeline } = require('sockw:internal/node-stream_pipeline');
const u = require('sockw:internal/node-stream_util');

function finished(stream, options, callback) {
  return arguments.length === 2 ? u.eos(stream, options) : u.eos(stream, options, callback);
}

function notSupported(name) {
  return function () {
    throw u.errors.notSupported('stream.' + name);
  };
}

Object.assign(Stream, {
  isDestroyed: u.isDestroyed,
  isDisturbed: u.isDisturbed,
  isErrored: u.isErrored,
  isReadable: u.isReadable,
  isWritable: u.isWritable,
  Readable,
  Writable,
  Duplex,
  Transform,
  PassThrough,
  duplexPair: notSupported('duplexPair'),
  pipeline,
  addAbortSignal: u.addAbortSignal,
  finished,
  destroy: u.destroyer,
  compose: notSupported('compose'),
  setDefaultHighWaterMark: u.setDefaultHighWaterMark,
  getDefaultHighWaterMark: u.getDefaultHighWaterMark,
  Stream,
  _isArrayBufferView: ArrayBuffer.isView,
  _isUint8Array: u.isUint8Array,
  _uint8ArrayToBuffer: u.asBuffer,
});

// stream.promises and require('stream/promises') are the same object.
Object.defineProperty(Stream, 'promises', {
  enumerable: true,
  configurable: true,
  get() {
    return require('node:stream/promises');
  },
});

module.exports = Stream;
