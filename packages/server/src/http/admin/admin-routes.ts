import type { AdminRouteModule } from './admin-wire.js';
import { registerAdminClockRoutes } from './clock-routes.js';
import { registerCreditRoutes } from './credits-routes.js';
import { registerFaultRoutes } from './faults-routes.js';
import { registerJournalRoutes } from './journal-routes.js';
import { registerAdminNotificationRoutes } from './notification-routes.js';
import { registerAdminOrganizationDetailRoutes } from './organization-detail-routes.js';
import { registerAdminOrganizationRoutes } from './organization-routes.js';
import { registerParityRoutes } from './parity-routes.js';
import { registerAdminStatusRoutes } from './status-routes.js';

/**
 * Every admin feature's routes, registered on the guarded `/_admin` scope in this order. A new
 * admin feature adds its module here and nowhere else.
 */
export const ADMIN_ROUTE_MODULES: readonly AdminRouteModule[] = [
  registerAdminStatusRoutes,
  registerAdminClockRoutes,
  registerAdminOrganizationRoutes,
  registerAdminOrganizationDetailRoutes,
  registerJournalRoutes,
  registerFaultRoutes,
  registerCreditRoutes,
  registerParityRoutes,
  registerAdminNotificationRoutes,
];
