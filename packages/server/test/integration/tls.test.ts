import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteSuccess } from '../support/bigin.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// TLS and the docs/oauth.md recipe: with a locally trusted certificate for the real host names
// and curl's --connect-to (here from a .curlrc, so the command itself stays untouched), the spec's
// sample request runs character for character against this server.

const run = promisify(execFile);
const haveTools = ['openssl', 'curl'].every(
  (tool) => spawnSync(tool, ['--version']).status === 0 || spawnSync(tool, ['version']).status === 0,
);
const SPEC = new URL('../../../../../shared/spec/delete-an-attachment.txt', import.meta.url);

/** The spec's sample request, character for character. */
const SPEC_CURL =
  'curl "https://www.zohoapis.com/bigin/v2/Pipelines/2034020000000489124/Attachments/2034020000000711008" \\\n-X DELETE \\\n-H "Authorization: Zoho-oauthtoken 1000.8cb99dxxxxxxxxxxxxx9be93.9b8xxxxxxxxxxxxxxxf"';

it.skipIf(!existsSync(SPEC))('SPEC_CURL is the sample printed in the spec', () => {
  // The web page's copy button label "Copied" sticks to the command's first word.
  expect(readFileSync(SPEC, 'utf8')).toContain(`Copied${SPEC_CURL}\n`);
});

describe.skipIf(!haveTools)('TLS with the real host names', () => {
  let dir: string;
  let t: TestServer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bigin-tls-'));
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      '2',
      '-subj',
      '/CN=Bigin local test CA',
      '-addext',
      'subjectAltName=DNS:www.zohoapis.com,DNS:accounts.zoho.com,DNS:localhost,IP:127.0.0.1',
    ]);
    t = await startTestServer({
      settings: {
        TLS_CERT_FILE: join(dir, 'cert.pem'),
        TLS_KEY_FILE: join(dir, 'key.pem'),
        DATA_CENTER_URLS: 'zoho',
        DATA_CENTER_PORTS: 'none',
      },
      fixture: {
        organizations: [
          {
            id: '2034020000000000001',
            name: 'Spec Org',
            dataCenter: 'us',
            users: [
              {
                id: '2034020000000000002',
                name: 'Admin',
                email: 'admin@example.com',
                profile: 'Administrator',
                role: 'CEO',
              },
            ],
            tokens: [
              {
                token: '1000.8cb99dxxxxxxxxxxxxx9be93.9b8xxxxxxxxxxxxxxxf',
                user: '2034020000000000002',
                scope: 'ZohoBigin.modules.pipelines.DELETE,ZohoBigin.modules.attachments.DELETE',
                expiresAt: '2099-01-01T00:00:00Z',
              },
            ],
            records: [
              {
                id: '2034020000000489124',
                module: 'Pipelines',
                name: 'Spec deal',
                owner: '2034020000000000002',
              },
            ],
            attachments: [
              {
                id: '2034020000000711008',
                record: '2034020000000489124',
                fileName: 'spec.txt',
                content: { text: 'spec' },
              },
            ],
          },
        ],
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('serves HTTPS on its port', () => {
    expect(t.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it("runs the spec's curl sample verbatim", async () => {
    const command = SPEC_CURL;
    const port = new URL(t.url).port;
    await writeFile(
      join(dir, '.curlrc'),
      [
        `connect-to = "www.zohoapis.com:443:127.0.0.1:${port}"`,
        `cacert = "${join(dir, 'cert.pem')}"`,
        'silent',
        'show-error',
        'write-out = "\\n%{http_code} %{content_type}"',
        '',
      ].join('\n'),
    );
    const { stdout } = await run('bash', ['-c', command], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', CURL_HOME: dir },
    });
    const [body, status] = stdout.split('\n');
    expect(JSON.parse(body!)).toEqual(deleteSuccess('2034020000000711008'));
    expect(status).toBe('200 application/json;charset=UTF-8');
  });

  it('reaches the accounts server by its real host name over TLS', async () => {
    const res = await run('curl', [
      '-s',
      '--cacert',
      join(dir, 'cert.pem'),
      '--connect-to',
      `accounts.zoho.com:443:127.0.0.1:${new URL(t.url).port}`,
      '-X',
      'POST',
      'https://accounts.zoho.com/oauth/v2/token/revoke?token=1000.8cb99dxxxxxxxxxxxxx9be93.9b8xxxxxxxxxxxxxxxf',
    ]);
    expect(res.stdout).toBe('{"status":"success"}');
  });
});
