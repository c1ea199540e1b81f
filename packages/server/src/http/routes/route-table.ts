import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type AuthenticateDeps, authenticate } from '../../domain/authenticate.js';
import { errors } from '../../domain/errors.js';
import type { Principal } from '../../domain/model.js';
import type { DataCenterResolver } from '../app.js';
import { principalGate } from '../instruments.js';
import { singleAuthorizationHeader } from '../request-context.js';

export type MethodHandler = (
  request: FastifyRequest,
  reply: FastifyReply,
  principal: Principal,
) => Promise<unknown>;

/**
 * Registers API paths in the order the decision table checks them: each path is registered for
 * every method, so that a known path with a method it does not serve answers
 * INVALID_REQUEST_METHOD (row 2) rather than a 404; `checkPath` may refuse the path itself (row
 * 1) first; then the caller is authenticated (rows 3–4) and the method's handler runs.
 */
export function createRouteTable(
  app: FastifyInstance,
  deps: AuthenticateDeps & { resolveDataCenter: DataCenterResolver },
) {
  const authDeps = { auth: deps.auth, clock: deps.clock };
  return (
    url: string,
    methods: Record<string, MethodHandler>,
    checkPath: (request: FastifyRequest) => void = () => {},
  ) =>
    // `config.methods`: the methods this path really serves, for the OpenAPI document.
    app.all(url, { config: { methods: Object.keys(methods) } }, async (request, reply) => {
      checkPath(request);
      const handler = methods[request.method];
      if (!handler) throw errors.requestMethod();
      const principal = await authenticate(
        authDeps,
        singleAuthorizationHeader(request),
        deps.resolveDataCenter(request.headers.host),
      );
      request.outcome = 'success';
      request.principal = principal;
      const gate = principalGate(app);
      if (gate && (await gate(request, reply, principal))) return reply;
      return handler(request, reply, principal);
    });
}
