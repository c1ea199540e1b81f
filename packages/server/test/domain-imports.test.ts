import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The domain imports nothing from storage, HTTP or a driver (docs/architecture.md), and Biome's
// noRestrictedImports (biome.json) is what enforces it. This runs the repository's own Biome
// configuration over files placed under packages/server/src/domain of a scratch copy, so that
// the rule is shown to fail on a violation (relative imports included) without touching the tree.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIOME = join(ROOT, 'node_modules', '.bin', 'biome');
const run = promisify(execFile);

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bigin-domain-imports-'));
  const config = JSON.parse(await readFile(join(ROOT, 'biome.json'), 'utf8')) as Record<string, unknown>;
  // The scratch copy is no git checkout: read its files as they are.
  config.vcs = { enabled: false };
  await writeFile(join(dir, 'biome.json'), JSON.stringify(config));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function lint(path: string, source: string): Promise<{ code: number; output: string }> {
  const file = join(dir, path);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, source);
  try {
    const { stdout, stderr } = await run(BIOME, ['lint', '--max-diagnostics=50', path], { cwd: dir });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

describe('the domain-import rule', () => {
  it.each([
    ['storage, relative', "import { SqliteDialect } from '../storage/sql/sqlite-dialect.js';"],
    ['storage, from a subfolder', "import { createStores } from '../../storage/create-stores.js';"],
    ['HTTP, relative', "import { errorHandler } from '../../http/error-handler.js';"],
    ['a database driver', "import pg from 'pg';"],
    ['the SQLite driver', "import Database from 'better-sqlite3';"],
    ['the web framework', "import Fastify from 'fastify';"],
  ])('fails the lint on an import of %s', async (_what, line) => {
    const name = line.match(/import (?:\{ )?(\w+)/)![1];
    const { code, output } = await lint(
      'packages/server/src/domain/attachments/violation.ts',
      `${line}\n\nexport const used = ${name};\n`,
    );
    expect(code, output).not.toBe(0);
    expect(output).toContain('lint/style/noRestrictedImports');
  });

  it('passes a domain file that imports only the domain and the contract', async () => {
    const { code, output } = await lint(
      'packages/server/src/domain/attachments/clean.ts',
      "import type { ModuleApiName } from '@bigin-attachments/contract';\nimport type { AttachmentRow } from '../ports.js';\n\nexport type Used = [ModuleApiName, AttachmentRow];\n",
    );
    expect({ code, output }).toEqual({ code: 0, output: expect.not.stringContaining('noRestrictedImports') });
  });

  it('leaves storage free to import the domain', async () => {
    const { code, output } = await lint(
      'packages/server/src/storage/sql/uses-domain.ts',
      "import type { AttachmentRow } from '../../domain/ports.js';\n\nexport type Used = AttachmentRow;\n",
    );
    expect(code, output).toBe(0);
  });
});
