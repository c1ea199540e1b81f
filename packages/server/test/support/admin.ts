/** Speaks the admin API (docs/admin-api.md) in tests. */
export const ADMIN_KEY = 'test-admin-key-0123456789abcdef';

export async function admin<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: T }> {
  const res = await fetch(`${baseUrl}/_admin${path}`, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN_KEY}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as T };
}

export interface JournalRow {
  seq: number;
  at: string;
  dataCenter: string | null;
  orgId: string | null;
  userId: string | null;
  clientId: string | null;
  method: string;
  path: string;
  query: string;
  status: number;
  code: string | null;
  rule: string | null;
  fault: string | null;
  latencyMs: number;
  requestBody: string | null;
  responseBody: string | null;
}

export async function journal(
  baseUrl: string,
  query = '',
): Promise<{ entries: JournalRow[]; next: number | null }> {
  const res = await admin<{ entries: JournalRow[]; next: number | null }>(baseUrl, 'GET', `/journal${query}`);
  if (res.status !== 200) throw new Error(`journal: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json;
}
