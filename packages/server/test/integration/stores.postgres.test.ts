import { PostgresMetadataStore } from '../../src/storage/postgres/postgres-metadata-store.js';
import { apiCreditLedgerContract } from '../contract/api-credit-ledger.contract.js';
import { directoryContract } from '../contract/directory.contract.js';
import { metadataStoreContract } from '../contract/metadata-store.contract.js';
import { metadataStoreApisContract } from '../contract/metadata-store-apis.contract.js';
import { notificationsContract } from '../contract/notifications.contract.js';
import { organizationRepositoryContract } from '../contract/organization-repository.contract.js';
import { recordSearchContract } from '../contract/record-search.contract.js';
import { createTestSchema } from '../support/postgres.js';

metadataStoreContract('PostgreSQL', async () => {
  const schema = await createTestSchema();
  return {
    open: async () => {
      const store = new PostgresMetadataStore({ connectionString: schema.url, poolSize: 4 });
      await store.migrate();
      return store;
    },
    dispose: () => schema.drop(),
  };
});

metadataStoreApisContract('PostgreSQL', async () => {
  const schema = await createTestSchema();
  return {
    open: async () => {
      const store = new PostgresMetadataStore({ connectionString: schema.url, poolSize: 4 });
      await store.migrate();
      return store;
    },
    dispose: () => schema.drop(),
  };
});

organizationRepositoryContract('PostgreSQL', async () => {
  const schema = await createTestSchema();
  return {
    open: async () => {
      const store = new PostgresMetadataStore({ connectionString: schema.url, poolSize: 4 });
      await store.migrate();
      return store;
    },
    dispose: () => schema.drop(),
  };
});

apiCreditLedgerContract('PostgreSQL', async () => {
  const schema = await createTestSchema();
  return {
    open: async () => {
      const store = new PostgresMetadataStore({ connectionString: schema.url, poolSize: 4 });
      await store.migrate();
      return store;
    },
    dispose: () => schema.drop(),
  };
});

notificationsContract('PostgreSQL', async () => {
  const schema = await createTestSchema();
  return {
    open: async () => {
      const store = new PostgresMetadataStore({ connectionString: schema.url, poolSize: 4 });
      await store.migrate();
      return store;
    },
    dispose: () => schema.drop(),
  };
});

directoryContract('PostgreSQL', async () => {
  const schema = await createTestSchema();
  return {
    open: async () => {
      const store = new PostgresMetadataStore({ connectionString: schema.url, poolSize: 4 });
      await store.migrate();
      return store;
    },
    dispose: () => schema.drop(),
  };
});

recordSearchContract('PostgreSQL', async () => {
  const schema = await createTestSchema();
  return {
    open: async () => {
      const store = new PostgresMetadataStore({ connectionString: schema.url, poolSize: 4 });
      await store.migrate();
      return store;
    },
    dispose: () => schema.drop(),
  };
});
