import { APIError, BiginError, OAuthError } from '../errors.js';
import { CliError } from './exit-codes.js';

export interface Output {
  json: boolean;
  out: (text: string) => void;
  err: (text: string) => void;
}

/** A plain text table for people: header row, padded columns. */
export function table(rows: Array<Record<string, unknown>>, columns: string[]): string {
  const cell = (v: unknown) =>
    v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(columns), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n');
}

/** The error as scripts read it (`--json`), or one line for people. */
export function describeError(error: unknown, json: boolean): string {
  if (json) {
    const body: Record<string, unknown> = {
      type: error instanceof Error ? error.name : 'Error',
      message: error instanceof Error ? error.message : String(error),
    };
    if (error instanceof APIError)
      Object.assign(body, {
        status: error.status,
        code: error.code,
        details: error.details,
        requestId: error.requestId,
      });
    if (error instanceof OAuthError) Object.assign(body, { error: error.error, status: error.status });
    return JSON.stringify({ error: body });
  }
  if (error instanceof APIError) {
    const details = Object.keys(error.details).length ? ` ${JSON.stringify(error.details)}` : '';
    const id = error.requestId ? ` (request id ${error.requestId})` : '';
    return `error: ${error.code ?? error.name} (HTTP ${error.status}): ${error.message}${details}${id}`;
  }
  if (error instanceof OAuthError) return `error: OAuth: ${error.message}`;
  if (error instanceof BiginError || error instanceof CliError) return `error: ${error.message}`;
  return `error: ${error instanceof Error ? error.message : String(error)}`;
}
