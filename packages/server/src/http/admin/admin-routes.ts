import type { AdminRouteModule } from './admin-wire.js';
import { registerAdminNotificationRoutes } from './notification-routes.js';
import { registerAdminStatusRoutes } from './status-routes.js';

/**
 * Every admin feature's routes, registered on the guarded `/_admin` scope in this order. A new
 * admin feature adds its module here and nowhere else.
 */
export const ADMIN_ROUTE_MODULES: readonly AdminRouteModule[] = [
  registerAdminStatusRoutes,
  registerAdminNotificationRoutes,
];
