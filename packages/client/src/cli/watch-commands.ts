import { randomInt } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import type { WatchChannelInput } from '../resources/notifications.js';
import type { Register } from './attachments-commands.js';
import { loadContext, makeClient } from './context.js';
import { CliError, EXIT } from './exit-codes.js';
import { table } from './output.js';

interface ChannelFlags {
  channel: string;
  events: string;
  url: string;
  channelToken?: string;
  expiry?: string;
  values?: boolean;
}

// `--channel-token`, not `--token`: the global `--token` is the access token.
function channelFlags(cmd: Command): Command {
  return cmd
    .requiredOption('--channel <id>', 'channel id (a big integer you choose)')
    .requiredOption('--events <list>', 'comma-separated {Module}.{create|edit|delete|all}')
    .requiredOption('--url <notifyUrl>', 'where Bigin POSTs the callbacks')
    .option(
      '--channel-token <token>',
      'the channel’s `token`, echoed in every callback (at most 50 characters)',
    )
    .option('--expiry <iso>', 'channel_expiry, at most one day ahead (default: the server’s)')
    .option('--values', 'return_affected_field_values: callbacks carry the changed values');
}

const toInput = (o: ChannelFlags): WatchChannelInput => ({
  channelId: o.channel,
  events: o.events.split(',').filter(Boolean),
  notifyUrl: o.url,
  ...(o.channelToken !== undefined ? { token: o.channelToken } : {}),
  ...(o.expiry !== undefined ? { channelExpiry: o.expiry } : {}),
  ...(o.values ? { returnAffectedFieldValues: true } : {}),
});

/** `bigin watch …`: notification channels, and `tail`, a local receiver that prints callbacks. */
export function registerWatchCommands(program: Command, register: Register, env: NodeJS.ProcessEnv): void {
  const watch = program
    .command('watch')
    .description('Notification channels (actions/watch) and a local receiver');

  register(
    channelFlags(watch.command('add').description('Subscribe a channel')),
    (o: ChannelFlags) => async (globals, output) => {
      const client = makeClient(globals, await loadContext(globals, env));
      const [result] = await client.notifications.watch(toInput(o));
      output.out(output.json ? JSON.stringify(result) : `Subscribed channel ${o.channel} (${o.events})`);
      return EXIT.OK;
    },
  );

  register(
    channelFlags(watch.command('update').description('Replace a channel')),
    (o: ChannelFlags) => async (globals, output) => {
      const client = makeClient(globals, await loadContext(globals, env));
      const [result] = await client.notifications.update(toInput(o));
      output.out(output.json ? JSON.stringify(result) : `Replaced channel ${o.channel} (${o.events})`);
      return EXIT.OK;
    },
  );

  register(
    watch
      .command('ls')
      .description('List your channels')
      .option('--module <name>', 'only channels on this module'),
    (o: { module?: string }) => async (globals, output) => {
      const client = makeClient(globals, await loadContext(globals, env));
      const entries = await client.notifications.list(o.module ? { module: o.module } : {});
      output.out(
        output.json
          ? JSON.stringify(entries)
          : entries.length
            ? table(entries as unknown as Array<Record<string, unknown>>, [
                'channel_id',
                'resource_name',
                'events',
                'notify_url',
                'channel_expiry',
              ])
            : 'No channels.',
      );
      return EXIT.OK;
    },
  );

  register(
    watch.command('rm').description('Unsubscribe channels').argument('<channelIds...>', 'up to 100 ids'),
    (ids: string[]) => async (globals, output) => {
      const client = makeClient(globals, await loadContext(globals, env));
      const results = await client.notifications.unwatch(ids);
      output.out(
        output.json
          ? JSON.stringify(results)
          : table(
              results.map((r) => ({ ...r, channel_id: r.details.channel_id })),
              ['status', 'code', 'channel_id', 'message'],
            ),
      );
      return results.some((r) => r.status === 'error') ? EXIT.PARTIAL_FAILURE : EXIT.OK;
    },
  );

  register(
    watch
      .command('tail')
      .description(
        'Start a local receiver and print each callback as one JSON line; with --events, also subscribe it (and unsubscribe on exit)',
      )
      .option('--port <port>', 'port to listen on (0: any free one)', '0')
      .option('--host <host>', 'address to listen on', '127.0.0.1')
      .option('--events <list>', 'subscribe a channel for these events, pointing at this receiver')
      .option('--channel <id>', 'channel id for --events (default: random)')
      .option(
        '--channel-token <token>',
        'token for --events; callbacks with another token are reported, not printed',
      )
      .option('--count <n>', 'exit after this many callbacks'),
    (o: {
      port: string;
      host: string;
      events?: string;
      channel?: string;
      channelToken?: string;
      count?: string;
    }) =>
      async (globals, output) => {
        const limit = o.count === undefined ? Number.POSITIVE_INFINITY : Number(o.count);
        if (!(limit > 0)) throw new CliError('--count must be a positive number', EXIT.USAGE);
        let seen = 0;
        let finish: () => void = () => {};
        const done = new Promise<void>((resolve) => {
          finish = resolve;
        });
        const server = createServer((req, res) => {
          const chunks: Buffer[] = [];
          req.on('data', (c: Buffer) => chunks.push(c));
          req.on('end', () => {
            res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown;
            try {
              body = JSON.parse(text);
            } catch {
              output.err(`not JSON: ${text.slice(0, 200)}`);
              return;
            }
            if (o.channelToken !== undefined && (body as { token?: unknown }).token !== o.channelToken) {
              output.err('a callback with another token (ignored)');
              return;
            }
            output.out(JSON.stringify(body));
            if (++seen >= limit) finish();
          });
        });
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(Number(o.port), o.host, resolve);
        });
        const { port } = server.address() as AddressInfo;
        const url = `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}/`;
        output.err(`Listening for callbacks at ${url}`);
        const stop = () => finish();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        const client = o.events ? makeClient(globals, await loadContext(globals, env)) : null;
        const channel = o.channel ?? String(randomInt(1_000_000, 2 ** 47));
        try {
          if (client && o.events) {
            await client.notifications.watch({
              channelId: channel,
              events: o.events.split(',').filter(Boolean),
              notifyUrl: url,
              ...(o.channelToken !== undefined ? { token: o.channelToken } : {}),
            });
            output.err(`Subscribed channel ${channel} (${o.events})`);
          }
          await done;
          if (client) await client.notifications.unwatch([channel]).catch(() => undefined);
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          server.close();
          server.closeAllConnections();
        }
        return EXIT.OK;
      },
  );
}
