// The PostgreSQL + S3 rows of `npm run bench`: the real server on the scale-out stores, with one
// node and with two nodes sharing one database and one bucket. The data set is the embedded one
// (make-dataset.mjs) moved over with the server's own `migrate` command. Besides the node's CPU
// per request, each row has PostgreSQL's (the postmaster and every backend, from /proc) and the S3
// server's (s3rver, bench/s3-server.mjs) per request.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  BOUNDARY,
  cpuSeconds,
  DOWNLOADS,
  datasetEnv,
  here,
  MB,
  makeDataset,
  parentPid,
  postgresCpu,
  root,
  startServer,
  stop,
  tmp,
  track,
  UPLOADS,
  unpinned,
  uploadBody,
  uploadConnections,
  waitForLine,
  warmUp,
  wrkAll,
} from './lib.mjs';

const ONE = ['delete', 'list', 'download1k', 'download1m', 'upload1k', 'upload20m'];
const TWO = ['delete', 'list', 'download1k'];
/** The --only keys of the scale-out rows: pg-… on one node, pg2-… on two. */
export const SCALE_OUT_KEYS = [...ONE.map((k) => `pg-${k}`), ...TWO.map((k) => `pg2-${k}`)];

const BUCKET = 'bench';
const S3_KEY = 'S3RVER';

