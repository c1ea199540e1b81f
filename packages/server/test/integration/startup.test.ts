import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, spawnServer } from '../support/spawn-server.js';

/** A port that something else holds for the test's duration. */
async function holdPort(port = 0): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return { port: (server.address() as { port: number }).port, server };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const held = await holdPort();
  await new Promise((resolve) => held.server.close(resolve));
  return held.port;
}

const oneLine = (stderr: string) => stderr.trim().split('\n');

const DELETE_CURL = /curl -X DELETE "([^"]+)" \\\n\s+-H "Authorization: Zoho-oauthtoken ([^"]+)"/;
const LIST_CURL = /curl "([^"]+)" \\\n\s+-H "Authorization: Zoho-oauthtoken ([^"$]+)"/;
const BANNER = /bigin-server \d+\.\d+\.\d+: Zoho Bigin v2 API stand-in/;

let dir: string;
const held: Server[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bigin-startup-'));
});
afterEach(async () => {
  for (const s of held.splice(0)) await new Promise((resolve) => s.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

async function startAndStop(args: string[], env: Record<string, string> = {}) {
  const server = await spawnServer(args, { LOG_FORMAT: 'pretty', DEV_SEED: 'true', ...env });
  await server.waitFor(BANNER);
  return server;
}

async function stop(server: Awaited<ReturnType<typeof spawnServer>>) {
  server.process.kill('SIGTERM');
  expect(await server.exited).toBe(0);
}

describe('a start that cannot succeed prints one line and exits non-zero', () => {
  it('busy PORT on the first start: names the port and PORT, and loses no development token', {
    timeout: 90_000,
  }, async () => {
    const taken = await holdPort();
    held.push(taken.server);
    const res = await runCli(['--port', String(taken.port), '--data-dir', dir], {
      DATA_CENTER_PORTS: 'none',
      DEV_SEED: 'true',
    });
    expect(res.code).toBe(1);
    expect(oneLine(res.stderr)).toEqual([
      `bigin-server: port ${taken.port} is already in use (PORT); set PORT (or --port) to a free port`,
    ]);
    // The next start (port free) creates the organisation and prints a curl that works.
    const server = await startAndStop(['--data-dir', dir]);
    try {
      const [, url, token] = DELETE_CURL.exec(server.output())!;
      const res2 = await fetch(url!, {
        method: 'DELETE',
        headers: { Authorization: `Zoho-oauthtoken ${token}` },
      });
      expect(res2.status).toBe(200);
    } finally {
      await stop(server);
    }
  });

  it('busy data-center port with a seeded folder: names it as PORT+1 and what to set', {
    timeout: 90_000,
  }, async () => {
    const first = await startAndStop(['--data-dir', dir]);
    await stop(first);
    // PORT free, PORT+1 (EU under DATA_CENTER_PORTS=consecutive) taken.
    let taken: { port: number; server: Server } | undefined;
    let port = 0;
    for (let attempt = 0; attempt < 20 && !taken; attempt++) {
      port = await closedPort();
      taken = await holdPort(port + 1).catch(() => undefined);
    }
    held.push(taken!.server);
    const res = await runCli(['--port', String(port), '--data-dir', dir], {
      DATA_CENTER_PORTS: 'consecutive',
      DATA_CENTERS: 'us,eu',
    });
    expect(res.code).toBe(1);
    expect(oneLine(res.stderr)).toHaveLength(1);
    expect(res.stderr).toContain(`port ${port + 1} is already in use (the EU data center's port, PORT+1`);
    expect(res.stderr).toContain('DATA_CENTER_PORTS=none');
  });

  it('unwritable data folder', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, '');
    const res = await runCli(['--port', '0', '--data-dir', join(file, 'data')], {
      DATA_CENTER_PORTS: 'none',
    });
    expect(res.code).toBe(1);
    expect(oneLine(res.stderr)).toEqual([
      `bigin-server: cannot write to the data folder ${join(file, 'data')} (set DATA_DIR to a writable folder): ENOTDIR`,
    ]);
  });

  it('unreachable PostgreSQL: host, port and database named, never the password', async () => {
    const port = await closedPort();
    const res = await runCli(['--port', '0', '--data-dir', dir], {
      DATA_CENTER_PORTS: 'none',
      DATABASE_URL: `postgres://bigin:s3cret@127.0.0.1:${port}/bigin`,
    });
    expect(res.code).toBe(1);
    expect(oneLine(res.stderr)).toEqual([
      `bigin-server: cannot use PostgreSQL at 127.0.0.1:${port}/bigin (DATABASE_URL): connect ECONNREFUSED 127.0.0.1:${port}`,
    ]);
    expect(res.stderr).not.toContain('s3cret');
  });

  it('unreachable S3', async () => {
    const port = await closedPort();
    const res = await runCli(['--port', '0', '--data-dir', dir], {
      DATA_CENTER_PORTS: 'none',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      S3_BUCKET: 'bigin',
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: 'key',
      S3_SECRET_ACCESS_KEY: 'secret',
    });
    expect(res.code).toBe(1);
    expect(oneLine(res.stderr)).toHaveLength(1);
    expect(res.stderr).toContain(
      `bigin-server: cannot reach S3 bucket bigin (S3_BUCKET) at http://127.0.0.1:${port} (S3_ENDPOINT)`,
    );
  });
});

describe('the development organisation', () => {
  // Three server starts and a CLI run, each a process of its own: more than the default 30 s on a busy machine.
  it('a start that never showed its token shows a fresh one, and `admin dev-token` mints one any time', {
    timeout: 120_000,
  }, async () => {
    const first = await startAndStop(['--data-dir', dir]);
    await stop(first);
    // As if the first start had died after writing the organisation, before printing.
    const marker = join(dir, 'dev-organization.json');
    const org = JSON.parse(await readFile(marker, 'utf8')) as { orgId: string; announced: boolean };
    expect(org.announced).toBe(true);
    await writeFile(marker, JSON.stringify({ ...org, announced: false }));

    const again = await startAndStop(['--data-dir', dir]);
    try {
      expect(again.output()).toContain(`dev org       ${org.orgId}`);
      const [, url, token] = LIST_CURL.exec(again.output())!;
      expect((await fetch(url!, { headers: { Authorization: `Zoho-oauthtoken ${token}` } })).status).toBe(
        200,
      );

      const minted = await runCli(['admin', 'dev-token', '--data-dir', dir]);
      expect(minted.code).toBe(0);
      const { access_token, org: orgId } = JSON.parse(minted.stdout) as { access_token: string; org: string };
      expect(orgId).toBe(org.orgId);
      expect(
        (await fetch(url!, { headers: { Authorization: `Zoho-oauthtoken ${access_token}` } })).status,
      ).toBe(200);
    } finally {
      await stop(again);
    }
    // Shown now: the next start mints nothing.
    const third = await startAndStop(['--data-dir', dir]);
    await stop(third);
    expect(third.output()).toContain('Zoho-oauthtoken $TOKEN');
  });

  it('a JSON start logs one banner line with the stores, data centers, organisation and curl', async () => {
    const server = await spawnServer(['--data-dir', dir], { LOG_FORMAT: 'json', DEV_SEED: 'true' });
    try {
      await server.waitFor(/"msg":"bigin-server started"/);
      const line = server
        .output()
        .split('\n')
        .find((l) => l.includes('"bigin-server started"'))!;
      const banner = JSON.parse(line) as {
        stores: unknown;
        dataCenters: Record<string, string>;
        devOrganization: { curl: string };
      };
      expect(banner.stores).toEqual({
        metadata: `SQLite ${join(dir, 'bigin.sqlite')}`,
        blobs: `folder ${join(dir, 'blobs')}`,
      });
      expect(banner.dataCenters.us).toBe(server.url);
      expect(banner.devOrganization.curl).toMatch(
        /^curl -X DELETE "http:\/\/127\.0\.0\.1:\d+\/bigin\/v2\/Contacts\//,
      );
    } finally {
      await stop(server);
    }
  });
});

describe('admin commands', () => {
  it('a refusal is one line, without a stack trace', async () => {
    const res = await runCli([
      'admin',
      'recycle-bin',
      'restore-record',
      '1234567890123456789',
      '--data-dir',
      dir,
    ]);
    expect(res.code).toBe(1);
    expect(oneLine(res.stderr)).toEqual(['bigin-server: no record 1234567890123456789']);
  });

  it('dev-token without a development organisation says why', async () => {
    const res = await runCli(['admin', 'dev-token', '--data-dir', dir]);
    expect(res.code).toBe(1);
    expect(oneLine(res.stderr)).toHaveLength(1);
    expect(res.stderr).toContain('no development organisation in');
  });

  it('completion: a bash script completing subcommands and options at every level', async () => {
    const script = await runCli(['completion']);
    expect(script.code).toBe(0);
    const file = join(dir, 'completion.bash');
    await writeFile(file, script.stdout);
    const complete = (words: string[]) =>
      new Promise<string>((resolve, reject) =>
        execFile(
          'bash',
          [
            '-c',
            `source ${file}; COMP_WORDS=(${words.map((w) => `"${w}"`).join(' ')}); COMP_CWORD=${words.length - 1}; _bigin_server_complete; echo "\${COMPREPLY[*]}"`,
          ],
          (error, stdout) => (error ? reject(error) : resolve(stdout.trim())),
        ),
      );
    expect(await complete(['bigin-server', 'admin', 'recycle-bin', 'restore-'])).toBe('restore-record');
    expect((await complete(['bigin-server', 'admin', 'dev-token', '--d'])).split(' ')).toContain(
      '--data-dir',
    );
  });

  it('--version and --help (every setting)', async () => {
    const version = await runCli(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = await runCli(['--help']);
    const { SETTINGS } = await import('../../src/config/schema.js');
    for (const name of Object.keys(SETTINGS)) expect(help.stdout).toContain(`  ${name}`);
  });
});
