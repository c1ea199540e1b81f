import type { Command } from 'commander';
import { AdminApiError } from '../admin.js';
import { adminClient } from './admin-commands.js';
import type { Register } from './attachments-commands.js';
import { CliError, EXIT } from './exit-codes.js';
import { table } from './output.js';

/** Admin errors become exit code BAD_REQUEST with the admin API's code and message. */
async function admin<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AdminApiError)
      throw new CliError(`${error.code}: ${error.message}`, EXIT.BAD_REQUEST);
    throw error;
  }
}

/**
 * `bigin admin-org …`: one organisation of the self-hosted server as the console shows it (users,
 * tokens, clients, the recycle bin, notification channels). Named apart from `bigin org`, which is
 * Bigin's own Org API.
 */
export function registerAdminOrgCommands(program: Command, register: Register, env: NodeJS.ProcessEnv): void {
  const group = program
    .command('admin-org')
    .description('An organisation of the self-hosted server: users, tokens, recycle bin (BIGIN_ADMIN_KEY)');
  const withUrl = (c: Command) =>
    c.option('--admin-url <url>', 'the server’s base URL (env BIGIN_ADMIN_URL)');
  type O = { adminUrl?: string };
  const client = (globals: Parameters<typeof adminClient>[0], o: O) =>
    adminClient({ ...globals, ...(o.adminUrl ? { adminUrl: o.adminUrl } : {}) }, env);

  register(
    withUrl(
      group
        .command('show')
        .description('Users, tokens (with their state) and OAuth clients')
        .argument('<orgId>'),
    ),
    (orgId: string, o: O) => async (globals, output) => {
      const d = await admin(async () => (await client(globals, o)).organization(orgId));
      if (output.json) output.out(JSON.stringify(d));
      else {
        output.out(`${d.organization.id} ${d.organization.name} (${d.organization.dataCenter}) at ${d.now}`);
        output.out(table(d.users, ['id', 'name', 'email', 'profile', 'role', 'timeZone', 'active']));
        output.out(table(d.tokens, ['id', 'user', 'state', 'expiresAt', 'scope']));
      }
      return EXIT.OK;
    },
  );

  register(
    withUrl(
      group
        .command('revoke-token')
        .description('Revoke an access token by its id (from `admin-org show`)')
        .argument('<orgId>')
        .argument('<tokenId>'),
    ),
    (orgId: string, tokenId: string, o: O) => async (globals, output) => {
      const r = await admin(async () => (await client(globals, o)).revokeToken(orgId, tokenId));
      output.out(output.json ? JSON.stringify(r) : `${r.id} revoked at ${r.revokedAt}`);
      return EXIT.OK;
    },
  );

  register(
    withUrl(
      group
        .command('recycle-bin')
        .description('Deleted attachments and records awaiting purge')
        .argument('<orgId>'),
    ),
    (orgId: string, o: O) => async (globals, output) => {
      const bin = await admin(async () => (await client(globals, o)).recycleBin(orgId));
      if (output.json) output.out(JSON.stringify(bin));
      else {
        output.out(table(bin.attachments, ['id', 'record', 'fileName', 'deletedAt', 'purgeAfter']));
        output.out(table(bin.records, ['id', 'module', 'name', 'deletedAt', 'purgeAfter']));
      }
      return EXIT.OK;
    },
  );

  register(
    withUrl(
      group
        .command('restore')
        .description('Restore an attachment, or with --record a record and what its delete took along')
        .argument('<orgId>')
        .argument('<id>')
        .option('--record', 'the id is a record’s'),
    ),
    (orgId: string, id: string, o: O & { record?: boolean }) => async (globals, output) => {
      const r = await admin(async () =>
        (await client(globals, o)).restore(orgId, o.record ? 'records' : 'attachments', id),
      );
      output.out(output.json ? JSON.stringify(r) : `${r.restored} restored`);
      return EXIT.OK;
    },
  );

  register(
    withUrl(group.command('channels').description('Notification channels of every user').argument('<orgId>')),
    (orgId: string, o: O) => async (globals, output) => {
      const r = await admin(async () => (await client(globals, o)).notificationChannels(orgId));
      if (output.json) output.out(JSON.stringify(r));
      else
        output.out(
          table(r.channels as unknown as Array<Record<string, unknown>>, [
            'channelId',
            'user',
            'notifyUrl',
            'expiresAt',
          ]),
        );
      return EXIT.OK;
    },
  );
}
