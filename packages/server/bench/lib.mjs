// Helpers shared by run.mjs (the embedded server and the baselines) and scale-out.mjs (PostgreSQL
// + S3, one and two nodes): processes pinned to a core, /proc readings, wrk runs.
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '../../..');
export const tmp = join(root, '.bench-tmp');
export const MB = 1e6;

/** The measured run's length and connections; run.mjs sets them from its flags. */
export const settings = { duration: 10, connections: 50 };

// Every process the bench starts, so that a bench stopped by a signal sent to it alone (not to its
// process group, as a terminal's Ctrl-C is) does not leave a server pinned to core 0 behind.
const children = new Set();
export const track = (child) => {
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
};
export const pin = (core, cmd, cmdArgs, opts = {}) =>
  track(spawn('taskset', ['-c', String(core), cmd, ...cmdArgs], opts));
/** A child that is not pinned (the S3 server: it shares the machine like PostgreSQL does). */
export const unpinned = (cmd, cmdArgs, opts = {}) => track(spawn(cmd, cmdArgs, opts));
for (const [signal, number] of [
  ['SIGINT', 2],
  ['SIGTERM', 15],
]) {
  process.on(signal, () => {
    for (const child of children) child.kill('SIGKILL');
    process.exit(128 + number);
  });
}

export function rssMB(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

// The kernel's clock tick (USER_HZ), in which /proc/<pid>/stat counts CPU time; 100 on Linux.
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** The fields of /proc/<pid>/stat after the command name (field 3, the state, is [0]), or null. */
function statFields(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/**
 * CPU seconds (user + system) the process has used so far. CPU per request changes little with
 * the neighbours' load, unlike requests per second on a shared machine.
 */
export function cpuSeconds(pid) {
  const f = statFields(pid);
  return f ? (Number(f[11]) + Number(f[12])) / TICKS_PER_SECOND : Number.NaN;
}

/** The parent of a process, from /proc (NaN when it is not visible). */
export const parentPid = (pid) => Number(statFields(pid)?.[1]);

const ticksOf = (f) => Number(f[11]) + Number(f[12]);
const titleOf = (pid) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return '';
  }
};

/**
 * A CPU counter for one PostgreSQL database on this machine: the postmaster (its own time, not
 * its reaped children's, which would count other databases' closed sessions), the backends
 * connected to `database` (and autovacuum workers on it), and the shared WAL writer, background
 * writer and checkpointer. Backends come and go: the counter remembers the last reading of each
 * process, so an exited one keeps counting what it had used when last seen. Call it often (the
 * wrk runs call it every 100 ms) and take differences; it answers seconds.
 */
export function postgresCpu(postmaster, database) {
  let last = new Map();
  const titles = new Map();
  let gone = 0;
  const ours = (pid) => {
    if (!titles.has(pid)) {
      const title = titleOf(pid);
      titles.set(
        pid,
        / (checkpointer|background writer|walwriter)$/.test(title) || title.split(' ').includes(database),
      );
    }
    return titles.get(pid);
  };
  return () => {
    const own = statFields(postmaster);
    if (!own) return Number.NaN;
    const now = new Map([[postmaster, ticksOf(own)]]);
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const f = statFields(name);
      if (f && Number(f[1]) === postmaster && ours(Number(name))) now.set(Number(name), ticksOf(f));
    }
    for (const [pid, ticks] of last)
      if (!now.has(pid)) {
        gone += ticks;
        titles.delete(pid);
      }
    last = now;
    let ticks = gone;
    for (const t of now.values()) ticks += t;
    return ticks / TICKS_PER_SECOND;
  };
}

/**
 * Runs one wrk process (one thread) on core 1 against `port`; resolves with its own figures and the
 * raw BENCH_JSON line. Used alone or several at once (one per node).
 */
