import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { systemClock } from '../domain/clock.js';
import { createSelfClientCode } from '../domain/oauth/token-grants.js';
import { hashPassword } from '../domain/passwords.js';
import { hashToken } from '../domain/tokens.js';
import type { Stores } from '../storage/create-stores.js';

type WithStores = <T>(cmd: Command, fn: (stores: Stores) => Promise<T>) => Promise<T>;

/** Zoho-shaped client credentials: `1000.` + 30 upper-case alphanumerics, and a 42-character hex secret. */
function newClientId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const bytes = randomBytes(30);
  return `1000.${Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('')}`;
}

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

/** What Bigin's API console does: register clients, mint self-client codes; plus local passwords. */
export function registerOAuthCommands(
  admin: Command,
  withStores: WithStores,
  print: (value: unknown) => void,
): void {
  admin
    .command('create-client')
    .description('Register an OAuth client; its secret is printed once and stored only as a hash.')
    .requiredOption('--name <name>', 'client name shown on the consent page')
    .option('--redirect-uri <uri...>', 'authorized redirect URIs (web-server client)')
    .option('--self-client', 'a self client (no redirect URIs; codes from `admin self-client-code`)')
    .action(async (opts: { name: string; redirectUri?: string[]; selfClient?: boolean }, cmd: Command) => {
      const redirectUris = opts.redirectUri ?? [];
      if (opts.selfClient && redirectUris.length > 0) throw new Error('a self client has no redirect URIs');
      if (!opts.selfClient && redirectUris.length === 0)
        throw new Error('a web-server client needs at least one --redirect-uri (or use --self-client)');
      for (const uri of redirectUris) new URL(uri);
      const id = newClientId();
      const secret = randomBytes(21).toString('hex');
      await withStores(cmd, (stores) =>
        stores.metadata.oauth.registerClient({
          id,
          name: opts.name,
          secretHash: hashToken(secret),
          redirectUris,
          type: opts.selfClient ? 'self' : 'server',
          createdAt: systemClock.now(),
        }),
      );
      print({
        client_id: id,
        client_secret: secret,
        type: opts.selfClient ? 'self' : 'server',
        redirect_uris: redirectUris,
      });
    });

  admin
    .command('self-client-code')
    .description('Mint a self-client grant code, as the API console does; redeem it within its lifetime.')
    .requiredOption('--client <id>', 'self client id')
    .requiredOption('--org <id>', 'organisation id')
    .requiredOption('--user <id>', 'user id')
    .requiredOption('--scope <scopes>', 'comma-separated scopes')
    .option('--minutes <n>', 'lifetime: 3, 5, 7 or 10 minutes', '3')
    .action(
      async (
        opts: { client: string; org: string; user: string; scope: string; minutes: string },
        cmd: Command,
      ) => {
        const result = await withStores(cmd, (stores) =>
          createSelfClientCode(
            { oauth: stores.metadata.oauth, organizations: stores.metadata.seed, clock: systemClock },
            {
              clientId: opts.client,
              orgId: opts.org,
              userId: opts.user,
              scope: opts.scope,
              minutes: Number(opts.minutes),
            },
          ),
        );
        print({
          code: result.code,
          expires_at: new Date(result.expiresAt).toISOString(),
          scope: result.scope,
          location: result.dataCenter,
        });
      },
    );

  admin
    .command('set-password')
    .description("Set a user's consent-page password, read from the first line of standard input.")
    .requiredOption('--org <id>', 'organisation id')
    .requiredOption('--user <id>', 'user id')
    .action(async (opts: { org: string; user: string }, cmd: Command) => {
      const password = await readStdinLine();
      if (password.length === 0) throw new Error('no password on standard input');
      const hash = await hashPassword(password);
      const updated = await withStores(cmd, (stores) =>
        stores.metadata.oauth.setPassword(opts.org, opts.user, hash),
      );
      print({ updated, org: opts.org, user: opts.user });
      if (!updated) process.exitCode = 1;
    });
}
