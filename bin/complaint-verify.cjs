#!/usr/bin/env node
// complaint-verify: offline verifier of compliance export bundles; runs the TypeScript CLI through tsx's require hook.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS shim: require() is how the tsx hook and the .ts CLI load */
require('tsx/cjs');
const { main } = require('../tools/complaint-verify/cli.ts');

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`complaint-verify: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
