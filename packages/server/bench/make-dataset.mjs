// Builds a benchmark data folder directly in SQLite (fixture loading is too slow for millions of
// rows): one organisation, an administrator with a full-scope token, `--records` contacts and
// `--attachments` link attachments spread evenly over them. Prints what the load scripts need.
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { PROFILE_TEMPLATES } from '../dist/domain/permissions.js';
import { SqliteMetadataStore } from '../dist/storage/sqlite/sqlite-metadata-store.js';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    attachments: { type: 'string', default: '100000' },
    'per-record': { type: 'string', default: '1000' },
  },
});
const total = Number(values.attachments);
const perRecord = Number(values['per-record']);
const prefix = '9100000';
const id = (n) => prefix + String(n).padStart(12, '0');
const token = '1000.bench000000000000000000000000000.00000000000000000000000000000000';
const now = Date.now();

const store = new SqliteMetadataStore({ path: `${values['data-dir']}/bigin.sqlite`, synchronous: 'NORMAL' });
const db = store.db;
const ORG = id(1);
const USER = id(2);
const RECORD_BASE = 1_000_000;
const ATTACHMENT_BASE = 100_000_000;
db.transaction(() => {
  db.prepare("INSERT INTO organizations VALUES (?, 'Bench', 'us', ?, ?, '[]', ?)").run(
    ORG,
    prefix,
    ATTACHMENT_BASE + total + 1,
    now,
  );
  db.prepare('INSERT INTO profiles VALUES (?, ?, ?, 1, ?)').run(
    ORG,
    id(3),
    'Administrator',
    JSON.stringify(PROFILE_TEMPLATES.Administrator.permissions),
  );
  db.prepare('INSERT INTO roles VALUES (?, ?, ?, NULL, 0)').run(ORG, id(4), 'CEO');
  db.prepare("INSERT INTO users VALUES (?, ?, 'Bench Admin', 'bench@example.com', ?, ?, 1, 'UTC')").run(
    ORG,
    USER,
    id(3),
    id(4),
  );
  db.prepare(
    "INSERT INTO access_tokens VALUES (?, ?, ?, NULL, 'ZohoBigin.modules.ALL,ZohoBigin.modules.attachments.ALL', 'us', ?, NULL, ?)",
  ).run(createHash('sha256').update(token).digest('hex'), ORG, USER, now + 30 * 86_400_000, now);
  const records = Math.ceil(total / perRecord);
  const rec = db.prepare("INSERT INTO records VALUES (?, ?, 'Contacts', ?, ?, ?, ?, NULL)");
  for (let r = 0; r < records; r++) rec.run(ORG, id(RECORD_BASE + r), `Contact ${r}`, USER, now, now);
})();
const att = db.prepare(
  "INSERT INTO attachments (org_id, id, record_id, module, kind, file_name, content_type, size, blob_key, link_url, sha256, owner_id, created_by, modified_by, created_at, modified_at) VALUES (?, ?, ?, 'Contacts', 'link', 'link', NULL, 0, NULL, 'https://example.com/', NULL, ?, ?, ?, ?, ?)",
);
const batch = db.transaction((from, to) => {
  for (let i = from; i < to; i++)
    att.run(
      ORG,
      id(ATTACHMENT_BASE + i),
      id(RECORD_BASE + Math.floor(i / perRecord)),
      USER,
      USER,
      USER,
      now,
      now,
    );
});
for (let i = 0; i < total; i += 100_000) batch(i, Math.min(total, i + 100_000));
db.pragma('wal_checkpoint(TRUNCATE)');
await store.close();
process.stdout.write(
  `${JSON.stringify({ token, prefix, recordBase: RECORD_BASE, attachmentBase: ATTACHMENT_BASE, perRecord, total })}\n`,
);
