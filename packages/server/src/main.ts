#!/usr/bin/env node
import { completionScript } from '@bigin-attachments/contract';
import { Command, Option } from 'commander';
import PinoPretty from 'pino-pretty';
import { registerAdminCommands } from './admin/admin-commands.js';
import { registerMigrateCommand } from './admin/migrate-command.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import { SETTINGS, type SettingName } from './config/schema.js';
import { fixtureJsonSchema } from './fixtures/fixture-json-schema.js';
import { FixtureError } from './fixtures/load-fixture.js';
import { type RunningServer, startServer } from './server.js';
import { humanBanner, jsonBanner } from './startup/banner.js';
import { SERVER_VERSION } from './version.js';

type Flags = {
  port?: string;
  host?: string;
  dataDir?: string;
  fixture?: string;
  logLevel?: string;
  defaultDataCenter?: string;
  clock?: string;
};

export function flagsToSettings(flags: Flags): Partial<Record<SettingName, string>> {
  const out: Partial<Record<SettingName, string>> = {};
  if (flags.port !== undefined) out.PORT = flags.port;
  if (flags.host !== undefined) out.HOST = flags.host;
  if (flags.dataDir !== undefined) out.DATA_DIR = flags.dataDir;
  if (flags.fixture !== undefined) out.FIXTURE = flags.fixture;
  if (flags.logLevel !== undefined) out.LOG_LEVEL = flags.logLevel;
  if (flags.defaultDataCenter !== undefined) out.DEFAULT_DATA_CENTER = flags.defaultDataCenter;
  if (flags.clock !== undefined) out.CLOCK = flags.clock;
  return out;
}

/** pino-pretty on a terminal (or LOG_FORMAT=pretty), JSON lines otherwise. */
function logSetup(format: 'auto' | 'json' | 'pretty'): { pretty: boolean; stream?: NodeJS.WritableStream } {
  const pretty = format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true);
  if (!pretty) return { pretty };
  return {
    pretty,
    stream: PinoPretty({
      colorize: process.stdout.isTTY === true,
      sync: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname',
    }),
  };
}

async function start(flags: Flags): Promise<void> {
  const config = loadConfig(process.env, flagsToSettings(flags));
  const logs = logSetup(config.logFormat);
  // Installed before the start, so that a signal during it (after the banner, say) still ends
  // in an orderly close rather than the default kill.
  let server: RunningServer | undefined;
  let stopRequested: string | null = null;
  let stopping = false;
  const stop = (signal: string) => {
    stopRequested = signal;
    if (stopping || !server) return;
    stopping = true;
    const running = server;
    running.app.log.info({ signal }, 'shutting down; finishing in-flight requests');
    const force = setTimeout(() => {
      running.app.log.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        running.app.log.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  server = await startServer(config, {
    ...(logs.stream ? { logStream: logs.stream } : {}),
    announce: (report, log) => {
      if (logs.pretty) process.stdout.write(`${humanBanner(report)}\n`);
      else log.info(jsonBanner(report), 'bigin-server started');
    },
  });
  if (stopRequested) stop(stopRequested);
}

/** Every setting with its default and meaning, for `--help`. */
function settingsHelp(): string {
  const rows = (
    Object.entries(SETTINGS) as Array<[string, { default: string | undefined; doc: string }]>
  ).map(
    ([name, s]) =>
      `  ${name}${s.default === undefined ? '' : `=${s.default}`}\n      ${s.doc.replaceAll('`', '')}`,
  );
  return `\nSettings (environment variables; flags override them):\n${rows.join('\n')}\n`;
}

const program = new Command('bigin-server')
  .description("A self-hostable implementation of Zoho Bigin's v2 attachments API.")
  .version(SERVER_VERSION, '-V, --version', 'print the version')
  .showHelpAfterError()
  .addHelpText('after', settingsHelp);

program
  .command('start', { isDefault: true })
  .description(
    'Run the server (the default command). Flags override the environment variables of the same meaning.',
  )
  .addOption(new Option('--port <port>', 'TCP port (PORT)'))
  .addOption(new Option('--host <host>', 'address to bind (HOST)'))
  .addOption(new Option('--data-dir <dir>', 'data folder (DATA_DIR)'))
  .addOption(new Option('--fixture <file>', 'fixture file to load at start (FIXTURE)'))
  .addOption(new Option('--log-level <level>', 'log level (LOG_LEVEL)'))
  .addOption(new Option('--default-data-center <dc>', 'data center for unknown hosts (DEFAULT_DATA_CENTER)'))
  .addOption(new Option('--clock <clock>', 'clock: real, frozen, an instant or from:<instant> (CLOCK)'))
  .addHelpText('after', settingsHelp)
  .action(start);

registerAdminCommands(program);
registerMigrateCommand(program);

program
  .command('completion')
  .description('Print a bash/zsh completion script: source <(bigin-server completion)')
  .action(() => {
    process.stdout.write(completionScript(program));
  });

program
  .command('fixture-schema')
  .description('Print the JSON Schema of fixture files.')
  .action(() => {
    process.stdout.write(`${JSON.stringify(fixtureJsonSchema(), null, 2)}\n`);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof FixtureError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  // One line for a person; the stack only when asked for (BIGIN_DEBUG=1).
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`bigin-server: ${message.split('\n')[0]}\n`);
  if (process.env.BIGIN_DEBUG && error instanceof Error && error.stack)
    process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
