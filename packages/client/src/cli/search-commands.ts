import type { Command } from 'commander';
import type { BiginRecord, Module } from '../types.js';
import type { Register } from './attachments-commands.js';
import { loadContext, makeClient } from './context.js';
import { CliError, EXIT } from './exit-codes.js';
import { table } from './output.js';

type ItemRow = { status: string; code: string; message: string; details: Record<string, unknown> };
const itemTable = (rows: ItemRow[], extra: string[] = []) =>
  table(
    rows.map((r) => ({ ...r, id: String(r.details.id ?? '') }) as Record<string, unknown>),
    ['status', 'code', 'id', ...extra, 'message'],
  );

/** `bigin records search|upsert|related|link|unlink` (docs/search.md, upsert.md, related-records.md). */
export function registerSearchCommands(program: Command, register: Register, env: NodeJS.ProcessEnv): void {
  const records = program.commands.find((c) => c.name() === 'records') ?? program.command('records');

  register(
    records
      .command('search')
      .description('Search a module by --criteria, --email, --phone or --word (every page unless --page)')
      .argument('<module>')
      .option('--criteria <criteria>', 'e.g. ((Email:equals:a@x.io)or(Last_Name:starts_with:Sm))')
      .option('--email <email>')
      .option('--phone <phone>')
      .option('--word <word>')
      .option('--fields <names>', 'comma-separated field API names', 'id')
      .option('--page <n>', 'one page only')
      .option('--per-page <n>', 'page size (max 200)'),
    (
      module: Module,
      opts: {
        criteria?: string;
        email?: string;
        phone?: string;
        word?: string;
        fields: string;
        page?: string;
        perPage?: string;
      },
    ) =>
      async (globals, output) => {
        if (!opts.criteria && !opts.email && !opts.phone && !opts.word)
          throw new CliError('give one of --criteria, --email, --phone, --word', EXIT.USAGE);
        const client = makeClient(globals, await loadContext(globals, env));
        const fields = opts.fields.split(',').filter(Boolean);
        const params = {
          ...(opts.criteria ? { criteria: opts.criteria } : {}),
          ...(opts.email ? { email: opts.email } : {}),
          ...(opts.phone ? { phone: opts.phone } : {}),
          ...(opts.word ? { word: opts.word } : {}),
          fields,
          ...(opts.perPage ? { perPage: Number(opts.perPage) } : {}),
        };
        let items: BiginRecord[] = [];
        if (opts.page)
          items = (await client.records.search(module, { ...params, page: Number(opts.page) })).data;
        else for await (const r of client.records.search(module, params)) items.push(r);
        output.out(output.json ? JSON.stringify(items) : items.length ? table(items, fields) : 'No match.');
        return items.length ? EXIT.OK : EXIT.NOT_FOUND;
      },
  );

  register(
    records
      .command('upsert')
      .description('Insert or update up to 100 records (JSON array) by their duplicate check fields')
      .argument('<module>')
      .argument('<json>', 'a JSON array of records')
      .option('--duplicate-check-fields <names>', 'comma-separated field API names, in order'),
    (module: Module, json: string, opts: { duplicateCheckFields?: string }) => async (globals, output) => {
      let data: unknown;
      try {
        data = JSON.parse(json);
      } catch {
        throw new CliError('the record data is not valid JSON', EXIT.USAGE);
      }
      const list = (Array.isArray(data) ? data : [data]) as Record<string, unknown>[];
      const client = makeClient(globals, await loadContext(globals, env));
      const results = await client.records.upsert(
        module,
        list,
        opts.duplicateCheckFields ? { duplicateCheckFields: opts.duplicateCheckFields.split(',') } : {},
      );
      output.out(
        output.json
          ? JSON.stringify(results)
          : itemTable(results as ItemRow[], ['action', 'duplicate_field']),
      );
      return results.some((r) => r.status === 'error') ? EXIT.PARTIAL_FAILURE : EXIT.OK;
    },
  );

  register(
    records
      .command('related')
      .description('List a related list of a record (e.g. Contacts <id> Products)')
      .argument('<module>')
      .argument('<id>')
      .argument('<related>')
      .option('--fields <names>', 'comma-separated field API names', 'id'),
    (module: Module, id: string, related: string, opts: { fields: string }) => async (globals, output) => {
      const client = makeClient(globals, await loadContext(globals, env));
      const fields = opts.fields.split(',').filter(Boolean);
      const items: BiginRecord[] = [];
      for await (const r of client.records.related(module, id, related, { fields })) items.push(r);
      output.out(
        output.json ? JSON.stringify(items) : items.length ? table(items, fields) : 'No related records.',
      );
      return EXIT.OK;
    },
  );

  for (const [name, verb] of [
    ['link', 'Link'],
    ['unlink', 'Unlink'],
  ] as const)
    register(
      records
        .command(name)
        .description(`${verb} up to 100 records to a record's related list`)
        .argument('<module>')
        .argument('<id>')
        .argument('<related>')
        .argument('<relatedIds...>'),
      (module: Module, id: string, related: string, relatedIds: string[]) => async (globals, output) => {
        const client = makeClient(globals, await loadContext(globals, env));
        const results =
          name === 'link'
            ? await client.records.link(module, id, related, relatedIds)
            : await client.records.unlink(module, id, related, relatedIds);
        output.out(output.json ? JSON.stringify(results) : itemTable(results as ItemRow[]));
        return results.some((r) => r.status === 'error') ? EXIT.PARTIAL_FAILURE : EXIT.OK;
      },
    );
}
