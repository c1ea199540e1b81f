/** The admin API, as the console uses it. The key lives in this tab's session storage only. */

const KEY_STORAGE = 'bigin-console-admin-key';

export function adminKey(): string | null {
  return sessionStorage.getItem(KEY_STORAGE);
}
export function setAdminKey(key: string | null): void {
  if (key) sessionStorage.setItem(KEY_STORAGE, key);
  else sessionStorage.removeItem(KEY_STORAGE);
}

export class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function admin<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${adminKey() ?? ''}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`/_admin${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : null;
  if (!res.ok) {
    const error = (json as { error?: { code?: string; message?: string } } | null)?.error;
    throw new AdminError(res.status, error?.code ?? 'ADMIN_ERROR', error?.message ?? res.statusText);
  }
  return json as T;
}

/**
 * Server-sent events over fetch, so that the key travels in a header (EventSource cannot send
 * one). Calls `onEvent` with each event's parsed data until `signal` aborts.
 */
export async function stream(
  path: string,
  onEvent: (data: unknown) => void,
  signal: AbortSignal,
): Promise<void> {
  const res = await fetch(`/_admin${path}`, {
    headers: { authorization: `Bearer ${adminKey() ?? ''}`, accept: 'text/event-stream' },
    signal,
  });
  if (!res.ok || !res.body) throw new AdminError(res.status, 'ADMIN_ERROR', 'the live stream was refused');
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      if (data) onEvent(JSON.parse(data));
      end = buffer.indexOf('\n\n');
    }
  }
}

export interface Organization {
  id: string;
  name: string;
  dataCenter: string;
  [key: string]: unknown;
}
export interface ClockState {
  mode: string;
  now: string;
  [key: string]: unknown;
}
export interface JournalEntry {
  seq: number;
  at: string;
  method: string;
  path: string;
  status: number;
  code?: string | null;
  rule?: string | null;
  fault?: unknown;
  orgId?: string | null;
  latencyMs?: number;
  [key: string]: unknown;
}
export interface FaultRule {
  id: string;
  match: Record<string, string>;
  answer: { kind: string; [key: string]: unknown };
  times: number | null;
  fired: number;
  remaining: number | null;
  [key: string]: unknown;
}
