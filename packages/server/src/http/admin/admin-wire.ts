import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../../config/schema.js';
import type { Clock, VirtualClock } from '../../domain/clock.js';
import type { Stores } from '../../storage/create-stores.js';
import type { DueWork } from '../../workers/due-work.js';
import type { DataCenterDirectory } from '../data-center.js';
import type { Instruments } from '../instruments.js';
import { JSON_CONTENT_TYPE } from '../wire.js';
import type { Baselines } from './baselines.js';

/** What admin routes may use: the stores, the clock and the process-level operations of server.ts. */
export interface AdminDeps {
  stores: Stores;
  clock: Clock;
  config: Config;
  /** Runs one purge pass now (the purge worker's own pass). */
  purgeNow(): Promise<void>;
  /** The clock to read and move; null when the embedding process passed a clock of its own. */
  clockControl: VirtualClock | null;
  /** Run after every move of the clock. */
  dueWork: DueWork;
  /** Where each data center is served (URLs handed out with new organisations and tokens). */
  dataCenters: DataCenterDirectory;
  /** What reset restores (created by registerAdminApi). */
  baselines: Baselines;
  /** The journal, fault rules and API limits shared by every data center's app. */
  instruments: Instruments;
}

/** One admin feature: registers its routes on the guarded `/_admin` scope. */
export type AdminRouteModule = (admin: FastifyInstance, deps: AdminDeps) => void;

/** The admin API's own refusals: not Bigin's envelope, so that no client mistakes them for Bigin's. */
export const ADMIN_ERRORS = {
  ADMIN_KEY_REQUIRED: { status: 401, message: 'send the admin key as Authorization: Bearer <ADMIN_KEY>' },
  ADMIN_KEY_INVALID: { status: 401, message: 'the admin key is not this server’s ADMIN_KEY' },
  ADMIN_REMOTE_REFUSED: {
    status: 403,
    message: 'the admin API answers loopback callers only; set ADMIN_ALLOW_REMOTE=true to serve others',
  },
  ADMIN_NOT_FOUND: { status: 404, message: 'no such admin resource' },
  ADMIN_INVALID_REQUEST: { status: 400, message: 'the request is not valid' },
  ADMIN_CLOCK_EXTERNAL: {
    status: 409,
    message: 'this server runs on a clock its embedding process controls; move that clock instead',
  },
  ADMIN_CONFLICT: { status: 409, message: 'that already exists' },
} as const;
export type AdminErrorCode = keyof typeof ADMIN_ERRORS;

export function sendAdminError(
  reply: FastifyReply,
  code: AdminErrorCode,
  message: string = ADMIN_ERRORS[code].message,
  details: Record<string, unknown> = {},
): FastifyReply {
  reply.request.outcome = `admin ${code}`;
  return reply
    .code(ADMIN_ERRORS[code].status)
    .header('content-type', JSON_CONTENT_TYPE)
    .header('cache-control', 'no-store')
    .send(JSON.stringify({ error: { code, message, details } }));
}

export function sendAdminJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  reply.request.outcome = reply.request.outcome || 'admin';
  return reply
    .code(status)
    .header('content-type', JSON_CONTENT_TYPE)
    .header('cache-control', 'no-store')
    .send(JSON.stringify(body));
}
