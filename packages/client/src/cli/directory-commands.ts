import type { Command } from 'commander';
import type { BiginUser, Module, UserInput, UserType } from '../types.js';
import type { Register } from './attachments-commands.js';
import { loadContext, makeClient } from './context.js';
import { EXIT } from './exit-codes.js';
import { table } from './output.js';

/** The options of `users create` and `users update`, as the API's keys. */
interface UserOptions {
  firstName?: string;
  lastName?: string;
  email?: string;
  roleId?: string;
  profileId?: string;
  timeZone?: string;
  locale?: string;
  phone?: string;
  mobile?: string;
  status?: 'active' | 'inactive';
}

function userFields(opts: UserOptions): Partial<UserInput> & { status?: 'active' | 'inactive' } {
  const pairs: Array<[string, string | undefined]> = [
    ['first_name', opts.firstName],
    ['last_name', opts.lastName],
    ['email', opts.email],
    ['role', opts.roleId],
    ['profile', opts.profileId],
    ['time_zone', opts.timeZone],
    ['locale', opts.locale],
    ['phone', opts.phone],
    ['mobile', opts.mobile],
    ['status', opts.status],
  ];
  return Object.fromEntries(pairs.filter(([, v]) => v !== undefined));
}

/** Options shared by `users create` and `users update`. */
function withUserOptions(command: Command, required: boolean): Command {
  const opt = (flags: string, description: string) =>
    required ? command.requiredOption(flags, description) : command.option(flags, description);
  opt('--first-name <name>', 'first name');
  opt('--last-name <name>', 'last name');
  opt('--email <email>', 'email address (unique in the organisation)');
  // `--profile` is the CLI's own (which stored sign-in to use), hence `--profile-id`.
  opt('--role-id <id>', 'role id (GET /settings/roles)');
  opt('--profile-id <id>', 'profile id (GET /settings/profiles)');
  return command
    .option('--time-zone <zone>', "IANA time zone (only one's own may be changed)")
    .option('--locale <locale>', 'locale, e.g. en_US')
    .option('--phone <phone>', 'phone number')
    .option('--mobile <mobile>', 'mobile number');
}

/** `bigin users list|get|create|update|delete`, `bigin org`, `bigin fields <module>`, `bigin modules`. */
export function registerDirectoryCommands(
  program: Command,
  register: Register,
  env: NodeJS.ProcessEnv,
): void {
  const users = program.command('users').description('Users of the organisation');

  register(
    users
      .command('list')
      .description('List users (every page)')
      .option(
        '--type <type>',
        'AllUsers, ActiveUsers, DeactiveUsers, AdminUsers, CurrentUser, …',
        'AllUsers',
      ),
    (opts: { type: UserType }) => async (globals, output) => {
      const client = makeClient(globals, await loadContext(globals, env));
      const items: BiginUser[] = [];
      for await (const u of client.users.list({ type: opts.type })) items.push(u);
      const rows = items.map((u) => ({ ...u, role: u.role.name, profile: u.profile.name }));
      output.out(
        output.json
          ? JSON.stringify(items)
          : items.length
            ? table(rows, ['id', 'full_name', 'email', 'status', 'role', 'profile', 'time_zone'])
            : 'No users.',
      );
      return EXIT.OK;
    },
  );

  register(users.command('get').argument('<id>'), (id: string) => async (globals, output) => {
    const client = makeClient(globals, await loadContext(globals, env));
    const user = await client.users.get(id);
    if (!user) {
      output.err(`no user ${id} (HTTP 204)`);
      return EXIT.NOT_FOUND;
    }
    output.out(JSON.stringify(user, null, output.json ? undefined : 2));
    return EXIT.OK;
  });

  register(
    withUserOptions(users.command('create').description('Add a user (administrators; one per call)'), true),
    (opts: UserOptions) => async (globals, output) => {
      const client = makeClient(globals, await loadContext(globals, env));
      const result = await client.users.create(userFields(opts) as UserInput);
      output.out(output.json ? JSON.stringify(result) : `Added user ${result.details.id}`);
      return EXIT.OK;
    },
  );

  register(
    withUserOptions(users.command('update').description('Change a user').argument('<id>'), false).option(
      '--status <status>',
      'active or inactive (deactivates the user)',
    ),
    (id: string, opts: UserOptions) => async (globals, output) => {
      const fields = userFields(opts);
      if (Object.keys(fields).length === 0) {
        output.err('nothing to change: give at least one option');
        return EXIT.USAGE;
      }
      const client = makeClient(globals, await loadContext(globals, env));
      const result = await client.users.update(id, fields);
      output.out(output.json ? JSON.stringify(result) : `Updated user ${id}`);
      return EXIT.OK;
    },
  );

  register(
    users.command('delete').alias('rm').description('Delete a user (kept as deleted)').argument('<id>'),
    (id: string) => async (globals, output) => {
      const client = makeClient(globals, await loadContext(globals, env));
      const result = await client.users.delete(id);
      output.out(output.json ? JSON.stringify(result) : `Deleted user ${id}`);
      return EXIT.OK;
    },
  );

  register(program.command('org').description('Show the organisation'), () => async (globals, output) => {
    const client = makeClient(globals, await loadContext(globals, env));
    const org = await client.settings.org();
    output.out(
      output.json
        ? JSON.stringify(org)
        : table([org], ['id', 'company_name', 'time_zone', 'currency', 'primary_email']),
    );
    return EXIT.OK;
  });

  register(
    program.command('fields').description("A module's fields (API name, type, length)").argument('<module>'),
    (module: Module) => async (globals, output) => {
      const client = makeClient(globals, await loadContext(globals, env));
      const fields = await client.settings.fields(module);
      const rows = fields.map((f) => ({
        ...f,
        mandatory: f.system_mandatory ? 'yes' : '',
        custom: f.custom_field ? 'yes' : '',
        lookup: f.lookup.module?.api_name ?? '',
      }));
      output.out(
        output.json
          ? JSON.stringify(fields)
          : table(rows, ['api_name', 'field_label', 'data_type', 'length', 'mandatory', 'custom', 'lookup']),
      );
      return EXIT.OK;
    },
  );

  register(
    program.command('modules').description('Modules of the organisation'),
    () => async (globals, output) => {
      const client = makeClient(globals, await loadContext(globals, env));
      const modules = await client.settings.modules();
      output.out(
        output.json
          ? JSON.stringify(modules)
          : table(modules, ['api_name', 'plural_label', 'api_supported', 'id']),
      );
      return EXIT.OK;
    },
  );
}
