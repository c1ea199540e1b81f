import { randomUUID } from 'node:crypto';
import { DATA_CENTER_IDS, type DataCenterId } from '@bigin-attachments/contract';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from '../config/schema.js';
import type { Clock } from '../domain/clock.js';
import { createNotifyUrlGuard } from '../notifications/notify-url-guard.js';
import type { Stores } from '../storage/create-stores.js';
import { createDataCenterResolver, DataCenterDirectory } from './data-center.js';
import { drainUnreadBody } from './discard-body.js';
import {
  answerConnect,
  clientErrorHandler,
  frameworkErrors,
  registerErrorHandling,
  routeEveryMethod,
} from './error-handler.js';
import { type Instruments, registerInstruments } from './instruments.js';
import { logRedaction } from './log-redaction.js';
import { ServerMetrics } from './ops/metrics.js';
import { collectRoutes } from './ops/openapi.js';
import { createOpsState, type OpsState, registerOpsRoutes } from './ops/ops-routes.js';
import { installationPageTokenKey } from './page-token-key.js';
import { RequestLogController } from './request-log.js';
import { registerAccountsRoutes } from './routes/accounts.js';
import { registerAttachmentRoutes } from './routes/attachments.js';
import { registerDirectoryRoutes } from './routes/directory.js';
import { registerPhotoRoutes } from './routes/photos.js';
import { registerRecordRoutes } from './routes/records.js';
import { SignInThrottle } from './routes/sign-in-throttle.js';
import { registerWatchRoutes } from './routes/watch.js';
import { DEFAULT_HTTP_TIMEOUTS, fastifyTimeouts, nodeTimeouts } from './timeouts.js';
import { registerTokenResetHeader } from './wire.js';

export type DataCenterResolver = (host: string | undefined) => DataCenterId;

export interface AppDeps {
  stores: Stores;
  clock: Clock;
  /** Where JSON log lines go; standard output by default. */
  logStream?: NodeJS.WritableStream;
  /** Served data centers and their public URLs; default: all, at the real Zoho URLs. */
  dataCenters?: DataCenterDirectory;
  /** PEM certificate and key: serve HTTPS. */
  tls?: { cert: Buffer; key: Buffer };
  /** Shared by every port of the process, so that more ports do not mean more password guesses. */
  signInThrottle?: SignInThrottle;
  /** The process's journal, fault rules and API limits (one set for every data center's app). */
  instruments?: Instruments;
  /** Readiness and metrics shared by every port of the process; a fresh set by default. */
  ops?: OpsState;
}

/** How much of an unread body, beyond the upload limit, is read and dropped before an answer; past it the connection is closed. */
const UNREAD_BODY_SLACK = 1024 * 1024;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Builds the HTTP application. Never listens and never reads the environment. */
export function buildApp(
  config: Pick<
    Config,
    'logLevel' | 'defaultDataCenter' | 'httpMaxHeaderSize' | 'uploadMaxBytes' | 'notifications' | 'host'
  > &
    Partial<Pick<Config, 'metricsAccess' | 'httpTimeouts'>>,
  deps: AppDeps,
): FastifyInstance {
  const timeouts = config.httpTimeouts ?? DEFAULT_HTTP_TIMEOUTS;
  const app = Fastify({
    ...(deps.tls ? { https: deps.tls } : {}),
    logger: {
      level: config.logLevel,
      ...logRedaction,
      ...(deps.logStream ? { stream: deps.logStream } : {}),
    },
    logController: new RequestLogController(),
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    exposeHeadRoutes: false,
    // Ids that are too long must reach the domain (INVALID_DATA), not fail routing.
    routerOptions: { maxParamLength: config.httpMaxHeaderSize },
    http: { maxHeaderSize: config.httpMaxHeaderSize, ...nodeTimeouts(timeouts) },
    ...fastifyTimeouts(timeouts),
    // Close idle keep-alive sockets on shutdown; in-flight requests still finish.
    forceCloseConnections: 'idle',
    frameworkErrors,
    clientErrorHandler,
  });

  // Before any route, so that the OpenAPI document sees every one, whoever registers it.
  const routes = collectRoutes(app);
  routeEveryMethod(app);
  app.server.on('connect', answerConnect(app));
  app.decorateRequest('outcome', '');
  // Hooks on every request are callback hooks where they need no await: an async hook costs
  // Fastify a promise and a continuation per request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });

  // Bodies are read by the routes that need them, as streams; nothing is parsed up front, so a
  // body on a DELETE cannot fail the request.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  app.addHook('onSend', (request, reply, payload, done) => {
    // Nearly every request has no body left to drain (drainUnreadBody would answer at once).
    if (request.raw.complete || request.raw.destroyed) return done(null, payload);
    void drainUnreadBody(request.raw, config.uploadMaxBytes + UNREAD_BODY_SLACK, timeouts.drainMs).then(
      (drained) => {
        if (!drained) reply.header('connection', 'close');
        done(null, payload);
      },
    );
  });

  registerErrorHandling(app);
  registerTokenResetHeader(app, (orgId, userId) =>
    deps.stores.metadata.attachmentCatalog.userTimeZone(orgId, userId),
  );
  // `defaultDataCenter` is the data center of the port this app listens on.
  const directory = deps.dataCenters ?? new DataCenterDirectory(DATA_CENTER_IDS);
  const resolveDataCenter = createDataCenterResolver(config.defaultDataCenter, directory);
  registerInstruments(app, deps.instruments, resolveDataCenter);
  registerAttachmentRoutes(app, {
    metadata: deps.stores.metadata,
    blobs: deps.stores.blobs,
    clock: deps.clock,
    resolveDataCenter,
    uploadMaxBytes: config.uploadMaxBytes,
  });
  registerPhotoRoutes(app, {
    metadata: deps.stores.metadata,
    blobs: deps.stores.blobs,
    clock: deps.clock,
    resolveDataCenter,
  });
  registerRecordRoutes(app, {
    metadata: deps.stores.metadata,
    clock: deps.clock,
    resolveDataCenter,
    pageTokenKey: installationPageTokenKey(deps.stores.metadata.secrets),
  });
  registerWatchRoutes(app, {
    metadata: deps.stores.metadata,
    clock: deps.clock,
    resolveDataCenter,
    settings: config.notifications,
    guard: createNotifyUrlGuard(config.notifications, config.host),
  });
  registerDirectoryRoutes(app, { metadata: deps.stores.metadata, clock: deps.clock, resolveDataCenter });
  registerAccountsRoutes(app, {
    oauth: deps.stores.metadata.oauth,
    clock: deps.clock,
    directory,
    portDataCenter: config.defaultDataCenter,
    secure: deps.tls !== undefined,
    signInThrottle: deps.signInThrottle ?? new SignInThrottle(deps.clock),
  });

  registerOpsRoutes(app, {
    stores: deps.stores,
    ops: deps.ops ?? createOpsState(config, new ServerMetrics()),
    routes,
  });
  return app;
}