/** Runs `fn` with a client of the server's `postgres` database (or of the bench database). */
async function admin(databaseUrl, fn, inBenchDatabase = false) {
  const { default: pg } = await import('pg');
  const url = new URL(databaseUrl);
  if (!inBenchDatabase) url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Drops and creates the bench database; answers the postmaster's pid when PostgreSQL runs on this
 * machine (its backends' parent, visible in /proc), else NaN.
 */
async function freshDatabase(databaseUrl) {
  const name = new URL(databaseUrl).pathname.slice(1);
  if (!/^\w+$/.test(name)) throw new Error(`unexpected database name in ${databaseUrl}`);
  return admin(databaseUrl, async (c) => {
    const { rows } = await c.query('SELECT pg_backend_pid() AS pid');
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
    const postmaster = parentPid(rows[0].pid);
    let comm = '';
    try {
      comm = readFileSync(`/proc/${postmaster}/comm`, 'utf8');
    } catch {}
    return comm.startsWith('postgres') ? postmaster : Number.NaN;
  });
}

const dropDatabase = (databaseUrl) =>
  admin(databaseUrl, (c) =>
    c.query(`DROP DATABASE IF EXISTS ${new URL(databaseUrl).pathname.slice(1)} WITH (FORCE)`),
  );

/** `bigin-server migrate --from <dataDir>` into the stores `env` selects; answers its JSON report. */
function migrate(dataDir, env) {
  return new Promise((resolve, reject) => {
    track(
      execFile(
        process.execPath,
        [join(root, 'packages/server/dist/main.js'), 'migrate', '--from', dataDir],
        { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, maxBuffer: 256 * MB },
        (error, stdout, stderr) => {
          if (error)
            return reject(new Error(`migrate failed: ${error.message}\n${stderr}\n${stdout.slice(0, 4000)}`));
          resolve(JSON.parse(stdout));
        },
      ),
    );
  });
}

/**
 * The PostgreSQL + S3 rows at `size` attachments, added with `add` (run.mjs's: it measures the
 * row's baseline right after). Skipped with one line when PostgreSQL is not reachable.
 */
export async function scaleOut({ size, wanted, add, databaseUrl, journal }) {
  let postmaster;
  try {
    postmaster = await freshDatabase(databaseUrl);
  } catch (e) {
    const where = new URL(databaseUrl);
    where.password = '';
    console.log(`PostgreSQL + S3 rows skipped: no PostgreSQL at ${where} (${e.message})`);
    return;
  }
  const dir = join(tmp, `scale-out-${size}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 's3'), { recursive: true });
  const s3 = unpinned(
    process.execPath,
    [join(here, 's3-server.mjs'), '--directory', join(dir, 's3'), '--bucket', BUCKET],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const nodes = [];
  try {
    const [, s3Port] = await waitForLine(s3, /listening (\d+)/);
    const env = {
      DATABASE_URL: databaseUrl,
      S3_BUCKET: BUCKET,
      S3_REGION: 'us-east-1',
      S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: S3_KEY,
      S3_SECRET_ACCESS_KEY: S3_KEY,
    };

    // The data set: built embedded as for the embedded rows (no searchable contacts), then moved.
    const embedded = join(dir, 'embedded');
    mkdirSync(embedded);
    let started = Date.now();
    const ds = makeDataset(embedded, { attachments: size, contacts: 0 });
    const built = (Date.now() - started) / 1000;
    started = Date.now();
    const report = await migrate(embedded, env);
    const migrated = (Date.now() - started) / 1000;
    if (report.problems.length > 0)
      throw new Error(
        `migrate reported ${report.problems.length} problems: ${report.problems.slice(0, 5).join('; ')}`,
      );
    console.log(
      `scale-out data set of ${size.toLocaleString('en')} attachments built in ${built.toFixed(0)} s, moved to PostgreSQL + S3 by \`bigin-server migrate\` in ${migrated.toFixed(0)} s (${report.inserted.attachments.toLocaleString('en')} attachments, ${report.blobs.copied} blobs)`,
    );
    rmSync(embedded, { recursive: true, force: true });
    // As after any bulk load: statistics for the planner, and no autovacuum of the freshly loaded
    // tables running into (and counted in) the first rows' PostgreSQL CPU.
    await admin(databaseUrl, (c) => c.query('VACUUM (ANALYZE)'), true);

    const extraCpu = {
      ...(Number.isNaN(postmaster)
        ? {}
        : { pgCpuUsPerRequest: postgresCpu(postmaster, new URL(databaseUrl).pathname.slice(1)) }),
      s3CpuUsPerRequest: () => cpuSeconds(s3.pid),
    };
    let run = 0;
    // Each node gets a data folder of its own, empty: its state is in PostgreSQL and S3.
    const startNode = async () => {
      const dataDir = join(dir, `node-${++run}`);
      mkdirSync(dataDir);
      const node = await startServer({ dataDir, env, journal });
      nodes.push(node);
      return node;
    };
    const stopNodes = async () => {
      for (const n of nodes.splice(0)) await stop(n.child);
    };
    /** Warm-up, then the measured run, on every target at once; `env(offset, i)` for target i. */
    const measureNodes = async (targets, lane, conns) => {
      // Each target's lane of ids advances by what that target served in each warm-up round.
      const offsets = targets.map(() => 0);
      await warmUp(async () => {
        const warm = await wrkAll({
          targets,
          env: targets.map((_, i) => lane(offsets[i], i)),
          conns,
          seconds: 2,
          extraCpu,
        });
        warm.requestsEach.forEach((r, i) => {
          offsets[i] += r + 100;
        });
        return warm.requestsEach.reduce((a, b) => a + b, 0);
      });
      const r = await wrkAll({ targets, env: targets.map((_, i) => lane(offsets[i], i)), conns, extraCpu });
      return { ...r, offsets };
    };
    // The row's fields: those of an embedded row, and the PostgreSQL and S3 CPU.
    const fields = (r) => {
      const { offsets, requestsEach, ...row } = r;
      return row;
    };
    const n = size.toLocaleString('en');
    const note = (r, more = []) =>
      [
        ...more,
        r.pgCpuUsPerRequest === undefined ? null : `PostgreSQL ${r.pgCpuUsPerRequest.toFixed(0)} µs CPU/req`,
        r.s3CpuUsPerRequest === undefined ? null : `S3 (s3rver) ${r.s3CpuUsPerRequest.toFixed(0)} µs CPU/req`,
      ]
        .filter(Boolean)
        .join('; ');
    const label = (count) => `PostgreSQL + S3, ${count === 1 ? 'one node' : 'two nodes'}`;
    // Attachments are deleted in id order, never twice: the next one no DELETE has had yet.
    let nextDelete = 0;

    /** The read and DELETE scenarios on `count` nodes (one wrk process each, connections split). */
    const reads = async (count, keys) => {
      const prefix = count === 1 ? 'pg' : 'pg2';
      if (!keys.some((k) => wanted(`${prefix}-${k}`))) return;
      const targets = [];
      for (let i = 0; i < count; i++) targets.push((await startNode()).target);
      const common = { size, nodes: count };
      const lanes =
        (mode, extra = {}) =>
        (o) => ({ ...datasetEnv(ds, o), BENCH_MODE: mode, ...extra });
      if (wanted(`${prefix}-list`)) {
        const env = lanes('list');
        const r = await measureNodes(targets, (o) => env(o));
        await add({
          key: `${prefix}-list`,
          ...common,
          name: `${label(count)}: list (per_page=10, rotating records), ${n} attachments`,
          ...fields(r),
          note: note(r),
          baseline: 'ceiling-list',
        });
      }
      for (const d of DOWNLOADS) {
        if (!keys.includes(d.key) || !wanted(`${prefix}-${d.key}`)) continue;
        const env = lanes('download', {
          BENCH_FILE_RECORD: ds.fileRecord,
          BENCH_FILE_BASE: String(d.bytes === 1024 ? ds.file1kBase : ds.file1mBase),
          BENCH_FILES: String(d.bytes === 1024 ? ds.files1k : ds.files1m),
        });
        const r = await measureNodes(targets, (o) => env(o));
        await add({
          key: `${prefix}-${d.key}`,
          ...common,
          name: `${label(count)}: download ${d.label}`,
          ...fields(r),
          mbps: (r.rps * d.bytes) / MB,
          note: note(r),
          baseline: `ceiling-${d.key}`,
        });
      }
      if (wanted(`${prefix}-delete`)) {
        // The attachments not deleted yet, split into one range per node.
        const lane = Math.floor((ds.total - nextDelete) / count);
        const env = lanes('delete');
        const r = await measureNodes(targets, (o, i) => env(nextDelete + i * lane + o));
        const ranOut = r.offsets.some((o, i) => o + r.requestsEach[i] > lane);
        nextDelete += count === 1 ? r.offsets[0] + r.requests : ds.total - nextDelete;
        await add({
          key: `${prefix}-delete`,
          ...common,
          name: `${label(count)}: DELETE (durable, authenticated), ${n} attachments`,
          ...fields(r),
          note: note(r, ranOut ? ['ran out of distinct attachments'] : []),
          baseline: 'ceiling',
        });
      }
      await stopNodes();
    };

    await reads(
      1,
      ONE.filter((k) => !k.startsWith('upload')),
    );
    for (const u of UPLOADS) {
      if (!ONE.includes(u.key) || !wanted(`pg-${u.key}`)) continue;
      // Each upload size on a fresh node, as for the embedded rows.
      const { target } = await startNode();
      u.file ??= uploadBody(u.bytes);
      const env = () => ({
        ...datasetEnv(ds, 0),
        BENCH_MODE: 'upload',
        BENCH_BODY_FILE: u.file,
        BENCH_BOUNDARY: BOUNDARY,
        BENCH_UPLOAD_RECORD: ds.uploadRecord,
      });
      const r = await measureNodes([target], env, uploadConnections(u.key));
      await add({
        key: `pg-${u.key}`,
        size,
        nodes: 1,
        name: `${label(1)}: upload ${u.label}`,
        ...fields(r),
        mbps: (r.rps * u.bytes) / MB,
        note: note(r),
        baseline: `sink-${u.key}`,
      });
      await stopNodes();
    }
    await reads(2, TWO);
  } finally {
    for (const n of nodes) await stop(n.child);
    await stop(s3);
    rmSync(dir, { recursive: true, force: true });
    await dropDatabase(databaseUrl).catch(() => {});
  }
}
