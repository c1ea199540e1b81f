import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BiginClient } from '@bigin-attachments/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSchema } from '../../server/test/support/postgres.js';
import { spawnServer } from '../../server/test/support/spawn-server.js';
import { AdminApiError, type Bigin, createAdminClient, startBigin } from '../src/index.js';

const FIXTURE = fileURLToPath(new URL('../../../examples/testing/fixture.json', import.meta.url));
const CONTACT = '3045030000000000401';
const ATTACHMENT = '3045030000000000501';

describe('startBigin', () => {
  let bigin: Bigin;
  beforeAll(async () => {
    bigin = await startBigin({ fixture: FIXTURE, clock: '2026-03-01T09:00:00Z' });
  });
  afterAll(() => bigin?.close());

  it('hands back URLs per data center, and the fixture organisation with its tokens and ids', async () => {
    expect(bigin.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(bigin.apiBase.us).toBe(bigin.url);
    expect(Object.keys(bigin.apiBase).sort()).toEqual(['au', 'ca', 'cn', 'eu', 'in', 'jp', 'sa', 'us']);
    expect(new Set(Object.values(bigin.apiBase)).size).toBe(8);
    const org = bigin.organization;
    expect(org).toMatchObject({ id: '3045030000000000001', apiBase: bigin.url, accountsUrl: bigin.url });
    expect(org.tokenOf('patricia@zylker.example')).toBe(org.token);
    const sdk = new BiginClient({ apiDomain: org.apiBase }, org.token);
    expect((await sdk.records.get('Contacts', CONTACT))?.id).toBe(CONTACT);
  });

  it('starts the clock where asked and moves it', async () => {
    expect((await bigin.clock.now()).toISOString()).toBe('2026-03-01T09:00:00.000Z');
    expect((await bigin.clock.advance('1d')).now).toBe('2026-03-02T09:00:00.000Z');
    expect((await bigin.clock.set('2026-03-01T09:00:00Z')).mode).toBe('frozen');
  });

  it('gives each caller its own organisation; tokens expire on the clock; reset restores the fixture', async () => {
    const [a, b] = await Promise.all([bigin.newOrganization(), bigin.newOrganization()]);
    expect(a.id).not.toBe(b.id);
    const sdkA = new BiginClient({ apiDomain: a.apiBase }, a.token);
    await sdkA.attachments.delete('Contacts', CONTACT, ATTACHMENT);
    const sdkB = new BiginClient({ apiDomain: b.apiBase }, b.token);
    expect((await sdkB.attachments.list('Contacts', CONTACT)).data.map((x) => x.id)).toEqual([ATTACHMENT]);
    const short = await b.createToken({ expiresIn: 60 });
    await bigin.clock.advance('59s');
    expect(
      (
        await fetch(`${b.apiBase}/bigin/v2/Contacts`, {
          headers: { Authorization: `Zoho-oauthtoken ${short.token}` },
        })
      ).status,
    ).toBe(200);
    await bigin.clock.advance('1s');
    expect(
      (
        await fetch(`${b.apiBase}/bigin/v2/Contacts`, {
          headers: { Authorization: `Zoho-oauthtoken ${short.token}` },
        })
      ).status,
    ).toBe(401);
    const empty = await bigin.newOrganization({ empty: true });
    expect(empty.records).toEqual([]);
    await bigin.reset();
    expect((await bigin.admin.listOrganizations()).map((o) => o.id)).toEqual([bigin.organization.id]);
    await expect(a.reset()).rejects.toBeInstanceOf(AdminApiError);
  });

  it('removes its temporary folder on close, and close is repeatable', async () => {
    const other = await startBigin({ settings: { DATA_CENTERS: 'us' } });
    const dataDir = other.dataDir;
    expect((await stat(join(dataDir, 'bigin.sqlite'))).isFile()).toBe(true);
    await other.close();
    await other.close();
    await expect(stat(dataDir)).rejects.toThrow();
  });
});

describe.skipIf(process.env.BIGIN_NO_POSTGRES === '1')('startBigin on PostgreSQL', () => {
  it('keeps metadata in the given database; organisations and reset work there too', async () => {
    const schema = await createTestSchema();
    const bigin = await startBigin({
      fixture: FIXTURE,
      postgres: schema.url,
      settings: { DATA_CENTERS: 'us' },
    });
    try {
      const org = await bigin.newOrganization();
      const sdk = new BiginClient({ apiDomain: org.apiBase }, org.token);
      await sdk.attachments.delete('Contacts', CONTACT, ATTACHMENT);
      await org.reset();
      expect((await sdk.attachments.list('Contacts', CONTACT)).data.map((x) => x.id)).toEqual([ATTACHMENT]);
      await bigin.reset();
      expect((await bigin.admin.listOrganizations()).map((o) => o.id)).toEqual([bigin.organization.id]);
    } finally {
      await bigin.close();
      await schema.drop();
    }
  });
});

describe('the admin client against a server run as a process', () => {
  it('drives a `bigin-server --clock …` process over plain HTTP', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bigin-process-'));
    const key = 'process-admin-key-0123456789abcdef';
    const server = await spawnServer(
      ['--data-dir', dir, '--fixture', FIXTURE, '--clock', '2026-01-01T00:00:00Z'],
      {
        ADMIN_KEY: key,
        DEV_SEED: 'false',
      },
    );
    try {
      const admin = createAdminClient({ url: server.url, key });
      expect(await admin.clock.get()).toMatchObject({ mode: 'frozen', now: '2026-01-01T00:00:00.000Z' });
      const org = await admin.createOrganization({ from: '3045030000000000001' });
      expect(org.tokens).toHaveLength(1);
      await expect(createAdminClient({ url: server.url, key: `${key}x` }).status()).rejects.toMatchObject({
        status: 401,
        code: 'ADMIN_KEY_INVALID',
      });
      expect(server.output()).not.toContain(key);
    } finally {
      server.process.kill('SIGTERM');
      await server.exited;
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the node:test example', () => {
  it('passes under `node --test`', async () => {
    const dir = fileURLToPath(new URL('../../../examples/testing/node-test/', import.meta.url));
    const child = spawn(process.execPath, ['--test', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(out).toMatch(/# pass 4/);
    expect({ code, out }).toMatchObject({ code: 0 });
  });
});

describe('the Jest example', () => {
  it('passes under Jest, as native ESM', async () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const child = spawn(
      process.execPath,
      [
        '--experimental-vm-modules',
        join(root, 'node_modules', 'jest', 'bin', 'jest.js'),
        '-c',
        join(root, 'examples', 'testing', 'jest', 'jest.config.mjs'),
        '--ci',
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    // Jest reports on stderr.
    for (const stream of [child.stdout, child.stderr])
      stream.on('data', (c: Buffer) => {
        out += c.toString('utf8');
      });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(out).toMatch(/Tests:\s+4 passed, 4 total/);
    expect({ code, out }).toMatchObject({ code: 0 });
  });
});
