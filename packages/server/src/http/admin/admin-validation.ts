import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { sendAdminError } from './admin-wire.js';

/** 400 ADMIN_INVALID_REQUEST naming every problem with its JSON path. */
export function invalidRequest(reply: FastifyReply, error: z.ZodError, message?: string): FastifyReply {
  const problems = error.issues.map((i) => `${i.path.length ? `$.${i.path.join('.')}` : '$'}: ${i.message}`);
  return sendAdminError(reply, 'ADMIN_INVALID_REQUEST', message ?? problems.join('; '), { problems });
}
