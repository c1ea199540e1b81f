import { completionScript, findDataCenter, isDataCenterId } from '@bigin-attachments/contract';
import { Command, CommanderError, Option } from 'commander';
import { SDK_VERSION } from '../internal/transport.js';
import { registerAdminCommands } from './admin-commands.js';
import { registerAdminOrgCommands } from './admin-org-commands.js';
import { type Action, type Register, registerAttachmentCommands } from './attachments-commands.js';
import { type GlobalOptions, loadContext, makeClient, resolveAuth } from './context.js';
import { registerCoqlCommands } from './coql-commands.js';
import { registerDirectoryCommands } from './directory-commands.js';
import { CliError, EXIT, exitCodeFor } from './exit-codes.js';
import { login } from './login.js';
import { describeError, type Output, table } from './output.js';
import { registerPhotoCommands } from './photos-commands.js';
import { registerRecordCommands } from './records-commands.js';
import { registerSearchCommands } from './search-commands.js';
import { registerTagCommands } from './tags-commands.js';
import { registerWatchCommands } from './watch-commands.js';

const DEFAULT_SCOPE = 'ZohoBigin.modules.ALL,ZohoBigin.modules.attachments.ALL';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

/** Builds the `bigin` program; `run` parses argv and resolves with the exit code. */
export function buildProgram(io: CliIo): { program: Command; exitCode: () => number } {
  let exitCode: number = EXIT.OK;
  const program = new Command('bigin')
    .description(
      'Zoho Bigin v2 attachments and records from the command line (Bigin or a self-hosted server)',
    )
    .version(SDK_VERSION)
    .option('-p, --profile <name>', 'profile to use (env BIGIN_PROFILE; default: the default profile)')
    .option('--json', 'machine-readable output on stdout (errors as JSON on stderr)')
    .option('-q, --quiet', 'no progress output')
    .option('--dc <dataCenter>', 'data center: us, eu, au, in, cn, jp, sa, ca (env BIGIN_DC)')
    .option(
      '--api-domain <url>',
      'API domain, e.g. http://localhost:3000 for a self-hosted server (env BIGIN_API_DOMAIN)',
    )
    .option('--accounts-server <url>', 'Zoho Accounts server (env BIGIN_ACCOUNTS_SERVER)')
    .addOption(
      new Option('--token <accessToken>', 'a fixed access token (prefer env BIGIN_ACCESS_TOKEN)').hideHelp(),
    )
    .option('--timeout <ms>', 'per-attempt timeout')
    .option('--max-retries <n>', 'retries of retryable failures')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, '')),
      writeErr: (s) => io.err(s.replace(/\n$/, '')),
    });

  const register: Register = (command, handler) =>
    command.action(async (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      const globals = cmd.optsWithGlobals() as GlobalOptions;
      const output: Output = { json: !!globals.json, out: io.out, err: io.err };
      try {
        exitCode = await (handler(...args.slice(0, -1)) as Action)(globals, output);
      } catch (error) {
        output.err(describeError(error, output.json));
        exitCode = exitCodeFor(error);
      }
    });

  const auth = program.command('auth').description('Log in, print tokens, store tokens');
  register(
    auth
      .command('login')
      .description("Authorise this CLI through Zoho's consent page and store the refresh token (0600)")
      .option('--client-id <id>', 'OAuth client id (env BIGIN_CLIENT_ID)')
      .option('--client-secret <secret>', 'OAuth client secret (prefer env BIGIN_CLIENT_SECRET)')
      .option('--scope <scopes>', 'comma-separated scopes', DEFAULT_SCOPE)
      .option('--port <port>', 'local redirect port (redirect URI http://localhost:<port>/callback)', '8765')
      .option('--no-browser', 'only print the URL'),
    (opts: { clientId?: string; clientSecret?: string; scope: string; port: string; browser: boolean }) =>
      async (globals, output) => {
        const ctx = await loadContext(globals, io.env);
        const clientId = opts.clientId ?? io.env.BIGIN_CLIENT_ID ?? ctx.profile.clientId;
        const clientSecret = opts.clientSecret ?? io.env.BIGIN_CLIENT_SECRET ?? ctx.profile.clientSecret;
        if (!clientId || !clientSecret) {
          throw new CliError(
            'give --client-id and --client-secret (or BIGIN_CLIENT_ID / BIGIN_CLIENT_SECRET)',
            EXIT.USAGE,
          );
        }
        const dc = globals.dc ?? io.env.BIGIN_DC;
        if (dc && !isDataCenterId(dc.toLowerCase()))
          throw new CliError(`unknown data center "${dc}"`, EXIT.USAGE);
        const apiDomain = globals.apiDomain ?? io.env.BIGIN_API_DOMAIN;
        const accountsServer =
          globals.accountsServer ??
          io.env.BIGIN_ACCOUNTS_SERVER ??
          (dc ? findDataCenter(dc.toLowerCase() as 'us').accountsServer : undefined) ??
          // A self-hosted server answers the accounts endpoints on its own address.
          apiDomain ??
          ctx.profile.accountsServer ??
          'https://accounts.zoho.com';
        const result = await login({
          accountsServer,
          clientId,
          clientSecret,
          scope: opts.scope,
          port: Number(opts.port),
          openBrowser: opts.browser,
          say: output.err,
        });
        const { tokens } = result;
        await ctx.store.updateProfile(ctx.profileName, (old) => {
          const next = {
            ...old,
            clientId,
            clientSecret,
            refreshToken: tokens.refresh_token!,
            accessToken: tokens.access_token,
            accessTokenExpiresAt: Date.now() + (tokens.expires_in ?? 3600) * 1000,
            accountsServer: result.accountsServer,
            scope: opts.scope,
          };
          const domain = tokens.api_domain ?? apiDomain;
          if (domain) next.apiDomain = domain;
          if (result.location && isDataCenterId(result.location)) next.dataCenter = result.location;
          else if (dc) next.dataCenter = dc.toLowerCase();
          return next;
        });
        output.out(
          output.json
            ? JSON.stringify({
                profile: ctx.profileName,
                apiDomain: tokens.api_domain ?? apiDomain ?? null,
                config: ctx.store.path,
              })
            : `Logged in. Profile "${ctx.profileName}" saved to ${ctx.store.path}.`,
        );
        return EXIT.OK;
      },
  );

  register(
    auth.command('token').description('Print a valid access token (refreshing it when needed)'),
    () => async (globals, output) => {
      const ctx = await loadContext(globals, io.env);
      const source = resolveAuth(globals, ctx);
      const client = makeClient(globals, ctx, source);
      const token = await source.getToken();
      output.out(output.json ? JSON.stringify({ access_token: token, api_domain: client.apiDomain }) : token);
      return EXIT.OK;
    },
  );

  register(
    auth
      .command('set-token')
      .description(
        'Store a fixed access token (a self client token, or a self-hosted server token) in the profile',
      )
      .argument('<accessToken>'),
    (token: string) => async (globals, output) => {
      const ctx = await loadContext(globals, io.env);
      await ctx.store.updateProfile(ctx.profileName, (old) => {
        const next = { ...old, accessToken: token };
        delete next.accessTokenExpiresAt;
        delete next.refreshToken;
        if (globals.apiDomain) next.apiDomain = globals.apiDomain;
        if (globals.accountsServer) next.accountsServer = globals.accountsServer;
        if (globals.dc) {
          next.dataCenter = globals.dc.toLowerCase();
          if (!globals.apiDomain) delete next.apiDomain;
        }
        return next;
      });
      output.out(
        output.json
          ? JSON.stringify({ profile: ctx.profileName })
          : `Token stored in profile "${ctx.profileName}".`,
      );
      return EXIT.OK;
    },
  );

  register(
    auth.command('logout').description("Forget the profile's tokens and client secret"),
    () => async (globals, output) => {
      const ctx = await loadContext(globals, io.env);
      await ctx.store.updateProfile(ctx.profileName, (old) => {
        const {
          refreshToken: _r,
          accessToken: _a,
          accessTokenExpiresAt: _e,
          clientSecret: _s,
          ...rest
        } = old;
        return rest;
      });
      output.out(
        output.json
          ? JSON.stringify({ profile: ctx.profileName })
          : `Logged out of profile "${ctx.profileName}".`,
      );
      return EXIT.OK;
    },
  );

  const profiles = program.command('profiles').description('Profiles: one per organisation / data center');
  register(
    profiles.command('ls').description('List profiles (no secrets)'),
    () => async (globals, output) => {
      const ctx = await loadContext(globals, io.env);
      const config = await ctx.store.read();
      const rows = Object.entries(config.profiles).map(([name, p]) => ({
        name: name === config.defaultProfile ? `${name} *` : name,
        endpoint: p.apiDomain ?? p.dataCenter ?? '',
        auth: p.refreshToken ? 'refresh token' : p.accessToken ? 'access token' : 'none',
      }));
      output.out(
        output.json
          ? JSON.stringify(rows)
          : rows.length
            ? table(rows, ['name', 'endpoint', 'auth'])
            : 'No profiles.',
      );
      return EXIT.OK;
    },
  );
  register(
    profiles.command('use').description('Make a profile the default').argument('<name>'),
    (name: string) => async (globals, output) => {
      const ctx = await loadContext(globals, io.env);
      const config = await ctx.store.read();
      if (!config.profiles[name]) throw new CliError(`no profile "${name}"`, EXIT.USAGE);
      await ctx.store.write({ ...config, defaultProfile: name });
      output.out(output.json ? JSON.stringify({ defaultProfile: name }) : `Default profile: ${name}`);
      return EXIT.OK;
    },
  );

  registerAttachmentCommands(program, register, io.env);
  registerRecordCommands(program, register, io.env);
  registerAdminCommands(program, register, io.env);
  registerAdminOrgCommands(program, register, io.env);
  registerWatchCommands(program, register, io.env);
  registerDirectoryCommands(program, register, io.env);
  program
    .command('completion')
    .description('Print a bash/zsh completion script: source <(bigin completion)')
    .action(() => {
      io.out(completionScript(program).replace(/\n$/, ''));
    });
  registerSearchCommands(program, register, io.env);
  registerTagCommands(program, register, io.env);
  registerCoqlCommands(program, register, io.env);
  registerPhotoCommands(program, register, io.env);
  return { program, exitCode: () => exitCode };
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { program, exitCode } = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
        ? EXIT.OK
        : EXIT.USAGE;
    }
    io.err(describeError(error, false));
    return exitCodeFor(error);
  }
  return exitCode();
}