function wrkProcess({ port, env, conns, seconds }) {
  return new Promise((resolve, reject) => {
    const child = track(
      spawn(
        'taskset',
        [
          '-c',
          '1',
          'wrk',
          '-t1',
          `-c${conns}`,
          `-d${seconds}s`,
          '--timeout',
          '30s',
          '-s',
          join(here, 'scenario.lua'),
          `http://127.0.0.1:${port}`,
        ],
        { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
      ),
    );
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.on('exit', (code) => {
      const line = /BENCH_JSON (.*)/.exec(out);
      if (code !== 0 || !line) return reject(new Error(`wrk failed (${code}): ${out}`));
      resolve({ rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]), json: JSON.parse(line[1]) });
    });
  });
}

/**
 * Runs wrk against every target at once (one wrk process each, `conns` split evenly between them),
 * sampling the servers' resident memory every 100 ms. `env` is the wrk environment, or one per
 * target. CPU per request is the CPU of every target's process ÷ all the requests; `extraCpu`
 * ({ name: () => seconds }) adds other processes' CPU per request (PostgreSQL, the S3 server).
 * With several targets req/s and requests are summed, p50 and p99 are the highest of the wrk
 * processes' and RSS the highest of one process.
 */
export async function wrkAll({
  targets,
  env,
  conns = settings.connections,
  seconds = settings.duration,
  extraCpu = {},
}) {
  const pids = targets.map((t) => t.pid);
  let maxRss = Math.max(...pids.map(rssMB));
  const cpuOf = () => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const extraBefore = Object.fromEntries(Object.entries(extraCpu).map(([k, f]) => [k, f()]));
  const cpuBefore = cpuOf();
  const sampler = setInterval(() => {
    maxRss = Math.max(maxRss, ...pids.map(rssMB));
    // Counters that follow processes coming and going (postgresCpu) need frequent readings.
    for (const f of Object.values(extraCpu)) f();
  }, 100);
  const share = (i) => Math.floor(conns / targets.length) + (i < conns % targets.length ? 1 : 0);
  try {
    const runs = await Promise.all(
      targets.map((t, i) =>
        wrkProcess({ port: t.port, env: Array.isArray(env) ? env[i] : env, conns: share(i), seconds }),
      ),
    );
    const cpu = cpuOf() - cpuBefore;
    const requests = runs.reduce((s, r) => s + r.json.requests, 0);
    const perRequest = (seconds) => (requests > 0 ? (seconds * 1e6) / requests : undefined);
    const extra = Object.fromEntries(
      Object.entries(extraCpu).map(([k, f]) => [k, perRequest(f() - extraBefore[k])]),
    );
    return {
      rps: runs.reduce((s, r) => s + r.rps, 0),
      p50ms: Math.max(...runs.map((r) => r.json.p50)) / 1000,
      p99ms: Math.max(...runs.map((r) => r.json.p99)) / 1000,
      requests,
      // Each wrk process's own request count, so that scenarios consuming ids know how far each got.
      requestsEach: runs.map((r) => r.json.requests),
      non2xx: runs.reduce((s, r) => s + r.json.non2xx, 0),
      errors: runs.reduce((s, r) => s + r.json.errors + r.json.bodyErrors, 0),
      rssMB: maxRss,
      connections: conns,
      cpuUsPerRequest: perRequest(cpu),
      ...extra,
    };
  } finally {
    clearInterval(sampler);
  }
}

/** Runs wrk on core 1 against one server while sampling its resident memory every 100 ms. */
export async function wrk({ port, pid, env, conns, seconds }) {
  const { requestsEach, ...r } = await wrkAll({ targets: [{ port, pid }], env, conns, seconds });
  return r;
}

export function waitForLine(child, pattern) {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const m = pattern.exec(out);
      if (m) resolve(m);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

export async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGTERM');
  await exited;
}

