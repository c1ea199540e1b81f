import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type AuthenticateDeps, authenticate } from '../../domain/authenticate.js';
import { errors } from '../../domain/errors.js';
import type { Principal } from '../../domain/model.js';
import { type ApiVersion, V2 } from '../api-version.js';
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
 *
 * `version` (api-version.ts) is where v1 and v2 differ: handlers always see v2 module names in
 * `params.module` and `params.related`, and a principal whose scopes read as v2's.
 */
export function createRouteTable(
  app: FastifyInstance,
  deps: AuthenticateDeps & { resolveDataCenter: DataCenterResolver; version?: ApiVersion },
) {
  const authDeps = { auth: deps.auth, clock: deps.clock };
  const version = deps.version ?? V2;
  return (
    url: string,
    methods: Record<string, MethodHandler>,
    checkPath: (request: FastifyRequest) => void = () => {},
  ) =>
    // `config.methods`: the methods this path really serves, for the OpenAPI document.
    app.all(url, { config: { methods: Object.keys(methods) } }, async (request, reply) => {
      const params = request.params as Record<string, string | undefined>;
      let unknownModule = false;
      for (const key of ['module', 'related'] as const) {
        const given = params[key];
        if (given === undefined) continue;
        const name = version.moduleName(given);
        if (name !== null) params[key] = name;
        // A related list this version does not name does not exist; a module is checked after the token.
        else if (key === 'related') throw errors.urlPattern();
        else unknownModule = true;
      }
      checkPath(request);
      const handler = methods[request.method];
      if (!handler) throw errors.requestMethod();
      const authenticated = await authenticate(
        authDeps,
        singleAuthorizationHeader(request),
        deps.resolveDataCenter(request.headers.host),
      );
      if (unknownModule) throw errors.unknownModule();
      const scopes = version.scopes(authenticated.scopes);
      const principal = scopes === authenticated.scopes ? authenticated : { ...authenticated, scopes };
      request.outcome = 'success';
      request.principal = principal;
      const gate = principalGate(app);
      if (gate && (await gate(request, reply, principal))) return reply;
      return handler(request, reply, principal);
    });
}
