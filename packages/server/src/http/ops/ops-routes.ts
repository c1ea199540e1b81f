import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Stores } from '../../storage/create-stores.js';
import { SERVER_VERSION } from '../../version.js';
import { isLoopback } from '../request-context.js';
import { JSON_CONTENT_TYPE } from '../wire.js';
import { type DevOrganizationSummary, renderIndexPage } from './index-page.js';
import { ServerMetrics } from './metrics.js';
import { buildOpenApiDocument, type RegisteredRoute } from './openapi.js';

/** What every port of one process shares for operations: the metrics and whether it is draining. */
export interface OpsState {
  metrics: ServerMetrics;
  /** Set when shutdown begins: readiness turns false so load balancers stop sending work. */
  draining: boolean;
  /** Who may read `/metrics`: `loopback` (the default), `any`, or `off`. */
  metricsAccess: 'loopback' | 'any' | 'off';
  /** Each store check gives up after this long. */
  readyTimeoutMs: number;
  /** Shown on the page at `/` once the server knows it. */
  devOrganization: DevOrganizationSummary | null;
}

const ERROR_CODE = /^\{"(?:code|error)":"([A-Za-z_]{1,64})"/;

/** Resolves with `null` when `check` passed, or the reason it failed or took too long. */
async function probe(check: () => Promise<void>, timeoutMs: number): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  try {
    return await Promise.race([
      check().then(
        () => null,
        (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const routeOf = (request: FastifyRequest) => request.routeOptions.url ?? 'unmatched';

/**
 * `/health` (the process answers), `/ready` (it can serve: both stores answer, and it is not
 * shutting down) and `/metrics` (Prometheus; loopback only unless METRICS_ACCESS says otherwise,
 * since route and error counts tell an outsider more than a stand-in should).
 */
export function registerOpsRoutes(
  app: FastifyInstance,
  deps: { stores: Stores; ops: OpsState; routes: RegisteredRoute[] },
): void {
  const { ops, stores } = deps;
  const { metrics } = ops;

  // Callback hooks: on every request, and an async hook costs a promise and a continuation each.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (reply.statusCode >= 400 && typeof payload === 'string') {
      const match = ERROR_CODE.exec(payload);
      if (match) reply.metricsCode = match[1]!;
    }
    done(null, payload);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = routeOf(request);
    metrics.requests.inc({
      route,
      method: request.method,
      status: String(reply.statusCode),
      code: reply.metricsCode ?? '',
    });
    metrics.latency.observe({ route, method: request.method }, reply.elapsedTime / 1000);
    done();
  });
  app.decorateReply('metricsCode', undefined);

  app.get('/health', async (request, reply) => {
    request.outcome = 'health';
    return reply.header('content-type', JSON_CONTENT_TYPE).send('{"status":"ok"}');
  });

  app.get('/ready', async (request, reply) => {
    request.outcome = 'ready';
    const [metadata, blobs] = await Promise.all([
      probe(() => stores.metadata.ping(), ops.readyTimeoutMs),
      probe(() => stores.blobs.ping(), ops.readyTimeoutMs),
    ]);
    const ready = !ops.draining && metadata === null && blobs === null;
    metrics.ready.set(ready ? 1 : 0);
    const body = {
      status: ready ? 'ready' : ops.draining ? 'draining' : 'unavailable',
      checks: {
        metadata: metadata === null ? 'ok' : metadata,
        blobs: blobs === null ? 'ok' : blobs,
      },
    };
    return reply
      .code(ready ? 200 : 503)
      .header('content-type', JSON_CONTENT_TYPE)
      .header('cache-control', 'no-store')
      .send(JSON.stringify(body));
  });

  // Built on first request, when every route is registered.
  let document: Record<string, unknown> | undefined;
  const openApi = () => (document ??= buildOpenApiDocument(deps.routes, { version: SERVER_VERSION }));
  const baseUrl = (request: FastifyRequest) =>
    `${request.protocol}://${request.headers.host ?? request.hostname}`;

  app.get('/openapi.json', async (request, reply) => {
    request.outcome = 'openapi';
    return reply.header('content-type', JSON_CONTENT_TYPE).send(JSON.stringify(openApi()));
  });

  app.get('/', async (request, reply) => {
    request.outcome = 'index page';
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
      .send(renderIndexPage(openApi(), { baseUrl: baseUrl(request), dev: ops.devOrganization }));
  });

  if (ops.metricsAccess === 'off') return;
  app.get('/metrics', async (request, reply) => {
    request.outcome = 'metrics';
    if (ops.metricsAccess === 'loopback' && !isLoopback(request.socket.remoteAddress)) {
      request.outcome = 'metrics: not loopback';
      return reply
        .code(403)
        .header('content-type', JSON_CONTENT_TYPE)
        .send('{"status":"error","message":"metrics are served to loopback only; see METRICS_ACCESS"}');
    }
    return reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}

declare module 'fastify' {
  interface FastifyReply {
    /** The Bigin or OAuth error code of a refusal, for the request counter. */
    metricsCode: string | undefined;
  }
}

export function createOpsState(
  config: { metricsAccess?: OpsState['metricsAccess'] } = {},
  metrics: ServerMetrics = new ServerMetrics(),
): OpsState {
  return {
    metrics,
    draining: false,
    metricsAccess: config.metricsAccess ?? 'loopback',
    readyTimeoutMs: 2000,
    devOrganization: null,
  };
}
