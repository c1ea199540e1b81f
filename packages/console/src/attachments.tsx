import { useEffect, useState } from 'preact/hooks';
import { bigin, biginJson, upload } from './bigin.js';
import { describe, type Item } from './items.js';
import { ErrorAlert } from './parts.js';
import { ScrollPre } from './scroll.js';

interface Preview {
  name: string;
  type: string;
  url: string;
  text?: string;
}

/** A record's attachments: drag-and-drop upload with progress, preview, download, delete. */
export function AttachmentsPanel(props: {
  orgId: string;
  module: string;
  recordId: string;
  onChanged: () => void;
}) {
  const { orgId } = props;
  const [files, setFiles] = useState<Item[] | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const filesPath = `/${props.module}/${encodeURIComponent(props.recordId)}/Attachments`;

  const load = async () => {
    try {
      const page = await biginJson<{ data: Item[] }>(
        orgId,
        'GET',
        `${filesPath}?fields=id,File_Name,Size,Created_Time,$type`,
      );
      setFiles(page?.data ?? []);
      setError(null);
    } catch (e) {
      setError(describe(e));
    }
  };
  useEffect(() => {
    void load();
    return () => {
      if (preview) URL.revokeObjectURL(preview.url);
    };
  }, []);

  const send = async (list: FileList | null) => {
    if (!list) return;
    try {
      for (const file of Array.from(list)) {
        setProgress(0);
        await upload(orgId, filesPath, file, setProgress);
      }
      setError(null);
    } catch (e) {
      setError(describe(e));
    } finally {
      setProgress(null);
      await load();
    }
  };

  const open = async (f: Item) => {
    try {
      const res = await bigin(orgId, 'GET', `${filesPath}/${encodeURIComponent(f.id)}`);
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
    try {
      await bigin(orgId, 'DELETE', `${filesPath}/${encodeURIComponent(f.id)}`);
      if (preview?.name === f.File_Name) setPreview(null);
      await load();
      props.onChanged();
    } catch (e) {
      setError(describe(e));
    }
  };

  return (
    <aside class="card" aria-label="Attachments">
      <h2>Attachments</h2>
      <ErrorAlert error={error} />
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
  );
}
