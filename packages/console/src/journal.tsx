import { useEffect, useState } from 'preact/hooks';
import { AdminError, admin, type JournalEntry, stream } from './api.js';
import { ErrorAlert, TableHead } from './parts.js';
import { ScrollPre, TableWrap } from './scroll.js';
import type { SectionProps } from './use-admin.js';

const KEEP = 500;

interface Filter {
  org: string;
  status: string;
  code: string;
  path: string;
}

function query(f: Filter): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v.trim()) q.set(k, v.trim());
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The request journal: newest first, filtered, with a live tail; each row opens its details. */
export function JournalSection(props: SectionProps) {
  const [filter, setFilter] = useState<Filter>({ org: '', status: '', code: '', path: '' });
  const [entries, setEntries] = useState<JournalEntry[]>([]);
  const [selected, setSelected] = useState<JournalEntry | null>(null);
  const [live, setLive] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const q = query(filter);

  useEffect(() => {
    let cancelled = false;
    admin<{ entries: JournalEntry[] }>('GET', `/journal${q}`)
      .then((page) => {
        if (!cancelled) {
          setEntries(page.entries);
          setError(null);
        }
      })
      .catch((e: unknown) => {
        if (e instanceof AdminError && e.status === 401) props.onUnauthorized();
        else setError(e instanceof Error ? e.message : String(e));
      });
    if (!live)
      return () => {
        cancelled = true;
      };
    const abort = new AbortController();
    stream(
      `/journal/stream${q}`,
      (data) => setEntries((old) => [data as JournalEntry, ...old].slice(0, KEEP)),
      abort.signal,
    ).catch((e: unknown) => {
      if (!abort.signal.aborted) setError(e instanceof Error ? e.message : String(e));
    });
    return () => {
      cancelled = true;
      abort.abort();
    };
  }, [q, live]);

  const field = (name: keyof Filter, label: string, placeholder: string) => (
    <div class="field">
      <label for={`journal-${name}`}>{label}</label>
      <input
        id={`journal-${name}`}
        placeholder={placeholder}
        value={filter[name]}
        onChange={(e) => setFilter({ ...filter, [name]: (e.target as HTMLInputElement).value })}
      />
    </div>
  );

  return (
    <section aria-labelledby="journal-title">
      <h1 id="journal-title">Journal</h1>
      <ErrorAlert error={error} />
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        {field('org', 'Organisation', 'any')}
        {field('status', 'Status', '4xx, 204…')}
        {field('code', 'Code', 'INVALID_TOKEN…')}
        {field('path', 'Path', '/bigin/v2/…')}
        <label class="check">
          <input
            type="checkbox"
            checked={live}
            onChange={(e) => setLive((e.target as HTMLInputElement).checked)}
          />
          Live
        </label>
      </form>
      <div class="split">
        <TableWrap label="Journal entries">
          <table>
            <TableHead columns={['Time', 'Request', 'Status', 'Rule']} />
            <tbody>
              {entries.map((e) => (
                <tr
                  key={e.seq}
                  class={selected?.seq === e.seq ? 'selected' : ''}
                  data-status={String(e.status)}
                >
                  <td>
                    <time>{e.at.slice(11, 23)}</time>
                  </td>
                  <td>
                    <button type="button" class="link" onClick={() => setSelected(e)}>
                      {e.method} {e.path}
                    </button>
                  </td>
                  <td>
                    <span class={`status s${String(e.status)[0]}`}>{e.status}</span> {e.code ?? ''}
                    {e.fault ? <span class="badge">forced</span> : null}
                  </td>
                  <td>{e.rule ?? ''}</td>
                </tr>
              ))}
              {entries.length === 0 && (
                <tr>
                  <td colSpan={4}>No requests yet{live ? ': they appear here as they arrive.' : '.'}</td>
                </tr>
              )}
            </tbody>
          </table>
        </TableWrap>
        {selected && (
          <aside class="card" aria-label="Request details">
            <h2>
              {selected.method} {selected.path}
            </h2>
            <dl class="facts" data-testid="journal-facts">
              <dt>Answer</dt>
              <dd>
                {selected.status} {selected.code ?? ''}
              </dd>
              <dt>Rule</dt>
              <dd>{selected.rule ?? '—'}</dd>
              <dt>Forced fault</dt>
              <dd>{selected.fault ? String(selected.fault) : 'none'}</dd>
              <dt>Organisation</dt>
              <dd>{selected.orgId ?? '—'}</dd>
              <dt>Latency</dt>
              <dd>{selected.latencyMs === undefined ? '—' : `${selected.latencyMs} ms`}</dd>
            </dl>
            {typeof selected.requestBody === 'string' && (
              <>
                <h3>Request body (redacted)</h3>
                <ScrollPre label="Request body">{selected.requestBody}</ScrollPre>
              </>
            )}
            {typeof selected.responseBody === 'string' && (
              <>
                <h3>Response body (redacted)</h3>
                <ScrollPre label="Response body">{selected.responseBody}</ScrollPre>
              </>
            )}
            <details>
              <summary>Everything the journal holds</summary>
              <ScrollPre label="Request details as JSON">{JSON.stringify(selected, null, 2)}</ScrollPre>
            </details>
            <button type="button" class="quiet" onClick={() => setSelected(null)}>
              Close
            </button>
          </aside>
        )}
      </div>
    </section>
  );
}
