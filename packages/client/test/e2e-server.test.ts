import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgFixture, orgIds } from '../../server/test/support/fixtures.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import {
  type APIError,
  AuthenticationFailureError,
  AuthorizationFailedError,
  BiginClient,
  InvalidDataError,
  InvalidModuleError,
  InvalidTokenError,
  InvalidUrlPatternError,
  NoPermissionError,
  OAuthScopeMismatchError,
} from '../src/index.js';
import { CLI, ensureBuilt, runCli, spawnCli } from './support/cli.js';

// The SDK and the spawned CLI against the real server on a real port. Only DELETE exists on the
// server so far; upload, list and download are covered against a local HTTP server elsewhere.

const A = orgIds(1212121, 'e2ec');
const admin = A.token('admin');
const SCOPE_LIMITED = '1000.scopelimited000000000000000000.00000000000000000000000000000000';
const BULK_RECORD = A.contactOf.rep2;
const RESUME_RECORD = A.contactOf.peerA;
const bulkIds = Array.from({ length: 500 }, (_, i) => `5151515${String(i).padStart(12, '0')}`);
const resumeIds = Array.from({ length: 200 }, (_, i) => `5252525${String(i).padStart(12, '0')}`);
const ptyIds = Array.from({ length: 120 }, (_, i) => `5353535${String(i).padStart(12, '0')}`);
const cliIds = Array.from({ length: 10 }, (_, i) => `5454545${String(i).padStart(12, '0')}`);

let t: TestServer;
let configDir: string;
let sdk: BiginClient;

function attachmentsOn(record: string, ids: string[]) {
  return ids.map((id, i) => ({ id, record, fileName: `bulk-${i}.txt`, content: { text: `bulk ${i}` } }));
}

beforeAll(async () => {
  ensureBuilt();
  const fixture = orgFixture(A, {
    extraTokens: [
      {
        token: SCOPE_LIMITED,
        user: A.user.admin,
        scope: 'ZohoBigin.modules.ALL',
        expiresAt: '2099-01-01T00:00:00Z',
      },
    ],
  });
  fixture.attachments.push(
    ...attachmentsOn(BULK_RECORD, bulkIds),
    ...attachmentsOn(RESUME_RECORD, resumeIds),
    ...attachmentsOn(A.contactOf.manager, ptyIds),
    ...attachmentsOn(A.contactOf.admin, cliIds),
  );
  t = await startTestServer({ fixture: { organizations: [fixture] } });
  configDir = await mkdtemp(join(tmpdir(), 'bigin-cli-'));
  sdk = new BiginClient({ apiDomain: t.url }, admin);
}, 120_000);
afterAll(async () => {
  await t?.close();
  if (configDir) await rm(configDir, { recursive: true, force: true });
});

const rep1Contact = A.contactOf.rep1;

