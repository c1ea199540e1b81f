import { PostgresMetadataStore } from '../../src/storage/postgres/postgres-metadata-store.js';
import { metadataStoreSuites } from '../contract/metadata-store-suites.js';
import { createTestSchema } from '../support/postgres.js';

metadataStoreSuites('PostgreSQL', async () => {
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
