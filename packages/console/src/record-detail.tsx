import { useEffect, useState } from 'preact/hooks';
import { bigin, biginJson, NAME_FIELDS } from './bigin.js';
import { describe, type Item, nameOf } from './items.js';
import { ErrorAlert } from './parts.js';
import { ScrollPre } from './scroll.js';

/** Each module's related lists (docs/related-records.md); Notes comes on its own below. */
const RELATED: Record<string, string[]> = {
  Contacts: ['Pipelines', 'Products'],
  Accounts: ['Contacts', 'Pipelines', 'Products'],
  Pipelines: ['Contacts', 'Products'],
  Products: ['Contacts', 'Pipelines', 'Accounts'],
};
const HAS_NOTES = new Set(['Contacts', 'Accounts', 'Pipelines', 'Products', 'Tasks', 'Events']);

type BatchAnswer = { data: Array<{ code: string; message: string; details: unknown }> };
const checked = (answer: BatchAnswer | null) => {
  const item = answer?.data[0];
  if (item && item.code !== 'SUCCESS')
    throw new Error(`${item.code}: ${item.message} ${JSON.stringify(item.details)}`);
};

/** One record: its fields (edit as JSON, delete), tags, notes and related records. */
export function RecordDetail(props: {
  orgId: string;
  module: string;
  id: string;
  onChanged: () => void;
  onDeleted: () => void;
}) {
  const { orgId, module, id } = props;
  const path = `/${module}/${encodeURIComponent(id)}`;
  const [record, setRecord] = useState<Item | null>(null);
  const [edit, setEdit] = useState<string | null>(null);
  const [tag, setTag] = useState('');
  const [notes, setNotes] = useState<Item[] | null>(null);
  const [related, setRelated] = useState<Record<string, Item[]>>({});
  const [error, setError] = useState<string | null>(null);

  const load = async () => {
    try {
      const answer = await biginJson<{ data: Item[] }>(orgId, 'GET', path);
      setRecord(answer?.data[0] ?? null);
      setError(null);
    } catch (e) {
      setError(describe(e));
    }
  };
  useEffect(() => {
    void load();
    if (HAS_NOTES.has(module))
      biginJson<{ data: Item[] }>(orgId, 'GET', `${path}/Notes?fields=Note_Title,Note_Content`)
        .then((a) => setNotes(a?.data ?? []))
        .catch(() => setNotes(null));
    for (const list of RELATED[module] ?? []) {
      const fields = ['id', ...(NAME_FIELDS[list] ?? [])].join(',');
      biginJson<{ data: Item[] }>(orgId, 'GET', `${path}/${list}?fields=${fields}`)
        .then((a) => setRelated((old) => ({ ...old, [list]: a?.data ?? [] })))
        .catch(() => {});
    }
  }, []);

  const run = async (work: () => Promise<unknown>) => {
    try {
      await work();
      setError(null);
      await load();
      props.onChanged();
    } catch (e) {
      setError(e instanceof SyntaxError ? 'the fields are not valid JSON' : describe(e));
    }
  };
  const tags = (record?.Tag as Array<{ name: string }> | undefined) ?? [];

  return (
    <aside class="card" aria-label="Record">
      <h2>
        {record ? nameOf(module, record) : module} <code>{id}</code>
      </h2>
      <ErrorAlert error={error} />
      <div class="row">
        <button
          type="button"
          onClick={() => setEdit(edit === null ? JSON.stringify(editable(record), null, 2) : null)}
        >
          {edit === null ? 'Edit fields' : 'Cancel edit'}
        </button>
        <button
          type="button"
          class="danger"
          onClick={() =>
            confirm(`Delete ${module} ${id}? It goes to the recycle bin.`) &&
            void (async () => {
              try {
                checked(await biginJson<BatchAnswer>(orgId, 'DELETE', path));
                props.onDeleted();
              } catch (e) {
                setError(describe(e));
              }
            })()
          }
        >
          Delete record
        </button>
      </div>
      {edit !== null && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              checked(await biginJson<BatchAnswer>(orgId, 'PUT', path, { data: [JSON.parse(edit)] }));
              setEdit(null);
            });
          }}
        >
          <label for="record-edit">Fields to change, as JSON (the API's rules apply)</label>
          <textarea
            id="record-edit"
            rows={8}
            spellcheck={false}
            value={edit}
            onInput={(e) => setEdit((e.target as HTMLTextAreaElement).value)}
          />
          <button type="submit">Save</button>
        </form>
      )}
      <h3>Tags</h3>
      <ul class="tags">
        {tags.map((t) => (
          <li key={t.name}>
            {t.name}{' '}
            <button
              type="button"
              class="quiet small"
              aria-label={`Remove tag ${t.name}`}
              onClick={() =>
                run(() =>
                  bigin(orgId, 'POST', `${path}/actions/remove_tags?tag_names=${encodeURIComponent(t.name)}`),
                )
              }
            >
              ×
            </button>
          </li>
        ))}
        {tags.length === 0 && <li class="muted">No tags.</li>}
      </ul>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (tag.trim())
            void run(async () => {
              await bigin(
                orgId,
                'POST',
                `${path}/actions/add_tags?tag_names=${encodeURIComponent(tag.trim())}`,
              );
              setTag('');
            });
        }}
      >
        <label for="record-tag" class="visually-hidden">
          Tag name
        </label>
        <input
          id="record-tag"
          placeholder="Tag name"
          value={tag}
          onInput={(e) => setTag((e.target as HTMLInputElement).value)}
        />
        <button type="submit">Add tag</button>
      </form>
      {notes && (
        <>
          <h3>Notes</h3>
          <ul class="files">
            {notes.map((n) => (
              <li key={n.id}>
                <strong>{String(n.Note_Title ?? '')}</strong> <span>{String(n.Note_Content ?? '')}</span>
              </li>
            ))}
            {notes.length === 0 && <li class="muted">No notes.</li>}
          </ul>
        </>
      )}
      {Object.entries(related).map(([list, items]) => (
        <div key={list}>
          <h3>Related {list}</h3>
          <ul class="files">
            {items.map((r) => (
              <li key={r.id}>
                {nameOf(list, r)} <code class="muted">{r.id}</code>
              </li>
            ))}
            {items.length === 0 && <li class="muted">None.</li>}
          </ul>
        </div>
      ))}
      <h3>Fields</h3>
      {record && <ScrollPre label="The record's fields">{JSON.stringify(record, null, 2)}</ScrollPre>}
    </aside>
  );
}

/** The fields a user may send back: not the id or the system's own times, owners and tags. */
function editable(record: Item | null): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record ?? {}))
    if (
      !['id', 'Tag', 'Created_Time', 'Modified_Time', 'Created_By', 'Modified_By', 'Owner'].includes(k) &&
      !k.startsWith('$')
    )
      out[k] = v;
  return out;
}
