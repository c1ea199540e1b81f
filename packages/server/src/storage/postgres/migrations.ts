/**
 * PostgreSQL schema, one entry per version, the same tables and indexes as SQLite's (times are
 * BIGINT milliseconds, flags BOOLEAN, lists JSONB). Applied in order, each in its own
 * transaction, under an advisory lock so that nodes starting together migrate once; recorded in
 * `schema_migrations`. Never edit a shipped entry, add a new one.
 */
export const POSTGRES_MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE oauth_clients (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        secret_hash TEXT NOT NULL,
        redirect_uris JSONB NOT NULL,
        created_at BIGINT NOT NULL
      );
      CREATE TABLE organizations (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        data_center TEXT NOT NULL,
        id_prefix TEXT NOT NULL,
        next_seq BIGINT NOT NULL,
        disabled_modules JSONB NOT NULL,
        created_at BIGINT NOT NULL
      );
      CREATE UNIQUE INDEX organizations_prefix ON organizations (data_center, id_prefix);
      CREATE TABLE profiles (
        org_id TEXT NOT NULL REFERENCES organizations (id),
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        is_admin BOOLEAN NOT NULL,
        permissions JSONB NOT NULL,
        PRIMARY KEY (org_id, id)
      );
      CREATE TABLE roles (
        org_id TEXT NOT NULL REFERENCES organizations (id),
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        reports_to TEXT,
        share_with_peers BOOLEAN NOT NULL,
        PRIMARY KEY (org_id, id)
      );
      CREATE TABLE users (
        org_id TEXT NOT NULL REFERENCES organizations (id),
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        email TEXT NOT NULL,
        profile_id TEXT NOT NULL,
        role_id TEXT NOT NULL,
        active BOOLEAN NOT NULL,
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
        expires_at BIGINT NOT NULL,
        revoked_at BIGINT,
        created_at BIGINT NOT NULL,
        FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id)
      );
      CREATE TABLE records (
        org_id TEXT NOT NULL REFERENCES organizations (id),
        id TEXT NOT NULL,
        module TEXT NOT NULL,
        name TEXT NOT NULL,
        owner_id TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        modified_at BIGINT NOT NULL,
        deleted_at BIGINT,
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
        size BIGINT NOT NULL,
        blob_key TEXT,
        link_url TEXT,
        sha256 TEXT,
        owner_id TEXT NOT NULL,
        created_by TEXT NOT NULL,
        modified_by TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        modified_at BIGINT NOT NULL,
        deleted_at BIGINT,
        deleted_by TEXT,
        purge_claimed_at BIGINT,
        PRIMARY KEY (org_id, id),
        FOREIGN KEY (org_id, record_id) REFERENCES records (org_id, id)
      );
      CREATE INDEX attachments_by_record ON attachments (org_id, record_id, created_at DESC, id DESC)
        WHERE deleted_at IS NULL;
      CREATE INDEX attachments_recycle_bin ON attachments (deleted_at) WHERE deleted_at IS NOT NULL;
      -- One organisation's recycle bin, newest first, is an index scan (SQLite filters the global one).
      CREATE INDEX attachments_recycle_bin_by_org ON attachments (org_id, deleted_at DESC, id DESC)
        WHERE deleted_at IS NOT NULL AND purge_claimed_at IS NULL;
      CREATE TABLE blob_journal (
        blob_key TEXT PRIMARY KEY,
        begun_at BIGINT NOT NULL
      );
      CREATE INDEX blob_journal_age ON blob_journal (begun_at);
    `,
  },
];
