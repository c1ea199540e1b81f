/**
 * Words for the routes the OpenAPI document lists. Paths and methods come from the routes
 * actually registered; a route missing here is still documented (with a generic summary), so a
 * new route never needs an entry to appear, only to read well.
 */
export interface CatalogueEntry {
  /** For routes registered for every method (the accounts endpoints check the method themselves). */
  methods?: string[];
  operations?: Record<string, { summary: string; description?: string; status?: string; response?: string }>;
}

export const ROUTE_CATALOGUE: Record<string, CatalogueEntry> = {
  '/bigin/v2/:module': {
    operations: {
      GET: { summary: 'List records of a module', response: '`{"data":[…],"info":{…}}`, or 204 when empty.' },
      POST: { summary: 'Insert records', response: 'One result per record.' },
      PUT: { summary: 'Update records', response: 'One result per record.', status: '200' },
      DELETE: { summary: 'Delete records by `ids`', response: 'One result per record.' },
    },
  },
  '/bigin/v2/:module/:recordId': {
    operations: {
      GET: { summary: 'Get one record' },
      PUT: { summary: 'Update one record' },
      DELETE: { summary: 'Delete one record (and what its delete takes along)' },
    },
  },
  '/bigin/v2/:module/:recordId/:related': {
    operations: { GET: { summary: 'List related records of a record' } },
  },
  '/bigin/v2/:module/:recordId/Notes': {
    operations: { GET: { summary: "List a record's notes" }, POST: { summary: 'Add notes to a record' } },
  },
  '/bigin/v2/:module/:recordId/Attachments': {
    operations: {
      GET: {
        summary: "List a record's attachments",
        description: 'Newest first; `fields` is required; `page`, `per_page` (≤ 200) page through them.',
        response: '`{"data":[…],"info":{…}}`, or 204 when there are none.',
      },
      POST: {
        summary: 'Upload an attachment',
        description: 'multipart/form-data with one `file` part, or `attachmentUrl` to link a URL.',
        status: '200',
        response: '`{"data":[{"code":"SUCCESS",…}]}`',
      },
    },
  },
  '/bigin/v2/:module/:recordId/Attachments/:attachmentId': {
    operations: {
      GET: { summary: 'Download an attachment', description: 'Byte ranges resume interrupted downloads.' },
      DELETE: { summary: 'Delete an attachment (to the recycle bin)' },
    },
  },
  '/oauth/v2/auth': {
    methods: ['GET', 'POST'],
    operations: {
      GET: { summary: 'Consent page (sign in and allow a client)', response: 'An HTML page.' },
      POST: {
        summary: 'Sign in and consent',
        status: '302',
        response: 'A redirect to the client with `code`.',
      },
    },
  },
  '/oauth/v2/token': {
    methods: ['POST'],
    operations: {
      POST: {
        summary: 'Token endpoint',
        description:
          '`grant_type=authorization_code` or `refresh_token`, form-encoded or as query parameters.',
        status: '200',
      },
    },
  },
  '/oauth/v2/token/revoke': {
    methods: ['POST'],
    operations: { POST: { summary: 'Revoke a refresh or access token', status: '200' } },
  },
  '/bigin/v2/coql': {
    operations: {
      POST: {
        summary: 'Query records with COQL (`select_query`)',
        description:
          'select … from … where … order by … limit … offset …; 200 records a call, 10,000 in all; scopes `ZohoBigin.coql.READ` and a module read scope.',
        status: '200',
        response: '`{"data":[…],"info":{"count":N,"more_records":bool}}`, or 204 when nothing matches.',
      },
    },
  },
  '/bigin/v2/settings/tags': {
    operations: {
      GET: { summary: "List a module's tags (`module`, `my_tags`)", response: '`{"tags":[…],"info":{…}}`.' },
      POST: { summary: 'Create tags in a module', response: 'One result per tag, under `tags`.' },
      PUT: { summary: 'Rename or recolour tags by id', response: 'One result per tag, under `tags`.' },
    },
  },
  '/bigin/v2/settings/tags/:tagId': { operations: { PUT: { summary: 'Rename one tag' } } },
  '/bigin/v2/:module/actions/add_tags': {
    operations: { POST: { summary: 'Add tags to up to 500 records (`ids`, `tag_names`, `over_write`)' } },
  },
  '/bigin/v2/:module/actions/remove_tags': {
    operations: { POST: { summary: 'Remove tags from up to 500 records (`ids`, `tag_names`)' } },
  },
  '/bigin/v2/:module/:recordId/actions/add_tags': {
    operations: { POST: { summary: 'Add tags to a record' } },
  },
  '/bigin/v2/:module/:recordId/actions/remove_tags': {
    operations: { POST: { summary: 'Remove tags from a record' } },
  },
  // Record and organisation photos (docs/photos.md, D20).
  '/bigin/v2/:module/:recordId/photo': {
    operations: {
      POST: {
        summary: "Upload a record's photo (Contacts, Accounts, Products)",
        description:
          'multipart/form-data, part `file`: PNG, JPEG, GIF or BMP, ≤ 10 MB and ≤ 10 MP; replaces any photo.',
        response:
          '`{"code":"SUCCESS","details":{},"message":"photo uploaded successfully","status":"success"}`.',
      },
      GET: { summary: "Download a record's photo", response: 'The image bytes, or 204 when there is none.' },
      DELETE: {
        summary: "Delete a record's photo",
        response: '`{"code":"SUCCESS",…,"message":"Photo deleted",…}`, or 204 when there is none.',
      },
    },
  },
  '/bigin/v2/org/photo': {
    operations: {
      POST: {
        summary: "Upload the organisation's photo (administrators)",
        description: 'multipart/form-data, part `file`: PNG, JPEG, GIF or BMP, ≤ 1 MB and ≤ 10 MP.',
        response:
          '`{"code":"SUCCESS","details":{},"message":"photo uploaded successfully","status":"success"}`.',
      },
      GET: {
        summary: "Download the organisation's photo",
        response: 'The image bytes, or 204 when there is none.',
      },
    },
  },
  '/bigin/v2/users': {
    operations: {
      GET: {
        summary: 'List users (`type`, `page`, `per_page`, `ids`)',
        response: '`{"users":[…],"info":{…}}`.',
      },
      POST: {
        summary: 'Add one user (administrators)',
        response: 'One result under `users`.',
        status: '201',
      },
      PUT: { summary: 'Update up to 100 users by id', response: 'One result per user, under `users`.' },
    },
  },
  '/bigin/v2/users/:userId': {
    operations: {
      GET: { summary: 'Get one user', response: '`{"users":[user]}`, or 204.' },
      PUT: { summary: 'Update one user', response: 'One result under `users`.' },
      DELETE: {
        summary: 'Delete one user (kept with status `deleted`)',
        response: 'One result under `users`.',
      },
    },
  },
  '/bigin/v2/org': { operations: { GET: { summary: 'The organisation', response: '`{"org":[org]}`.' } } },
  '/health': { operations: { GET: { summary: 'Liveness: the process answers' } } },
  '/ready': {
    operations: {
      GET: {
        summary: 'Readiness: both stores answer and the server is not shutting down',
        response: '`{"status":"ready",…}`; 503 otherwise.',
      },
    },
  },
  '/metrics': {
    operations: { GET: { summary: 'Prometheus metrics (loopback only unless METRICS_ACCESS=any)' } },
  },
  '/openapi.json': { operations: { GET: { summary: 'This document' } } },
  '/': { operations: { GET: { summary: 'The documentation page' } } },
};
