import { useEffect, useState } from 'preact/hooks';
import type { Organization } from './api.js';
import { AttachmentsPanel } from './attachments.js';
import { biginJson, NAME_FIELDS } from './bigin.js';
import { describe, type Item, nameOf } from './items.js';
import { RecordDetail } from './record-detail.js';
import { RecycleBin } from './recycle-bin.js';

const PER_PAGE = 20;

import { ErrorAlert, TableHead } from './parts.js';
import { TableWrap } from './scroll.js';
import { type SectionProps, useAdminGet } from './use-admin.js';

/**
 * Records per module (paging, criteria search, create), one record's fields, notes, tags, related
 * records and attachments, and the recycle bin: every call goes through the Bigin API with a token
 * minted for the organisation's administrator, so the API's rules apply and the journal shows them.
 */
export function RecordsSection(props: SectionProps) {
  const orgs = useAdminGet<{ organizations: Organization[] }>('/organizations', props);
  const [orgId, setOrgId] = useState('');
  const [module, setModule] = useState('Contacts');
  const [page, setPage] = useState(1);
  const [criteria, setCriteria] = useState('');
  const [applied, setApplied] = useState('');
  const [records, setRecords] = useState<Item[] | null>(null);
  const [more, setMore] = useState(false);
  const [record, setRecord] = useState<Item | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [draft, setDraft] = useState('');
  const [version, setVersion] = useState(0);
  const [binVersion, setBinVersion] = useState(0);
  const [restored, setRestored] = useState(0);

  useEffect(() => {
    if (!orgId && orgs.data?.organizations[0]) setOrgId(orgs.data.organizations[0].id);
  }, [orgs.data]);
  useEffect(() => {
    setPage(1);
    setRecord(null);
  }, [orgId, module, applied]);

  // A later choice wins: an answer to an earlier one is dropped, or a slow first answer could
  // replace the list the user asked for.
  useEffect(() => {
    if (!orgId) return;
    let current = true;
    const fields = ['id', ...(NAME_FIELDS[module] ?? [])].join(',');
    const q = new URLSearchParams({ fields, per_page: String(PER_PAGE), page: String(page) });
    if (applied) q.set('criteria', applied);
    biginJson<{ data: Item[]; info?: { more_records?: boolean } }>(
      orgId,
      'GET',
      `/${module}${applied ? '/search' : ''}?${q}`,
    )
      .then((answer) => {
        if (!current) return;
        setRecords(answer?.data ?? []);
        setMore(Boolean(answer?.info?.more_records));
        setError(null);
      })
      .catch((e: unknown) => {
        if (!current) return;
        setRecords(null);
        setError(describe(e));
      });
    return () => {
      current = false;
    };
  }, [orgId, module, page, applied, version]);

  const create = async () => {
    try {
      const fields = JSON.parse(draft) as Record<string, unknown>;
      const answer = await biginJson<{
        data: Array<{ code: string; message: string; details: { id?: string } }>;
      }>(orgId, 'POST', `/${module}`, { data: [fields] });
      const item = answer?.data[0];
      if (item?.code !== 'SUCCESS')
        throw new Error(`${item?.code}: ${item?.message} ${JSON.stringify(item?.details)}`);
      setCreating(false);
      setError(null);
      setVersion((v) => v + 1);
    } catch (e) {
      setError(e instanceof SyntaxError ? 'the new record is not valid JSON' : describe(e));
    }
  };

  return (
    <section aria-labelledby="records-title">
      <h1 id="records-title">Records and attachments</h1>
      <ErrorAlert error={error || orgs.error} />
      <div class="filters">
        <div class="field">
          <label for="records-org">Organisation</label>
          <select
            id="records-org"
            value={orgId}
            onChange={(e) => setOrgId((e.target as HTMLSelectElement).value)}
          >
            {orgs.data?.organizations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name} ({o.id})
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="records-module">Module</label>
          <select
            id="records-module"
            value={module}
            onChange={(e) => setModule((e.target as HTMLSelectElement).value)}
          >
            {Object.keys(NAME_FIELDS).map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </div>
        <form
          class="field grow"
          aria-label="Search records"
          onSubmit={(e) => {
            e.preventDefault();
            setApplied(criteria.trim());
          }}
        >
          <label for="records-criteria">Criteria, as the search API takes them</label>
          <div class="row">
            <input
              id="records-criteria"
              placeholder="(Last_Name:starts_with:Sm)"
              value={criteria}
              onInput={(e) => setCriteria((e.target as HTMLInputElement).value)}
            />
            <button type="submit">Search</button>
            {applied && (
              <button
                type="button"
                class="quiet"
                onClick={() => {
                  setCriteria('');
                  setApplied('');
                }}
              >
                Clear
              </button>
            )}
          </div>
        </form>
      </div>
      <div class="split">
        <div>
          <TableWrap label="Records">
            <table>
              <TableHead columns={['Id', 'Name']} />
              <tbody>
                {records?.map((r) => (
                  <tr key={r.id} class={record?.id === r.id ? 'selected' : ''}>
                    <td>
                      <button
                        type="button"
                        class="link"
                        aria-pressed={record?.id === r.id}
                        onClick={() => setRecord(r)}
                      >
                        {r.id}
                      </button>
                    </td>
                    <td>{nameOf(module, r)}</td>
                  </tr>
                ))}
                {records?.length === 0 && (
                  <tr>
                    <td colSpan={2}>
                      {applied ? 'No record matches.' : `No ${module} in this organisation.`}
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </TableWrap>
          <nav class="row" aria-label="Pages of records">
            <button type="button" class="quiet" disabled={page <= 1} onClick={() => setPage(page - 1)}>
              Previous page
            </button>
            <span>Page {page}</span>
            <button type="button" class="quiet" disabled={!more} onClick={() => setPage(page + 1)}>
              Next page
            </button>
            <button type="button" onClick={() => setCreating(!creating)} aria-expanded={creating}>
              New record
            </button>
          </nav>
          {creating && (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void create();
              }}
            >
              <label for="record-new">New {module} record: its fields as JSON (the API's rules apply)</label>
              <textarea
                id="record-new"
                rows={5}
                spellcheck={false}
                value={draft}
                placeholder={module === 'Contacts' ? '{"Last_Name": "Smith"}' : '{}'}
                onInput={(e) => setDraft((e.target as HTMLTextAreaElement).value)}
              />
              <button type="submit">Create record</button>
            </form>
          )}
        </div>
        {record && (
          <div class="stack">
            <RecordDetail
              key={`${orgId}/${record.id}`}
              orgId={orgId}
              module={module}
              id={record.id}
              onChanged={() => setVersion((v) => v + 1)}
              onDeleted={() => {
                setRecord(null);
                setVersion((v) => v + 1);
              }}
            />
            <AttachmentsPanel
              key={`a/${orgId}/${record.id}/${restored}`}
              orgId={orgId}
              module={module}
              recordId={record.id}
              onChanged={() => setBinVersion((v) => v + 1)}
            />
          </div>
        )}
      </div>
      {orgId && (
        <RecycleBin
          key={`bin/${orgId}/${version}/${binVersion}`}
          orgId={orgId}
          {...props}
          onRestored={() => {
            setVersion((v) => v + 1);
            setRestored((v) => v + 1);
          }}
        />
      )}
    </section>
  );
}
