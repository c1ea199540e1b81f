import { type IncomingMessage, METHODS, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errors } from '../domain/errors.js';
import { isStoreOutage, OUTAGE_RETRY_AFTER_SECONDS } from './store-outage.js';
import { errorBody, JSON_CONTENT_TYPE, sendError } from './wire.js';

/**
 * The one place that turns failures into responses. Domain refusals carry their status and
 * body; anything else is an INTERNAL_ERROR whose cause goes to the log and never to the client.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  const handle = (error: FastifyError | AppError | Error, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) {
      if (error.failure === 'INTERNAL_ERROR') {
        request.log.error({ err: error.cause ?? error }, 'internal error');
        if (isStoreOutage(error.cause)) reply.header('retry-after', String(OUTAGE_RETRY_AFTER_SECONDS));
      }
      return sendError(reply, error);
    }
    request.log.error({ err: error }, 'unexpected error');
    if (isStoreOutage(error)) reply.header('retry-after', String(OUTAGE_RETRY_AFTER_SECONDS));
    return sendError(reply, errors.internal(error));
  };
  app.setErrorHandler(recoveringBodyRefusals(handle));
  app.setNotFoundHandler((_request, reply) => sendError(reply, errors.urlPattern()));
}

/**
 * Fastify refuses some requests by their Content-Type before the route runs: a QUERY without one
 * (RFC 10008), or one it cannot parse (415). This server reads every body itself, in the route, so
 * those requests are answered by the route as any other would be (a QUERY as a PATCH: the method
 * is not served), never as a framework error.
 */
function isBodyRefusedBeforeRouting(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return (
    typeof code === 'string' &&
    (code === 'FST_ERR_ROUTE_MISSING_CONTENT_TYPE' || code.startsWith('FST_ERR_CTP_'))
  );
}

type Handle = (error: Error, request: FastifyRequest, reply: FastifyReply) => unknown;

/** Wraps a scope's error handler so that Fastify's early body refusals reach the route instead. */
export function recoveringBodyRefusals(handle: Handle): Handle {
  const wrapped: Handle = (error, request, reply) =>
    isBodyRefusedBeforeRouting(error) ? rerunRoute(request, reply, handle) : handle(error, request, reply);
  return wrapped;
}

async function rerunRoute(request: FastifyRequest, reply: FastifyReply, handle: Handle): Promise<unknown> {
  const handler = request.routeOptions.handler as (
    this: FastifyInstance,
    request: FastifyRequest,
    reply: FastifyReply,
  ) => unknown;
  try {
    return await handler.call(request.server, request, reply);
  } catch (error) {
    // The route's own refusal; a body error again cannot recur, so this does not loop.
    if (isBodyRefusedBeforeRouting(error)) return sendError(reply, errors.urlPattern());
    return handle(error as Error, request, reply);
  }
}

/** Fastify's own routing failures (undecodable URL, over-long parameter) are bad URLs too. */
export function frameworkErrors(_error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  sendError(reply, errors.urlPattern());
}

/**
 * Requests too malformed to reach Fastify (bad request line, oversized headers). The socket gets
 * a complete response in the documented envelope and is closed.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const appError = error.code === 'HPE_INVALID_METHOD' ? errors.requestMethod() : errors.urlPattern();
  const body = errorBody(appError);
  const reason = appError.status === 404 ? 'Not Found' : 'Bad Request';
  socket.end(
    `HTTP/1.1 ${appError.status} ${reason}\r\nContent-Type: ${JSON_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * Node hands a CONNECT request to the server's `connect` listeners instead of routing it, and
 * closes the socket with no answer when there is none. This server is no proxy: CONNECT is answered
 * as PATCH is on the same path (INVALID_REQUEST_METHOD on an API path, INVALID_URL_PATTERN
 * elsewhere), and the connection is closed. Any body is not read.
 */
export function answerConnect(app: FastifyInstance) {
  return (req: IncomingMessage, socket: Duplex): void => {
    socket.on('error', () => socket.destroy());
    const url = req.url ?? '';
    const send = (status: number, type: string, body: string) => {
      const reason = STATUS_CODES[status] ?? 'Error';
      socket.end(
        `HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    };
    if (!url.startsWith('/')) {
      const error = errors.urlPattern();
      send(error.status, JSON_CONTENT_TYPE, errorBody(error));
      return;
    }
    const headers: Record<string, string> = {};
    if (typeof req.headers.host === 'string') headers.host = req.headers.host;
    app
      .inject({ method: 'PATCH', url, headers })
      .then((res) => send(res.statusCode, String(res.headers['content-type'] ?? JSON_CONTENT_TYPE), res.body))
      .catch(() => socket.destroy());
  };
}

/**
 * Fastify routes only the methods it knows (GET … QUERY); any other method Node parses (WebDAV's,
 * PURGE, …) would miss `app.all` routes and get the 404 of an unknown path. Registering them all,
 * bodyless, lets each path answer them as it answers PATCH. CONNECT is Node's (see answerConnect).
 */
export function routeEveryMethod(app: FastifyInstance): void {
  const known = new Set(app.supportedMethods);
  for (const method of METHODS) if (method !== 'CONNECT' && !known.has(method)) app.addHttpMethod(method);
}
