import { randomBytes } from 'node:crypto';
import { DATA_CENTER_IDS, type DataCenterId } from '@bigin-attachments/contract';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { formatId } from '../../domain/ids.js';
import { hashPassword } from '../../domain/passwords.js';
import { generateToken, hashToken } from '../../domain/tokens.js';
import { FixtureError, loadFixture, parseFixture } from '../../fixtures/load-fixture.js';
import { invalidRequest } from './admin-validation.js';
import { type AdminDeps, type AdminRouteModule, sendAdminError, sendAdminJson } from './admin-wire.js';
import {
  AdminConflict,
  completeFragment,
  DEFAULT_SCOPE,
  deleteOrganization,
  describeOrganization,
  EXPORT_FORMAT,
  exportOrganization,
  freshOrganizationId,
  importOrganization,
  loadFragment,
  type OrganizationExport,
  seedOf,
} from './organization-admin.js';

const id = z.string().regex(/^[0-9]{1,19}$/, 'ids are decimal strings of 1 to 19 digits');
const dataCenter = z.enum(DATA_CENTER_IDS as [DataCenterId, ...DataCenterId[]]);

const createBody = z
  .object({
    organization: z.record(z.string(), z.unknown()).optional(),
    from: id.optional().describe('Id of an organisation of the loaded fixture to copy.'),
    clients: z.array(z.unknown()).default([]),
  })
  .strict();

const userBody = z
  .object({
    id: id.optional(),
    name: z.string().min(1),
    email: z.string().min(3),
    profile: z.string().min(1).default('Administrator'),
    role: z.string().min(1).default('CEO'),
    active: z.boolean().default(true),
    timeZone: z.string().default('UTC'),
    password: z.string().min(1).max(1024).optional(),
  })
  .strict();

const tokenBody = z
  .object({
    user: id.optional(),
    scope: z.string().min(1).default(DEFAULT_SCOPE),
    expiresIn: z.number().int().positive().optional(),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
    dataCenter: dataCenter.optional(),
    client: z.string().min(1).optional(),
    token: z
      .string()
      .regex(/^[\x21-\x7e]{8,512}$/)
      .optional(),
    /** Also mint a refresh token of `client`, as a consent would: the access token is issued from it. */
    refresh: z.boolean().default(false),
  })
  .strict()
  .refine((t) => !(t.expiresAt && t.expiresIn), 'give expiresAt or expiresIn, not both')
  .refine((t) => !t.refresh || t.client !== undefined, 'a refresh token needs a client');

const clientBody = z
  .object({
    id: z.string().min(1).optional(),
    name: z.string().min(1).default('Test client'),
    secret: z.string().min(1).optional(),
    redirectUris: z.array(z.url()).default([]),
    type: z.enum(['server', 'self']).default('server'),
  })
  .strict();

const exportSchema = z
  .object({
    format: z.literal(EXPORT_FORMAT),
    version: z.literal(1),
    organization: id,
    nextSequence: z.number().int().positive(),
    data: z.object({ organizations: z.array(z.object({ id })).length(1) }).passthrough(),
    blobs: z.record(z.string(), z.base64()),
  })
  .strict()
  .refine(
    (e) => e.data.organizations[0]!.id === e.organization,
    'data.organizations[0].id is not organization',
  );

const orgParams = z.object({ id });

/** Maps the refusals organisation calls share: invalid fixtures (400), conflicts (409). */
async function guarded(reply: FastifyReply, work: () => Promise<FastifyReply>): Promise<FastifyReply> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof FixtureError)
      return sendAdminError(reply, 'ADMIN_INVALID_REQUEST', error.problems.join('; '), {
        problems: error.problems,
      });
    if (error instanceof AdminConflict) return sendAdminError(reply, 'ADMIN_CONFLICT', error.message);
    throw error;
  }
}

function urlsFor(deps: AdminDeps, dc: DataCenterId) {
  return deps.dataCenters.urls(dc);
}

/**
 * Organisations, users, tokens and OAuth clients, fixtures, reset, export and import, purge
 * (docs/admin-api.md). Reset restores the baselines `Baselines` holds: what each organisation was
 * right after the fixture or call that made it.
 */
