import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/schema.js';
import type { Clock } from '../domain/clock.js';
import {
  ApiLimits,
  batchCost,
  isBatchWrite,
  isTagBatch,
  tagBatchCost,
  upfrontCost,
} from '../domain/credits/credit-policy.js';
import {
  describeAnswer,
  documentedAt,
  type FaultAnswer,
  FaultRules,
  parseFaultHeader,
} from '../domain/faults/fault-rules.js';
import { RequestJournal } from '../domain/journal/request-journal.js';
import type { Principal } from '../domain/model.js';
import { failuresOf } from '../domain/parity/endpoint-answers.js';
import type { Stores } from '../storage/create-stores.js';
import { LimitsDirectory } from './api-limits-directory.js';
import type { DataCenterResolver } from './app.js';
import { applyFault } from './fault-answers.js';
import { recordInJournal, registerJournalHook } from './journal-hook.js';

/**
 * The test-tool machinery of one process, shared by every data center's app: the request
 * journal, the fault rules, and Bigin's API credits and concurrency.
 */
export interface Instruments {
  clock: Clock;
  journal: RequestJournal | null;
  faults: FaultRules;
  limits: ApiLimits;
  limitsDirectory: LimitsDirectory;
  bodyBytes: number;
  faultHeader: boolean;
}

export function createInstruments(
  config: Pick<Config, 'journal' | 'faultHeader' | 'apiLimits'>,
  clock: Clock,
  stores: Stores,
): Instruments {
  return {
    clock,
    journal: config.journal.enabled ? new RequestJournal(clock, config.journal) : null,
    faults: new FaultRules(),
    limits: new ApiLimits(stores.metadata.apiCredits, clock),
    limitsDirectory: new LimitsDirectory(stores.metadata.apiCredits, config.apiLimits === 'on'),
    bodyBytes: config.journal.bodyBytes,
    faultHeader: config.faultHeader,
  };
}

/** Runs after authentication and before the endpoint; true when it has answered. */
type PrincipalGate = (request: FastifyRequest, reply: FastifyReply, principal: Principal) => Promise<boolean>;

const gates = new WeakMap<FastifyInstance, PrincipalGate>();

/** The gate the route table runs between authentication and the endpoint, if any. */
export function principalGate(app: FastifyInstance): PrincipalGate | undefined {
  return gates.get(app);
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller of an API call, once the route table has authenticated it. */
    principal: Principal | null;
  }
}

const FAULT_HEADER = 'x-bigin-fault';

/** Registers the journal, fault and limit hooks on one app. */
export function registerInstruments(
  app: FastifyInstance,
  instruments: Instruments | undefined,
  resolveDataCenter: DataCenterResolver,
): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('forcedFault', null);
  if (!instruments) return;
  const { journal, faults, limits, limitsDirectory, bodyBytes, faultHeader } = instruments;
  const journalOptions = { bodyBytes, resolveDataCenter };
  if (journal) registerJournalHook(app, journal, { clock: instruments.clock, ...journalOptions });
  // Answers cut below Fastify (a reset, a truncated body) never reach onResponse.
  const hijacked = (request: FastifyRequest, reply: FastifyReply) => (status: number) => {
    if (journal) recordInJournal(journal, request, status, reply.elapsedTime, journalOptions);
  };

  const faultRequest = (request: FastifyRequest, orgId: string | null) => {
    const url = request.url;
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const auth = request.headers.authorization;
    const params = request.params as { module?: string } | undefined;
    return {
      dataCenter: safeDataCenter(resolveDataCenter, request.headers.host),
      orgId,
      method: request.method,
      path,
      module: params?.module,
      token: typeof auth === 'string' ? auth.slice(auth.indexOf(' ') + 1) : undefined,
      failures: failuresOf(request.method, request.routeOptions.url),
    };
  };

  // Callback hooks with the common case answered at once (no fault to force, nothing to charge):
  // an async hook costs a promise and a continuation on every request.
  app.addHook('onRequest', (request, reply, done) => {
    // The admin API and the health probe are the test tool's own, never faulted.
    if (request.url.startsWith('/_admin') || request.url === '/health') return done();
    if (faults.empty && !(faultHeader && typeof request.headers[FAULT_HEADER] === 'string')) return done();
    forceFault(request, reply).then(() => done(), done);
  });

  const forceFault = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    let answer: FaultAnswer | null = null;
    let label = '';
    const header = faultHeader ? request.headers[FAULT_HEADER] : undefined;
    if (typeof header === 'string') {
      answer = parseFaultHeader(header);
      // A code the endpoint does not document is ignored (docs/faults.md), as a rule would skip it.
      if (answer?.kind === 'error' && !documentedAt(answer.code, faultRequest(request, null))) answer = null;
      label = `header ${header}`;
    } else if (!faults.empty) {
      const rule = faults.decide(faultRequest(request, null), 'request');
      if (rule) {
        answer = rule.answer;
        label = `${rule.id} ${describeAnswer(rule.answer)}`;
      }
    }
    if (answer) await applyFault(request, reply, answer, label, hijacked(request, reply));
  };

  app.addHook('onSend', (request, _reply, payload, done) => {
    if (!admitted.has(request)) return done(null, payload);
    chargeBatch(request, payload).then(() => done(null, payload), done);
  });

  const chargeBatch = async (request: FastifyRequest, payload: unknown): Promise<void> => {
    const charged = admitted.get(request);
    if (charged && isBatchWrite(request.method, request.routeOptions.url) && typeof payload === 'string') {
      const records = countBatch(payload);
      if (records > 0) await limits.chargeRest(charged, batchCost(records) - 1);
    } else if (
      charged &&
      isTagBatch(request.method, request.routeOptions.url) &&
      typeof payload === 'string'
    ) {
      const records = countBatch(payload);
      if (records > 0) await limits.chargeRest(charged, tagBatchCost(records) - 1);
    }
  };

  const admitted = new WeakMap<FastifyRequest, string>();
  gates.set(app, async (request, reply, principal) => {
    if (!faults.empty) {
      const rule = faults.decide(faultRequest(request, principal.orgId), 'principal');
      if (
        rule &&
        (await applyFault(
          request,
          reply,
          rule.answer,
          `${rule.id} ${describeAnswer(rule.answer)}`,
          hijacked(request, reply),
        ))
      )
        return true;
    }
    const pending = limitsDirectory.limitsFor(principal.orgId);
    const orgLimits = pending instanceof Promise ? await pending : pending;
    if (!orgLimits) return false;
    const cost = upfrontCost(
      request.method,
      request.routeOptions.url,
      request.query as Record<string, unknown>,
    );
    await limits.admit(principal.orgId, orgLimits, cost);
    admitted.set(request, principal.orgId);
    // 'close' comes once the answer is sent or the client has gone, whichever happens.
    reply.raw.once('close', () => limits.release(principal.orgId));
    return false;
  });
}

function safeDataCenter(resolve: DataCenterResolver, host: string | undefined): string | null {
  try {
    return resolve(host);
  } catch {
    return null;
  }
}

/** Records in a batch answer (`{"data":[…]}`), one result per record. */
function countBatch(payload: string): number {
  try {
    const body = JSON.parse(payload) as { data?: unknown };
    return Array.isArray(body.data) ? body.data.length : 0;
  } catch {
    return 0;
  }
}
