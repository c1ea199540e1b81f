import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiPath } from '../../src/http/ops/openapi.js';
import { attachmentPath, orgFixture, orgIds } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const ids = orgIds(4444444, 'opsx');
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ fixture: { organizations: [orgFixture(ids)] } });
});
afterAll(async () => {
  await t.close();
});

/** Every path Fastify's own router holds, from its printed tree (independent of our route list). */
function routerPaths(tree: string): string[] {
  const stack: string[] = [];
  const paths: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│├└─\s]*)(\S+) \(/.exec(line);
    if (!m) continue;
    const depth = Math.round(m[1]!.length / 4) - 1;
    stack.length = depth;
    const parent = depth === 0 ? '' : stack[depth - 1]!;
    const path = depth === 0 ? m[2]! : `${parent === '/' ? '/' : parent}${m[2]}`;
    stack[depth] = path;
    paths.push(path);
  }
  return paths;
}

describe('health and readiness', () => {
  it('/health answers while the process runs; /ready checks both stores', async () => {
    expect(await (await fetch(`${t.url}/health`)).json()).toEqual({ status: 'ok' });
    const res = await fetch(`${t.url}/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', checks: { metadata: 'ok', blobs: 'ok' } });
  });

  it('/ready is false while draining (shutdown has begun)', async () => {
    t.server.ops.draining = true;
    try {
      const res = await fetch(`${t.url}/ready`);
      expect(res.status).toBe(503);
      expect(((await res.json()) as { status: string }).status).toBe('draining');
    } finally {
      t.server.ops.draining = false;
    }
  });
});

describe('/metrics', () => {
  it('counts requests by route pattern, status and Bigin code, and reports group commits and the token cache', async () => {
    const record = ids.contactOf.rep1;
    // A refusal with a Bigin code, and an authenticated write that goes through a group commit.
    await fetch(`${t.url}/bigin/v2/Contacts/${record}/Attachments?fields=id`);
    const deleted = await fetch(`${t.url}${attachmentPath('Contacts', record, ids.attachment[0]!)}`, {
      method: 'DELETE',
      headers: { Authorization: `Zoho-oauthtoken ${ids.token('admin')}` },
    });
    expect(deleted.status).toBe(200);
    const res = await fetch(`${t.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(
      /bigin_http_requests_total\{route="\/bigin\/v2\/:module\/:recordId\/Attachments",method="GET",status="401",code="AUTHENTICATION_FAILURE"\} [1-9]/,
    );
    expect(text).toMatch(
      /bigin_http_request_duration_seconds_bucket\{le="[^"]+",route="\/bigin\/v2\/:module/,
    );
    expect(text).toMatch(/bigin_sqlite_group_commit_writes_count [1-9]/);
    expect(text).toMatch(/bigin_token_cache_lookups_total\{result="(hit|miss)"\} [1-9]/);
  });

  it('is not served at all with METRICS_ACCESS=off', async () => {
    const off = await startTestServer({ settings: { METRICS_ACCESS: 'off' } });
    try {
      expect((await fetch(`${off.url}/metrics`)).status).toBe(404);
    } finally {
      await off.close();
    }
  });
});

describe('OpenAPI and the page at /', () => {
  it('/openapi.json is a valid OpenAPI 3.1 document', async () => {
    const document = (await (await fetch(`${t.url}/openapi.json`)).json()) as Record<string, unknown>;
    expect(document.openapi).toBe('3.1.0');
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("documents every route Fastify's router holds, each with tags, security and the error envelope", async () => {
    const document = (await (await fetch(`${t.url}/openapi.json`)).json()) as {
      paths: Record<
        string,
        Record<string, { tags?: string[]; security?: unknown[]; responses: Record<string, unknown> }>
      >;
    };
    const registered = routerPaths(t.server.app.printRoutes({ commonPrefix: false }));
    expect(registered.length).toBeGreaterThan(10);
    for (const url of registered) {
      const item = document.paths[openApiPath(url).path];
      expect(item, url).toBeDefined();
      const operations = Object.entries(item!).filter(([k]) => k !== 'parameters');
      expect(operations.length, url).toBeGreaterThan(0);
      for (const [, op] of operations) {
        expect(op.tags?.length, url).toBe(1);
        expect(op.security, url).toBeDefined();
        if (url.startsWith('/bigin/')) expect(op.responses['4XX'], url).toBeDefined();
      }
    }
    expect(
      Object.keys(document.paths['/bigin/v2/{module}/{recordId}/Attachments/{attachmentId}']!).sort(),
    ).toEqual(['delete', 'get', 'parameters']);
  });

  it('/ is an HTML page with no outside assets, naming the server', async () => {
    const res = await fetch(`${t.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    expect(html).toContain('Bigin attachments server');
    expect(html).toContain('/bigin/v2/{module}/{recordId}/Attachments');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.zohoapis\.com)[a-z]/i);
  });
});
