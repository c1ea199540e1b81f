import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = join(here, '..', '..', '..', '..');
export const CLI = join(REPO_ROOT, 'packages', 'client', 'bin', 'bigin.js');
const COMPILED = join(REPO_ROOT, 'packages', 'client', 'dist', 'cli', 'main.js');

/** The CLI runs from its build output, as users run it; build it if this is a bare vitest run. */
export function ensureBuilt(): void {
  execFileSync(
    process.execPath,
    [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'packages/client'],
    {
      cwd: REPO_ROOT,
      stdio: 'inherit',
    },
  );
  if (!existsSync(COMPILED)) throw new Error(`no compiled CLI at ${COMPILED}`);
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Spawned {
  child: ChildProcess;
  stderrText: () => string;
  /** Resolves when stderr contains `text`. */
  waitForStderr: (text: string) => Promise<void>;
  done: Promise<CliResult>;
}

export function spawnCli(args: string[], env: Record<string, string> = {}, stdin?: string): Spawned {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: env.HOME ?? '/nonexistent', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  child.stdout!.on('data', (c) => {
    stdout += c;
  });
  child.stderr!.on('data', (c) => {
    stderr += c;
    for (const w of [...waiters]) {
      if (stderr.includes(w.text)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  child.stdin!.end(stdin ?? '');
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return {
    child,
    stderrText: () => stderr,
    waitForStderr: (text) =>
      stderr.includes(text) ? Promise.resolve() : new Promise((resolve) => waiters.push({ text, resolve })),
    done,
  };
}

export function runCli(args: string[], env: Record<string, string> = {}, stdin?: string): Promise<CliResult> {
  return spawnCli(args, env, stdin).done;
}
