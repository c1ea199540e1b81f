import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { type BulkSummary, Journal, runBulk } from './bulk.js';
import { configDir } from './config-store.js';
import type { Context, GlobalOptions } from './context.js';
import { EXIT } from './exit-codes.js';
import type { Output } from './output.js';
import { Progress } from './progress.js';

export interface BulkCommand<T> {
  /** Verb for messages: "Deleted", "Downloaded". */
  verb: string;
  noun: string;
  /** What identifies the job, so re-running the same command finds its journal. */
  jobKey: string[];
  items: T[];
  key: (item: T) => string;
  action: (item: T) => Promise<void>;
  alreadyDone?: (error: unknown) => boolean;
  concurrency: number;
  journalPath: string | undefined;
}

export function parseConcurrency(value: string | undefined, fallback = 4): number {
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new Error('--concurrency must be an integer from 1 to 64');
  return n;
}

/**
 * Runs a bulk job with a journal, a progress display on stderr and Ctrl-C handling (first: finish
 * what is running and stop; second: quit at once), then prints the summary. Returns the exit code.
 */
export async function runBulkCommand<T>(
  command: BulkCommand<T>,
  globals: GlobalOptions,
  ctx: Context,
  output: Output,
): Promise<number> {
  const journalPath =
    command.journalPath ??
    join(
      configDir(ctx.env),
      'journals',
      `${createHash('sha256')
        .update(JSON.stringify([ctx.profileName, ...command.jobKey]))
        .digest('hex')
        .slice(0, 24)}.jsonl`,
    );
  const journal = new Journal(journalPath);
  if (journal.resuming && !globals.quiet) output.err(`Resuming from ${journalPath}`);
  const progress = new Progress(
    process.stderr,
    command.verb,
    command.items.length,
    Progress.modeFor(process.stderr, !!globals.quiet),
  );
  const stop = new AbortController();
  const onSigint = () => {
    if (stop.signal.aborted) process.exit(EXIT.INTERRUPTED);
    stop.abort();
    output.err('\nInterrupted: finishing the requests in flight (Ctrl-C again to quit at once)…');
  };
  process.on('SIGINT', onSigint);
  let summary: BulkSummary;
  try {
    summary = await runBulk({
      items: command.items,
      key: command.key,
      action: command.action,
      concurrency: command.concurrency,
      journal,
      progress,
      stopSignal: stop.signal,
      ...(command.alreadyDone ? { alreadyDone: command.alreadyDone } : {}),
    });
  } finally {
    process.off('SIGINT', onSigint);
  }
  if (output.json) {
    output.out(JSON.stringify(summary));
  } else {
    const skipped = summary.skipped ? `, ${summary.skipped} done in an earlier run` : '';
    output.out(
      `${command.verb} ${summary.succeeded} of ${summary.total} ${command.noun}; ${summary.failed} failed${skipped}.`,
    );
    for (const f of summary.failures)
      output.out(`  ${f.id}: ${f.code ?? 'error'}${f.status ? ` (HTTP ${f.status})` : ''}: ${f.message}`);
    if (summary.journal)
      output.out(`Run the same command again to resume or retry (journal ${summary.journal}).`);
  }
  if (summary.interrupted) return EXIT.INTERRUPTED;
  return summary.failed > 0 ? EXIT.PARTIAL_FAILURE : EXIT.OK;
}
