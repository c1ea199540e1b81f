import { parityLedger } from '../../domain/parity/endpoint-answers.js';
import { type AdminRouteModule, sendAdminJson } from './admin-wire.js';

/** `GET /_admin/parity`: every endpoint × answer with its provenance (docs/parity.md). */
export const registerParityRoutes: AdminRouteModule = (admin) => {
  admin.get('/parity', async (request, reply) => {
    request.outcome = 'admin parity';
    return sendAdminJson(reply, 200, { endpoints: parityLedger() });
  });
};
