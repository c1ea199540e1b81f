import type { MetadataStore } from '../../src/domain/ports.js';
import { adminBaselinesContract } from './admin-baselines.contract.js';
import { apiCreditLedgerContract } from './api-credit-ledger.contract.js';
import type { StoreBacking } from './contract-seed.js';
import { coqlSearchContract } from './coql-search.contract.js';
import { directoryContract } from './directory.contract.js';
import { metadataStoreContract } from './metadata-store.contract.js';
import { metadataStoreApisContract } from './metadata-store-apis.contract.js';
import { notificationsContract } from './notifications.contract.js';
import { organizationRepositoryContract } from './organization-repository.contract.js';
import { recordPhotosContract } from './record-photos.contract.js';
import { recordSearchContract } from './record-search.contract.js';
import { tagsContract } from './tags.contract.js';

/**
 * Every contract suite a MetadataStore must pass. Each backend's test file runs all of them with
 * its own store factory, so a new suite added here runs on every backend at once.
 */
export function metadataStoreSuites(
  name: string,
  createBacking: () => Promise<StoreBacking<MetadataStore>>,
): void {
  metadataStoreContract(name, createBacking);
  metadataStoreApisContract(name, createBacking);
  organizationRepositoryContract(name, createBacking);
  apiCreditLedgerContract(name, createBacking);
  notificationsContract(name, createBacking);
  directoryContract(name, createBacking);
  recordSearchContract(name, createBacking);
  coqlSearchContract(name, createBacking);
  tagsContract(name, createBacking);
  recordPhotosContract(name, createBacking);
  adminBaselinesContract(name, createBacking);
}
