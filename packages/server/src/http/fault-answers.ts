import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type FaultAnswer, failureFor, forcedError } from '../domain/faults/fault-rules.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The forced fault that decided (or is shaping) this answer, for the journal. */
    forcedFault: string | null;
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
      armTruncation(reply, answer.bytes ?? -1, onHijacked);
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
 * Arms a cut: the answer is rendered and sent as usual (status, headers, the whole body's
 * Content-Length), but once `bytes` of the body (-1: half of it) have gone out, the socket is
 * destroyed, so that a client sees a response cut short mid-body. Works below Fastify, on the
 * response's own write and end, so that JSON bodies and streamed downloads are cut alike.
 */
export function armTruncation(reply: FastifyReply, bytes: number, onCut: (status: number) => void): void {
  const res = reply.raw;
  const write = res.write.bind(res) as (chunk: unknown, cb?: () => void) => boolean;
  const end = res.end.bind(res) as (chunk?: unknown) => unknown;
  let left: number | null = null;
  let cut = false;
  // A body sent whole (a buffer) declares its length in writeHead, not through setHeader: then
  // half of that one chunk is half of the body.
  const remaining = (first: Buffer | undefined): number => {
    if (left === null) {
      const declared = Number(res.getHeader('content-length'));
      left =
        bytes >= 0
          ? bytes
          : Number.isFinite(declared)
            ? Math.floor(declared / 2)
            : first && first.length > 1
              ? Math.floor(first.length / 2)
              : 1;
    }
    return left;
  };
  const take = (chunk: unknown): boolean => {
    if (cut) return false;
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer | undefined);
    const room = remaining(buffer);
    if (buffer && buffer.length < room) {
      left = room - buffer.length;
      write(buffer);
      return true;
    }
    cut = true;
    const part = buffer ? buffer.subarray(0, room) : Buffer.alloc(0);
    // The callback runs once the bytes are handed to the socket, so destroying then loses none.
    write(part, () => res.socket?.destroy());
    onCut(res.statusCode);
    return false;
  };
  res.write = ((chunk: unknown) => take(chunk) || true) as typeof res.write;
  res.end = ((chunk?: unknown) => {
    if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') take(chunk);
    else if (!cut) take(Buffer.alloc(0));
    return res;
  }) as typeof res.end;
  void end;
}
