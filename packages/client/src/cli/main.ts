#!/usr/bin/env node
import { once } from 'node:events';
import { run } from './program.js';

const code = await run(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
});
// Exit explicitly (idle keep-alive sockets must not hold the process), once stdout has drained.
if (process.stdout.writableLength > 0) await once(process.stdout, 'drain');
process.exit(code);
