// node:tty: nothing a worker writes to is a terminal.
'use strict';

function notSupported(name) {
  return class {
    constructor() {
      const err = new Error('not supported in sockw: tty.' + name);
      err.code = 'ERR_NOT_SUPPORTED';
      throw err;
    }
  };
}

module.exports = {
  isatty: () => false,
  ReadStream: notSupported('ReadStream'),
  WriteStream: notSupported('WriteStream'),
};
