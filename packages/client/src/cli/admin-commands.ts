import type { Command } from 'commander';
import { AdminApiError, AdminClient, type FaultAnswer, type JournalEntry } from '../admin.js';
import type { Register } from './attachments-commands.js';
import { type GlobalOptions, loadContext } from './context.js';
import { CliError, EXIT } from './exit-codes.js';
import { table } from './output.js';

/** The admin API lives on the self-hosted server's PORT: --admin-url, else the API domain. */
export async function adminClient(globals: GlobalOptions & { adminUrl?: string }, env: NodeJS.ProcessEnv) {
  const ctx = await loadContext(globals, env);
  const url =
    globals.adminUrl ??
    env.BIGIN_ADMIN_URL ??
    globals.apiDomain ??
    env.BIGIN_API_DOMAIN ??
    ctx.profile.apiDomain;
  const key = env.BIGIN_ADMIN_KEY;
  if (!url)
    throw new CliError(
      'give --admin-url (or BIGIN_ADMIN_URL, or --api-domain of a self-hosted server)',
      EXIT.USAGE,
    );
  if (!key) throw new CliError('set BIGIN_ADMIN_KEY to the server’s ADMIN_KEY', EXIT.USAGE);
  return new AdminClient({ url, key });
}

const COLUMNS = ['at', 'method', 'path', 'status', 'code', 'rule', 'fault', 'latencyMs'];
const line = (e: JournalEntry) =>
  `${e.at} ${e.method} ${e.path}${e.query ? `?${e.query}` : ''} ${e.status}${e.code ? ` ${e.code}` : ''} — ${e.rule ?? ''}${e.fault ? ` [fault ${e.fault}]` : ''}`;

const whole = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new CliError(`--${name} must be a whole number`, EXIT.USAGE);
  return Number(value);
};

