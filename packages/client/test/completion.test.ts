import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/program.js';

const run = promisify(execFile);

describe('bigin completion', () => {
  it('prints a bash script that completes subcommands and options from the command tree', async () => {
    const out: string[] = [];
    const { program } = buildProgram({ out: (s) => out.push(s), err: () => {}, env: {} });
    await program.parseAsync(['node', 'bigin', 'completion']);
    const dir = await mkdtemp(join(tmpdir(), 'bigin-completion-'));
    try {
      const file = join(dir, 'completion.bash');
      await writeFile(file, `${out.join('\n')}\n`);
      const complete = async (words: string[]) =>
        (
          await run('bash', [
            '-c',
            `source ${file}; COMP_WORDS=(${words.map((w) => `"${w}"`).join(' ')}); COMP_CWORD=${words.length - 1}; _bigin_complete; echo "\${COMPREPLY[*]}"`,
          ])
        ).stdout.trim();
      expect(await complete(['bigin', 'attach'])).toBe('attachments');
      expect((await complete(['bigin', 'attachments', ''])).split(' ')).toEqual(
        expect.arrayContaining(['ls', 'upload', 'download']),
      );
      expect((await complete(['bigin', 'attachments', 'upload', '--li'])).split(' ')).toContain('--link');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
