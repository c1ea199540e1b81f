import { useEffect, useState } from 'preact/hooks';
import type { Organization } from './api.js';
import { bigin, biginJson, NAME_FIELDS, upload } from './bigin.js';
import { ScrollPre, TableWrap } from './scroll.js';
import { type SectionProps, useAdminGet } from './use-admin.js';

type Item = Record<string, unknown> & { id: string };
interface Preview {
  name: string;
  type: string;
  url: string;
  text?: string;
}

const describe = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Records and their attachments, through the real API rules (a token minted for the org's admin). */
export function RecordsSection(props: SectionProps) {
  const orgs = useAdminGet<{ organizations: Organization[] }>('/organizations', props);
  const [orgId, setOrgId] = useState('');
  const [module, setModule] = useState('Contacts');
  const [records, setRecords] = useState<Item[] | null>(null);
  const [record, setRecord] = useState<Item | null>(null);
  const [files, setFiles] = useState<Item[] | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    if (!orgId && orgs.data?.organizations[0]) setOrgId(orgs.data.organizations[0].id);
  }, [orgs.data]);

  // A later choice of organisation or module wins: an answer to an earlier one is dropped, or a
  // slow first answer could replace the list the user asked for.
  useEffect(() => {
    setRecord(null);
    if (!orgId) return;
    let current = true;
    const fields = ['id', ...(NAME_FIELDS[module] ?? [])].join(',');
    biginJson<{ data: Item[] }>(orgId, 'GET', `/${module}?fields=${fields}&per_page=50`)
      .then((page) => {
        if (!current) return;
        setRecords(page?.data ?? []);
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
  }, [orgId, module]);

  const filesPath = (r: Item) => `/${module}/${encodeURIComponent(r.id)}/Attachments`;
  const loadFiles = async (r: Item) => {
    try {
      const page = await biginJson<{ data: Item[] }>(
        orgId,
        'GET',
        `${filesPath(r)}?fields=id,File_Name,Size,Created_Time,$type`,
      );
      setFiles(page?.data ?? []);
      setError(null);
    } catch (e) {
      setError(describe(e));
    }
  };
  useEffect(() => {
    setFiles(null);
    setPreview(null);
    if (record) void loadFiles(record);
  }, [record]);

  const send = async (list: FileList | null) => {
    if (!record || !list) return;
    try {
      for (const file of Array.from(list)) {
        setProgress(0);
        await upload(orgId, filesPath(record), file, setProgress);
      }
      setError(null);
    } catch (e) {
      setError(describe(e));
    } finally {
      setProgress(null);
      await loadFiles(record);
    }
  };

  const open = async (f: Item) => {
    if (!record) return;
    try {
      const res = await bigin(orgId, 'GET', `${filesPath(record)}/${encodeURIComponent(f.id)}`);
      const blob = await res.blob();
      const type = res.headers.get('content-type') ?? blob.type;
      const shown: Preview = { name: String(f.File_Name ?? f.id), type, url: URL.createObjectURL(blob) };
      if (type.startsWith('text/') || type.includes('json')) shown.text = await blob.text();
      if (preview) URL.revokeObjectURL(preview.url);
      setPreview(shown);
    } catch (e) {
      setError(describe(e));
    }
  };

  const remove = async (f: Item) => {
    if (!record) return;
    try {
      await bigin(orgId, 'DELETE', `${filesPath(record)}/${encodeURIComponent(f.id)}`);
      await loadFiles(record);
    } catch (e) {
      setError(describe(e));
    }
  };

  return (
    <section aria-labelledby="records-title">
      <h1 id="records-title">Records and attachments</h1>
      {(error || orgs.error) && (
        <p role="alert" class="error">
          {error ?? orgs.error}
        </p>
      )}
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
      </div>
      <div class="split">
        <TableWrap label="Records">
          <table>
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">Name</th>
              </tr>
            </thead>
            <tbody>
              {records?.map((r) => (
                <tr key={r.id} class={record?.id === r.id ? 'selected' : ''}>
                  <td>
                    <button type="button" class="link" onClick={() => setRecord(r)}>
                      {r.id}
                    </button>
                  </td>
                  <td>
                    {(NAME_FIELDS[module] ?? [])
                      .map((k) => r[k])
                      .filter((v) => v !== null && v !== undefined)
                      .join(' ')}
                  </td>
                </tr>
              ))}
              {records?.length === 0 && (
                <tr>
                  <td colSpan={2}>No {module} in this organisation.</td>
                </tr>
              )}
            </tbody>
          </table>
        </TableWrap>
        {record && (
          <aside class="card" aria-label="Attachments">
            <h2>
              Attachments of <code>{record.id}</code>
            </h2>
            <label
              class={`dropzone${dragging ? ' over' : ''}`}
              data-testid="dropzone"
              onDragOver={(e) => {
                e.preventDefault();
                setDragging(true);
              }}
              onDragLeave={() => setDragging(false)}
              onDrop={(e) => {
                e.preventDefault();
                setDragging(false);
                void send(e.dataTransfer?.files ?? null);
              }}
            >
              Drop files here, or choose them
              <input type="file" multiple onChange={(e) => void send((e.target as HTMLInputElement).files)} />
            </label>
            {progress !== null && (
              <progress value={progress} max={1} aria-label="Upload progress">
                {Math.round(progress * 100)}%
              </progress>
            )}
            <ul class="files">
              {files?.map((f) => (
                <li key={f.id}>
                  <span>{String(f.File_Name ?? f.id)}</span>
                  <span class="muted">{f.Size ? `${String(f.Size)} B` : ''}</span>
                  <button type="button" onClick={() => open(f)}>
                    Preview
                  </button>
                  <button type="button" class="danger" onClick={() => remove(f)}>
                    Delete
                  </button>
                </li>
              ))}
              {files?.length === 0 && <li>No attachments.</li>}
            </ul>
            {preview && (
              <figure class="preview" aria-label={`Preview of ${preview.name}`}>
                <figcaption>
                  {preview.name} <span class="muted">{preview.type}</span>{' '}
                  <a href={preview.url} download={preview.name}>
                    Download
                  </a>
                </figcaption>
                {preview.type.startsWith('image/') && <img src={preview.url} alt={preview.name} />}
                {preview.type === 'application/pdf' && <iframe src={preview.url} title={preview.name} />}
                {preview.text !== undefined && <ScrollPre label="File content">{preview.text}</ScrollPre>}
              </figure>
            )}
          </aside>
        )}
      </div>
      <p class="muted">
        Calls go through the Bigin API with a token minted for the organisation's administrator, so every rule
        applies and each call appears in the journal. Deleted attachments go to the recycle bin (restore:{' '}
        <code>bigin-server admin recycle-bin restore</code>).
      </p>
    </section>
  );
}