/** `bigin journal tail`, `bigin faults …`, `bigin credits`: the self-hosted server's admin API. */
export function registerAdminCommands(program: Command, register: Register, env: NodeJS.ProcessEnv): void {
  const journal = program
    .command('journal')
    .description('The self-hosted server’s request journal (BIGIN_ADMIN_KEY)');
  register(
    journal
      .command('tail')
      .description('The latest requests, oldest first, with the rule that decided each answer')
      .option('--admin-url <url>', 'the server’s base URL (env BIGIN_ADMIN_URL)')
      .option('--org <id>', 'only this organisation')
      .option('--status <status>', 'a status (404) or a class (4xx)')
      .option('--path <pattern>', 'a path prefix, or a pattern with *')
      .option('--code <code>', 'only this error code')
      .option('-n, --limit <n>', 'how many', '20')
      .option('-f, --follow', 'then print requests as they finish, until interrupted'),
    (opts: {
      adminUrl?: string;
      org?: string;
      status?: string;
      path?: string;
      code?: string;
      limit: string;
      follow?: boolean;
    }) =>
      async (globals, output) => {
        const client = await adminClient(
          { ...globals, ...(opts.adminUrl ? { adminUrl: opts.adminUrl } : {}) },
          env,
        );
        const query = {
          ...(opts.org ? { org: opts.org } : {}),
          ...(opts.status ? { status: opts.status } : {}),
          ...(opts.path ? { path: opts.path } : {}),
          ...(opts.code ? { code: opts.code } : {}),
        };
        const page = await client.journal({ ...query, limit: whole('limit', opts.limit) ?? 20 });
        const entries = page.entries.reverse();
        if (output.json) for (const e of entries) output.out(JSON.stringify(e));
        else if (!opts.follow)
          output.out(table(entries as unknown as Array<Record<string, unknown>>, COLUMNS));
        else for (const e of entries) output.out(line(e));
        if (opts.follow)
          for await (const e of client.followJournal(query))
            output.out(output.json ? JSON.stringify(e) : line(e));
        return EXIT.OK;
      },
  );

  const faults = program
    .command('faults')
    .description('Fault rules of the self-hosted server (BIGIN_ADMIN_KEY)');
  register(
    faults
      .command('add')
      .description('Add a rule: the next matching call (or --times N, --always) gets the answer')
      .option('--admin-url <url>', 'the server’s base URL (env BIGIN_ADMIN_URL)')
      .option('--code <code>', 'a documented error, e.g. INTERNAL_ERROR, TOO_MANY_REQUESTS')
      .option('--delay <ms>', 'answer normally after this long')
      .option('--reset', 'reset the connection')
      .option('--truncate [bytes]', 'cut the body short (default: half of it)')
      .option('--proxy <status>', 'a 502, 503 or 504 page from a proxy in front')
      .option('--method <method>')
      .option('--path <pattern>', 'the path, * for any run of characters')
      .option('--org <id>')
      .option('--module <module>')
      .option('--data-center <dc>', 'data center the request reached')
      .option('--times <n>', 'how many calls it answers (default 1)')
      .option('--always', 'every matching call')
      .option('--skip <n>', 'matching calls let through first')
      .option('--probability <p>', 'answer with this probability (0–1]')
      .option('--seed <n>', 'seed of the probability'),
    (o: Record<string, string | boolean | undefined>) => async (globals, output) => {
      const given = ['code', 'delay', 'reset', 'truncate', 'proxy'].filter((k) => o[k] !== undefined);
      if (given.length !== 1)
        throw new CliError('give exactly one of --code, --delay, --reset, --truncate, --proxy', EXIT.USAGE);
      const answer: FaultAnswer =
        o.code !== undefined
          ? { kind: 'error', code: String(o.code) }
          : o.delay !== undefined
            ? { kind: 'delay', ms: whole('delay', String(o.delay))! }
            : o.reset
              ? { kind: 'reset' }
              : o.truncate !== undefined
                ? o.truncate === true
                  ? { kind: 'truncate' }
                  : { kind: 'truncate', bytes: whole('truncate', String(o.truncate))! }
                : { kind: 'proxy', status: Number(o.proxy) as 502 };
      const match: Record<string, string> = {};
      for (const [flag, key] of [
        ['method', 'method'],
        ['path', 'path'],
        ['org', 'orgId'],
        ['module', 'module'],
        ['dataCenter', 'dataCenter'],
      ] as const)
        if (typeof o[flag] === 'string') match[key] = o[flag] as string;
      const client = await adminClient(
        { ...globals, ...(typeof o.adminUrl === 'string' ? { adminUrl: o.adminUrl } : {}) },
        env,
      );
      const rule = await client.addFault({
        match,
        answer,
        ...(o.always
          ? { times: null }
          : o.times !== undefined
            ? { times: whole('times', String(o.times))! }
            : {}),
        ...(o.skip !== undefined ? { skip: whole('skip', String(o.skip))! } : {}),
        ...(o.probability !== undefined ? { probability: Number(o.probability) } : {}),
        ...(o.seed !== undefined ? { seed: whole('seed', String(o.seed))! } : {}),
      });
      output.out(output.json ? JSON.stringify(rule) : `added ${rule.id}`);
      return EXIT.OK;
    },
  );
  register(
    faults.command('ls').description('List fault rules').option('--admin-url <url>'),
    (o: { adminUrl?: string }) => async (globals, output) => {
      const { rules } = await (await adminClient({ ...globals, ...o }, env)).faults();
      output.out(
        output.json
          ? JSON.stringify(rules)
          : table(rules, ['id', 'answer', 'match', 'seen', 'fired', 'remaining']),
      );
      return EXIT.OK;
    },
  );
  register(
    faults.command('clear').description('Remove every fault rule').option('--admin-url <url>'),
    (o: { adminUrl?: string }) => async (globals, output) => {
      await (await adminClient({ ...globals, ...o }, env)).clearFaults();
      if (!output.json) output.out('cleared');
      return EXIT.OK;
    },
  );

  register(
    program
      .command('credits')
      .description(
        'API credits used in the rolling 24 hours, as Bigin’s API dashboard shows them (self-hosted)',
      )
      .argument('<orgId>')
      .option('--admin-url <url>', 'the server’s base URL (env BIGIN_ADMIN_URL)')
      .option('--enable', 'count and enforce this organisation’s limits')
      .option('--disable', 'stop counting it')
      .option('--edition <edition>', 'free or paid (with --enable)')
      .option('--licences <n>', 'user licences of a paid edition (with --enable)')
      .option('--concurrency <n>', 'calls in flight at once (with --enable)'),
    (
      orgId: string,
      o: {
        adminUrl?: string;
        enable?: boolean;
        disable?: boolean;
        edition?: string;
        licences?: string;
        concurrency?: string;
      },
    ) =>
      async (globals, output) => {
        const client = await adminClient(
          { ...globals, ...(o.adminUrl ? { adminUrl: o.adminUrl } : {}) },
          env,
        );
        let shown: Record<string, unknown>;
        try {
          shown =
            o.enable || o.disable
              ? await client.setLimits(orgId, {
                  enabled: !!o.enable,
                  ...(o.edition ? { edition: o.edition as 'free' } : {}),
                  ...(o.licences ? { licences: whole('licences', o.licences)! } : {}),
                  ...(o.concurrency ? { concurrency: whole('concurrency', o.concurrency)! } : {}),
                })
              : await client.credits(orgId);
        } catch (error) {
          if (error instanceof AdminApiError)
            throw new CliError(`${error.code}: ${error.message}`, EXIT.BAD_REQUEST);
          throw error;
        }
        if (output.json) output.out(JSON.stringify(shown));
        else
          output.out(
            shown.enabled
              ? `${orgId}: ${shown.used} of ${shown.allowance} credits used in the last 24 h (${shown.remaining} left), ${shown.inFlight} in flight; next release ${shown.nextRelease ?? '—'}`
              : `${orgId}: API limits off (API_LIMITS=off and not turned on for this organisation)`,
          );
        return EXIT.OK;
      },
  );
}
