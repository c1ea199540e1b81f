import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseFixture } from '../../fixtures/load-fixture.js';
import { isLoopback } from '../request-context.js';
import { ADMIN_ROUTE_MODULES } from './admin-routes.js';
import { type AdminDeps, sendAdminError } from './admin-wire.js';
import { Baselines, sha256Of } from './baselines.js';
import { registerConsole } from './console.js';

/** What the composition root tells the admin API after start-up work it does itself. */
export interface AdminApiHandle {
  /** The start's fixture is loaded: its organisations' state becomes what reset restores. */
  fixtureLoaded(stores: AdminDeps['stores'], path: string): Promise<void>;
}

/** Admin bodies carry fixtures and exported organisations, attachment bytes included. */
const ADMIN_BODY_LIMIT = 256 * 1024 * 1024;
const NOT_JSON = Symbol('not JSON');

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
export function registerAdminApi(
  app: FastifyInstance,
  given: Omit<AdminDeps, 'baselines'>,
): AdminApiHandle | undefined {
  const settings = given.config.admin;
  if (!settings) return undefined;
  const deps: AdminDeps = { ...given, baselines: new Baselines(given.clock) };
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
      // The app parses no bodies (Bigin's routes read their own); admin calls speak JSON.
      admin.addContentTypeParser(
        'application/json',
        { parseAs: 'string', bodyLimit: ADMIN_BODY_LIMIT },
        (_request, body, done) => {
          try {
            done(null, body === '' ? undefined : JSON.parse(body as string));
          } catch {
            done(null, NOT_JSON);
          }
        },
      );
      admin.addHook('preValidation', async (request, reply) => {
        if (request.body === NOT_JSON)
          return sendAdminError(reply, 'ADMIN_INVALID_REQUEST', 'the body is not valid JSON');
      });
      admin.setNotFoundHandler((_request, reply) => sendAdminError(reply, 'ADMIN_NOT_FOUND'));
      for (const register of ADMIN_ROUTE_MODULES) register(admin, deps);
    },
    { prefix: '/_admin' },
  );
  registerConsole(app, deps);
  return {
    async fixtureLoaded(stores, path) {
      const text = await readFile(path, 'utf8');
      const raw: unknown = JSON.parse(text);
      await deps.baselines.fixtureLoaded(stores, parseFixture(raw, path), raw, dirname(path), sha256Of(text));
    },
  };
}
