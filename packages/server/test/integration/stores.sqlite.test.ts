import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteMetadataStore } from '../../src/storage/sqlite/sqlite-metadata-store.js';
import { apiCreditLedgerContract } from '../contract/api-credit-ledger.contract.js';
import { directoryContract } from '../contract/directory.contract.js';
import { metadataStoreContract } from '../contract/metadata-store.contract.js';
import { metadataStoreApisContract } from '../contract/metadata-store-apis.contract.js';
import { notificationsContract } from '../contract/notifications.contract.js';
import { organizationRepositoryContract } from '../contract/organization-repository.contract.js';
import { recordSearchContract } from '../contract/record-search.contract.js';

metadataStoreContract('SQLite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bigin-sqlite-contract-'));
  return {
    open: async () => new SqliteMetadataStore({ path: join(dir, 'bigin.sqlite'), synchronous: 'NORMAL' }),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
});

metadataStoreApisContract('SQLite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bigin-sqlite-contract-'));
  return {
    open: async () => new SqliteMetadataStore({ path: join(dir, 'bigin.sqlite'), synchronous: 'NORMAL' }),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
});

organizationRepositoryContract('SQLite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bigin-sqlite-contract-'));
  return {
    open: async () => new SqliteMetadataStore({ path: join(dir, 'bigin.sqlite'), synchronous: 'NORMAL' }),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
});

apiCreditLedgerContract('SQLite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bigin-sqlite-contract-'));
  return {
    open: async () => new SqliteMetadataStore({ path: join(dir, 'bigin.sqlite'), synchronous: 'NORMAL' }),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
});

notificationsContract('SQLite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bigin-sqlite-contract-'));
  return {
    open: async () => new SqliteMetadataStore({ path: join(dir, 'bigin.sqlite'), synchronous: 'NORMAL' }),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
});

directoryContract('SQLite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bigin-sqlite-contract-'));
  return {
    open: async () => new SqliteMetadataStore({ path: join(dir, 'bigin.sqlite'), synchronous: 'NORMAL' }),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
});

recordSearchContract('SQLite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bigin-sqlite-contract-'));
  return {
    open: async () => new SqliteMetadataStore({ path: join(dir, 'bigin.sqlite'), synchronous: 'NORMAL' }),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
});