export const registerAdminOrganizationRoutes: AdminRouteModule = (admin, deps) => {
  const { stores, clock, baselines } = deps;
  const notFound = (reply: FastifyReply, orgId: string) =>
    sendAdminError(reply, 'ADMIN_NOT_FOUND', `no organization ${orgId}`);
  const params = (raw: unknown) => orgParams.safeParse(raw);

  admin.get('/organizations', async (request, reply) => {
    request.outcome = 'admin organizations';
    const orgs = await stores.metadata.organizations.list();
    const kinds = await baselines.kinds(stores);
    return sendAdminJson(reply, 200, {
      organizations: orgs.map((o) => ({
        id: o.id,
        name: o.name,
        dataCenter: o.dataCenter,
        createdAt: new Date(o.createdAt).toISOString(),
        baseline: kinds.get(o.id) ?? null,
        urls: {
          api: urlsFor(deps, o.dataCenter).apiDomain,
          accounts: urlsFor(deps, o.dataCenter).accountsServer,
        },
      })),
    });
  });

  admin.post('/organizations', async (request, reply) => {
    request.outcome = 'admin organization create';
    const body = createBody.safeParse(request.body ?? {});
    if (!body.success) return invalidRequest(reply, body.error);
    const { from, clients } = body.data;
    const template = from === undefined ? undefined : await baselines.template(stores, from);
    if (from !== undefined && !template)
      return sendAdminError(reply, 'ADMIN_NOT_FOUND', `the loaded fixture has no organization ${from}`);
    const given = { ...(template?.fragment ?? {}), ...(body.data.organization ?? {}) };
    return guarded(reply, async () => {
      const orgId =
        typeof body.data.organization?.id === 'string'
          ? body.data.organization.id
          : await freshOrganizationId(stores);
      if (await stores.metadata.seed.organization(orgId))
        throw new AdminConflict(`organization ${orgId} already exists`);
      const fragment = completeFragment(given, orgId, { freshTokens: template !== undefined });
      const org = await loadFragment(stores, clock, fragment, clients, template?.baseDir);
      await baselines.record(stores, org.id, false);
      return sendAdminJson(
        reply,
        201,
        describeOrganization(org, urlsFor(deps, org.dataCenter as DataCenterId), clock),
      );
    });
  });

  admin.delete('/organizations/:id', async (request, reply) => {
    request.outcome = 'admin organization delete';
    const p = params(request.params);
    if (!p.success) return invalidRequest(reply, p.error);
    if (!(await deleteOrganization(stores, p.data.id))) return notFound(reply, p.data.id);
    await baselines.forget(stores, p.data.id);
    return sendAdminJson(reply, 200, { deleted: p.data.id });
  });

  admin.post('/organizations/:id/reset', async (request, reply) => {
    request.outcome = 'admin organization reset';
    const p = params(request.params);
    if (!p.success) return invalidRequest(reply, p.error);
    if (!(await baselines.resetOne(stores, clock, p.data.id)))
      return sendAdminError(
        reply,
        'ADMIN_NOT_FOUND',
        `organization ${p.data.id} has no baseline to reset to`,
      );
    return sendAdminJson(reply, 200, { reset: p.data.id });
  });

  admin.post('/reset', async (request, reply) => {
    request.outcome = 'admin reset';
    return sendAdminJson(reply, 200, await baselines.resetAll(stores, clock));
  });

  admin.post('/fixtures', async (request, reply) => {
    request.outcome = 'admin fixture load';
    return guarded(reply, async () => {
      const fixture = parseFixture(request.body ?? {}, 'request body');
      const inserted = await loadFixture(stores, clock, fixture, { baseDir: process.cwd() });
      await baselines.fixtureLoaded(stores, fixture, request.body, process.cwd());
      return sendAdminJson(reply, 200, { inserted, organizations: fixture.organizations.map((o) => o.id) });
    });
  });

  admin.post('/organizations/:id/users', async (request, reply) => {
    request.outcome = 'admin user create';
    const p = params(request.params);
    if (!p.success) return invalidRequest(reply, p.error);
    const body = userBody.safeParse(request.body ?? {});
    if (!body.success) return invalidRequest(reply, body.error);
    const dump = await stores.metadata.organizations.dump(p.data.id);
    if (!dump) return notFound(reply, p.data.id);
    const u = body.data;
    const byRef = <T extends { id: string; name: string }>(items: T[], ref: string) =>
      items.find((i) => i.id === ref) ?? items.find((i) => i.name === ref);
    const profile = byRef(dump.data.profiles, u.profile);
    const role = byRef(dump.data.roles, u.role);
    if (!profile || !role)
      return sendAdminError(
        reply,
        'ADMIN_INVALID_REQUEST',
        `no ${profile ? 'role' : 'profile'} ${profile ? u.role : u.profile}`,
      );
    const prefix = dump.data.organizations[0]!.idPrefix;
    const userId = u.id ?? formatId(prefix, await stores.metadata.seed.reserveSequence(p.data.id, 1));
    if (dump.data.users.some((x) => x.id === userId))
      return sendAdminError(reply, 'ADMIN_CONFLICT', `user ${userId} exists`);
    await stores.metadata.seed.import(
      seedOf({
        users: [
          {
            orgId: p.data.id,
            id: userId,
            name: u.name,
            email: u.email,
            profileId: profile.id,
            roleId: role.id,
            active: u.active,
            timeZone: u.timeZone,
            passwordHash: u.password === undefined ? null : await hashPassword(u.password),
          },
        ],
      }),
    );
    return sendAdminJson(reply, 201, {
      id: userId,
      name: u.name,
      email: u.email,
      profile: profile.name,
      role: role.name,
      active: u.active,
    });
  });

  admin.post('/organizations/:id/tokens', async (request, reply) => {
    request.outcome = 'admin token create';
    const p = params(request.params);
    if (!p.success) return invalidRequest(reply, p.error);
    const body = tokenBody.safeParse(request.body ?? {});
    if (!body.success) return invalidRequest(reply, body.error);
    const dump = await stores.metadata.organizations.dump(p.data.id);
    if (!dump) return notFound(reply, p.data.id);
    const t = body.data;
    const admins = new Set(dump.data.profiles.filter((x) => x.admin).map((x) => x.id));
    const user =
      t.user === undefined
        ? (dump.data.users.find((x) => x.active && admins.has(x.profileId)) ?? dump.data.users[0])
        : dump.data.users.find((x) => x.id === t.user);
    if (!user)
      return sendAdminError(
        reply,
        'ADMIN_INVALID_REQUEST',
        t.user ? `no user ${t.user}` : 'the organization has no users',
      );
    if (t.client !== undefined && !(await stores.metadata.oauth.findClient(t.client)))
      return sendAdminError(reply, 'ADMIN_INVALID_REQUEST', `no client ${t.client}`);
    const token = t.token ?? generateToken();
    if (await stores.metadata.auth.findByTokenHash(hashToken(token)))
      return sendAdminError(reply, 'ADMIN_CONFLICT', 'that token is already in use');
    const now = clock.now();
    const expiresAt = t.expiresAt ? Date.parse(t.expiresAt) : now + (t.expiresIn ?? 3600) * 1000;
    const dc = t.dataCenter ?? dump.data.organizations[0]!.dataCenter;
    const refreshToken = t.refresh ? generateToken() : null;
    await stores.metadata.seed.import(
      seedOf({
        ...(refreshToken && t.client
          ? {
              refreshTokens: [
                {
                  hash: hashToken(refreshToken),
                  clientId: t.client,
                  orgId: p.data.id,
                  userId: user.id,
                  scopes: t.scope,
                  dataCenter: dc,
                  createdAt: now,
                  revokedAt: null,
                },
              ],
              consents: [{ orgId: p.data.id, userId: user.id, clientId: t.client, grantedAt: now }],
            }
          : {}),
        tokens: [
          {
            hash: hashToken(token),
            orgId: p.data.id,
            userId: user.id,
            clientId: t.client ?? null,
            scopes: t.scope,
            dataCenter: dc,
            expiresAt,
            revokedAt: null,
            createdAt: now,
            refreshTokenHash: refreshToken ? hashToken(refreshToken) : null,
          },
        ],
      }),
    );
    return sendAdminJson(reply, 201, {
      token,
      ...(refreshToken ? { refreshToken } : {}),
      user: user.id,
      scope: t.scope,
      dataCenter: dc,
      expiresAt: new Date(expiresAt).toISOString(),
      urls: { api: urlsFor(deps, dc).apiDomain, accounts: urlsFor(deps, dc).accountsServer },
    });
  });

  admin.post('/clients', async (request, reply) => {
    request.outcome = 'admin client create';
    const body = clientBody.safeParse(request.body ?? {});
    if (!body.success) return invalidRequest(reply, body.error);
    const c = body.data;
    const clientId = c.id ?? `1000.${randomBytes(15).toString('hex').toUpperCase()}`;
    const secret = c.secret ?? randomBytes(21).toString('hex');
    const registered = await stores.metadata.oauth.registerClient({
      id: clientId,
      name: c.name,
      secretHash: hashToken(secret),
      redirectUris: c.redirectUris,
      type: c.type,
      createdAt: clock.now(),
    });
    if (!registered) return sendAdminError(reply, 'ADMIN_CONFLICT', `client ${clientId} exists`);
    return sendAdminJson(reply, 201, {
      id: clientId,
      secret,
      name: c.name,
      type: c.type,
      redirectUris: c.redirectUris,
    });
  });

  admin.post('/purge', async (request, reply) => {
    request.outcome = 'admin purge';
    await deps.purgeNow();
    return sendAdminJson(reply, 200, { purged: true, at: new Date(clock.now()).toISOString() });
  });

  admin.get('/organizations/:id/export', async (request, reply) => {
    request.outcome = 'admin organization export';
    const p = params(request.params);
    if (!p.success) return invalidRequest(reply, p.error);
    const snapshot = await exportOrganization(stores, p.data.id);
    return snapshot ? sendAdminJson(reply, 200, snapshot) : notFound(reply, p.data.id);
  });

  admin.post('/organizations/import', async (request, reply) => {
    request.outcome = 'admin organization import';
    const parsed = exportSchema.safeParse(request.body ?? {});
    if (!parsed.success) return invalidRequest(reply, parsed.error);
    const snapshot = request.body as OrganizationExport;
    const replace = (request.query as { replace?: string }).replace === 'true';
    return guarded(reply, async () => {
      if (replace) await deleteOrganization(stores, snapshot.organization);
      await importOrganization(stores, clock, snapshot);
      await baselines.record(stores, snapshot.organization, false);
      return sendAdminJson(reply, 201, { imported: snapshot.organization });
    });
  });
};
