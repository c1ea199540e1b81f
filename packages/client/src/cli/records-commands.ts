import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { Command } from 'commander';
import type { BiginRecord, Module } from '../types.js';
import type { Register } from './attachments-commands.js';
import { loadContext, makeClient } from './context.js';
import { CliError, EXIT } from './exit-codes.js';
import { table } from './output.js';

/** JSON given inline, as `@file`, or `-` for stdin. */
async function readJson(arg: string): Promise<unknown> {
  const text =
    arg === '-'
      ? await new Response(Readable.toWeb(process.stdin) as ReadableStream).text()
      : arg.startsWith('@')
        ? await readFile(arg.slice(1), 'utf8')
        : arg;
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError('the record data is not valid JSON', EXIT.USAGE);
  }
}

export function registerRecordCommands(program: Command, register: Register, env: NodeJS.ProcessEnv): void {
  const records = program.command('records').description('List, get, insert, update and delete records');

  register(
    records
      .command('ls')
      .description('List records of a module (every page unless --page)')
      .argument('<module>')
      .option('--fields <names>', 'comma-separated field API names', 'id')
      .option('--page <n>', 'one page only')
      .option('--per-page <n>', 'page size (max 200)'),
    (module: Module, opts: { fields: string; page?: string; perPage?: string }) =>
      async (globals, output) => {
        const client = makeClient(globals, await loadContext(globals, env));
        const fields = opts.fields.split(',').filter(Boolean);
        let items: BiginRecord[] = [];
        if (opts.page) {
          const page = await client.records.list(module, {
            fields,
            page: Number(opts.page),
            ...(opts.perPage ? { perPage: Number(opts.perPage) } : {}),
          });
          items = page.data;
        } else {
          for await (const r of client.records.list(module, { fields })) items.push(r);
        }
        output.out(output.json ? JSON.stringify(items) : items.length ? table(items, fields) : 'No records.');
        return EXIT.OK;
      },
  );

  register(
    records
      .command('get')
      .argument('<module>')
      .argument('<id>')
      .option('--fields <names>', 'comma-separated field API names'),
    (module: Module, id: string, opts: { fields?: string }) => async (globals, output) => {
      const client = makeClient(globals, await loadContext(globals, env));
      const record = await client.records.get(
        module,
        id,
        opts.fields ? { fields: opts.fields.split(',') } : {},
      );
      if (!record) throw new CliError(`no ${module} record ${id} (HTTP 204)`, EXIT.NOT_FOUND);
      output.out(JSON.stringify(record, null, output.json ? undefined : 2));
      return EXIT.OK;
    },
  );

  register(
    records
      .command('insert')
      .description('Insert a record (JSON object) or up to 100 (JSON array); inline, @file or -')
      .argument('<module>')
      .argument('<json>'),
    (module: Module, json: string) => async (globals, output) => {
      const client = makeClient(globals, await loadContext(globals, env));
      const data = await readJson(json);
      if (Array.isArray(data)) {
        const results = await client.records.insert(module, data as Record<string, unknown>[]);
        output.out(
          output.json
            ? JSON.stringify(results)
            : table(
                results.map((r) => ({ ...r, id: r.details.id })),
                ['status', 'code', 'id', 'message'],
              ),
        );
        return results.some((r) => r.status === 'error') ? EXIT.PARTIAL_FAILURE : EXIT.OK;
      }
      const result = await client.records.insert(module, data as Record<string, unknown>);
      output.out(
        output.json ? JSON.stringify(result) : `Inserted ${module} record ${String(result.details.id)}`,
      );
      return EXIT.OK;
    },
  );

  register(
    records
      .command('update')
      .argument('<module>')
      .argument('<id>')
      .argument('<json>', 'fields to set: inline, @file or -'),
    (module: Module, id: string, json: string) => async (globals, output) => {
      const client = makeClient(globals, await loadContext(globals, env));
      const result = await client.records.update(
        module,
        id,
        (await readJson(json)) as Record<string, unknown>,
      );
      output.out(output.json ? JSON.stringify(result) : `Updated ${module} record ${id}`);
      return EXIT.OK;
    },
  );

  register(
    records.command('delete').alias('rm').argument('<module>').argument('<ids...>', 'up to 100 ids'),
    (module: Module, ids: string[]) => async (globals, output) => {
      const client = makeClient(globals, await loadContext(globals, env));
      if (ids.length === 1) {
        const result = await client.records.delete(module, ids[0]!);
        output.out(output.json ? JSON.stringify(result) : `Deleted ${module} record ${result.details.id}`);
        return EXIT.OK;
      }
      const results = await client.records.deleteMany(module, ids);
      output.out(
        output.json
          ? JSON.stringify(results)
          : table(
              results.map((r) => ({ ...r, id: r.details.id })),
              ['status', 'code', 'id', 'message'],
            ),
      );
      return results.some((r) => r.status === 'error') ? EXIT.PARTIAL_FAILURE : EXIT.OK;
    },
  );
}
