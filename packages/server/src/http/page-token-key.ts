import { randomBytes } from 'node:crypto';
import type { InstallationSecrets } from '../domain/ports.js';
import { PAGE_TOKEN_KEY_NAME } from '../domain/records/page-token.js';

/**
 * The page-token signing key: made at random on the installation's first list call and kept in
 * the metadata store, so it survives restarts and every node sharing a PostgreSQL database signs
 * and checks with the same key. Read once per process; a failed read (store down) is retried on
 * the next call rather than remembered.
 */
export function installationPageTokenKey(secrets: InstallationSecrets): () => Promise<Uint8Array> {
  let key: Promise<Uint8Array> | null = null;
  return () => {
    key ??= secrets
      .getOrCreate(PAGE_TOKEN_KEY_NAME, randomBytes(32).toString('base64url'))
      .then((value) => Buffer.from(value, 'base64url'));
    key.catch(() => {
      key = null;
    });
    return key;
  };
}
