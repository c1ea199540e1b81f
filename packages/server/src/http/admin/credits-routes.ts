import { z } from 'zod';
import { FREE_LIMITS } from '../../domain/credits/credit-policy.js';
import { AdminBodyError, readAdminBody } from './admin-body.js';
import { type AdminRouteModule, sendAdminError, sendAdminJson } from './admin-wire.js';

const limitsSchema = z.strictObject({
  enabled: z.boolean().default(true),
  edition: z.enum(['free', 'paid']).default('free'),
  licences: z.number().int().min(0).max(100_000).default(1),
  concurrency: z.number().int().min(1).max(10_000).nullable().default(null),
});

/**
 * `GET /_admin/credits/{orgId}` (credits used in the rolling 24 h, as Bigin's API dashboard shows
 * them), `PUT /_admin/credits/{orgId}` (turn limits on or off, edition, licences, concurrency),
 * `DELETE /_admin/credits/{orgId}` (back to the API_LIMITS default) and
 * `DELETE /_admin/credits/{orgId}/usage` (forget the calls counted so far).
 */
export const registerCreditRoutes: AdminRouteModule = (admin, deps) => {
  const { limits, limitsDirectory } = deps.instruments;

  const show = async (orgId: string) => {
    const effective = await limitsDirectory.effective(orgId);
    if (!effective)
      return { enabled: false, ...(await limits.usage(orgId, { ...FREE_LIMITS, enabled: false })) };
    return { enabled: true, ...(await limits.usage(orgId, effective)) };
  };

  admin.get('/credits/:orgId', async (request, reply) => {
    request.outcome = 'admin credits';
    return sendAdminJson(reply, 200, await show((request.params as { orgId: string }).orgId));
  });

  admin.put('/credits/:orgId', async (request, reply) => {
    request.outcome = 'admin credits set';
    const { orgId } = request.params as { orgId: string };
    try {
      await limitsDirectory.set(orgId, await readAdminBody(request, limitsSchema));
    } catch (error) {
      if (error instanceof AdminBodyError)
        return sendAdminError(reply, 'ADMIN_INVALID_REQUEST', error.message);
      throw error;
    }
    return sendAdminJson(reply, 200, await show(orgId));
  });

  admin.delete('/credits/:orgId', async (request, reply) => {
    request.outcome = 'admin credits default';
    const { orgId } = request.params as { orgId: string };
    await limitsDirectory.set(orgId, null);
    return sendAdminJson(reply, 200, await show(orgId));
  });

  admin.delete('/credits/:orgId/usage', async (request, reply) => {
    request.outcome = 'admin credits reset';
    const { orgId } = request.params as { orgId: string };
    await deps.stores.metadata.apiCredits.resetUsage(orgId);
    return sendAdminJson(reply, 200, await show(orgId));
  });
};
