import { findDataCenter } from '@bigin-attachments/contract';
import type { NotificationSettings } from '../config/schema.js';
import type { Clock } from '../domain/clock.js';
import type { ClaimedDelivery, DeliveryOutcome, OutboxEntry, WatchChannel } from '../domain/ports.js';
import type { NotifyUrlGuard } from './notify-url-guard.js';

/**
 * The body Bigin POSTs to `notify_url` (Zoho CRM's documented callback; reference §12), keys in
 * the documented sample's order. `affected_values` only when the channel asked for them.
 */
export function callbackBody(entry: OutboxEntry, channel: WatchChannel): Record<string, unknown> {
  const url = new URL(channel.notifyUrl);
  const body: Record<string, unknown> = {
    server_time: entry.createdAt,
    query_params: Object.fromEntries(url.searchParams),
    module: entry.module,
    resource_uri: `${findDataCenter(channel.dataCenter).apiDomain}/bigin/v1/${entry.module}`,
    ids: entry.ids,
    affected_fields: entry.affectedFields,
  };
  if (channel.returnAffectedFieldValues) body.affected_values = entry.affectedValues;
  body.operation = entry.operation;
  body.channel_id = channel.channelId;
  body.token = channel.token;
  return body;
}

/** Wait before attempt `n + 1` after `n` failed ones: base, doubling, capped. */
export function backoffMs(
  settings: Pick<NotificationSettings, 'retryBaseMs' | 'retryMaxMs'>,
  failed: number,
) {
  return Math.min(settings.retryMaxMs, settings.retryBaseMs * 2 ** Math.min(failed - 1, 30));
}

export interface DeliverDeps {
  settings: NotificationSettings;
  clock: Clock;
  guard: NotifyUrlGuard;
  /** The HTTP client (global fetch); injectable for tests of the client side only. */
  fetch?: typeof fetch;
}

/**
 * Makes one attempt of a claimed callback and says what became of it. A 2xx answer delivers it;
 * anything else (another status, a redirect — never followed —, a timeout, a refused
 * connection) is retried after the backoff until `maxAttempts`, then given up. A channel that
 * expired or was removed meanwhile ends the entry without an attempt.
 */
export async function attemptDelivery(deps: DeliverDeps, claim: ClaimedDelivery): Promise<DeliveryOutcome> {
  const { entry, channel } = claim;
  const at = deps.clock.now();
  const base = { seq: entry.seq, attempt: entry.attempts, nextAttemptAt: at, at };
  const end = (status: DeliveryOutcome['status'], error: string | null): DeliveryOutcome => ({
    ...base,
    status,
    responseCode: null,
    latencyMs: null,
    error,
  });
  if (!channel) return end('dropped', 'channel removed');
  if (channel.expiresAt <= at) return end('expired', 'channel expired');
  // Checked again at send time: a host name may resolve elsewhere than when it was subscribed.
  const verdict = await deps.guard.check(channel.notifyUrl);
  if (!verdict.ok) return end('failed', `notify_url refused: ${verdict.reason}`);
  const started = performance.now();
  let responseCode: number | null = null;
  let error: string | null = null;
  try {
    const res = await (deps.fetch ?? fetch)(channel.notifyUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json;charset=UTF-8',
        'user-agent': 'bigin-server-notifications',
        // Not Bigin's: lets a receiver recognise a repeated delivery of the same callback.
        'x-bigin-notification-id': String(entry.seq),
        'x-bigin-attempt': String(entry.attempts),
      },
      body: JSON.stringify(callbackBody(entry, channel)),
      redirect: 'manual',
      signal: AbortSignal.timeout(deps.settings.timeoutMs),
    });
    responseCode = res.status;
    await res.arrayBuffer().catch(() => undefined);
    if (res.status < 200 || res.status > 299) error = `HTTP ${res.status}`;
  } catch (e) {
    error = e instanceof Error ? (e.name === 'TimeoutError' ? 'timeout' : errorText(e)) : String(e);
  }
  const latencyMs = Math.round(performance.now() - started);
  if (error === null) return { ...base, status: 'delivered', responseCode, latencyMs, error };
  const giveUp = entry.attempts >= deps.settings.maxAttempts;
  return {
    ...base,
    status: giveUp ? 'failed' : 'pending',
    nextAttemptAt: giveUp ? at : at + backoffMs(deps.settings, entry.attempts),
    responseCode,
    latencyMs,
    error,
  };
}

function errorText(e: Error): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? e.message;
}
