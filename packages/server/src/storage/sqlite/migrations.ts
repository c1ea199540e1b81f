/**
 * SQLite schema, one entry per version. Applied in order, each in its own transaction, and
 * recorded in `schema_migrations`; never edit a shipped entry, add a new one.
 */
export const SQLITE_MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE oauth_clients (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        secret_hash TEXT NOT NULL,
        redirect_uris TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE organizations (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        data_center TEXT NOT NULL,
        id_prefix TEXT NOT NULL,
        next_seq INTEGER NOT NULL,
        disabled_modules TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX organizations_prefix ON organizations (data_center, id_prefix);
      CREATE TABLE profiles (
        org_id TEXT NOT NULL REFERENCES organizations (id),
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        is_admin INTEGER NOT NULL,
        permissions TEXT NOT NULL,
        PRIMARY KEY (org_id, id)
      );
      CREATE TABLE roles (
        org_id TEXT NOT NULL REFERENCES organizations (id),
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        reports_to TEXT,
        share_with_peers INTEGER NOT NULL,
        PRIMARY KEY (org_id, id)
      );
      CREATE TABLE users (
        org_id TEXT NOT NULL REFERENCES organizations (id),
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        email TEXT NOT NULL,
        profile_id TEXT NOT NULL,
        role_id TEXT NOT NULL,
        active INTEGER NOT NULL,
        time_zone TEXT NOT NULL,
        PRIMARY KEY (org_id, id),
        FOREIGN KEY (org_id, profile_id) REFERENCES profiles (org_id, id),
        FOREIGN KEY (org_id, role_id) REFERENCES roles (org_id, id)
      );
      CREATE TABLE access_tokens (
        hash TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES organizations (id),
        user_id TEXT NOT NULL,
        client_id TEXT,
        scopes TEXT NOT NULL,
        data_center TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        revoked_at INTEGER,
        created_at INTEGER NOT NULL,
        FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id)
      );
      CREATE TABLE records (
        org_id TEXT NOT NULL REFERENCES organizations (id),
        id TEXT NOT NULL,
        module TEXT NOT NULL,
        name TEXT NOT NULL,
        owner_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        modified_at INTEGER NOT NULL,
        deleted_at INTEGER,
        PRIMARY KEY (org_id, id),
        FOREIGN KEY (org_id, owner_id) REFERENCES users (org_id, id)
      );
      CREATE TABLE attachments (
        org_id TEXT NOT NULL REFERENCES organizations (id),
        id TEXT NOT NULL,
        record_id TEXT NOT NULL,
        module TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('file', 'link')),
        file_name TEXT NOT NULL,
        content_type TEXT,
        size INTEGER NOT NULL,
        blob_key TEXT,
        link_url TEXT,
        sha256 TEXT,
        owner_id TEXT NOT NULL,
        created_by TEXT NOT NULL,
        modified_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        modified_at INTEGER NOT NULL,
        deleted_at INTEGER,
        deleted_by TEXT,
        purge_claimed_at INTEGER,
        PRIMARY KEY (org_id, id),
        FOREIGN KEY (org_id, record_id) REFERENCES records (org_id, id)
      );
      CREATE INDEX attachments_by_record ON attachments (org_id, record_id, created_at DESC, id DESC)
        WHERE deleted_at IS NULL;
      CREATE INDEX attachments_recycle_bin ON attachments (deleted_at) WHERE deleted_at IS NOT NULL;
      CREATE TABLE blob_journal (
        blob_key TEXT PRIMARY KEY,
        begun_at INTEGER NOT NULL
      );
      CREATE INDEX blob_journal_age ON blob_journal (begun_at);
    `,
  },
  {
    version: 2,
    name: 'oauth: passwords, client types, grant codes, refresh tokens, consents',
    sql: `
      ALTER TABLE users ADD COLUMN password_hash TEXT;
      ALTER TABLE oauth_clients ADD COLUMN client_type TEXT NOT NULL DEFAULT 'server'
        CHECK (client_type IN ('server', 'self'));
      ALTER TABLE access_tokens ADD COLUMN refresh_token_hash TEXT;
      ALTER TABLE access_tokens ADD COLUMN from_refresh INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX access_tokens_by_refresh ON access_tokens (refresh_token_hash, created_at)
        WHERE refresh_token_hash IS NOT NULL;
      CREATE TABLE oauth_grant_codes (
        hash TEXT PRIMARY KEY,
        client_id TEXT NOT NULL REFERENCES oauth_clients (id),
        org_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        scopes TEXT NOT NULL,
        data_center TEXT NOT NULL,
        redirect_uri TEXT,
        issue_refresh INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER,
        created_at INTEGER NOT NULL,
        FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id)
      );
      CREATE INDEX oauth_grant_codes_expiry ON oauth_grant_codes (expires_at);
      CREATE TABLE oauth_refresh_tokens (
        hash TEXT PRIMARY KEY,
        client_id TEXT NOT NULL REFERENCES oauth_clients (id),
        org_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        scopes TEXT NOT NULL,
        data_center TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER,
        FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id)
      );
      CREATE INDEX oauth_refresh_tokens_live ON oauth_refresh_tokens (org_id, user_id, client_id, created_at)
        WHERE revoked_at IS NULL;
      CREATE TABLE oauth_consents (
        org_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        client_id TEXT NOT NULL REFERENCES oauth_clients (id),
        granted_at INTEGER NOT NULL,
        PRIMARY KEY (org_id, user_id, client_id),
        FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id)
      );
    `,
  },
  {
    version: 3,
    name: 'record field values, cascade bookkeeping',
    // deleted_with names the record whose delete took this row to the recycle bin (itself for the
    // record deleted directly), so that restoring that record brings back exactly what went with it.
    sql: `
      ALTER TABLE records ADD COLUMN fields TEXT NOT NULL DEFAULT '{}';
      ALTER TABLE records ADD COLUMN created_by TEXT;
      ALTER TABLE records ADD COLUMN modified_by TEXT;
      ALTER TABLE records ADD COLUMN deleted_by TEXT;
      ALTER TABLE records ADD COLUMN deleted_with TEXT;
      ALTER TABLE attachments ADD COLUMN deleted_with TEXT;
      CREATE INDEX records_live_by_module ON records (org_id, module, length(id), id) WHERE deleted_at IS NULL;
      CREATE INDEX records_deleted_with ON records (org_id, deleted_with) WHERE deleted_with IS NOT NULL;
      CREATE INDEX records_recycle_bin ON records (deleted_at) WHERE deleted_at IS NOT NULL;
      CREATE INDEX attachments_deleted_with ON attachments (org_id, deleted_with) WHERE deleted_with IS NOT NULL;
      CREATE INDEX attachments_live_by_record ON attachments (org_id, record_id) WHERE deleted_at IS NULL;
      CREATE INDEX records_note_parent ON records (org_id, json_extract(fields, '$.Parent_Id.id'))
        WHERE module = 'Notes';
      CREATE INDEX records_contact_account ON records (org_id, json_extract(fields, '$.Account_Name.id'))
        WHERE module = 'Contacts';
    `,
  },
  {
    version: 4,
    name: 'attachment listing index in list order',
    // The list orders by (created_at DESC, length(id) DESC, id DESC): with length(id) in the index
    // a page is read straight off it, instead of sorting every attachment of the record that shares
    // a created_at (all of them, for fixtures loaded at one instant). It also serves every lookup of
    // the two indexes it replaces, so a delete maintains one partial index less.
    sql: `
      CREATE INDEX attachments_listing ON attachments (org_id, record_id, created_at DESC, length(id) DESC, id DESC)
        WHERE deleted_at IS NULL;
      DROP INDEX attachments_by_record;
      DROP INDEX attachments_live_by_record;
    `,
  },
  {
    version: 5,
    name: 'auth epoch for the token cache',
    // Every change to what a token grants bumps auth_epoch.n in the same transaction, whichever
    // connection or process makes it (admin commands, fixture loads, revocation, token eviction).
    // The in-process token cache (auth-grant-cache.ts) reads n on every request and drops
    // everything when it moved, so a revocation takes effect on the very next request.
    // Organizations: only the columns a grant carries (uploads bump next_seq constantly).
    sql: `
      CREATE TABLE auth_epoch (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
      INSERT INTO auth_epoch VALUES (1, 0);
      CREATE TRIGGER auth_epoch_access_tokens_update AFTER UPDATE ON access_tokens
        BEGIN UPDATE auth_epoch SET n = n + 1 WHERE id = 1; END;
      CREATE TRIGGER auth_epoch_access_tokens_delete AFTER DELETE ON access_tokens
        BEGIN UPDATE auth_epoch SET n = n + 1 WHERE id = 1; END;
      CREATE TRIGGER auth_epoch_users_insert AFTER INSERT ON users
        BEGIN UPDATE auth_epoch SET n = n + 1 WHERE id = 1; END;
      CREATE TRIGGER auth_epoch_users_update AFTER UPDATE ON users
        BEGIN UPDATE auth_epoch SET n = n + 1 WHERE id = 1; END;
      CREATE TRIGGER auth_epoch_users_delete AFTER DELETE ON users
        BEGIN UPDATE auth_epoch SET n = n + 1 WHERE id = 1; END;
      CREATE TRIGGER auth_epoch_profiles_insert AFTER INSERT ON profiles
        BEGIN UPDATE auth_epoch SET n = n + 1 WHERE id = 1; END;
      CREATE TRIGGER auth_epoch_profiles_update AFTER UPDATE ON profiles
        BEGIN UPDATE auth_epoch SET n = n + 1 WHERE id = 1; END;
      CREATE TRIGGER auth_epoch_profiles_delete AFTER DELETE ON profiles
        BEGIN UPDATE auth_epoch SET n = n + 1 WHERE id = 1; END;
      CREATE TRIGGER auth_epoch_organizations_insert AFTER INSERT ON organizations
        BEGIN UPDATE auth_epoch SET n = n + 1 WHERE id = 1; END;
      CREATE TRIGGER auth_epoch_organizations_update AFTER UPDATE OF id, data_center, disabled_modules ON organizations
        BEGIN UPDATE auth_epoch SET n = n + 1 WHERE id = 1; END;
      CREATE TRIGGER auth_epoch_organizations_delete AFTER DELETE ON organizations
        BEGIN UPDATE auth_epoch SET n = n + 1 WHERE id = 1; END;
    `,
  },
  {
    version: 6,
    name: 'issue 17: api credit ledger',
    // One row per charged call (a call is freed 24 h after its time); limits per organisation.
    // No foreign key: an organisation reset elsewhere must not be blocked by its ledger.
    sql: `
      CREATE TABLE api_credit_limits (
        org_id TEXT PRIMARY KEY,
        enabled INTEGER NOT NULL,
        edition TEXT NOT NULL,
        licences INTEGER NOT NULL,
        concurrency INTEGER
      );
      CREATE TABLE api_credit_calls (
        org_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        credits INTEGER NOT NULL
      );
      CREATE INDEX api_credit_calls_org_at ON api_credit_calls (org_id, at);
    `,
  },
  {
    version: 7,
    name: 'issue 18: notification channels and their outbox',
    // watch_events holds one row per subscribed {Module}.{operation}; record writes look it up by
    // (org, module, operation) inside their own transaction and, only when a live channel matches,
    // append to notification_outbox in that same transaction. An outbox row is also the delivery
    // log of its callback (attempts, last response, latency).
    sql: `
      CREATE TABLE watch_channels (
        org_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        data_center TEXT NOT NULL,
        notify_url TEXT NOT NULL,
        token TEXT,
        expires_at INTEGER NOT NULL,
        return_affected_field_values INTEGER NOT NULL,
        notify_on_related_action INTEGER NOT NULL,
        events TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (org_id, channel_id)
      );
      CREATE TABLE watch_events (
        org_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        module TEXT NOT NULL,
        operation TEXT NOT NULL,
        PRIMARY KEY (org_id, module, operation, channel_id),
        FOREIGN KEY (org_id, channel_id) REFERENCES watch_channels (org_id, channel_id) ON DELETE CASCADE
      );
      CREATE INDEX watch_events_by_channel ON watch_events (org_id, channel_id);
      CREATE TABLE notification_outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        org_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        module TEXT NOT NULL,
        operation TEXT NOT NULL,
        ids TEXT NOT NULL,
        affected_fields TEXT NOT NULL,
        affected_values TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        next_attempt_at INTEGER NOT NULL,
        lease_until INTEGER,
        last_response_code INTEGER,
        last_latency_ms INTEGER,
        last_error TEXT,
        finished_at INTEGER
      );
      CREATE INDEX notification_outbox_due ON notification_outbox (next_attempt_at, seq) WHERE status = 'pending';
      CREATE INDEX notification_outbox_by_channel ON notification_outbox (org_id, channel_id, seq);
      -- The claim's "oldest pending of its channel" test reads pending rows only, however long the log.
      CREATE INDEX notification_outbox_pending_by_channel ON notification_outbox (org_id, channel_id, seq)
        WHERE status = 'pending';
    `,
  },
  {
    version: 8,
    name: 'issue 12: user details, custom fields, layouts, org details',
    // JSON text: read whole, never queried into. details keeps the Users API's extra keys.
    sql: `
      ALTER TABLE users ADD COLUMN details TEXT NOT NULL DEFAULT '{}';
      CREATE TABLE org_metadata (
        org_id TEXT PRIMARY KEY REFERENCES organizations (id),
        customization TEXT NOT NULL,
        details TEXT NOT NULL
      );
    `,
  },
  {
    version: 9,
    name: 'issue 14: installation secrets',
    sql: `CREATE TABLE installation_secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL, created_at INTEGER NOT NULL);`,
  },
  {
    version: 10,
    name: 'issue 13: search indexes, record links',
    // Issue 13. Search: lower-cased email, phone and name fields, one partial expression index per
    // (module, field) of storage/search-indexes.ts, spelt as the search SQL spells them. Related
    // records: many-to-many links (Products with Contacts, Pipelines, Accounts), each pair stored
    // once with a < b; links stay while either record is in the recycle bin, so restore needs nothing.
    sql: `
      CREATE INDEX records_search_contacts_email ON records (org_id, lower(json_extract(fields, '$.Email')))
        WHERE module = 'Contacts' AND deleted_at IS NULL;
      CREATE INDEX records_search_contacts_phone ON records (org_id, lower(json_extract(fields, '$.Phone')))
        WHERE module = 'Contacts' AND deleted_at IS NULL;
      CREATE INDEX records_search_contacts_mobile ON records (org_id, lower(json_extract(fields, '$.Mobile')))
        WHERE module = 'Contacts' AND deleted_at IS NULL;
      CREATE INDEX records_search_contacts_home_phone ON records (org_id, lower(json_extract(fields, '$.Home_Phone')))
        WHERE module = 'Contacts' AND deleted_at IS NULL;
      CREATE INDEX records_search_contacts_last_name ON records (org_id, lower(json_extract(fields, '$.Last_Name')))
        WHERE module = 'Contacts' AND deleted_at IS NULL;
      CREATE INDEX records_search_contacts_first_name ON records (org_id, lower(json_extract(fields, '$.First_Name')))
        WHERE module = 'Contacts' AND deleted_at IS NULL;
      CREATE INDEX records_search_accounts_account_name ON records (org_id, lower(json_extract(fields, '$.Account_Name')))
        WHERE module = 'Accounts' AND deleted_at IS NULL;
      CREATE INDEX records_search_accounts_phone ON records (org_id, lower(json_extract(fields, '$.Phone')))
        WHERE module = 'Accounts' AND deleted_at IS NULL;
      CREATE INDEX records_search_pipelines_deal_name ON records (org_id, lower(json_extract(fields, '$.Deal_Name')))
        WHERE module = 'Pipelines' AND deleted_at IS NULL;
      CREATE INDEX records_search_products_product_name ON records (org_id, lower(json_extract(fields, '$.Product_Name')))
        WHERE module = 'Products' AND deleted_at IS NULL;
      CREATE TABLE record_links (
        org_id TEXT NOT NULL,
        a TEXT NOT NULL,
        b TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (org_id, a, b)
      ) WITHOUT ROWID;
      CREATE INDEX record_links_reverse ON record_links (org_id, b, a);
    `,
  },
  {
    version: 11,
    name: 'issue 13: tags, record tags',
    // Issue 13 item 5 (docs/tags.md). name_key is the lower-cased name, unique per module: Bigin
    // refuses a second tag of a name in any case. Record tags stay while a record is in the
    // recycle bin, so that a restore brings them back with nothing to do.
    sql: `
      CREATE TABLE tags (
        org_id TEXT NOT NULL,
        id TEXT NOT NULL,
        module TEXT NOT NULL,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        colour_code TEXT,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        modified_by TEXT NOT NULL,
        modified_at INTEGER NOT NULL,
        PRIMARY KEY (org_id, id)
      ) WITHOUT ROWID;
      CREATE UNIQUE INDEX tags_by_name ON tags (org_id, module, name_key);
      CREATE TABLE record_tags (
        org_id TEXT NOT NULL,
        record_id TEXT NOT NULL,
        tag_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (org_id, record_id, tag_id)
      ) WITHOUT ROWID;
      CREATE INDEX record_tags_by_tag ON record_tags (org_id, tag_id, record_id);
      `,
  },
  {
    version: 14,
    name: 'unique-field indexes',
    // The duplicate check of insert, update and upsert (storage/search-indexes.ts UNIQUE_INDEXES):
    // the folded value that check compares, one partial index per standard unique field, so that
    // it is a point read at any size. `bigin_fold` is the connection's own function
    // (sqlite-functions.ts), registered on every connection before anything touches records.
    sql: `
      CREATE INDEX records_unique_contacts_email ON records (org_id, bigin_fold(json_extract(fields, '$.Email')))
        WHERE module = 'Contacts' AND deleted_at IS NULL;
      CREATE INDEX records_unique_accounts_account_name ON records (org_id, bigin_fold(json_extract(fields, '$.Account_Name')))
        WHERE module = 'Accounts' AND deleted_at IS NULL;
      CREATE INDEX records_unique_pipelines_deal_name ON records (org_id, bigin_fold(json_extract(fields, '$.Deal_Name')))
        WHERE module = 'Pipelines' AND deleted_at IS NULL;
      CREATE INDEX records_unique_products_product_name ON records (org_id, bigin_fold(json_extract(fields, '$.Product_Name')))
        WHERE module = 'Products' AND deleted_at IS NULL;
    `,
  },
  {
    version: 15,
    name: 'issue 13: record photos',
    // Issue 13 item 6 (docs/photos.md, D20). One live photo per record (deleted_at NULL), the
    // organisation's under module 'org' with its own id as record_id. Replaced and deleted photos
    // keep their row until the purge has removed their bytes, so no bytes outlive their metadata.
    // A record's photo stays while the record is in the recycle bin, for its restore.
    sql: `
      CREATE TABLE record_photos (
        org_id TEXT NOT NULL,
        id TEXT NOT NULL,
        record_id TEXT NOT NULL,
        module TEXT NOT NULL,
        file_name TEXT NOT NULL,
        content_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        blob_key TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        deleted_at INTEGER,
        PRIMARY KEY (org_id, id)
      ) WITHOUT ROWID;
      CREATE UNIQUE INDEX record_photos_live ON record_photos (org_id, record_id) WHERE deleted_at IS NULL;
      CREATE INDEX record_photos_gone ON record_photos (deleted_at) WHERE deleted_at IS NOT NULL;
    `,
  },
  {
    version: 16,
    name: 'issue 16: admin baselines',
    // What the admin API's reset restores, per organisation (D26): kept with the data, so that a
    // reset after a restart, or on another node, restores the same state. No foreign key to
    // organizations: a reset deletes the organisation and imports it again from its baseline.
    sql: `
      CREATE TABLE admin_baselines (
        org_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        snapshot TEXT NOT NULL,
        template TEXT,
        fixture_sha256 TEXT,
        recorded_at INTEGER NOT NULL
      );
    `,
  },
];
