import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '@bigin-attachments/server/dist/config/load-config.js';
import type { SettingName } from '@bigin-attachments/server/dist/config/schema.js';
import { startServer } from '@bigin-attachments/server/dist/server.js';
import {
  type AdminClient,
  type ClockState,
  type CreatedOrganization,
  type CreatedToken,
  type CreateTokenOptions,
  type CreateUserOptions,
  createAdminClient,
} from './admin-client.js';

export * from './admin-client.js';

export interface StartBiginOptions {
  /** A fixture (docs/fixtures.md): a file path, or the fixture itself as an object. */
  fixture?: string | object;
  /**
   * The clock: `real` (default), `frozen` (at the start instant), an ISO instant (frozen there)
   * or `from:<instant>` (running from there). Move it with `bigin.clock`.
   */
  clock?: string;
  /** A PostgreSQL URL for the metadata (DATABASE_URL) instead of SQLite in the temporary folder. */
  postgres?: string;
  /** Any other settings of docs/configuration.md, by name (they win over the helper's own). */
  settings?: Partial<Record<string, string>>;
}

/** One organisation as a test uses it: ids, tokens, URLs, and calls scoped to it. */
export interface TestOrganization extends CreatedOrganization {
  id: string;
  /** API base URL for its data center (`{apiBase}/bigin/v2/...`). */
  apiBase: string;
  /** Accounts server URL for its data center (`{accountsUrl}/oauth/v2/token`). */
  accountsUrl: string;
  /** The first token's value: the administrator's, for an organisation made from nothing. */
  token: string;
  /** The token value of a user, by user id, e-mail or name. */
  tokenOf(user: string): string;
  createToken(options?: CreateTokenOptions): Promise<CreatedToken>;
  createUser(user: CreateUserOptions): Promise<{ id: string; name: string; email: string }>;
  /** Back to its state when it was made (or loaded). */
  reset(): Promise<void>;
  delete(): Promise<void>;
}

export interface BiginClock {
  /** The server's current time. */
  now(): Promise<Date>;
  state(): Promise<ClockState>;
  /** Moves forward by `'1h'`, `'30d'`, `'1h30m'`, `'250ms'` or milliseconds; due work (purge, …) runs before it resolves. */
  advance(by: string | number): Promise<ClockState>;
  /** Moves to an instant, staying frozen if frozen. */
  set(at: Date | string): Promise<ClockState>;
  /** Stops the clock (at `at`, or where it is). */
  freeze(at?: Date | string): Promise<ClockState>;
  /** Back to real time. */
  useRealTime(): Promise<ClockState>;
}

export interface Bigin {
  /** Base URL of the server's main port (the default data center's API and accounts). */
  url: string;
  /** API base URL of each data center the server serves on a port of its own. */
  apiBase: Record<string, string>;
  /** Accounts URL of each data center (this server answers Zoho Accounts on the same ports). */
  accountsUrl: Record<string, string>;
  /** The temporary data folder (removed by `close`). */
  dataDir: string;
  /** The admin key this server was started with; `admin` already uses it. */
  adminKey: string;
  admin: AdminClient;
  clock: BiginClock;
  /** The fixture's organisations, with their tokens and ids. */
  organizations: TestOrganization[];
  /** The fixture's first organisation (throws when the fixture has none). */
  organization: TestOrganization;
  /** Everything back to the fixture as loaded: organisations made since are deleted. */
  reset(): Promise<void>;
  /**
   * A fresh organisation of its own for one test: a copy of the fixture's first organisation (or
   * of `from`), or `{ organization }` from a fragment, or an empty one with an administrator
   * (`{ empty: true }`, and the default when the fixture has no organisation).
   */
  newOrganization(options?: {
    from?: string;
    organization?: Record<string, unknown>;
    empty?: boolean;
  }): Promise<TestOrganization>;
  close(): Promise<void>;
}

type FixtureOrg = {
  id: string;
  name?: string;
  dataCenter?: string;
  users?: Array<{ id: string; name: string; email: string; profile: string; role: string }>;
  tokens?: Array<{ token: string; user: string; scope: string; expiresAt?: string; expiresIn?: number }>;
  records?: Array<{ id: string; module: string }>;
  attachments?: Array<{ id: string; record: string }>;
};

