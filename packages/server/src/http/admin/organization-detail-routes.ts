import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  listDeletedRecords,
  listRecycleBin,
  restoreAttachment,
  restoreRecord,
} from '../../domain/recycle-bin.js';
import { invalidRequest } from './admin-validation.js';
import { type AdminRouteModule, sendAdminError, sendAdminJson } from './admin-wire.js';

const id = z.string().regex(/^[0-9]{1,19}$/, 'ids are decimal strings of 1 to 19 digits');
const orgParams = z.object({ id });
const tokenParams = z.object({
  id,
  tokenId: z.string().regex(/^[0-9a-f]{16}$/, 'token ids are 16 hex digits (GET /organizations/{id})'),
});
const itemParams = z.object({ id, itemId: id });
const paging = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/**
 * A token's handle in the admin API: the first 16 hex digits of its SHA-256 (D25). The server
 * never keeps the token itself, and the full hash is the lookup key for authentication, so the
 * handle is a prefix: enough to tell an organisation's tokens apart, useless to authenticate.
 */
export const tokenHandle = (hash: string) => hash.slice(0, 16);

const iso = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

/**
 * What the console shows of one organisation (docs/admin-api.md): `GET /organizations/{id}` (users,
 * tokens with their state on the virtual clock, OAuth clients), token revocation, the recycle bin
 * with restore, and the organisation's notification channels. Everything is read through the
 * existing ports; nothing here is a second back end.
 */
