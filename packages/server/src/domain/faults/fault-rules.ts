import { FAILURES, type FailureName } from '@bigin-attachments/contract';
import { AppError, PATH_INDEX } from '../errors.js';

/** What a forced answer is. */
export type FaultAnswer =
  /** A documented Bigin error, by failure name or wire code, exactly as the server renders it. */
  | { kind: 'error'; code: string; details?: Record<string, unknown> }
  /** Waits this long (wall-clock: what a client's timeout sees), then answers normally. */
  | { kind: 'delay'; ms: number }
  /** Closes the connection with a TCP reset before any byte of the answer. */
  | { kind: 'reset' }
  /** Sends the real status, headers and Content-Length, then closes after `bytes` of the body. */
  | { kind: 'truncate'; bytes?: number }
  /** A 5xx HTML page such as a load balancer in front of Bigin sends, not Bigin's envelope. */
  | { kind: 'proxy'; status: 502 | 503 | 504 };

export interface FaultMatch {
  dataCenter?: string;
  orgId?: string;
  method?: string;
  /** The path without its query; `*` matches any run of characters. */
  path?: string;
  module?: string;
  /** The access token the request carries (compared with the header's token). */
  token?: string;
}

export interface FaultRuleInput {
  match?: FaultMatch;
  answer: FaultAnswer;
  /** Matching calls let through before the rule starts answering. */
  skip?: number;
  /** How many calls it answers (default 1); null: every matching call. */
  times?: number | null;
  /** Answers a matching call with this probability, drawn from a generator seeded with `seed`. */
  probability?: number;
  seed?: number;
}

export interface FaultRule extends Required<Pick<FaultRuleInput, 'answer'>> {
  id: string;
  match: FaultMatch;
  skip: number;
  times: number | null;
  probability: number;
  seed: number;
  /** Calls that matched, and calls it answered. */
  seen: number;
  fired: number;
}

/** What the request looks like to the rules. */
export interface FaultRequest {
  dataCenter: string | null;
  orgId: string | null;
  method: string;
  path: string;
  module: string | undefined;
  token: string | undefined;
  /**
   * The failures documented for the endpoint the request reached (domain/parity); null off the
   * Bigin API (accounts paths, unknown paths), where only transport faults apply.
   */
  failures: readonly FailureName[] | null;
}

/** Failure details the natural refusal carries, so that a forced one is byte for byte the same. */
const NATURAL_DETAILS: Partial<Record<FailureName, Record<string, unknown>>> = {
  INVALID_MODULE: { resource_path_index: PATH_INDEX.module },
  MODULE_NOT_SUPPORTED: { resource_path_index: PATH_INDEX.module },
  INVALID_RELATED_ID: { resource_path_index: PATH_INDEX.recordId },
  REQUIRED_PARAM_MISSING: { param_name: 'ids' },
  BODY_MANDATORY_NOT_FOUND: { api_name: 'data', json_path: '$.data' },
  DISCRETE_PAGINATION_LIMIT_EXCEEDED: { limit: 2000 },
};

/** A failure name, or the first failure with that wire code. */
export function failureFor(code: string): FailureName | null {
  if (Object.hasOwn(FAILURES, code)) return code as FailureName;
  const found = (Object.keys(FAILURES) as FailureName[]).find((name) => FAILURES[name].code === code);
  return found ?? null;
}

export function forcedError(
  failure: FailureName,
  check: string,
  details?: Record<string, unknown>,
): AppError {
  return new AppError(failure, check, details ?? NATURAL_DETAILS[failure] ?? {});
}

/** Mulberry32: a tiny seeded generator, so that a probabilistic rule repeats run after run. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Why a rule cannot be added, or null. */
export function invalidRule(input: FaultRuleInput): string | null {
  const a = input.answer as FaultAnswer | undefined;
  if (!a || typeof a !== 'object') return 'answer is required';
  switch (a.kind) {
    case 'error':
      if (typeof a.code !== 'string' || !failureFor(a.code))
        return `answer.code ${JSON.stringify(a.code)} is not in the error table (docs/errors.md)`;
      break;
    case 'delay':
      if (!Number.isInteger(a.ms) || a.ms < 0 || a.ms > 600_000) return 'answer.ms must be 0–600000';
      break;
    case 'truncate':
      if (a.bytes !== undefined && (!Number.isInteger(a.bytes) || a.bytes < 0))
        return 'answer.bytes must be a whole number';
      break;
    case 'proxy':
      if (![502, 503, 504].includes(a.status)) return 'answer.status must be 502, 503 or 504';
      break;
    case 'reset':
      break;
    default:
      return 'answer.kind must be error, delay, reset, truncate or proxy';
  }
  if (
    input.times !== undefined &&
    input.times !== null &&
    (!Number.isInteger(input.times) || input.times < 1)
  )
    return 'times must be a whole number ≥ 1, or null for every call';
  if (input.skip !== undefined && (!Number.isInteger(input.skip) || input.skip < 0))
    return 'skip must be a whole number ≥ 0';
  if (input.probability !== undefined && !(input.probability > 0 && input.probability <= 1))
    return 'probability must be in (0, 1]';
  return null;
}

