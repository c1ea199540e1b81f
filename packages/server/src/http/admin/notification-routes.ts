import { deliveryReport, MAX_DELIVERIES_LISTED } from '../../notifications/delivery-report.js';
import { type AdminRouteModule, sendAdminError, sendAdminJson } from './admin-wire.js';

const ID = /^[0-9]{1,19}$/;

/**
 * `GET /_admin/notifications/deliveries?org=&channel_id=&limit=`: the most recent callbacks of
 * the outbox, newest first, with their status, attempts, last response code and latency.
 */
export const registerAdminNotificationRoutes: AdminRouteModule = (admin, deps) => {
  admin.get('/notifications/deliveries', async (request, reply) => {
    request.outcome = 'admin notifications deliveries';
    const q = request.query as Record<string, string | undefined>;
    const limit = q.limit === undefined ? 50 : Number(q.limit);
    if (
      (q.org !== undefined && !ID.test(q.org)) ||
      (q.channel_id !== undefined && !ID.test(q.channel_id)) ||
      !Number.isInteger(limit) ||
      limit < 1 ||
      limit > MAX_DELIVERIES_LISTED
    )
      return sendAdminError(reply, 'ADMIN_INVALID_REQUEST', 'org and channel_id are ids; limit is 1–1000');
    const entries = await deps.stores.metadata.notifications.listDeliveries({
      orgId: q.org ?? null,
      channelId: q.channel_id ?? null,
      limit,
    });
    return sendAdminJson(reply, 200, { deliveries: entries.map(deliveryReport) });
  });
};
