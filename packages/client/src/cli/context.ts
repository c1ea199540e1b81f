import { RefreshTokenAuth, StaticToken, type TokenSource } from '../auth.js';
import { type Auth, BiginClient, type Endpoint } from '../client.js';
import { ConfigStore, configDir, type Profile } from './config-store.js';
import { CliError, EXIT } from './exit-codes.js';

/** Options every command accepts (commander's merged globals). */
export interface GlobalOptions {
  profile?: string;
  json?: boolean;
  quiet?: boolean;
  dc?: string;
  apiDomain?: string;
  accountsServer?: string;
  token?: string;
  timeout?: string;
  maxRetries?: string;
}

export interface Context {
  store: ConfigStore;
  profileName: string;
  profile: Profile;
  env: NodeJS.ProcessEnv;
}

export async function loadContext(globals: GlobalOptions, env: NodeJS.ProcessEnv): Promise<Context> {
  const store = new ConfigStore(configDir(env));
  const config = await store.read();
  const profileName = globals.profile ?? env.BIGIN_PROFILE ?? config.defaultProfile ?? 'default';
  return { store, profileName, profile: config.profiles[profileName] ?? {}, env };
}

/** Flags win over environment variables, which win over the profile. */
export function resolveEndpoint(globals: GlobalOptions, ctx: Context): Endpoint {
  const apiDomain =
    globals.apiDomain ?? ctx.env.BIGIN_API_DOMAIN ?? (globals.dc ? undefined : ctx.profile.apiDomain);
  const accountsServer =
    globals.accountsServer ?? ctx.env.BIGIN_ACCOUNTS_SERVER ?? ctx.profile.accountsServer;
  if (apiDomain) return { apiDomain, ...(accountsServer ? { accountsServer } : {}) };
  const dc = globals.dc ?? ctx.env.BIGIN_DC ?? ctx.profile.dataCenter;
  if (dc) return { dataCenter: dc.toLowerCase() as 'us' };
  throw new CliError(
    `profile "${ctx.profileName}" has no data center or API domain: pass --dc or --api-domain, or run \`bigin auth login\``,
    EXIT.USAGE,
  );
}

export function resolveAuth(globals: GlobalOptions, ctx: Context): TokenSource {
  const fixed = globals.token ?? ctx.env.BIGIN_ACCESS_TOKEN;
  if (fixed) return new StaticToken(fixed);
  const p = ctx.profile;
  if (p.refreshToken && p.clientId && p.clientSecret) {
    return new RefreshTokenAuth({
      clientId: p.clientId,
      clientSecret: p.clientSecret,
      refreshToken: p.refreshToken,
      ...(p.accessToken ? { accessToken: p.accessToken, expiresAt: p.accessTokenExpiresAt ?? 0 } : {}),
      ...(p.accountsServer ? { accountsServer: p.accountsServer } : {}),
      // Cache the access token so the next command does not spend one of Zoho's ten refreshes per ten minutes.
      onRefresh: async (tokens) => {
        await ctx.store.updateProfile(ctx.profileName, (old) => ({
          ...old,
          accessToken: tokens.accessToken,
          accessTokenExpiresAt: tokens.expiresAt,
          ...(tokens.apiDomain ? { apiDomain: tokens.apiDomain } : {}),
        }));
      },
    });
  }
  if (p.accessToken) return new StaticToken(p.accessToken);
  throw new CliError(
    `not logged in (profile "${ctx.profileName}"): run \`bigin auth login\`, \`bigin auth set-token\`, or pass --token`,
    EXIT.AUTHENTICATION,
  );
}

export function makeClient(globals: GlobalOptions, ctx: Context, auth?: Auth): BiginClient {
  const number = (v: string | undefined, name: string) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0)
      throw new CliError(`--${name} must be a non-negative integer`, EXIT.USAGE);
    return n;
  };
  const timeout = number(globals.timeout, 'timeout');
  const maxRetries = number(globals.maxRetries, 'max-retries');
  return new BiginClient(resolveEndpoint(globals, ctx), auth ?? resolveAuth(globals, ctx), {
    ...(timeout !== undefined ? { timeout } : {}),
    ...(maxRetries !== undefined ? { maxRetries } : {}),
  });
}