/**
 * The fault rules of this process, in the order they were added; the first rule that matches a
 * call and decides to fire answers it. Rules that name an organisation can only be judged once
 * the caller is authenticated, so each call is offered to the rules twice: before authentication
 * (`stage` 'request', rules without `orgId`) and after it ('principal', rules with one).
 */
export class FaultRules {
  readonly #rules: Array<{ rule: FaultRule; next: () => number }> = [];
  #counter = 0;

  get empty(): boolean {
    return this.#rules.length === 0;
  }

  add(input: FaultRuleInput): FaultRule {
    const rule: FaultRule = {
      id: `f${++this.#counter}`,
      match: { ...input.match },
      answer: input.answer,
      skip: input.skip ?? 0,
      times: input.times === undefined ? 1 : input.times,
      probability: input.probability ?? 1,
      seed: input.seed ?? 1,
      seen: 0,
      fired: 0,
    };
    this.#rules.push({ rule, next: generator(rule.seed) });
    return rule;
  }

  list(): FaultRule[] {
    return this.#rules.map((r) => ({ ...r.rule }));
  }

  remove(id: string): boolean {
    const i = this.#rules.findIndex((r) => r.rule.id === id);
    if (i < 0) return false;
    this.#rules.splice(i, 1);
    return true;
  }

  clear(): void {
    this.#rules.length = 0;
  }

  /** The rule that answers this call, counting the call against every rule it matches. */
  decide(request: FaultRequest, stage: 'request' | 'principal'): FaultRule | null {
    let chosen: FaultRule | null = null;
    for (const { rule, next } of this.#rules) {
      if ((rule.match.orgId !== undefined) !== (stage === 'principal')) continue;
      if (!matches(rule, request)) continue;
      rule.seen++;
      if (chosen) continue;
      if (rule.seen <= rule.skip) continue;
      if (rule.times !== null && rule.fired >= rule.times) continue;
      if (rule.probability < 1 && next() >= rule.probability) continue;
      rule.fired++;
      chosen = rule;
    }
    return chosen;
  }
}

function matches(rule: FaultRule, r: FaultRequest): boolean {
  const m = rule.match;
  if (rule.answer.kind === 'error' && !documentedAt(rule.answer.code, r)) return false;
  if (m.dataCenter !== undefined && m.dataCenter !== r.dataCenter) return false;
  if (m.orgId !== undefined && m.orgId !== r.orgId) return false;
  if (m.method !== undefined && m.method.toUpperCase() !== r.method) return false;
  if (m.module !== undefined && m.module !== r.module) return false;
  if (m.token !== undefined && m.token !== r.token) return false;
  if (m.path !== undefined && !pathMatches(m.path, r.path)) return false;
  return true;
}

/** A forced error is one the endpoint documents: the same code must be able to occur there. */
export function documentedAt(code: string, r: Pick<FaultRequest, 'failures'>): boolean {
  const failure = failureFor(code);
  return failure !== null && r.failures?.includes(failure) === true;
}

const patterns = new Map<string, RegExp>();

function pathMatches(pattern: string, path: string): boolean {
  if (!pattern.includes('*')) return pattern === path;
  let re = patterns.get(pattern);
  if (!re) {
    const body = pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    re = new RegExp(`^${body}$`);
    patterns.set(pattern, re);
  }
  return re.test(path);
}

/** `X-Bigin-Fault` values: a code, `delay=MS`, `reset`, `truncate[=BYTES]`, `proxy[=502|503|504]`. */
export function parseFaultHeader(value: string): FaultAnswer | null {
  const [name = '', arg] = value.trim().split('=', 2);
  const n = arg === undefined ? undefined : Number(arg);
  switch (name.toLowerCase()) {
    case 'delay':
      return n !== undefined && Number.isInteger(n) && n >= 0 && n <= 600_000
        ? { kind: 'delay', ms: n }
        : null;
    case 'reset':
      return { kind: 'reset' };
    case 'truncate':
      return n === undefined
        ? { kind: 'truncate' }
        : Number.isInteger(n) && n >= 0
          ? { kind: 'truncate', bytes: n }
          : null;
    case 'proxy':
      return n === undefined
        ? { kind: 'proxy', status: 502 }
        : n === 502 || n === 503 || n === 504
          ? { kind: 'proxy', status: n }
          : null;
    default:
      return failureFor(name) ? { kind: 'error', code: name } : null;
  }
}

export function describeAnswer(a: FaultAnswer): string {
  switch (a.kind) {
    case 'error':
      return `error ${a.code}`;
    case 'delay':
      return `delay ${a.ms} ms`;
    case 'reset':
      return 'connection reset';
    case 'truncate':
      return `truncate${a.bytes === undefined ? '' : ` after ${a.bytes} bytes`}`;
    case 'proxy':
      return `proxy ${a.status}`;
  }
}
