import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built entry point (`npm test` builds before running the tests). */
export const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

export interface SpawnedServer {
  url: string;
  process: ChildProcess;
  /** Everything the process printed to stdout so far. */
  output(): string;
  /** Resolves with the first match of `pattern` in stdout, as soon as it is printed. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

/**
 * Starts `bigin-server` as its own process (what a user runs), on a free port, and resolves
 * once it logs the address it listens on.
 */
export function spawnServer(args: string[], env: Record<string, string> = {}): Promise<SpawnedServer> {
  const child = spawn(process.execPath, [MAIN, '--port', '0', ...args], {
    // One port (the default data center's): the output then holds a single listening address.
    env: { ...process.env, LOG_LEVEL: 'info', DATA_CENTER_PORTS: 'none', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const m = pattern.exec(out);
        if (m) {
          child.stdout!.off('data', check);
          resolve(m);
        }
      };
      child.stdout!.on('data', check);
      child.on('exit', () => reject(new Error(`exited before printing ${pattern}:\n${out}`)));
      check();
    });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) resolve({ url: match[1]!, process: child, output: () => out, waitFor, exited });
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString('utf8');
    });
    exited.then((code) => reject(new Error(`server exited with ${code} before listening:\n${out}\n${err}`)));
  });
}

/** Runs `bigin-server` with arguments to completion (admin commands). */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString('utf8');
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString('utf8');
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}
