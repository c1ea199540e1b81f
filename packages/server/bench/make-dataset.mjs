// Builds a benchmark data folder directly in SQLite (fixture loading is too slow for millions of
// rows): one organisation, an administrator with a full-scope token, contacts holding
// `--attachments` link attachments (`--per-record` each), a contact with 1 KB and 1 MB files (bytes
// written where the blob store expects them), an empty contact for uploads, and an OAuth client
// with `--refresh-tokens` refresh tokens (each may be refreshed 10 times in 10 minutes, so the load
// script rotates over them), and `--contacts` searchable contacts. Prints, as JSON, what the load
// scripts need.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { blobKeyFor } from '../dist/domain/blob-keys.js';
import { PROFILE_TEMPLATES } from '../dist/domain/permissions.js';
import { SqliteMetadataStore } from '../dist/storage/sqlite/sqlite-metadata-store.js';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    attachments: { type: 'string', default: '100000' },
    'per-record': { type: 'string', default: '1000' },
    'files-1k': { type: 'string', default: '200' },
    'files-1m': { type: 'string', default: '20' },
    'refresh-tokens': { type: 'string', default: '20000' },
    // Contacts with a name, an e-mail and a phone, for search at size (0: none).
    contacts: { type: 'string', default: '0' },
  },
});
const dataDir = values['data-dir'];
const total = Number(values.attachments);
const perRecord = Number(values['per-record']);
const files1k = Number(values['files-1k']);
const files1m = Number(values['files-1m']);
const refreshTokens = Number(values['refresh-tokens']);
const contacts = Number(values.contacts);
const prefix = '9100000';
const id = (n) => prefix + String(n).padStart(12, '0');
const sha256 = (v) => createHash('sha256').update(v).digest('hex');
const token = '1000.bench000000000000000000000000000.00000000000000000000000000000000';
const clientId = '1000.BENCHCLIENT0000000000000000000';
const clientSecret = 'bench0000000000000000000000000000000000000';
// Refresh token n is `1000.<n as 32 hex digits>.<32 zeros>` (scenario.lua builds the same).
const refreshToken = (n) => `1000.${n.toString(16).padStart(32, '0')}.${'0'.repeat(32)}`;
const now = Date.now();

const store = new SqliteMetadataStore({ path: join(dataDir, 'bigin.sqlite'), synchronous: 'OFF' });
const db = store.db;
// Bulk load only: no journal to keep. The server reopens the file with its own settings.
db.pragma('journal_mode = OFF');
db.pragma('cache_size = -262144');
const ORG = id(1);
const USER = id(2);
const FILE_RECORD = id(5);
const UPLOAD_RECORD = id(6);
const RECORD_BASE = 1_000_000;
const ATTACHMENT_BASE = 100_000_000;
const FILE_1K_BASE = 200_000_000;
const FILE_1M_BASE = 300_000_000;
// Below the attachment ids and above the attachment-holding records, whatever their number.
const CONTACT_BASE = 50_000_000;
// Search takes a module's own scope (not modules.ALL) paired with ZohoSearch.securesearch.READ.
const SCOPES =
  'ZohoBigin.modules.ALL,ZohoBigin.modules.attachments.ALL,ZohoBigin.modules.contacts.ALL,ZohoSearch.securesearch.READ';

function writeFiles(base, count, size) {
  const bytes = Buffer.alloc(size, 0x61);
  const digest = sha256(bytes);
  const rows = [];
  for (let i = 0; i < count; i++) {
    const key = blobKeyFor(ORG, id(base + i));
    const path = join(dataDir, 'blobs', ...key.split('/'));
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, bytes);
    rows.push({ id: id(base + i), key, size, digest });
  }
  return rows;
}