export const registerAdminOrganizationDetailRoutes: AdminRouteModule = (admin, deps) => {
  const { stores, clock, config } = deps;
  const notFound = (reply: FastifyReply, what: string) => sendAdminError(reply, 'ADMIN_NOT_FOUND', what);
  const bin = () => ({
    attachments: stores.metadata.attachments,
    recordData: stores.metadata.recordData,
    clock,
    retentionMs: config.recycleBinRetentionMs,
  });

  admin.get('/organizations/:id', async (request, reply) => {
    request.outcome = 'admin organization detail';
    const p = orgParams.safeParse(request.params);
    if (!p.success) return invalidRequest(reply, p.error);
    const dump = await stores.metadata.organizations.dump(p.data.id);
    if (!dump) return notFound(reply, `no organization ${p.data.id}`);
    const org = dump.data.organizations[0]!;
    const urls = deps.dataCenters.urls(org.dataCenter);
    const now = clock.now();
    const profiles = new Map(dump.data.profiles.map((x) => [x.id, x.name]));
    const roles = new Map(dump.data.roles.map((x) => [x.id, x.name]));
    return sendAdminJson(reply, 200, {
      organization: {
        id: org.id,
        name: org.name,
        dataCenter: org.dataCenter,
        createdAt: iso(org.createdAt),
        disabledModules: org.disabledModules,
        baseline: (await deps.baselines.kinds(stores)).get(org.id) ?? null,
        urls: { api: urls.apiDomain, accounts: urls.accountsServer },
      },
      now: iso(now),
      users: dump.data.users.map((u) => ({
        id: u.id,
        name: u.name,
        email: u.email,
        profile: profiles.get(u.profileId) ?? u.profileId,
        role: roles.get(u.roleId) ?? u.roleId,
        timeZone: u.timeZone,
        active: u.active,
        canSignIn: Boolean(u.passwordHash),
      })),
      // Newest first: the token a developer just minted or saw refused is at the top.
      tokens: [...dump.data.tokens]
        .sort((a, b) => b.createdAt - a.createdAt || a.hash.localeCompare(b.hash))
        .map((t) => ({
          id: tokenHandle(t.hash),
          user: t.userId,
          client: t.clientId,
          scope: t.scopes,
          dataCenter: t.dataCenter,
          createdAt: iso(t.createdAt),
          expiresAt: iso(t.expiresAt),
          revokedAt: iso(t.revokedAt),
          state: t.revokedAt !== null ? 'revoked' : t.expiresAt <= now ? 'expired' : 'active',
          fromRefreshToken: Boolean(t.refreshTokenHash),
        })),
      clients: dump.data.clients.map((c) => ({
        id: c.id,
        name: c.name,
        type: c.type ?? 'server',
        redirectUris: c.redirectUris,
        createdAt: iso(c.createdAt),
      })),
    });
  });

  admin.post('/organizations/:id/tokens/:tokenId/revoke', async (request, reply) => {
    request.outcome = 'admin token revoke';
    const p = tokenParams.safeParse(request.params);
    if (!p.success) return invalidRequest(reply, p.error);
    const dump = await stores.metadata.organizations.dump(p.data.id);
    if (!dump) return notFound(reply, `no organization ${p.data.id}`);
    const token = dump.data.tokens.find((t) => tokenHandle(t.hash) === p.data.tokenId);
    if (!token) return notFound(reply, `organization ${p.data.id} has no token ${p.data.tokenId}`);
    // Revoking twice answers as the first time did (D25): the caller wants it revoked, and it is.
    const at = clock.now();
    const revoked =
      token.revokedAt === null &&
      (await stores.metadata.oauth.revokeAccessToken(token.hash, token.dataCenter, at));
    return sendAdminJson(reply, 200, {
      id: p.data.tokenId,
      state: 'revoked',
      revokedAt: iso(revoked ? at : (token.revokedAt ?? at)),
    });
  });

  admin.get('/organizations/:id/recycle-bin', async (request, reply) => {
    request.outcome = 'admin recycle bin';
    const p = orgParams.safeParse(request.params);
    if (!p.success) return invalidRequest(reply, p.error);
    const q = paging.safeParse(request.query ?? {});
    if (!q.success) return invalidRequest(reply, q.error);
    if (!(await stores.metadata.seed.organization(p.data.id)))
      return notFound(reply, `no organization ${p.data.id}`);
    const input = { orgId: p.data.id, ...q.data };
    const attachments = await listRecycleBin(bin(), input);
    const records = await listDeletedRecords(bin(), input);
    return sendAdminJson(reply, 200, {
      attachments: attachments.map((a) => ({
        id: a.id,
        record: a.recordId,
        module: a.module,
        fileName: a.fileName,
        size: a.size,
        deletedAt: iso(a.deletedAt),
        deletedBy: a.deletedBy,
        purgeAfter: iso(a.purgeAfter),
      })),
      records: records.map((r) => ({
        id: r.id,
        module: r.module,
        name: r.name,
        deletedAt: iso(r.deletedAt),
        deletedBy: r.deletedBy,
        purgeAfter: iso(r.purgeAfter),
      })),
    });
  });

  admin.post('/organizations/:id/recycle-bin/attachments/:itemId/restore', async (request, reply) => {
    request.outcome = 'admin attachment restore';
    const p = itemParams.safeParse(request.params);
    if (!p.success) return invalidRequest(reply, p.error);
    const restored = await restoreAttachment(bin(), { orgId: p.data.id, attachmentId: p.data.itemId });
    if (!restored)
      return notFound(
        reply,
        `no attachment ${p.data.itemId} in the recycle bin of ${p.data.id} that can come back on its own (past retention, being purged, or deleted with its record)`,
      );
    return sendAdminJson(reply, 200, { restored: p.data.itemId });
  });

  admin.post('/organizations/:id/recycle-bin/records/:itemId/restore', async (request, reply) => {
    request.outcome = 'admin record restore';
    const p = itemParams.safeParse(request.params);
    if (!p.success) return invalidRequest(reply, p.error);
    const restored = await restoreRecord(bin(), { orgId: p.data.id, recordId: p.data.itemId });
    if (!restored) return notFound(reply, `no record ${p.data.itemId} in the recycle bin of ${p.data.id}`);
    return sendAdminJson(reply, 200, { restored: p.data.itemId, ...restored });
  });

  admin.get('/organizations/:id/notifications/channels', async (request, reply) => {
    request.outcome = 'admin notification channels';
    const p = orgParams.safeParse(request.params);
    if (!p.success) return invalidRequest(reply, p.error);
    const dump = await stores.metadata.organizations.dump(p.data.id);
    if (!dump) return notFound(reply, `no organization ${p.data.id}`);
    // Channels belong to the user who subscribed (the port lists per user): one call per user.
    const channels = [];
    for (const u of dump.data.users)
      channels.push(
        ...(await stores.metadata.notifications.listChannels({
          orgId: p.data.id,
          userId: u.id,
          module: null,
          channelId: null,
          limit: 200,
          offset: 0,
        })),
      );
    const now = clock.now();
    return sendAdminJson(reply, 200, {
      channels: channels.map((c) => ({
        channelId: c.channelId,
        user: c.userId,
        notifyUrl: c.notifyUrl,
        // The channel's token is the subscriber's secret, echoed to its URL: only say whether there is one.
        hasToken: c.token !== null,
        events: c.events,
        expiresAt: iso(c.expiresAt),
        expired: c.expiresAt <= now,
        createdAt: iso(c.createdAt),
      })),
    });
  });
};
