import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { addStoreListener } from '../../storage/store-events.js';

/**
 * The process's Prometheus metrics. One registry per process (every port of it shares it), so
 * that a scrape sees the whole process, like the store events that feed it.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'bigin_http_requests_total',
    help: 'HTTP requests answered, by route pattern, method, status and Bigin code.',
    labelNames: ['route', 'method', 'status', 'code'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'bigin_http_request_duration_seconds',
    help: 'Time from request to the end of the answer, by route pattern and method.',
    labelNames: ['route', 'method'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly groupCommitWrites = new Histogram({
    name: 'bigin_sqlite_group_commit_writes',
    help: 'Writes that shared one SQLite transaction (and its fsync).',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
    registers: [this.registry],
  });
  readonly groupCommitSeconds = new Histogram({
    name: 'bigin_sqlite_group_commit_seconds',
    help: 'Duration of one group-commit transaction, fsync included.',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly tokenCache = new Counter({
    name: 'bigin_token_cache_lookups_total',
    help: 'Token lookups by the in-process cache (SQLite), by result.',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly purgeRuns = new Counter({
    name: 'bigin_purge_runs_total',
    help: 'Purge runs, by outcome.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly purged = new Counter({
    name: 'bigin_purged_total',
    help: 'Items the purge removed, by kind (attachments, records, abandoned blobs).',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly purgeBacklog = new Gauge({
    name: 'bigin_purge_last_batch_full',
    help: '1 when the last purge run filled its batch (more is waiting), else 0.',
    registers: [this.registry],
  });
  readonly ready = new Gauge({
    name: 'bigin_ready',
    help: '1 while the last readiness check passed, 0 otherwise.',
    registers: [this.registry],
  });
  readonly #unsubscribe: () => void;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'bigin_' });
    this.#unsubscribe = addStoreListener({
      groupCommit: (writes, seconds) => {
        this.groupCommitWrites.observe(writes);
        this.groupCommitSeconds.observe(seconds);
      },
      tokenCache: (hit) => this.tokenCache.inc({ result: hit ? 'hit' : 'miss' }),
    });
  }

  purgeReport(report: { attachments: number; records?: number; abandonedBlobs?: number }, batchSize: number) {
    this.purgeRuns.inc({ outcome: 'ok' });
    this.purged.inc({ kind: 'attachments' }, report.attachments);
    this.purged.inc({ kind: 'records' }, report.records ?? 0);
    this.purged.inc({ kind: 'abandoned_blobs' }, report.abandonedBlobs ?? 0);
    this.purgeBacklog.set(report.attachments >= batchSize ? 1 : 0);
  }

  close(): void {
    this.#unsubscribe();
    this.registry.clear();
  }
}
