import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ADMIN_ROUTE_MODULES } from './admin-routes.js';
import { type AdminDeps, isLoopback, sendAdminError } from './admin-wire.js';
import { registerConsole } from './console.js';

/** Compares digests, so that neither the key's length nor its bytes leak through timing. */
function sameKey(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * Registers `/_admin/*` when ADMIN_KEY is set; otherwise nothing, so that the paths answer as any
 * unknown path does. Every admin route sits behind the loopback rule and the key check.
 */
export function registerAdminApi(app: FastifyInstance, deps: AdminDeps): void {
  const settings = deps.config.admin;
  if (!settings) return;
  app.register(
    async (admin) => {
      admin.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
        if (!settings.allowRemote && !isLoopback(request.socket.remoteAddress))
          return sendAdminError(reply, 'ADMIN_REMOTE_REFUSED');
        const header = request.headers.authorization;
        if (typeof header !== 'string' || !header.startsWith('Bearer '))
          return sendAdminError(reply, 'ADMIN_KEY_REQUIRED');
        if (!sameKey(header.slice('Bearer '.length), settings.key))
          return sendAdminError(reply, 'ADMIN_KEY_INVALID');
      });
      admin.setNotFoundHandler((_request, reply) => sendAdminError(reply, 'ADMIN_NOT_FOUND'));
      for (const register of ADMIN_ROUTE_MODULES) register(admin, deps);
    },
    { prefix: '/_admin' },
  );
  registerConsole(app, deps);
}