db.transaction(() => {
  db.prepare("INSERT INTO organizations VALUES (?, 'Bench', 'us', ?, ?, '[]', ?)").run(
    ORG,
    prefix,
    400_000_000,
    now,
  );
  db.prepare('INSERT INTO profiles VALUES (?, ?, ?, 1, ?)').run(
    ORG,
    id(3),
    'Administrator',
    JSON.stringify(PROFILE_TEMPLATES.Administrator.permissions),
  );
  db.prepare('INSERT INTO roles VALUES (?, ?, ?, NULL, 0)').run(ORG, id(4), 'CEO');
  db.prepare(
    "INSERT INTO users (org_id, id, name, email, profile_id, role_id, active, time_zone) VALUES (?, ?, 'Bench Admin', 'bench@example.com', ?, ?, 1, 'UTC')",
  ).run(ORG, USER, id(3), id(4));
  db.prepare(
    "INSERT INTO access_tokens (hash, org_id, user_id, client_id, scopes, data_center, expires_at, revoked_at, created_at) VALUES (?, ?, ?, NULL, ?, 'us', ?, NULL, ?)",
  ).run(sha256(token), ORG, USER, SCOPES, now + 30 * 86_400_000, now);
  const records = Math.ceil(total / perRecord);
  const rec = db.prepare(
    "INSERT INTO records (org_id, id, module, name, owner_id, created_at, modified_at) VALUES (?, ?, 'Contacts', ?, ?, ?, ?)",
  );
  rec.run(ORG, FILE_RECORD, 'Files', USER, now, now);
  rec.run(ORG, UPLOAD_RECORD, 'Uploads', USER, now, now);
  for (let r = 0; r < records; r++) rec.run(ORG, id(RECORD_BASE + r), `Contact ${r}`, USER, now, now);
  const file = db.prepare(
    "INSERT INTO attachments (org_id, id, record_id, module, kind, file_name, content_type, size, blob_key, link_url, sha256, owner_id, created_by, modified_by, created_at, modified_at) VALUES (?, ?, ?, 'Contacts', 'file', 'bench.bin', 'application/octet-stream', ?, ?, NULL, ?, ?, ?, ?, ?, ?)",
  );
  for (const f of [
    ...writeFiles(FILE_1K_BASE, files1k, 1024),
    ...writeFiles(FILE_1M_BASE, files1m, 1024 * 1024),
  ])
    file.run(ORG, f.id, FILE_RECORD, f.size, f.key, f.digest, USER, USER, USER, now, now);
  db.prepare(
    "INSERT INTO oauth_clients (id, name, secret_hash, redirect_uris, created_at, client_type) VALUES (?, 'Bench', ?, '[]', ?, 'self')",
  ).run(clientId, sha256(clientSecret), now);
  const refresh = db.prepare(
    "INSERT INTO oauth_refresh_tokens (hash, client_id, org_id, user_id, scopes, data_center, created_at) VALUES (?, ?, ?, ?, ?, 'us', ?)",
  );
  for (let n = 0; n < refreshTokens; n++)
    refresh.run(sha256(refreshToken(n)), clientId, ORG, USER, SCOPES, now);
})();
const att = db.prepare(
  "INSERT INTO attachments (org_id, id, record_id, module, kind, file_name, content_type, size, blob_key, link_url, sha256, owner_id, created_by, modified_by, created_at, modified_at) VALUES (?, ?, ?, 'Contacts', 'link', 'link', NULL, 0, NULL, 'https://example.com/', NULL, ?, ?, ?, ?, ?)",
);
// One attachment a second, as a real history would have them (not all tied at one instant).
const at = (i) => now - (total - i) * 1000;
const batch = db.transaction((from, to) => {
  for (let i = from; i < to; i++)
    att.run(
      ORG,
      id(ATTACHMENT_BASE + i),
      id(RECORD_BASE + Math.floor(i / perRecord)),
      USER,
      USER,
      USER,
      at(i),
      at(i),
    );
});
for (let i = 0; i < total; i += 200_000) batch(i, Math.min(total, i + 200_000));

// Contact n: Last_Name `Surname<n, 7 digits>`, Email `contact<n>@example.com`, Phone
// `+1555<n, 7 digits>` (scenario.lua builds the same). The search indexes of migration 10 are
// already in place, so the load also pays for keeping them, as live inserts do.
const contact = db.prepare(
  "INSERT INTO records (org_id, id, module, name, owner_id, created_at, modified_at, fields, created_by, modified_by) VALUES (?, ?, 'Contacts', ?, ?, ?, ?, ?, ?, ?)",
);
const contactBatch = db.transaction((from, to) => {
  for (let n = from; n < to; n++) {
    const digits = String(n).padStart(7, '0');
    const fields = {
      First_Name: 'Bench',
      Last_Name: `Surname${digits}`,
      Email: `contact${n}@example.com`,
      Phone: `+1555${digits}`,
    };
    contact.run(
      ORG,
      id(CONTACT_BASE + n),
      `Bench Surname${digits}`,
      USER,
      at(0),
      at(0),
      JSON.stringify(fields),
      USER,
      USER,
    );
  }
});
for (let n = 0; n < contacts; n += 100_000) contactBatch(n, Math.min(contacts, n + 100_000));
db.pragma('journal_mode = WAL');
await store.close();
process.stdout.write(
  `${JSON.stringify({
    token,
    prefix,
    recordBase: RECORD_BASE,
    attachmentBase: ATTACHMENT_BASE,
    perRecord,
    total,
    records: Math.ceil(total / perRecord),
    fileRecord: FILE_RECORD,
    uploadRecord: UPLOAD_RECORD,
    file1kBase: FILE_1K_BASE,
    files1k,
    file1mBase: FILE_1M_BASE,
    files1m,
    clientId,
    clientSecret,
    refreshTokens,
    contactBase: CONTACT_BASE,
    contacts,
  })}\n`,
);
