#!/usr/bin/env node
// Packs @bigin-attachments/server and @bigin-attachments/client into installable tarballs, each
// carrying the (unpublished) @bigin-attachments/contract inside it as a bundled dependency (the
// server also the built web console), so either installs on its own:
// `npm install ./bigin-attachments-server-0.1.0.tgz`.
// npm bundles only what sits in the package's own node_modules, and a workspace install hoists
// the contract to the root, so it is staged there for the pack and removed again.
// Usage: node scripts/pack.mjs [destination folder, default ./packages-dist]  (after npm run build)
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const destination = resolve(process.argv[2] ?? join(root, 'packages-dist'));
const contract = join(root, 'packages', 'contract');
const consolePkg = join(root, 'packages', 'console');
if (!existsSync(join(contract, 'dist', 'index.js')) || !existsSync(join(consolePkg, 'dist', 'index.html'))) {
  process.stderr.write('pack: build first (npm run build)\n');
  process.exit(1);
}
mkdirSync(destination, { recursive: true });
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const BUNDLED = { server: [contract, consolePkg], client: [contract] };
for (const name of ['server', 'client']) {
  const pkg = join(root, 'packages', name);
  rmSync(join(pkg, 'node_modules'), { recursive: true, force: true });
  for (const source of BUNDLED[name]) {
    const staged = join(pkg, 'node_modules', '@bigin-attachments', source.split(/[\\/]/).pop());
    mkdirSync(staged, { recursive: true });
    cpSync(join(source, 'package.json'), join(staged, 'package.json'));
    cpSync(join(source, 'dist'), join(staged, 'dist'), { recursive: true });
  }
  try {
    const out = execFileSync(npm, ['pack', '--silent', '--pack-destination', destination], {
      cwd: pkg,
      encoding: 'utf8',
    });
    process.stdout.write(`${join(destination, out.trim().split('\n').pop())}\n`);
  } finally {
    rmSync(join(pkg, 'node_modules'), { recursive: true, force: true });
  }
}
