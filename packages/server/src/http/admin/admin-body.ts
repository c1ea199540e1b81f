import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';

const MAX_ADMIN_BODY = 64 * 1024;

export class AdminBodyError extends Error {}

/**
 * Reads a JSON admin body (the app parses no bodies up front) and validates it; throws
 * AdminBodyError with a message naming what is wrong.
 */
export async function readAdminBody<T>(request: FastifyRequest, schema: z.ZodType<T>): Promise<T> {
  // The admin scope parses JSON bodies itself (admin-api.ts): use what it parsed.
  if (request.body !== undefined) return validated(request.body, schema);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.raw) {
    size += (chunk as Buffer).length;
    if (size > MAX_ADMIN_BODY) throw new AdminBodyError(`the body is over ${MAX_ADMIN_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    throw new AdminBodyError('the body is not JSON');
  }
  return validated(value, schema);
}

function validated<T>(value: unknown, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new AdminBodyError(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
    );
  return parsed.data;
}
