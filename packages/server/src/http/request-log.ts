import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { redactUrl } from './redact-url.js';

const truncate = (url: string) => (url.length > 512 ? `${url.slice(0, 512)}…` : url);

/**
 * One log line per request, written when the response is finished, naming the rule that decided
 * the answer (`check`), so an operator can see why a call was refused. Fastify's separate
 * "incoming request" line is dropped.
 */
export class RequestLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const line = {
      method: request.method,
      url: truncate(redactUrl(request.url)),
      statusCode: reply.statusCode,
      check: request.outcome || undefined,
      ms: Math.round(reply.elapsedTime * 100) / 100,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request');
  }
}
