import type { Command } from 'commander';
import type { BiginRecord } from '../types.js';
import type { Register } from './attachments-commands.js';
import { loadContext, makeClient } from './context.js';
import { CliError, EXIT } from './exit-codes.js';
import { table } from './output.js';

/** `bigin coql "<select query>"` (docs/coql.md): one call as written, or every page with --all. */
export function registerCoqlCommands(program: Command, register: Register, env: NodeJS.ProcessEnv): void {
  register(
    program
      .command('coql')
      .description('Run a COQL select query (POST /bigin/v2/coql); --all pages through every match')
      .argument('<query>', 'e.g. "select Last_Name, Email from Contacts where Last_Name = \'Watson\'"')
      .option('--all', 'every matching record (up to 10,000): leave limit and offset out of the query')
      .option('--page-size <n>', 'records a call with --all (1-200)', '200'),
    (query: string, opts: { all?: boolean; pageSize: string }) => async (globals, output) => {
      const client = makeClient(globals, await loadContext(globals, env));
      let items: BiginRecord[] = [];
      if (opts.all) {
        try {
          for await (const r of client.coql.iterate(query, { pageSize: Number(opts.pageSize) }))
            items.push(r);
        } catch (error) {
          if (error instanceof RangeError) throw new CliError(error.message, EXIT.USAGE);
          throw error;
        }
      } else items = (await client.coql.query(query)).data;
      const columns = [...new Set(items.flatMap((r) => Object.keys(r)))];
      output.out(output.json ? JSON.stringify(items) : items.length ? table(items, columns) : 'No match.');
      return items.length ? EXIT.OK : EXIT.NOT_FOUND;
    },
  );
}
