import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';

/** Looks at a test server's data folder directly, to prove what an answer claims was (not) stored. */
export async function blobFiles(dataDir: string): Promise<string[]> {
  const root = join(dataDir, 'blobs');
  const out: string[] = [];
  const walk = async (dir: string) => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) await walk(path);
      else out.push(relative(root, path));
    }
  };
  await walk(root);
  return out.sort();
}

export function dbCounts(dataDir: string): { attachments: number; journal: number } {
  const db = new Database(join(dataDir, 'bigin.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      attachments: n('SELECT COUNT(*) AS n FROM attachments'),
      journal: n('SELECT COUNT(*) AS n FROM blob_journal'),
    };
  } finally {
    db.close();
  }
}

/** What is in the data folder and database: equal snapshots mean nothing was left behind. */
export async function storageSnapshot(dataDir: string) {
  return { files: await blobFiles(dataDir), ...dbCounts(dataDir) };
}
