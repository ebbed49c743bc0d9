// node:stream/promises: pipeline and finished returning promises.
'use strict';
const u = require('sockw:internal/node-stream_util');
const { pipelineImpl } = require('sockw:internal/node-stream_pipeline');

// pipeline(...streams[, {signal, end}]): a last argument that is a plain
// options object (not a stream) holds the options.
function pipeline(...streams) {
  return new Promise((resolve, reject) => {
    let opts;
    const last = streams[streams.length - 1];
    if (last && typeof last === 'object' && !u.isNodeStream(last) && !u.isIterable(last)) {
      opts = streams.pop();
      u.errors.validateAbortSignal(opts.signal, 'options.signal');
    }
    if (Array.isArray(streams[0]) && streams.length === 1) streams = streams[0];
    pipelineImpl(streams, (err, value) => {
      if (err) reject(err);
      else resolve(value);
    }, opts);
  });
}

function finished(stream, opts) {
  return new Promise((resolve, reject) => {
    u.eos(stream, opts, (err) => {
      if (err) reject(err);
      else resolve();
    });
  });
}

module.exports = { pipeline, finished };
