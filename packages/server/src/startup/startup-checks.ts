import { randomBytes } from 'node:crypto';
import { access, constants, mkdir, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataCenterId } from '@bigin-attachments/contract';
import type { Config } from '../config/schema.js';
import type { BlobStore } from '../domain/ports.js';

/**
 * A start that cannot succeed, worded for the person who ran the command: one line saying what
 * is wrong and which setting changes it. `main` prints the message alone (no stack) and exits 1.
 */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}

const code = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null ? (error as NodeJS.ErrnoException).code : undefined;

const reason = (error: unknown): string => {
  const c = code(error);
  const message = error instanceof Error ? error.message : String(error);
  // Node's messages for file errors repeat the path and the code; the code alone is clearer.
  if (c && /^E[A-Z]+$/.test(c) && message.startsWith(`${c}:`)) return c;
  return message.split('\n')[0]!;
};

/**
 * The data folder must exist (it is created) and take a new file, and the SQLite file and blob
 * folder in it must be writable, before anything is opened: otherwise the first upload or the
 * first migration would fail with a driver's stack trace.
 */
export async function checkDataFolder(config: Pick<Config, 'dataDir' | 'databaseUrl' | 's3'>): Promise<void> {
  if (config.databaseUrl && config.s3) return;
  const dir = config.dataDir;
  const fail = (what: string, error: unknown) =>
    new StartupError(`cannot write to ${what} (set DATA_DIR to a writable folder): ${reason(error)}`, {
      cause: error,
    });
  try {
    await mkdir(dir, { recursive: true });
    const probe = join(dir, `.write-check-${process.pid}-${randomBytes(4).toString('hex')}`);
    await writeFile(probe, '');
    await unlink(probe);
  } catch (error) {
    throw fail(`the data folder ${dir}`, error);
  }
  const existing = [
    ...(config.databaseUrl ? [] : [join(dir, 'bigin.sqlite'), join(dir, 'bigin.sqlite-wal')]),
    ...(config.s3 ? [] : [join(dir, 'blobs')]),
  ];
  for (const path of existing) {
    const present = await stat(path).then(
      () => true,
      () => false,
    );
    if (!present) continue;
    try {
      await access(path, constants.W_OK);
    } catch (error) {
      throw fail(path, error);
    }
  }
}

/** `host:port/database` of a PostgreSQL URL, never its password. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname && u.pathname !== '/' ? u.pathname : '/'}`;
  } catch {
    return '(unparsable URL)';
  }
}

export function databaseFailure(url: string, error: unknown): StartupError {
  return new StartupError(
    `cannot use PostgreSQL at ${describeDatabaseUrl(url)} (DATABASE_URL): ${reason(error)}`,
    { cause: error },
  );
}

/** The bucket must answer before the server says it is up. */
export async function checkBlobStore(config: Pick<Config, 's3'>, blobs: BlobStore): Promise<void> {
  if (!config.s3) return;
  try {
    await blobs.ping();
  } catch (error) {
    const where = config.s3.endpoint ? ` at ${config.s3.endpoint} (S3_ENDPOINT)` : '';
    const name = (error as { name?: string }).name;
    const why =
      name && name !== 'Error' && !reason(error).includes(name) ? `${name}: ${reason(error)}` : reason(error);
    throw new StartupError(`cannot reach S3 bucket ${config.s3.bucket} (S3_BUCKET)${where}: ${why}`, {
      cause: error,
    });
  }
}

/** Which setting decides a port, for the message when it cannot be bound. */
export interface PortRole {
  port: number;
  dataCenter: DataCenterId;
  isDefault: boolean;
}

export function listenFailure(
  config: Pick<Config, 'host' | 'port' | 'dataCenterPorts'>,
  role: PortRole,
  error: unknown,
): StartupError {
  const c = code(error);
  const owner = role.isDefault
    ? 'PORT'
    : config.dataCenterPorts.mode === 'consecutive'
      ? `the ${role.dataCenter.toUpperCase()} data center's port, PORT+${role.port - config.port} under DATA_CENTER_PORTS=consecutive`
      : `the ${role.dataCenter.toUpperCase()} data center's port in DATA_CENTER_PORTS`;
  const fix = role.isDefault
    ? 'set PORT (or --port) to a free port'
    : config.dataCenterPorts.mode === 'consecutive'
      ? 'set PORT to the first of 8 free consecutive ports, DATA_CENTER_PORTS=none to serve only PORT, or DATA_CENTERS to fewer data centers'
      : 'change it in DATA_CENTER_PORTS';
  if (c === 'EADDRINUSE')
    return new StartupError(`port ${role.port} is already in use (${owner}); ${fix}`, { cause: error });
  if (c === 'EACCES')
    return new StartupError(`not allowed to listen on port ${role.port} (${owner}); ${fix}`, {
      cause: error,
    });
  if (c === 'EADDRNOTAVAIL' || c === 'ENOTFOUND')
    return new StartupError(
      `cannot listen on HOST=${config.host}: not an address of this machine; set HOST (or --host)`,
      { cause: error },
    );
  return new StartupError(`cannot listen on ${config.host}:${role.port} (${owner}): ${reason(error)}`, {
    cause: error,
  });
}

export async function readTlsFile(path: string, setting: 'TLS_CERT_FILE' | 'TLS_KEY_FILE'): Promise<Buffer> {
  const { readFile } = await import('node:fs/promises');
  try {
    return await readFile(path);
  } catch (error) {
    throw new StartupError(`cannot read ${setting}=${path}: ${reason(error)}`, { cause: error });
  }
}