describe('SDK against the server', () => {
  it('deletes an attachment and resolves with the documented per-item result', async () => {
    const id = A.attachment[0]!;
    expect(await sdk.attachments.delete('Contacts', rep1Contact, id)).toEqual({
      code: 'SUCCESS',
      details: { id },
      message: 'record deleted',
      status: 'success',
    });
  });

  it('surfaces every error the delete endpoint documents as its class, with code, details and request id', async () => {
    const cases: Array<
      [string, () => Promise<unknown>, new (...a: never[]) => APIError, number, string, object]
    > = [
      [
        'INVALID_URL_PATTERN',
        () =>
          new BiginClient({ apiDomain: `${t.url}/v9` }, admin).attachments.delete(
            'Contacts',
            rep1Contact,
            A.attachment[1]!,
          ),
        InvalidUrlPatternError,
        404,
        'Please check if the URL trying to access is a correct one',
        {},
      ],
      [
        'AUTHENTICATION_FAILURE',
        () =>
          new BiginClient({ apiDomain: t.url }, `${admin} extra`).attachments.delete(
            'Contacts',
            rep1Contact,
            A.attachment[1]!,
          ),
        AuthenticationFailureError,
        401,
        'Authentication failed',
        {},
      ],
      [
        'INVALID_TOKEN',
        () =>
          new BiginClient(
            { apiDomain: t.url },
            '1000.00000000000000000000000000000000.00000000000000000000000000000000',
          ).attachments.delete('Contacts', rep1Contact, A.attachment[1]!),
        InvalidTokenError,
        401,
        'invalid oauth token',
        {},
      ],
      [
        'INVALID_MODULE',
        () => sdk.attachments.delete('Leads' as 'Contacts', rep1Contact, A.attachment[1]!),
        InvalidModuleError,
        400,
        'the module name given seems to be invalid',
        { resource_path_index: 0 },
      ],
      [
        'INVALID_MODULE (not supported)',
        () => sdk.attachments.delete('Calls' as 'Contacts', A.callRecord, A.attachmentOn[A.callRecord]!),
        InvalidModuleError,
        400,
        'The given module is not supported in API',
        { resource_path_index: 0 },
      ],
      [
        'OAUTH_SCOPE_MISMATCH',
        () =>
          new BiginClient({ apiDomain: t.url }, SCOPE_LIMITED).attachments.delete(
            'Contacts',
            rep1Contact,
            A.attachment[1]!,
          ),
        OAuthScopeMismatchError,
        401,
        'invalid oauth scope to access this URL',
        {},
      ],
      [
        'NO_PERMISSION',
        () =>
          new BiginClient({ apiDomain: t.url }, A.token('standard')).attachments.delete(
            'Contacts',
            rep1Contact,
            A.attachment[1]!,
          ),
        NoPermissionError,
        403,
        'permission denied',
        {},
      ],
      [
        'INVALID_DATA (record)',
        () => sdk.attachments.delete('Contacts', '1212121999999999999', A.attachment[1]!),
        InvalidDataError,
        400,
        'the related id given seems to be invalid',
        { resource_path_index: 1 },
      ],
      [
        'AUTHORIZATION_FAILED',
        () =>
          new BiginClient({ apiDomain: t.url }, A.token('rep1')).attachments.delete(
            'Contacts',
            A.contactOf.rep2,
            A.attachmentOn[A.contactOf.rep2]!,
          ),
        AuthorizationFailedError,
        400,
        'User does not have sufficient privilege to delete attachments',
        {},
      ],
      [
        'INVALID_DATA (attachment)',
        () => sdk.attachments.delete('Contacts', rep1Contact, A.attachment[0]!),
        InvalidDataError,
        400,
        'the related id given seems to be invalid',
        { resource_path_index: 3 },
      ],
    ];
    for (const [name, call, Class, status, message, details] of cases) {
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, name).toBeInstanceOf(Class);
      const e = error as APIError;
      expect({ status: e.status, code: e.code, message: e.message, details: e.details }, name).toEqual({
        status,
        code: name.split(' ')[0],
        message,
        details,
      });
      expect(e.requestId, name).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

function cliEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { BIGIN_CONFIG_DIR: configDir, ...extra };
}

describe('CLI against the server', { timeout: 60_000 }, () => {
  it('deletes with a token stored by `auth set-token` in a 0600 profile, as the README shows', async () => {
    const set = await runCli(['--api-domain', t.url, 'auth', 'set-token', admin], cliEnv());
    expect(set).toMatchObject({ code: 0, stdout: 'Token stored in profile "default".\n' });
    const mode = (await stat(join(configDir, 'config.json'))).mode & 0o777;
    expect(mode.toString(8)).toBe('600');

    const id = A.attachment[2]!;
    const res = await runCli(['attachments', 'delete', 'Contacts', rep1Contact, id], cliEnv());
    expect(res).toEqual({ code: 0, stdout: `Deleted attachment ${id}\n`, stderr: '' });
  });

  it('prints the per-item result with --json and errors as JSON with exit codes per class', async () => {
    const id = A.attachment[3]!;
    const ok = await runCli(['--json', 'attachments', 'delete', 'Contacts', rep1Contact, id], cliEnv());
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({
      code: 'SUCCESS',
      details: { id },
      message: 'record deleted',
      status: 'success',
    });

    const again = await runCli(['--json', 'attachments', 'delete', 'Contacts', rep1Contact, id], cliEnv());
    expect(again.code).toBe(5);
    expect(again.stdout).toBe('');
    expect(JSON.parse(again.stderr)).toMatchObject({
      error: {
        type: 'InvalidDataError',
        status: 400,
        code: 'INVALID_DATA',
        message: 'the related id given seems to be invalid',
        details: { resource_path_index: 3 },
      },
    });

    const cases: Array<[string[], Record<string, string>, number, RegExp]> = [
      [['attachments', 'delete', 'Leads', rep1Contact, id], {}, 6, /INVALID_MODULE \(HTTP 400\)/],
      [
        ['attachments', 'delete', 'Contacts', rep1Contact, id],
        { BIGIN_ACCESS_TOKEN: '1000.x.y' },
        3,
        /INVALID_TOKEN \(HTTP 401\)/,
      ],
      [
        ['attachments', 'delete', 'Contacts', rep1Contact, id],
        { BIGIN_ACCESS_TOKEN: A.token('standard') },
        4,
        /NO_PERMISSION/,
      ],
      [
        ['--profile', 'nobody', 'attachments', 'delete', 'Contacts', rep1Contact, id],
        {},
        2,
        /no data center or API domain/,
      ],
      [
        ['--profile', 'nobody', '--dc', 'eu', 'attachments', 'delete', 'Contacts', rep1Contact, id],
        {},
        3,
        /not logged in/,
      ],
      [['attachments', 'delete', 'Contacts'], {}, 2, /missing required argument/],
    ];
    for (const [args, env, code, pattern] of cases) {
      const res = await runCli(args, cliEnv(env));
      expect({ args, code: res.code }).toEqual({ args, code });
      expect(res.stderr).toMatch(pattern);
    }
    // Request ids are printed for support; tokens never are.
    const denied = await runCli(
      ['attachments', 'delete', 'Contacts', rep1Contact, id],
      cliEnv({ BIGIN_ACCESS_TOKEN: A.token('standard') }),
    );
    expect(denied.stderr).toMatch(/request id [0-9a-f-]{36}/);
    expect(denied.stderr).not.toContain(A.token('standard'));
  });

  it('bulk-deletes ids from a file with bounded concurrency, progress lines off a terminal and a summary', async () => {
    const idsFile = join(configDir, 'ids.txt');
    await writeFile(idsFile, `${bulkIds.join('\n')}\n`);
    const res = await runCli(
      ['attachments', 'delete', 'Contacts', BULK_RECORD, '--ids-file', idsFile, '--concurrency', '8'],
      cliEnv(),
    );
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('Deleted 500 of 500 attachments; 0 failed.\n');
    // Off a terminal: one line per tenth, so CI logs stay short.
    expect(res.stderr.trim().split('\n')).toEqual([
      'Deleted: 1/500 0%',
      ...Array.from({ length: 10 }, (_, i) => `Deleted: ${(i + 1) * 50}/500 ${(i + 1) * 10}%`),
    ]);
    await expect(sdk.attachments.delete('Contacts', BULK_RECORD, bulkIds[499]!)).rejects.toBeInstanceOf(
      InvalidDataError,
    );
  });

  it('reports per-item failures in the summary and exits 10', async () => {
    const res = await runCli(
      ['--json', 'attachments', 'delete', 'Contacts', A.contactOf.admin, cliIds[0]!, cliIds[1]!, bulkIds[0]!],
      cliEnv(),
    );
    expect(res.code).toBe(10);
    const summary = JSON.parse(res.stdout);
    expect(summary).toMatchObject({ total: 3, succeeded: 2, failed: 1, skipped: 0, interrupted: false });
    expect(summary.failures).toEqual([
      {
        id: bulkIds[0],
        code: 'INVALID_DATA',
        status: 400,
        message: 'the related id given seems to be invalid',
      },
    ]);
    expect(summary.journal).toMatch(/journals\/[0-9a-f]{24}\.jsonl$/);
  });

  it('renders a progress bar under a pseudo-terminal', async () => {
    const idsFile = join(configDir, 'pty-ids.txt');
    await writeFile(idsFile, ptyIds.join(' '));
    // script(1) gives the CLI a real pseudo-terminal; its output is what the terminal received.
    const command = [
      process.execPath,
      CLI,
      'attachments',
      'delete',
      'Contacts',
      A.contactOf.manager,
      '--ids-file',
      idsFile,
    ]
      .map((a) => `'${a}'`)
      .join(' ');
    const { execFile } = await import('node:child_process');
    const out = await new Promise<string>((resolve, reject) => {
      execFile(
        'script',
        ['-qefc', command, '/dev/null'],
        { env: { ...process.env, ...cliEnv(), COLUMNS: '100' } },
        (error, stdout) => (error ? reject(error) : resolve(stdout)),
      );
    });
    expect(out).toContain('\rDeleted ');
    expect(out).toMatch(/\rDeleted █+ 120\/120 100%/);
    // Each redraw erases the rest of the line (ESC [ K).
    expect(out).toContain('120/120 100%\u001b[K');
    expect(out).toContain('Deleted 120 of 120 attachments; 0 failed.');
  });

  it('resumes an interrupted bulk run from its journal without repeating finished deletes', async () => {
    // A proxy between CLI and server lets 60 deletes through, then holds the rest until the CLI
    // has received Ctrl-C: the interruption lands mid-run every time, with no timing involved.
    let forwarded = 0;
    let passThrough = false;
    const held: Array<() => void> = [];
    let onHeld: () => void = () => {};
    const firstHeld = new Promise<void>((resolve) => {
      onHeld = resolve;
    });
    const target = new URL(t.url);
    const forward = (req: IncomingMessage, res: ServerResponse) => {
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(upstream);
    };
    const proxy = createServer((req, res) => {
      if (forwarded < 60 || passThrough) {
        forwarded++;
        forward(req, res);
        return;
      }
      held.push(() => forward(req, res));
      onHeld();
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const journal = join(configDir, 'resume.jsonl');
    const idsFile = join(configDir, 'resume-ids.txt');
    await writeFile(idsFile, resumeIds.join('\n'));
    const args = [
      'attachments',
      'delete',
      'Contacts',
      RESUME_RECORD,
      '--ids-file',
      idsFile,
      '--journal',
      journal,
    ];

    try {
      const first = spawnCli(['--api-domain', proxyUrl, ...args], cliEnv());
      await firstHeld;
      first.child.kill('SIGINT');
      await first.waitForStderr('Interrupted');
      // Requests already on their way when Ctrl-C landed must still get answers.
      passThrough = true;
      for (const release of held.splice(0)) release();
      const result = await first.done;
      expect(result.code).toBe(130);
      const done = Number(/Deleted (\d+) of 200/.exec(result.stdout)?.[1]);
      expect(done).toBeGreaterThanOrEqual(60);
      expect(done).toBeLessThan(200);
      expect(result.stdout).toContain(`Run the same command again to resume or retry (journal ${journal}).`);

      const second = await runCli(['--api-domain', t.url, ...args], cliEnv());
      expect(second.stderr.split('\n')[0]).toBe(`Resuming from ${journal}`);
      expect(second.code).toBe(0);
      expect(second.stdout).toBe(
        `Deleted ${200 - done} of 200 attachments; 0 failed, ${done} done in an earlier run.\n`,
      );
      await expect(stat(journal)).rejects.toThrow(/ENOENT/);
    } finally {
      proxy.closeAllConnections();
      proxy.close();
    }
    // Every attachment is gone, none deleted twice (a second delete would have failed the run).
    const after = await Promise.all(
      resumeIds.map((id) =>
        sdk.attachments.delete('Contacts', RESUME_RECORD, id).then(
          () => 'deleted',
          (e) => e.code,
        ),
      ),
    );
    expect(new Set(after)).toEqual(new Set(['INVALID_DATA']));
  });

  it('keeps secrets out of the config folder listing and profiles output', async () => {
    const res = await runCli(['--json', 'profiles', 'ls'], cliEnv());
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual([{ name: 'default *', endpoint: t.url, auth: 'access token' }]);
    expect(res.stdout).not.toContain(admin);
    expect(await readFile(join(configDir, 'config.json'), 'utf8')).toContain(admin);
  });
});
