#!/usr/bin/env node
import { Command, Option } from 'commander';
import { registerAdminCommands } from './admin/admin-commands.js';
import { registerMigrateCommand } from './admin/migrate-command.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import type { SettingName } from './config/schema.js';
import { fixtureJsonSchema } from './fixtures/fixture-json-schema.js';
import { FixtureError } from './fixtures/load-fixture.js';
import { startServer } from './server.js';

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

async function start(flags: Flags): Promise<void> {
  const config = loadConfig(process.env, flagsToSettings(flags));
  const server = await startServer(config, { announce: (text) => process.stdout.write(`${text}\n`) });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.app.log.info({ signal }, 'shutting down; finishing in-flight requests');
    const force = setTimeout(() => {
      server.app.log.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        server.app.log.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

const program = new Command('bigin-server')
  .description("A self-hostable implementation of Zoho Bigin's v2 attachments API.")
  .showHelpAfterError();

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
  .action(start);

registerAdminCommands(program);
registerMigrateCommand(program);

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
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
