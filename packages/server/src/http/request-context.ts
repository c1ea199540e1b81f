import type { FastifyRequest } from 'fastify';
import { errors } from '../domain/errors.js';

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/** Whether a peer address is this machine's own (the reach of the admin API, console and metrics). */
export function isLoopback(address: string | undefined): boolean {
  return LOOPBACK.test(address ?? '');
}

/**
 * The Authorization header, refusing a request that carries it more than once (Node would keep
 * the first silently; a proxy might keep the last, so neither is safe to trust).
 */
export function singleAuthorizationHeader(request: FastifyRequest): string | undefined {
  const raw = request.raw.rawHeaders;
  let seen = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === 13 && name.toLowerCase() === 'authorization') seen++;
  }
  if (seen > 1) throw errors.authorizationHeader('duplicated');
  return request.headers.authorization;
}