/** Starts the real server in this process on free ports, on a temporary data folder. */
export async function startBigin(options: StartBiginOptions = {}): Promise<Bigin> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bigin-testing-'));
  const adminKey = randomBytes(24).toString('hex');
  let fixturePath: string | undefined;
  let fixture: { organizations?: FixtureOrg[] } = {};
  if (typeof options.fixture === 'string') {
    fixturePath = resolve(options.fixture);
    fixture = JSON.parse(await readFile(fixturePath, 'utf8')) as typeof fixture;
  } else if (options.fixture) {
    fixturePath = join(dataDir, 'fixture.json');
    fixture = options.fixture as typeof fixture;
    await writeFile(fixturePath, JSON.stringify(fixture));
  }
  const settings: Partial<Record<SettingName, string>> = {
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    DEV_SEED: 'false',
    // A throwaway folder: a crash may lose the last commits, and nothing is lost by that.
    SQLITE_SYNCHRONOUS: 'NORMAL',
    ADMIN_KEY: adminKey,
    CLOCK: options.clock ?? 'real',
    ...(fixturePath ? { FIXTURE: fixturePath } : {}),
    ...(options.postgres ? { DATABASE_URL: options.postgres } : {}),
    ...(options.settings as Partial<Record<SettingName, string>>),
  };
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(loadConfig({}, settings));
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const admin = createAdminClient({ url: server.url, key: adminKey });
  const apiBase: Record<string, string> = {};
  for (const [dc, url] of Object.entries(server.dataCenterUrls)) if (url) apiBase[dc] = url;

  const organize = (created: CreatedOrganization): TestOrganization => {
    const id = created.organization.id;
    const users = created.users;
    return {
      ...created,
      id,
      apiBase: created.urls.api,
      accountsUrl: created.urls.accounts,
      token: created.tokens[0]?.token ?? '',
      tokenOf(user) {
        const u = users.find((x) => x.id === user || x.email === user || x.name === user);
        const t = u && created.tokens.find((x) => x.user === u.id);
        if (!t) throw new Error(`no token for user ${user} in organization ${id}`);
        return t.token;
      },
      createToken: (o = {}) => admin.createToken(id, o),
      createUser: (u) => admin.createUser(id, u),
      reset: async () => {
        await admin.resetOrganization(id);
      },
      delete: async () => {
        await admin.deleteOrganization(id);
      },
    };
  };

  const summaries = await admin.listOrganizations();
  const organizations = (fixture.organizations ?? []).map((o) => {
    const summary = summaries.find((s) => s.id === o.id);
    const urls = summary?.urls ?? { api: server.url, accounts: server.url };
    return organize({
      organization: { id: o.id, name: o.name ?? o.id, dataCenter: o.dataCenter ?? 'us' },
      urls,
      users: o.users ?? [],
      tokens: (o.tokens ?? []).map((t) => ({
        token: t.token,
        user: t.user,
        scope: t.scope,
        expiresAt: t.expiresAt ?? '',
      })),
      records: (o.records ?? []).map((r) => ({ id: r.id, module: r.module })),
      attachments: (o.attachments ?? []).map((a) => ({ id: a.id, record: a.record })),
    });
  });

  const clock: BiginClock = {
    now: async () => new Date((await admin.clock.get()).nowMs),
    state: () => admin.clock.get(),
    advance: (by) => admin.clock.advance(by),
    set: (at) => admin.clock.set({ at: typeof at === 'string' ? at : at.toISOString() }),
    freeze: (at) =>
      admin.clock.set({
        mode: 'frozen',
        ...(at ? { at: typeof at === 'string' ? at : at.toISOString() } : {}),
      }),
    useRealTime: () => admin.clock.set({ mode: 'real' }),
  };

  let closed = false;
  return {
    url: server.url,
    apiBase,
    accountsUrl: { ...apiBase },
    dataDir,
    adminKey,
    admin,
    clock,
    organizations,
    get organization() {
      const first = organizations[0];
      if (!first) throw new Error('the fixture has no organization');
      return first;
    },
    reset: async () => {
      await admin.resetAll();
    },
    newOrganization: async (o = {}) => {
      const from = o.empty ? undefined : (o.from ?? (o.organization ? undefined : organizations[0]?.id));
      return organize(
        await admin.createOrganization({
          ...(from ? { from } : {}),
          ...(o.organization ? { organization: o.organization } : {}),
        }),
      );
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
