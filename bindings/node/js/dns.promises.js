// node:dns/promises.
'use strict';
module.exports = require('node:dns').promises;
