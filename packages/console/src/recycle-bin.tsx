import { admin } from './api.js';
import { ErrorAlert, TableHead } from './parts.js';
import { TableWrap } from './scroll.js';
import { act, type SectionProps, useAdminGet } from './use-admin.js';

interface Bin {
  attachments: Array<{
    id: string;
    record: string;
    module: string;
    fileName: string;
    deletedAt: string;
    purgeAfter: string;
  }>;
  records: Array<{ id: string; module: string; name: string; deletedAt: string; purgeAfter: string }>;
}

/** The organisation's recycle bin: what a delete took, until the purge after retention; restore. */
export function RecycleBin(props: SectionProps & { orgId: string; onRestored: () => void }) {
  const base = `/organizations/${encodeURIComponent(props.orgId)}/recycle-bin`;
  const { data, error, reload, setError } = useAdminGet<Bin>(`${base}?limit=50`, props);
  const restore = (kind: 'attachments' | 'records', id: string) =>
    act(
      () => admin('POST', `${base}/${kind}/${id}/restore`),
      setError,
      async () => {
        await reload();
        props.onRestored();
      },
    );
  const rows = [
    ...(data?.attachments.map((a) => ({
      kind: 'attachments' as const,
      what: a.fileName,
      of: `${a.module} ${a.record}`,
      ...a,
    })) ?? []),
    ...(data?.records.map((r) => ({ kind: 'records' as const, what: r.name, of: r.module, ...r })) ?? []),
  ];
  return (
    <section aria-labelledby="bin-title">
      <div class="row spread">
        <h2 id="bin-title">Recycle bin</h2>
        <button type="button" class="quiet" onClick={() => void reload()}>
          Refresh recycle bin
        </button>
      </div>
      <ErrorAlert error={error} />
      <TableWrap label="Deleted items">
        <table>
          <TableHead columns={['Deleted', 'What', 'Of', 'Purged after']} actions />
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.kind}/${r.id}`}>
                <td>
                  <time>{r.deletedAt}</time>
                </td>
                <td>
                  {r.what} <code class="muted">{r.id}</code>
                </td>
                <td>{r.of}</td>
                <td>
                  <time>{r.purgeAfter}</time>
                </td>
                <td class="actions">
                  <button
                    type="button"
                    aria-label={`Restore ${r.what}`}
                    onClick={() => restore(r.kind, r.id)}
                  >
                    Restore
                  </button>
                </td>
              </tr>
            ))}
            {data && rows.length === 0 && (
              <tr>
                <td colSpan={5}>The recycle bin is empty.</td>
              </tr>
            )}
          </tbody>
        </table>
      </TableWrap>
    </section>
  );
}
