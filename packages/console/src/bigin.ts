/**
 * Calls to this server's Bigin API, with a token the console mints over the admin API for an
 * organisation's administrator. Same origin only: an organisation whose data center is served on
 * another port is reached there, not from this page.
 */
import { admin } from './api.js';

// Search asks for a module scope and ZohoSearch's (docs/search.md): modules.ALL alone is refused.
const SCOPE = [
  'ZohoBigin.modules.ALL',
  'ZohoBigin.modules.attachments.ALL',
  'ZohoSearch.securesearch.READ',
  ...['contacts', 'accounts', 'pipelines', 'products', 'tasks', 'events'].map(
    (m) => `ZohoBigin.modules.${m}.ALL`,
  ),
].join(',');
const tokens = new Map<string, { token: string; expiresAt: number }>();

export async function tokenFor(orgId: string): Promise<string> {
  const cached = tokens.get(orgId);
  if (cached && cached.expiresAt > Date.now() + 60_000) return cached.token;
  const minted = await admin<{ token: string; expiresAt: string }>(
    'POST',
    `/organizations/${encodeURIComponent(orgId)}/tokens`,
    { scope: SCOPE, expiresIn: 3600 },
  );
  tokens.set(orgId, { token: minted.token, expiresAt: Date.parse(minted.expiresAt) });
  return minted.token;
}

/** Drops the cached token (revoked, or the organisation reset): the next call mints a new one. */
export function forgetToken(orgId: string): void {
  tokens.delete(orgId);
}

export class BiginError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function bigin(
  orgId: string,
  method: string,
  path: string,
  init: RequestInit = {},
): Promise<Response> {
  const send = async () =>
    fetch(`/bigin/v2${path}`, {
      ...init,
      method,
      headers: { ...(init.headers ?? {}), authorization: `Zoho-oauthtoken ${await tokenFor(orgId)}` },
    });
  let res = await send();
  // The console's own token was revoked or expired (the journal shows that refusal): mint another once.
  if (res.status === 401) {
    forgetToken(orgId);
    res = await send();
  }
  if (res.status >= 400) {
    const body = (await res.json().catch(() => null)) as { code?: string; message?: string } | null;
    throw new BiginError(res.status, body?.code ?? String(res.status), body?.message ?? res.statusText);
  }
  return res;
}

export async function biginJson<T>(
  orgId: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T | null> {
  const res = await bigin(
    orgId,
    method,
    path,
    body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } },
  );
  return res.status === 204 ? null : ((await res.json()) as T);
}

/** Uploads one file as Bigin's multipart form, reporting progress (fetch cannot, XHR can). */
export async function upload(
  orgId: string,
  path: string,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<void> {
  const token = await tokenFor(orgId);
  await new Promise<void>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/bigin/v2${path}`);
    xhr.setRequestHeader('authorization', `Zoho-oauthtoken ${token}`);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      if (xhr.status < 400) return resolve();
      let message = xhr.statusText;
      try {
        message = (JSON.parse(xhr.responseText) as { message?: string }).message ?? message;
      } catch {}
      reject(new BiginError(xhr.status, String(xhr.status), message));
    };
    xhr.onerror = () => reject(new Error('the upload failed'));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

/** The field that names a record in each module, for the records table. */
export const NAME_FIELDS: Record<string, string[]> = {
  Contacts: ['First_Name', 'Last_Name', 'Email'],
  Accounts: ['Account_Name'],
  Pipelines: ['Deal_Name'],
  Products: ['Product_Name'],
  Tasks: ['Subject'],
  Events: ['Event_Title'],
};
