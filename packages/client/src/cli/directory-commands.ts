import type { Command } from 'commander';
import type { BiginUser, Module, UserType } from '../types.js';
import type { Register } from './attachments-commands.js';
import { loadContext, makeClient } from './context.js';
import { EXIT } from './exit-codes.js';
import { table } from './output.js';

/** `bigin users list|get`, `bigin org`, `bigin fields <module>`, `bigin modules`. */
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
