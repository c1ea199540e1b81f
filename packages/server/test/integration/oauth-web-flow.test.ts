import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, deleteSuccess, ERR } from '../support/bigin.js';
import { attachmentPath } from '../support/fixtures.js';
import { ACCESS_TOKEN, openConsentPage, submitConsent, tokenRequest } from '../support/oauth.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// The walk-through of docs/oauth.md, end to end in the EU data center: register a client and set
// a password with the admin CLI (against the running server's data folder), consent in the
// "browser", follow the redirect to the client's callback, exchange the code, delete, let the
// token expire, refresh, delete again, revoke. Needs the built CLI (`npm test` builds first).

const CLI = new URL('../../dist/main.js', import.meta.url);
const exec = promisify(execFile);
const EXAMPLE = new URL('../../../../docs/examples/oauth-eu.fixture.json', import.meta.url);
// The ids of docs/examples/oauth-eu.fixture.json, which the walk-through uses.
const EU = {
  org: '5001234000000000001',
  admin: '5001234000000000002',
  email: 'ann@acme.example',
  password: 'change me please',
  contact: '5001234000000000010',
  attachments: ['5001234000000000011', '5001234000000000012', '5001234000000000013'],
};
const SCOPE = 'ZohoBigin.modules.contacts.ALL,ZohoBigin.modules.attachments.DELETE';

/** Runs an admin command against the test server's stores (its folder, or PostgreSQL and S3). */
async function cli(t: TestServer, args: string[], stdin?: string): Promise<Record<string, unknown>> {
  const child = exec(process.execPath, [CLI.pathname, 'admin', '--data-dir', t.dataDir, ...args], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...t.storageEnv },
  });
  if (stdin !== undefined) child.child.stdin!.end(stdin);
  else child.child.stdin!.end();
  return JSON.parse((await child).stdout);
}

describe.skipIf(!existsSync(CLI))('the web-server flow, from registering a client to a revoked token', () => {
  let t: TestServer;
  let callback: Server;
  let callbackUrl: string;
  const received: URLSearchParams[] = [];

  beforeAll(async () => {
    t = await startTestServer({ fixture: JSON.parse(await readFile(EXAMPLE, 'utf8')) });
    callback = createServer((req, res) => {
      received.push(new URL(req.url!, 'http://x').searchParams);
      res.end('received');
    });
    await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
    callbackUrl = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/zoho/callback`;
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => callback?.close(resolve));
  });

  it('works end to end and every token answers as Bigin would', async () => {
    const eu = t.server.dataCenterUrls.eu!;
    const client = await cli(t, ['create-client', '--name', 'My Integration', '--redirect-uri', callbackUrl]);
    expect(client.client_id).toMatch(/^1000\.[A-Z0-9]{30}$/);
    expect(client.client_secret).toMatch(/^[0-9a-f]{42}$/);

    const page = await openConsentPage(eu, {
      client_id: client.client_id as string,
      redirect_uri: callbackUrl,
      scope: SCOPE,
      access_type: 'offline',
      state: 'st-42',
    });
    expect(page.html).toContain('My Integration');
    const consent = await submitConsent(eu, page, { email: EU.email, password: EU.password });
    expect(consent.status).toBe(302);
    expect(await (await fetch(consent.location!)).text()).toBe('received');
    const q = received.at(-1)!;
    expect(q.get('state')).toBe('st-42');
    expect(q.get('location')).toBe('eu');
    expect(q.get('accounts-server')).toBe(eu);

    const accountsServer = q.get('accounts-server')!;
    const tokens = (
      await tokenRequest(accountsServer, {
        grant_type: 'authorization_code',
        client_id: client.client_id as string,
        client_secret: client.client_secret as string,
        redirect_uri: callbackUrl,
        code: q.get('code')!,
      })
    ).json as { access_token: string; refresh_token: string; api_domain: string };
    expect(tokens.api_domain).toBe(eu);

    const del = (id: string, token: string) =>
      call(tokens.api_domain, 'DELETE', attachmentPath('Contacts', EU.contact, id), token);
    expect((await del(EU.attachments[0]!, tokens.access_token)).json).toEqual(
      deleteSuccess(EU.attachments[0]!),
    );

    t.clock.advance(3600_000);
    expect((await del(EU.attachments[1]!, tokens.access_token)).json).toEqual(ERR.invalidToken);
    const refreshed = (
      await tokenRequest(accountsServer, {
        grant_type: 'refresh_token',
        client_id: client.client_id as string,
        client_secret: client.client_secret as string,
        refresh_token: tokens.refresh_token,
      })
    ).json as { access_token: string };
    expect(refreshed.access_token).toMatch(ACCESS_TOKEN);
    expect((await del(EU.attachments[1]!, refreshed.access_token)).json).toEqual(
      deleteSuccess(EU.attachments[1]!),
    );

    const revoked = await fetch(`${accountsServer}/oauth/v2/token/revoke?token=${tokens.refresh_token}`, {
      method: 'POST',
    });
    expect(await revoked.text()).toBe('{"status":"success"}');
    expect((await del(EU.attachments[2]!, refreshed.access_token)).json).toEqual(ERR.invalidToken);
  });

  it('sets a password with the CLI: the old one stops working, the new one signs in', async () => {
    const eu = t.server.dataCenterUrls.eu!;
    const client = await cli(t, ['create-client', '--name', 'Pw', '--redirect-uri', callbackUrl]);
    expect(await cli(t, ['set-password', '--org', EU.org, '--user', EU.admin], 's3cret pass\n')).toEqual({
      updated: true,
      org: EU.org,
      user: EU.admin,
    });
    const params = { client_id: client.client_id as string, redirect_uri: callbackUrl };
    const old = await submitConsent(eu, await openConsentPage(eu, params), {
      email: EU.email,
      password: EU.password,
    });
    expect(old.status).toBe(401);
    const now = await submitConsent(eu, await openConsentPage(eu, params), {
      email: EU.email,
      password: 's3cret pass',
    });
    expect(now.status).toBe(302);
  });

  it('mints a self-client code with the CLI that redeems once for tokens', async () => {
    const client = await cli(t, ['create-client', '--name', 'Script', '--self-client']);
    const minted = await cli(t, [
      'self-client-code',
      '--client',
      client.client_id as string,
      '--org',
      EU.org,
      '--user',
      EU.admin,
      '--scope',
      SCOPE,
      '--minutes',
      '10',
    ]);
    expect(minted).toMatchObject({ scope: SCOPE, location: 'eu' });
    const redeem = () =>
      tokenRequest(t.server.dataCenterUrls.eu!, {
        grant_type: 'authorization_code',
        client_id: client.client_id as string,
        client_secret: client.client_secret as string,
        code: minted.code as string,
      });
    expect(Object.keys((await redeem()).json)).toEqual([
      'access_token',
      'refresh_token',
      'api_domain',
      'token_type',
      'expires_in',
    ]);
    expect((await redeem()).json).toEqual({ error: 'invalid_code' });
  });
});
