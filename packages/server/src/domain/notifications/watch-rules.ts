import {
  type DataCenterId,
  findDataCenter,
  findModule,
  type ItemResult,
  type ModuleApiName,
} from '@bigin-attachments/contract';
import { AppError, errors } from '../errors.js';
import { formatId } from '../ids.js';
import type { Principal } from '../model.js';
import type { WatchEvent, WatchOperation } from '../ports.js';

/** Most channels one PUT (and, here, any write) may carry (Bigin's documented PUT limit). */
export const MAX_CHANNELS_PER_CALL = 100;
/** `channel_expiry` may be at most one day ahead (Bigin; Zoho CRM allows a week). */
export const MAX_EXPIRY_MS = 86_400_000;
export const MAX_TOKEN_LENGTH = 50;

export type WatchAction = 'CREATE' | 'READ' | 'UPDATE' | 'DELETE';

/** The scopes the v2 notification pages list per operation (reference §12). */
const SCOPES: Record<WatchAction, string[]> = {
  CREATE: ['all', 'write', 'create'],
  READ: ['all', 'read'],
  UPDATE: ['all', 'write', 'update'],
  DELETE: ['all', 'delete'],
};

export function authorizeWatch(principal: Principal, action: WatchAction): void {
  if (!SCOPES[action].some((s) => principal.scopes.has(`zohobigin.notifications.${s}`)))
    throw errors.scopeMismatch();
}

/**
 * Module ids: org-prefixed constants (the recorded suffixes for Contacts, Accounts, Pipelines and
 * Products; the others follow the same numbering, D-row in docs/notifications.md).
 */
const MODULE_SEQUENCE: Record<ModuleApiName, number> = {
  Accounts: 2177,
  Contacts: 2179,
  Pipelines: 2181,
  Tasks: 2183,
  Events: 2185,
  Calls: 2187,
  Notes: 2189,
  Products: 2213,
};

export function moduleResource(dataCenter: DataCenterId, idPrefix: string, module: ModuleApiName) {
  return {
    // `/bigin/v1/` even on v2 calls, as recorded, on the real API domain of the data center.
    resource_uri: `${findDataCenter(dataCenter).apiDomain}/bigin/v1/${module}`,
    resource_id: formatId(idPrefix, MODULE_SEQUENCE[module]),
    resource_name: module,
  };
}

export const watchErrors = {
  bodyNotObject: () => new AppError('INVALID_JSON_BODY', 'watch body: not an object'),
  watchMissing: () =>
    new AppError('BODY_MANDATORY_NOT_FOUND', 'watch body-watch', { api_name: 'watch', json_path: '$.watch' }),
  watchNotArray: () =>
    new AppError('INVALID_DATA', 'watch body-watch', {
      api_name: 'watch',
      json_path: '$.watch',
      expected_data_type: 'jsonarray',
    }),
  watchEmpty: () =>
    new AppError('INVALID_DATA', 'watch body-watch-empty', { api_name: 'watch', json_path: '$.watch' }),
  tooMany: () =>
    new AppError('WATCH_LIMIT_EXCEEDED', 'watch limit', {
      limit: MAX_CHANNELS_PER_CALL,
      json_path: '$.watch',
    }),
  paramMissing: (param: string) =>
    new AppError('REQUIRED_PARAM_MISSING', `watch param-missing: ${param}`, { param_name: param }),
  invalidParam: (param: string) =>
    new AppError('INVALID_DATA', `watch param: ${param}`, { param_name: param }),
  tooManyIds: () =>
    new AppError('WATCH_LIMIT_EXCEEDED', 'watch ids-limit', {
      limit: MAX_CHANNELS_PER_CALL,
      param_name: 'channel_ids',
    }),
};

/** The `watch` array of a body, refused as a whole when it is not a 1–100 item array. */
export function watchItems(body: unknown): unknown[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw watchErrors.bodyNotObject();
  const watch = (body as { watch?: unknown }).watch;
  if (watch === undefined || watch === null) throw watchErrors.watchMissing();
  if (!Array.isArray(watch)) throw watchErrors.watchNotArray();
  if (watch.length === 0) throw watchErrors.watchEmpty();
  if (watch.length > MAX_CHANNELS_PER_CALL) throw watchErrors.tooMany();
  return watch;
}

export const watchItem = {
  mandatory: (key: string, i: number): ItemResult => ({
    code: 'MANDATORY_NOT_FOUND',
    details: { api_name: key, json_path: `$.watch[${i}].${key}` },
    message: 'required field not found',
    status: 'error',
  }),
  invalid: (key: string, i: number): ItemResult => ({
    code: 'INVALID_DATA',
    details: { api_name: key, json_path: `$.watch[${i}].${key}` },
    message: 'invalid data',
    status: 'error',
  }),
  noPermission: (key: string, i: number): ItemResult => ({
    code: 'NO_PERMISSION',
    details: { api_name: key, json_path: `$.watch[${i}].${key}` },
    message: 'permission denied',
    status: 'error',
  }),
  unknownChannel: (channelId: string): ItemResult => ({
    code: 'INVALID_DATA',
    details: { channel_id: channelId },
    message: 'the id given seems to be invalid',
    status: 'error',
  }),
};

const CHANNEL_ID = /^[1-9][0-9]{0,18}$/;

/** `channel_id`: a big integer, as a JSON number or a string of digits; echoed as a string. */
export function parseChannelId(v: unknown): string | null {
  const s = typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : typeof v === 'string' ? v : null;
  return s !== null && CHANNEL_ID.test(s) ? s : null;
}

const OPERATIONS: readonly WatchOperation[] = ['create', 'edit', 'delete', 'all'];

/** `events`: a non-empty array of `{Module}.{create|edit|delete|all}`; duplicates collapse. */
export function parseEvents(v: unknown): WatchEvent[] | null {
  if (!Array.isArray(v) || v.length === 0) return null;
  const out: WatchEvent[] = [];
  for (const e of v) {
    if (typeof e !== 'string') return null;
    const [name, op, extra] = e.split('.');
    const module = findModule(name ?? '');
    if (!module || extra !== undefined || !OPERATIONS.includes(op as WatchOperation)) return null;
    if (!out.some((x) => x.module === module.apiName && x.operation === op))
      out.push({ module: module.apiName, operation: op as WatchOperation });
  }
  return out;
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** `channel_expiry`: ISO-8601 with an offset, after now and at most a day ahead. */
export function parseExpiry(v: unknown, now: number): number | null {
  if (typeof v !== 'string' || !ISO_WITH_OFFSET.test(v)) return null;
  const at = Date.parse(v);
  return Number.isFinite(at) && at > now && at <= now + MAX_EXPIRY_MS ? at : null;
}

export function eventNames(events: readonly WatchEvent[], module?: ModuleApiName): string[] {
  return events.filter((e) => !module || e.module === module).map((e) => `${e.module}.${e.operation}`);
}

export function modulesOf(events: readonly WatchEvent[]): ModuleApiName[] {
  return [...new Set(events.map((e) => e.module))];
}
