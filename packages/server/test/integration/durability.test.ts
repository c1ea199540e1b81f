import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, deleteSuccess, ERR } from '../support/bigin.js';
import { attachmentPath, orgFixture, orgIds } from '../support/fixtures.js';
import { runCli, spawnServer } from '../support/spawn-server.js';

// The server as users run it, in its own process: an acknowledged delete survives kill -9, the
// fixture reloads without undoing anything, and SIGTERM lets in-flight work finish.

const A = orgIds(5555555, 'ffff');
const admin = A.token('admin');
let dataDir: string;
let fixturePath: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'bigin-durability-'));
  fixturePath = join(dataDir, 'fixture.json');
  await writeFile(fixturePath, JSON.stringify({ organizations: [orgFixture(A)] }));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('crash safety', () => {
  it('keeps an acknowledged delete after kill -9 and a restart with the same fixture', async () => {
    const first = await spawnServer(['--data-dir', dataDir, '--fixture', fixturePath]);
    const deleted = A.attachment[0]!;
    const res = await call(first.url, 'DELETE', attachmentPath('Contacts', A.contactOf.rep1, deleted), admin);
    expect(res.json).toEqual(deleteSuccess(deleted));
    first.process.kill('SIGKILL');
    expect(await first.exited).toBe(null);

    const second = await spawnServer(['--data-dir', dataDir, '--fixture', fixturePath]);
    try {
      const again = await call(
        second.url,
        'DELETE',
        attachmentPath('Contacts', A.contactOf.rep1, deleted),
        admin,
      );
      expect({ status: again.status, body: again.json }).toEqual({
        status: 400,
        body: ERR.attachmentNotFound,
      });
      // Untouched data is still there and still works.
      const other = A.attachment[1]!;
      const ok = await call(second.url, 'DELETE', attachmentPath('Contacts', A.contactOf.rep1, other), admin);
      expect(ok.json).toEqual(deleteSuccess(other));
      expect(second.output()).toContain('"inserted":{"clients":0,"organizations":0');
    } finally {
      second.process.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
  });
});

describe('shutdown', () => {
  it('exits cleanly on SIGTERM while a client holds an idle keep-alive connection', async () => {
    const server = await spawnServer(['--data-dir', dataDir]);
    const agent = new Agent({ keepAlive: true });
    const status = await new Promise<number>((resolve, reject) => {
      get(`${server.url}/health`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      }).on('error', reject);
    });
    expect(status).toBe(200);
    server.process.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('shutting down');
    agent.destroy();
  });
});

