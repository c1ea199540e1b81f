#!/usr/bin/env node
// A committed, executable entry: the compiled CLI in dist/ is not executable by itself, and in a
// fresh checkout does not exist yet (npm links bins at install time, before any build).
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('bigin: not built yet: run `npm run build` in the repository first\n');
  process.exit(1);
}
await import(main.href);
