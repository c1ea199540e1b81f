import type { AdminRouteModule } from './admin-wire.js';
import { sendAdminJson } from './admin-wire.js';

/** `GET /_admin/status`: proves the key works, and tells the server's time as its clock sees it. */
export const registerAdminStatusRoutes: AdminRouteModule = (admin, deps) => {
  admin.get('/status', async (request, reply) => {
    request.outcome = 'admin status';
    return sendAdminJson(reply, 200, { status: 'ok', now: new Date(deps.clock.now()).toISOString() });
  });
};
