import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type FaultAnswer, failureFor, forcedError } from '../domain/faults/fault-rules.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The forced fault that decided (or is shaping) this answer, for the journal. */
    forcedFault: string | null;
    /** Body bytes to send before cutting the connection (a `truncate` fault); -1: half. */
    truncateAfter: number | null;
  }
}

const PROXY_REASONS = { 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable', 504: 'Gateway Time-out' };

/**
 * Carries out a forced answer. Resolves true when the answer is given (the caller must stop),
 * false when the request goes on (a delay, or a cut to make in the body once it is rendered).
 * Forced errors are thrown, so that they reach the same error handler as natural ones.
 */
export async function applyFault(
  request: FastifyRequest,
  reply: FastifyReply,
  answer: FaultAnswer,
  label: string,
  onHijacked: (status: number) => void,
): Promise<boolean> {
  request.forcedFault = label;
  switch (answer.kind) {
    case 'error':
      throw forcedError(failureFor(answer.code)!, `fault ${label}`, answer.details);
    case 'delay':
      request.outcome = `fault ${label}`;
      await sleep(answer.ms);
      request.outcome = '';
      return false;
    case 'truncate':
      request.truncateAfter = answer.bytes ?? -1;
      return false;
    case 'reset': {
      request.outcome = `fault ${label}`;
      reply.hijack();
      const socket = request.raw.socket as Socket & { resetAndDestroy?: () => void };
      if (socket.resetAndDestroy) socket.resetAndDestroy();
      else socket.destroy();
      onHijacked(0);
      return true;
    }
    case 'proxy': {
      request.outcome = `fault ${label}`;
      const title = `${answer.status} ${PROXY_REASONS[answer.status]}`;
      reply
        .code(answer.status)
        .header('content-type', 'text/html')
        .header('server', 'nginx')
        .send(
          `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
        );
      return true;
    }
  }
}

/**
 * Sends the status, the headers (with the whole body's Content-Length) and the first part of the
 * body, then destroys the socket: a client sees a response cut short mid-body.
 */
export function sendTruncated(request: FastifyRequest, reply: FastifyReply, payload: unknown): void {
  const cutAt = request.truncateAfter ?? -1;
  reply.hijack();
  const res = reply.raw;
  const headers = reply.getHeaders() as Record<string, string | number | string[]>;
  const end = () => res.socket?.destroy();
  if (typeof payload === 'string' || Buffer.isBuffer(payload)) {
    const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
    const cut = cutAt < 0 ? Math.floor(body.length / 2) : Math.min(cutAt, Math.max(0, body.length - 1));
    res.writeHead(reply.statusCode, { ...headers, 'content-length': String(body.length) });
    res.write(body.subarray(0, cut), end);
    return;
  }
  res.writeHead(reply.statusCode, headers);
  const stream = payload as NodeJS.ReadableStream & { destroy?: () => void };
  const declared = Number(headers['content-length']);
  let left = cutAt >= 0 ? cutAt : Number.isFinite(declared) ? Math.floor(declared / 2) : 1;
  stream.on('data', (chunk: Buffer) => {
    if (left <= 0) return;
    const part = chunk.length > left ? chunk.subarray(0, left) : chunk;
    left -= part.length;
    res.write(part);
    if (left <= 0) {
      stream.destroy?.();
      res.write('', end);
    }
  });
  stream.on('end', end);
}