export async function findPort(pid) {
  for (let i = 0; i < 600; i++) {
    try {
      const ss = execFileSync('ss', ['-ltnpH'], { encoding: 'utf8' });
      const line = ss.split('\n').find((l) => l.includes(`pid=${pid},`));
      if (line) return Number(/127\.0\.0\.1:(\d+)/.exec(line)[1]);
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('server did not start');
}

/**
 * Requests a warm-up serves before the measured run, within at most WARM_ROUNDS rounds of 2 s:
 * V8 optimises a function after enough calls, not enough seconds, and at a few hundred uploads a
 * second a 2 s warm-up left the optimising compiler busy through the measured run (a fifth of a
 * 1 KB upload's CPU in a `perf` profile).
 */
export const WARM_REQUESTS = 3000;
const WARM_ROUNDS = 4;

/**
 * Warm-up rounds until WARM_REQUESTS are served (or WARM_ROUNDS have run); `round(offset)` runs
 * one of 2 s from `offset` and answers the requests it served. Answers where the measured run
 * may start: past every id the warm-up used.
 */
export async function warmUp(round) {
  let offset = 0;
  for (let i = 0; i < WARM_ROUNDS; i++) {
    const served = await round(offset);
    offset += served + 100;
    if (offset >= WARM_REQUESTS) break;
  }
  return offset;
}

/** Warm-up, then the measured run; `env(offset)` lets scenarios that consume ids skip the warm-up's. */
export async function measure(target, env, conns = settings.connections) {
  const offset = await warmUp(
    async (from) => (await wrk({ ...target, env: env(from), conns, seconds: 2 })).requests,
  );
  return { ...(await wrk({ ...target, env: env(offset), conns })), offset };
}

/**
 * Starts the real server from packages/server/dist on core 0 with `env` added to the bench's
 * settings (LOG_LEVEL=warn, DEV_SEED=false, DATA_CENTER_PORTS=none, JOURNAL per `journal`).
 */
export async function startServer({ dataDir, env = {}, journal = 'on', nodeArgs = [] }) {
  const server = pin(
    0,
    process.execPath,
    [...nodeArgs, join(root, 'packages/server/dist/main.js'), '--port', '0', '--data-dir', dataDir],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        LOG_LEVEL: 'warn',
        DEV_SEED: 'false',
        DATA_CENTER_PORTS: 'none',
        JOURNAL: journal === 'off' ? 'false' : 'true',
        ...env,
      },
    },
  );
  // Listening is logged at info; at warn, find the port from the socket table.
  server.stdout.resume();
  return { child: server, target: { port: await findPort(server.pid), pid: server.pid } };
}

export const BOUNDARY = 'benchboundary7MA4YWxkTrZu0gW';
export function uploadBody(bytes) {
  const path = join(tmp, `upload-${bytes}.bin`);
  writeFileSync(
    path,
    Buffer.concat([
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="bench.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      Buffer.alloc(bytes, 0x62),
      Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
    ]),
  );
  return path;
}
export const UPLOADS = [
  { key: 'upload1k', label: '1 KB', bytes: 1024 },
  { key: 'upload1m', label: '1 MB', bytes: 1024 * 1024 },
  { key: 'upload20m', label: '20 MB', bytes: 20 * 1024 * 1024 },
];
export const DOWNLOADS = [
  { key: 'download1k', label: '1 KB', bytes: 1024 },
  { key: 'download1m', label: '1 MB', bytes: 1024 * 1024 },
];
export const uploadConnections = (key) => (key === 'upload20m' ? 16 : settings.connections);

/** The wrk environment of the scenarios over a data set built by make-dataset.mjs. */
export const datasetEnv = (ds, offset) => ({
  BENCH_PREFIX: ds.prefix,
  BENCH_TOKEN: ds.token,
  BENCH_RECORD_BASE: String(ds.recordBase),
  BENCH_RECORDS: String(ds.records),
  BENCH_ATTACHMENT_BASE: String(ds.attachmentBase),
  BENCH_PER_RECORD: String(ds.perRecord),
  BENCH_OFFSET: String(offset),
});

/** Builds a data folder with make-dataset.mjs; answers what it prints (ids, token, counts). */
export function makeDataset(dataDir, options) {
  return JSON.parse(
    execFileSync(
      process.execPath,
      [
        join(here, 'make-dataset.mjs'),
        '--data-dir',
        dataDir,
        ...Object.entries(options).flatMap(([k, v]) => [`--${k}`, String(v)]),
      ],
      { encoding: 'utf8' },
    ),
  );
}
