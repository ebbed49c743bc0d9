// node:tty: nothing a worker writes to is a terminal.
'use strict';

const codes = require('sockw:internal/node-codes');

function notSupported(name) {
  return class {
    constructor() {
      throw codes.notSupported('tty.' + name);
    }
  };
}

module.exports = {
  isatty: () => false,
  ReadStream: notSupported('ReadStream'),
  WriteStream: notSupported('WriteStream'),
};
