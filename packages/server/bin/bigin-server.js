#!/usr/bin/env node
// The command on PATH. It exists before the build does (npm links bins at install time, when a
// checkout has no dist/ yet), and says so instead of failing on a missing file.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('bigin-server: not built yet: run `npm run build` in the repository first\n');
  process.exit(1);
}
await import(main.href);
