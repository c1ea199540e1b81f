// `npm run bench`: measures, in one run on this machine, the bare node:http ceiling and the real
// server, side by side, and writes docs/benchmarks.md and docs/benchmarks.json.
// The server is pinned to core 0 and wrk to core 1 (taskset) so they do not compete.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
const tmp = join(root, '.bench-tmp');
const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    sizes: { type: 'string', default: '250000,1000000' },
    write: { type: 'boolean', default: true },
    'no-write': { type: 'boolean', default: false },
  },
});
const duration = Number(args.duration);
const connections = Number(args.connections);
const sizes = args.sizes.split(',').map(Number);

function need(cmd, pkg) {
  try {
    execFileSync('which', [cmd], { stdio: 'ignore' });
  } catch {
    console.error(`${cmd} is required: apt-get install -y ${pkg}`);
    process.exit(2);
  }
}
need('wrk', 'wrk');
need('taskset', 'util-linux');

const pin = (core, cmd, cmdArgs, opts = {}) => spawn('taskset', ['-c', String(core), cmd, ...cmdArgs], opts);

function waitForLine(child, pattern) {
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

function rss(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMB: kb('VmRSS') / 1024, peakMB: kb('VmHWM') / 1024 };
}

function wrk(url, env, seconds = duration) {
  const out = execFileSync(
    'taskset',
    ['-c', '1', 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '-s', join(here, 'delete.lua'), url],
    { env: { ...process.env, ...env }, encoding: 'utf8' },
  );
  const json = JSON.parse(/BENCH_JSON (.*)/.exec(out)[1]);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
  return {
    rps,
    p50ms: json.p50 / 1000,
    p99ms: json.p99 / 1000,
    requests: json.requests,
    non2xx: json.non2xx,
    errors: json.errors,
  };
}

async function stop(child) {
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function ceiling(env) {
  const child = pin(0, process.execPath, [join(here, 'ceiling-server.mjs')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [, port] = await waitForLine(child, /listening (\d+)/);
  wrk(`http://127.0.0.1:${port}`, env, 2); // warm-up
  const result = { ...wrk(`http://127.0.0.1:${port}`, env), ...rss(child.pid) };
  await stop(child);
  return result;
}

async function realServer(size) {
  const dataDir = join(tmp, `data-${size}`);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const dataset = JSON.parse(
    execFileSync(
      process.execPath,
      [join(here, 'make-dataset.mjs'), '--data-dir', dataDir, '--attachments', String(size)],
      {
        encoding: 'utf8',
      },
    ),
  );
  const child = pin(
    0,
    process.execPath,
    [join(root, 'packages/server/dist/main.js'), '--port', '0', '--data-dir', dataDir],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, LOG_LEVEL: 'warn', DEV_SEED: 'false' },
    },
  );
  // Listening is logged at info; at warn, poll the health endpoint instead.
  child.stdout.resume();
  const port = await findPort(child.pid);
  const env = {
    BENCH_PREFIX: dataset.prefix,
    BENCH_RECORD_BASE: String(dataset.recordBase),
    BENCH_ATTACHMENT_BASE: String(dataset.attachmentBase),
    BENCH_PER_RECORD: String(dataset.perRecord),
    BENCH_TOKEN: dataset.token,
    BENCH_OFFSET: '0',
  };
  const warm = wrk(`http://127.0.0.1:${port}`, env, 2);
  const result = {
    ...wrk(`http://127.0.0.1:${port}`, { ...env, BENCH_OFFSET: String(warm.requests + 1000) }),
    ...rss(child.pid),
  };
  if (result.requests + warm.requests > size)
    result.note = 'ran out of distinct attachments: raise the dataset size';
  await stop(child);
  rmSync(dataDir, { recursive: true, force: true });
  return { ...result, dataset: size, env };
}

async function findPort(pid) {
  for (let i = 0; i < 200; i++) {
    try {
      const ss = execFileSync('ss', ['-ltnpH'], { encoding: 'utf8' });
      const line = ss.split('\n').find((l) => l.includes(`pid=${pid},`));
      if (line) return Number(/127\.0\.0\.1:(\d+)/.exec(line)[1]);
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('server did not start');
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, wrk ${execFileSync('dpkg-query', ['-W', `-f=${'$'}{Version}`, 'wrk'], { encoding: 'utf8' })}`;
console.log(`machine: ${machine}`);
console.log(`wrk -t1 -c${connections} -d${duration}s, server on core 0, wrk on core 1\n`);

const dummyEnv = {
  BENCH_PREFIX: '9100000',
  BENCH_RECORD_BASE: '1',
  BENCH_ATTACHMENT_BASE: '1',
  BENCH_PER_RECORD: '1000',
  BENCH_TOKEN: 'x',
  BENCH_OFFSET: '0',
};
const base = await ceiling(dummyEnv);
const rows = [{ name: 'ceiling: bare node:http, success JSON', ...base }];
for (const size of sizes) {
  const r = await realServer(size);
  rows.push({
    name: `DELETE attachment (durable, authenticated), ${size.toLocaleString('en')} attachments`,
    ...r,
  });
}
rmSync(tmp, { recursive: true, force: true });

const table = [
  '| Scenario | req/s | ratio to ceiling | p50 ms | p99 ms | non-2xx | server RSS MB (peak) |',
  '|---|---|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.name} | ${Math.round(r.rps).toLocaleString('en')} | ${(r.rps / base.rps).toFixed(2)}× | ${r.p50ms.toFixed(2)} | ${r.p99ms.toFixed(2)} | ${r.non2xx} | ${r.rssMB.toFixed(0)} (${r.peakMB.toFixed(0)}) |`,
  ),
].join('\n');
console.log(table);

if (args.write && !args['no-write']) {
  const command = `npm run bench -- --duration ${duration} --connections ${connections} --sizes ${sizes.join(',')}`;
  const stamp = new Date().toISOString();
  writeFileSync(
    join(root, 'docs/benchmarks.json'),
    `${JSON.stringify({ date: stamp, machine, command, connections, duration, rows: rows.map(({ env, ...r }) => r) }, null, 2)}\n`,
  );
  const docPath = join(root, 'docs/benchmarks.md');
  const doc = readFileSync(docPath, 'utf8');
  const start = '<!-- results:start -->';
  const end = '<!-- results:end -->';
  const block = `${start}\nRun of ${stamp} on ${machine}.\n\nCommand: \`${command}\`\n\n${table}\n${end}`;
  writeFileSync(docPath, doc.replace(new RegExp(`${start}[\\s\\S]*${end}`), block));
}