describe('admin commands on the data folder', () => {
  it('lists the recycle bin and restores an attachment so that it can be deleted again', async () => {
    const list = await runCli(['admin', '--data-dir', dataDir, 'recycle-bin', 'list', '--org', A.org]);
    expect(list.code).toBe(0);
    const items = JSON.parse(list.stdout) as Array<{ id: string; recordId: string; fileName: string }>;
    expect(items.map((i) => i.id).sort()).toEqual([A.attachment[0], A.attachment[1]].sort());

    const restore = await runCli([
      'admin',
      '--data-dir',
      dataDir,
      'recycle-bin',
      'restore',
      '--org',
      A.org,
      A.attachment[0]!,
    ]);
    expect(restore.code).toBe(0);
    expect(JSON.parse(restore.stdout)).toEqual({ restored: true, attachmentId: A.attachment[0] });

    const server = await spawnServer(['--data-dir', dataDir]);
    try {
      const res = await call(
        server.url,
        'DELETE',
        attachmentPath('Contacts', A.contactOf.rep1, A.attachment[0]!),
        admin,
      );
      expect(res.json).toEqual(deleteSuccess(A.attachment[0]!));
    } finally {
      server.process.kill('SIGTERM');
      await server.exited;
    }
  });

  it('refuses a paging flag that is not a whole number, naming it', async () => {
    const res = await runCli([
      'admin',
      '--data-dir',
      dataDir,
      'recycle-bin',
      'list',
      '--org',
      A.org,
      '--limit',
      'ten',
    ]);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain("option '--limit <n>' argument 'ten' is invalid. must be a whole number");
    expect(res.stdout).toBe('');
  });

  it('refuses to restore an attachment that is not in the recycle bin', async () => {
    const res = await runCli([
      'admin',
      '--data-dir',
      dataDir,
      'recycle-bin',
      'restore',
      '--org',
      A.org,
      A.attachment[5]!,
    ]);
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stdout)).toEqual({ restored: false, attachmentId: A.attachment[5] });
  });

  it('loads a fixture a second time without inserting anything', async () => {
    const res = await runCli(['admin', '--data-dir', dataDir, 'load-fixture', fixturePath]);
    expect(res.code).toBe(0);
    expect(Object.values(JSON.parse(res.stdout).inserted)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('mints a token that works on the API', async () => {
    const res = await runCli([
      'admin',
      '--data-dir',
      dataDir,
      'create-token',
      '--org',
      A.org,
      '--user',
      A.user.admin,
      '--scope',
      'ZohoBigin.modules.contacts.DELETE,ZohoBigin.modules.attachments.DELETE',
    ]);
    expect(res.code).toBe(0);
    const { access_token } = JSON.parse(res.stdout) as { access_token: string };
    expect(access_token).toMatch(/^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/);
    const server = await spawnServer(['--data-dir', dataDir]);
    try {
      const id = A.attachment[2]!;
      const del = await call(
        server.url,
        'DELETE',
        attachmentPath('Contacts', A.contactOf.rep1, id),
        access_token,
      );
      expect(del.json).toEqual(deleteSuccess(id));
    } finally {
      server.process.kill('SIGTERM');
      await server.exited;
    }
  });

  it('reports every invalid setting at once and exits with 2', async () => {
    const res = await runCli(['--data-dir', dataDir], { PORT: 'eighty', SQLITE_SYNCHRONOUS: 'SOMETIMES' });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('PORT="eighty"');
    expect(res.stderr).toContain('SQLITE_SYNCHRONOUS="SOMETIMES"');
  });

  it('reports an invalid fixture with the JSON path of each problem and exits with 2', async () => {
    const bad = join(dataDir, 'bad.json');
    await writeFile(bad, JSON.stringify({ organizations: [{ id: 'x', name: '' }] }));
    const res = await runCli(['--data-dir', dataDir, '--fixture', bad]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('$.organizations.0.id');
    expect(res.stderr).toContain('$.organizations.0.name');
  });
});

describe('first run', () => {
  it('seeds a development organisation and prints a curl command that works once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bigin-first-run-'));
    const server = await spawnServer(['--data-dir', dir], { DEV_SEED: 'true', LOG_FORMAT: 'pretty' });
    try {
      const [, url, token] = await server.waitFor(
        /curl -X DELETE "([^"]+)" \\\n\s+-H "Authorization: Zoho-oauthtoken ([^"]+)"/,
      );
      const first = await fetch(url!, {
        method: 'DELETE',
        headers: { Authorization: `Zoho-oauthtoken ${token}` },
      });
      const id = url!.split('/').pop()!;
      expect(await first.text()).toBe(
        `{"data":[{"code":"SUCCESS","details":{"id":"${id}"},"message":"record deleted","status":"success"}]}`,
      );
      const second = await fetch(url!, {
        method: 'DELETE',
        headers: { Authorization: `Zoho-oauthtoken ${token}` },
      });
      expect(second.status).toBe(400);
      expect(await second.json()).toEqual(ERR.attachmentNotFound);
    } finally {
      server.process.kill('SIGTERM');
      await server.exited;
    }
    // A second start finds the organisation and seeds nothing.
    const again = await spawnServer(['--data-dir', dir], { DEV_SEED: 'true', LOG_FORMAT: 'pretty' });
    // The banner is printed once start-up (and any announcement) is over.
    await again.waitFor(/bigin-server \d+\.\d+\.\d+: /);
    again.process.kill('SIGTERM');
    await again.exited;
    expect(again.output()).not.toContain('curl -X DELETE');
    await rm(dir, { recursive: true, force: true });
  });
});
