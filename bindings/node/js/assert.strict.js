// node:assert/strict: node:assert with strict comparisons under every name.
'use strict';
module.exports = require('node:assert').strict;
