import type { Command } from 'commander';
import type { Module, WriteResult } from '../types.js';
import type { Register } from './attachments-commands.js';
import { loadContext, makeClient } from './context.js';
import { CliError, EXIT } from './exit-codes.js';
import { table } from './output.js';

const resultTable = (rows: WriteResult[], extra: string[] = []) =>
  table(
    rows.map((r) => ({
      ...r,
      id: String(r.details.id ?? ''),
      tags: Array.isArray(r.details.tags) ? r.details.tags.join(', ') : '',
    })) as Record<string, unknown>[],
    ['status', 'code', 'id', ...extra, 'message'],
  );

const exitOf = (results: WriteResult[]) =>
  results.some((r) => r.status === 'error') ? EXIT.PARTIAL_FAILURE : EXIT.OK;

const namesOf = (value: string) => {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw new CliError('--tags names no tag', EXIT.USAGE);
  return names;
};

/**
 * `bigin tags list|create|rename <module> …` and `bigin records add-tags|remove-tags <module>
 * <ids...> --tags a,b` (docs/tags.md).
 */
export function registerTagCommands(program: Command, register: Register, env: NodeJS.ProcessEnv): void {
  const tags = program.command('tags').description("A module's tags");

  register(
    tags
      .command('list')
      .description("List a module's tags")
      .argument('<module>')
      .option('--mine', 'only the tags you made'),
    (module: Module, opts: { mine?: boolean }) => async (globals, output) => {
      const client = makeClient(globals, await loadContext(globals, env));
      const list = await client.tags.list(module, opts.mine ? { myTags: true } : {});
      const rows = list.map((t) => ({ ...t, created_by: t.created_by.name }));
      output.out(
        output.json
          ? JSON.stringify(list)
          : list.length
            ? table(rows, ['id', 'name', 'colour_code', 'created_by', 'modified_time'])
            : 'No tags.',
      );
      return EXIT.OK;
    },
  );

  register(
    tags
      .command('create')
      .description('Create up to 50 tags in a module')
      .argument('<module>')
      .argument('<names...>')
      .option('--color <hex>', 'one of the 13 tag colours, e.g. #57B1FD'),
    (module: Module, names: string[], opts: { color?: string }) => async (globals, output) => {
      const client = makeClient(globals, await loadContext(globals, env));
      const results = await client.tags.create(
        module,
        names.map((name) => ({ name, ...(opts.color ? { colorCode: opts.color } : {}) })),
      );
      output.out(output.json ? JSON.stringify(results) : resultTable(results));
      return exitOf(results);
    },
  );

  register(
    tags
      .command('rename')
      .description('Rename a tag')
      .argument('<module>')
      .argument('<id>')
      .argument('<name>'),
    (module: Module, id: string, name: string) => async (globals, output) => {
      const client = makeClient(globals, await loadContext(globals, env));
      const result = await client.tags.rename(module, id, name);
      output.out(output.json ? JSON.stringify(result) : resultTable([result]));
      return exitOf([result]);
    },
  );

  const records = program.commands.find((c) => c.name() === 'records') ?? program.command('records');
  for (const [name, verb] of [
    ['add-tags', 'Add tags to'],
    ['remove-tags', 'Remove tags from'],
  ] as const)
    register(
      records
        .command(name)
        .description(`${verb} one record or up to 500`)
        .argument('<module>')
        .argument('<ids...>')
        .requiredOption('--tags <names>', 'comma-separated tag names')
        .option('--overwrite', 'add-tags: take the records’ other tags off'),
      (module: Module, ids: string[], opts: { tags: string; overwrite?: boolean }) =>
        async (globals, output) => {
          const client = makeClient(globals, await loadContext(globals, env));
          const target = ids.length === 1 ? ids[0]! : ids;
          const results =
            name === 'add-tags'
              ? await client.records.addTags(
                  module,
                  target,
                  namesOf(opts.tags),
                  opts.overwrite ? { overwrite: true } : {},
                )
              : await client.records.removeTags(module, target, namesOf(opts.tags));
          output.out(output.json ? JSON.stringify(results) : resultTable(results, ['tags']));
          return exitOf(results);
        },
    );
}
