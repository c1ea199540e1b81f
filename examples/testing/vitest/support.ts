// The admin client alone: test files need not load the server, which only global-setup.ts starts.
import { createAdminClient } from '@bigin-attachments/testing/admin-client';
import { inject } from 'vitest';

/** The shared server's admin API, reached from any test file. */
export const admin = createAdminClient({ url: inject('bigin').url, key: inject('bigin').adminKey });

/** An organisation of this test's own: a copy of the fixture's, with tokens nobody else holds. */
export const newOrganization = () => admin.createOrganization({ from: '3045030000000000001' });
