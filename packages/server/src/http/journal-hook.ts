import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../domain/clock.js';
import { redactBody } from '../domain/journal/redact.js';
import type { RequestJournal } from '../domain/journal/request-journal.js';
import type { DataCenterResolver } from './app.js';
import { redactUrl } from './redact-url.js';

interface Capture {
  at: number;
  chunks: Buffer[] | null;
  bytes: number;
  response: string | null;
  recorded: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The journal's view of this request while it runs; null when the journal is off. */
    journalCapture: Capture | null;
  }
}

const NO_BODY = null;

/**
 * Records each request in the journal when its answer is finished. Bodies are captured as they
 * pass, never buffered ahead of the route: routes read `request.raw` as a stream, so the capture
 * wraps the socket parser's `push` (what Node calls for every body chunk) rather than listening
 * for 'data', which would start the stream flowing before the route reads it.
 */
export function registerJournalHook(
  app: FastifyInstance,
  journal: RequestJournal,
  options: { clock: Clock; bodyBytes: number; resolveDataCenter: DataCenterResolver },
): void {
  const { clock, bodyBytes, resolveDataCenter } = options;
  // Room for redaction to shorten what was captured before it is cut to size.
  const captureLimit = bodyBytes * 2;
  app.decorateRequest('journalCapture', null);

  // Callback hooks, not async ones: each async hook costs Fastify a promise and its
  // continuation per request, three times here. This one must also run before any hook that
  // awaits: node:http pushes a body that arrived with the headers right after the request event,
  // and an earlier async hook let it pass uncaptured (the journal showed such bodies as null).
  app.addHook('onRequest', (request, _reply, done) => {
    if (isOwnTraffic(request.url)) return done();
    const capture: Capture = { at: clock.now(), chunks: null, bytes: 0, response: null, recorded: false };
    request.journalCapture = capture;
    if (captureLimit === 0) return done();
    const raw = request.raw;
    const push = raw.push;
    raw.push = function capturingPush(chunk: unknown, encoding?: BufferEncoding) {
      if (chunk !== null && capture.bytes < captureLimit) {
        const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), encoding);
        const room = captureLimit - capture.bytes;
        capture.chunks ??= [];
        capture.chunks.push(buffer.length > room ? buffer.subarray(0, room) : buffer);
        capture.bytes += Math.min(buffer.length, room);
      }
      return push.call(raw, chunk, encoding);
    };
    done();
  });

  app.addHook('onSend', (request, _reply, payload, done) => {
    const capture = request.journalCapture;
    if (capture && captureLimit > 0) {
      if (typeof payload === 'string') capture.response = payload.slice(0, captureLimit);
      else if (Buffer.isBuffer(payload))
        capture.response = payload.subarray(0, captureLimit).toString('utf8');
      else if (payload !== null && payload !== undefined) capture.response = '[stream]';
    }
    done(null, payload);
  });

  app.addHook('onResponse', (request, reply, done) => {
    recordInJournal(journal, request, reply.statusCode, reply.elapsedTime, { bodyBytes, resolveDataCenter });
    done();
  });
}

/**
 * Writes the request's entry, once. Also called by answers that bypass Fastify's reply (a forced
 * connection reset or cut-short body), for which `onResponse` never runs.
 */
export function recordInJournal(
  journal: RequestJournal,
  request: FastifyRequest,
  status: number,
  latencyMs: number,
  options: { bodyBytes: number; resolveDataCenter: DataCenterResolver },
): void {
  const capture = request.journalCapture;
  if (!capture || capture.recorded) return;
  capture.recorded = true;
  const url = request.url;
  const q = url.indexOf('?');
  const requestBody =
    capture.chunks === null
      ? NO_BODY
      : redactBody(Buffer.concat(capture.chunks).toString('utf8'), options.bodyBytes);
  const principal = request.principal;
  journal.add({
    requestId: request.id,
    at: capture.at,
    dataCenter: dataCenterOf(request, options.resolveDataCenter),
    orgId: principal?.orgId ?? null,
    userId: principal?.userId ?? null,
    clientId: clientIdOf(request, requestBody),
    method: request.method,
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? '' : queryOf(redactUrl(url)),
    status,
    code: errorCodeOf(status, capture.response),
    rule: request.outcome || null,
    fault: request.forcedFault ?? null,
    latencyMs: Math.round(latencyMs * 100) / 100,
    requestBody,
    responseBody: capture.response === null ? NO_BODY : redactBody(capture.response, options.bodyBytes),
  });
}

function dataCenterOf(request: FastifyRequest, resolve: DataCenterResolver): string | null {
  try {
    return resolve(request.headers.host);
  } catch {
    return null;
  }
}

const CLIENT_ID = /(?:^|[&?])client_id=([^&]*)/;

/** Zoho Accounts calls name their client in the query or the form body; API calls do not. */
function clientIdOf(request: FastifyRequest, body: string | null): string | null {
  const match = CLIENT_ID.exec(request.url) ?? (body ? CLIENT_ID.exec(body) : null);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]!.replace(/\+/g, ' '));
  } catch {
    return match[1]!;
  }
}

const BIGIN_CODE = /^\{"code":"([A-Z_]+)"/;
const ACCOUNTS_ERROR = /^\{"error":"([a-z_]+)"/;

/**
 * The wire code of an error answer: Bigin's envelope starts with `code` (wire.ts writes it
 * first), Zoho Accounts' with `error`, which it sends with HTTP 200 too.
 */
function errorCodeOf(status: number, body: string | null): string | null {
  if (body === null) return null;
  if (status >= 400) {
    const bigin = BIGIN_CODE.exec(body);
    if (bigin) return bigin[1]!;
  }
  const accounts = ACCOUNTS_ERROR.exec(body);
  return accounts ? accounts[1]! : null;
}

/** The query string of a URL that has one. */
function queryOf(url: string): string {
  return url.slice(url.indexOf('?') + 1);
}

/**
 * The test tool's own traffic, not Bigin's: the admin API, the console and its assets, the
 * probes, metrics, the OpenAPI document and the docs page at `/`. Unknown paths are journaled:
 * their 404 is an answer Bigin gives too.
 */
const OWN_PREFIXES = ['/_admin', '/_console'];
const OWN_PATHS = new Set(['/', '/health', '/ready', '/metrics', '/openapi.json']);
export function isOwnTraffic(url: string): boolean {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  return OWN_PATHS.has(path) || OWN_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}
