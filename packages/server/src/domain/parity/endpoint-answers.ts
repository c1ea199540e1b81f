import { FAILURES, type FailureName } from '@bigin-attachments/contract';
import { directoryEndpoints } from './directory-endpoints.js';
import { photoEndpoints } from './photo-endpoints.js';
import {
  BIGIN_STATUS,
  COQL_DOC,
  doc,
  EVERY_CALL,
  FAILURE_PROVENANCE,
  type Provenance,
  RECORD_WRITE,
  RECORDED,
} from './provenance.js';
import { TAG_ENDPOINTS } from './tag-endpoints.js';

export { FAILURE_PROVENANCE, type Provenance } from './provenance.js';

export interface Endpoint {
  method: string;
  /** As Bigin documents it. */
  path: string;
  /** As the server routes it (Fastify's pattern), for matching requests to endpoints. */
  route: string;
  /** Success answers: status and what it means. */
  successes: ReadonlyArray<{ status: number; answer: string; provenance: Provenance }>;
  failures: readonly FailureName[];
}

const ATTACHMENTS_DOC = 'https://www.bigin.com/developer/docs/apis/v2/attachments-api.html';
const ATTACHMENTS = '/bigin/v2/{module}/{record_id}/Attachments';

const { DIRECTORY_ENDPOINTS, SETTINGS_ENDPOINTS } = directoryEndpoints();

/** Every v2 endpoint the server serves on v2 and v1, and every answer it can give there. */
const V2_ENDPOINTS: readonly Endpoint[] = [
  ...DIRECTORY_ENDPOINTS,
  {
    method: 'GET',
    path: ATTACHMENTS,
    route: '/bigin/v2/:module/:recordId/Attachments',
    successes: [
      { status: 200, answer: 'a page of attachments', provenance: doc(ATTACHMENTS_DOC) },
      { status: 204, answer: 'nothing on this page', provenance: doc(BIGIN_STATUS, 'D6') },
    ],
    failures: [...EVERY_CALL, 'AUTHORIZATION_FAILED_VIEW_ATTACHMENT', 'INVALID_RELATED_ID', 'INVALID_DATA'],
  },
  {
    method: 'POST',
    path: ATTACHMENTS,
    route: '/bigin/v2/:module/:recordId/Attachments',
    successes: [{ status: 200, answer: 'attachment uploaded', provenance: doc(ATTACHMENTS_DOC) }],
    failures: [
      ...EVERY_CALL,
      'NO_PERMISSION',
      'AUTHORIZATION_FAILED_UPLOAD_ATTACHMENT',
      'INVALID_RELATED_ID',
      'MANDATORY_NOT_FOUND',
      'INVALID_DATA',
      'INVALID_ATTACHMENT_URL',
      'FILE_SIZE_MORE_THAN_ALLOWED_SIZE',
    ],
  },
  {
    method: 'GET',
    path: `${ATTACHMENTS}/{attachment_id}`,
    route: '/bigin/v2/:module/:recordId/Attachments/:attachmentId',
    successes: [
      { status: 200, answer: 'the file', provenance: doc(ATTACHMENTS_DOC) },
      { status: 204, answer: 'no such attachment', provenance: doc(BIGIN_STATUS, 'D6') },
      {
        status: 206,
        answer: 'a byte range of the file',
        provenance: { documented: null, decision: 'D6', recorded: null },
      },
      {
        status: 416,
        answer: 'range not satisfiable',
        provenance: { documented: null, decision: 'D6', recorded: null },
      },
    ],
    failures: [
      ...EVERY_CALL,
      'AUTHORIZATION_FAILED_VIEW_ATTACHMENT',
      'INVALID_RELATED_ID',
      'DOWNLOAD_NOT_ALLOWED',
    ],
  },
  {
    method: 'DELETE',
    path: `${ATTACHMENTS}/{attachment_id}`,
    route: '/bigin/v2/:module/:recordId/Attachments/:attachmentId',
    successes: [
      { status: 200, answer: 'record deleted', provenance: { ...doc(ATTACHMENTS_DOC), recorded: null } },
    ],
    failures: [
      ...EVERY_CALL,
      'NO_PERMISSION',
      'AUTHORIZATION_FAILED_DELETE_ATTACHMENT',
      'INVALID_RELATED_ID',
    ],
  },
  {
    method: 'GET',
    path: '/bigin/v2/{module}',
    route: '/bigin/v2/:module',
    successes: [
      {
        status: 200,
        answer: 'a page of records',
        provenance: {
          ...doc('https://www.bigin.com/developer/docs/apis/v2/get-records.html'),
          recorded: RECORDED,
        },
      },
      { status: 204, answer: 'no records', provenance: doc(BIGIN_STATUS) },
    ],
    failures: [...EVERY_CALL, 'INVALID_DATA', 'DISCRETE_PAGINATION_LIMIT_EXCEEDED'],
  },
  ...(['POST', 'PUT'] as const).map((method) => ({
    method,
    path: '/bigin/v2/{module}',
    route: '/bigin/v2/:module',
    successes: [
      {
        status: method === 'POST' ? 201 : 200,
        answer: 'the only record written',
        provenance: doc(BIGIN_STATUS, 'records D1'),
      },
      { status: 202, answer: 'several records written', provenance: doc(BIGIN_STATUS, 'records D1') },
      {
        status: 207,
        answer: 'some written, some refused',
        provenance: { documented: null, decision: 'records D1', recorded: null },
      },
      {
        status: 400,
        answer: 'every record refused (per-item errors)',
        provenance: { documented: null, decision: 'records D1', recorded: null },
      },
    ],
    failures: [...EVERY_CALL, ...RECORD_WRITE],
  })),
  {
    method: 'DELETE',
    path: '/bigin/v2/{module}',
    route: '/bigin/v2/:module',
    successes: [
      { status: 200, answer: 'the only record deleted', provenance: doc(BIGIN_STATUS, 'records D1') },
      { status: 202, answer: 'several records deleted', provenance: doc(BIGIN_STATUS, 'records D1') },
      {
        status: 207,
        answer: 'some deleted, some refused',
        provenance: { documented: null, decision: 'records D1', recorded: null },
      },
    ],
    failures: [
      ...EVERY_CALL,
      'NO_PERMISSION',
      'REQUIRED_PARAM_MISSING',
      'RECORDS_LIMIT_EXCEEDED',
      'INVALID_DATA',
    ],
  },
  {
    method: 'GET',
    path: '/bigin/v2/{module}/{record_id}',
    route: '/bigin/v2/:module/:recordId',
    successes: [
      {
        status: 200,
        answer: 'the record',
        provenance: doc('https://www.bigin.com/developer/docs/apis/v2/get-records.html'),
      },
      { status: 204, answer: 'no such record', provenance: doc(BIGIN_STATUS) },
    ],
    failures: [...EVERY_CALL, 'INVALID_DATA'],
  },
  {
    method: 'PUT',
    path: '/bigin/v2/{module}/{record_id}',
    route: '/bigin/v2/:module/:recordId',
    successes: [{ status: 200, answer: 'the record updated', provenance: doc(BIGIN_STATUS, 'records D1') }],
    failures: [...EVERY_CALL, ...RECORD_WRITE],
  },
  {
    method: 'DELETE',
    path: '/bigin/v2/{module}/{record_id}',
    route: '/bigin/v2/:module/:recordId',
    successes: [{ status: 200, answer: 'the record deleted', provenance: doc(BIGIN_STATUS, 'records D1') }],
    failures: [...EVERY_CALL, 'NO_PERMISSION', 'INVALID_DATA'],
  },
  {
    method: 'GET',
    path: '/bigin/v2/{module}/{record_id}/{related_list}',
    route: '/bigin/v2/:module/:recordId/:related',
    successes: [
      {
        status: 200,
        answer: 'a page of related records',
        provenance: doc('https://www.bigin.com/developer/docs/apis/v2/get-related-records.html'),
      },
      { status: 204, answer: 'no related records', provenance: doc(BIGIN_STATUS) },
    ],
    failures: [...EVERY_CALL, 'INVALID_RELATED_ID', 'INVALID_DATA'],
  },
  {
    method: 'POST',
    path: '/bigin/v2/{module}/{record_id}/Notes',
    route: '/bigin/v2/:module/:recordId/Notes',
    successes: [
      {
        status: 201,
        answer: 'the note added',
        provenance: doc('https://www.bigin.com/developer/docs/apis/v2/notes-api.html', 'records D1'),
      },
    ],
    failures: [...EVERY_CALL, ...RECORD_WRITE, 'INVALID_RELATED_ID'],
  },
  // Notification channels (docs/notifications.md).
  ...(['POST', 'GET', 'PUT', 'PATCH', 'DELETE'] as const).map((method) => ({
    method,
    path: '/bigin/v2/actions/watch',
    route: '/bigin/v2/actions/watch',
    successes: [
      {
        status: method === 'POST' ? 201 : 200,
        answer: method === 'GET' ? 'the channels' : 'every channel in the request changed',
        provenance: doc('https://www.bigin.com/developer/docs/apis/v2/notifications/overview.html', 'D12'),
      },
      ...(method === 'GET'
        ? [{ status: 204, answer: 'no channels', provenance: doc(BIGIN_STATUS) }]
        : [
            {
              status: 207,
              answer: 'some channels changed, some refused',
              provenance: { documented: null, decision: 'D12', recorded: null },
            },
          ]),
    ],
    failures: (method === 'GET'
      ? [...EVERY_CALL, 'INVALID_DATA']
      : [
          ...EVERY_CALL,
          'INVALID_JSON_BODY',
          'MANDATORY_NOT_FOUND',
          'INVALID_DATA',
          'WATCH_LIMIT_EXCEEDED',
        ]) as readonly FailureName[],
  })),
  // Search, upsert and the words under a module (docs/search.md, docs/upsert.md, D10).
  {
    method: 'GET',
    path: '/bigin/v2/{module}/search',
    route: '/bigin/v2/:module/search',
    successes: [
      {
        status: 200,
        answer: 'a page of matching records',
        provenance: doc('https://www.bigin.com/developer/docs/apis/v2/search-records.html'),
      },
      { status: 204, answer: 'no match', provenance: doc(BIGIN_STATUS) },
    ],
    failures: [
      ...EVERY_CALL,
      'SEARCH_PARAM_MISSING',
      'INVALID_QUERY',
      'SEARCH_LIMIT_REACHED',
      'INVALID_DATA',
    ] as readonly FailureName[],
  },
  {
    method: 'POST',
    path: '/bigin/v2/{module}/upsert',
    route: '/bigin/v2/:module/upsert',
    successes: [
      {
        status: 200,
        answer: 'every record inserted or updated (per-item action)',
        provenance: doc('https://www.bigin.com/developer/docs/apis/v2/upsert-records.html', 'D10'),
      },
    ],
    failures: [...EVERY_CALL, ...RECORD_WRITE],
  },
  // Tags (docs/tags.md, D19).
  ...TAG_ENDPOINTS,
  {
    method: 'POST',
    path: '/bigin/v2/{module}/actions/{action}',
    route: '/bigin/v2/:module/actions/:action',
    successes: [],
    failures: [...EVERY_CALL, 'NOT_SUPPORTED_HERE'] as readonly FailureName[],
  },
  // Record and organisation photos (docs/photos.md, D20).
  ...photoEndpoints(EVERY_CALL),
];

/**
 * The same endpoint on `/bigin/v1/` (docs/v1.md, D17): one implementation, so the same answers;
 * documented by the v1 page of the same name, decided where v1 differs. v2 recordings do not
 * count for v1.
 */
function v1Twin(e: Endpoint): Endpoint {
  const v1 = (s: string) => s.replace('/bigin/v2/', '/bigin/v1/');
  return {
    ...e,
    path: v1(e.path),
    route: v1(e.route),
    successes: e.successes.map((s) => ({
      ...s,
      provenance: {
        documented:
          s.provenance.documented?.replace('/developer/docs/apis/v2/', '/developer/docs/apis/') ?? null,
        decision: s.provenance.decision ? `D17, ${s.provenance.decision}` : 'D17',
        recorded: null,
      },
    })),
  };
}

/** Endpoints Bigin documents on v2 only: no v1 twin (docs/coql.md). */
const V2_ONLY_ENDPOINTS: readonly Endpoint[] = [
  {
    method: 'POST',
    path: '/bigin/v2/coql',
    route: '/bigin/v2/coql',
    successes: [
      {
        status: 200,
        answer: 'the records the query selects',
        provenance: doc('https://www.bigin.com/developer/docs/apis/v2/get-records-coql.html', 'D21'),
      },
      { status: 204, answer: 'no record matches', provenance: doc(COQL_DOC, 'D21') },
    ],
    failures: [
      ...EVERY_CALL.filter((f) => f !== 'INVALID_MODULE' && f !== 'MODULE_NOT_SUPPORTED'),
      'INVALID_JSON_BODY',
      'REQUEST_BODY_TOO_LARGE',
      'REQUEST_BODY_TOO_DEEP',
      'BODY_MANDATORY_NOT_FOUND',
      'INVALID_DATA',
      'COQL_SYNTAX_ERROR',
      'INVALID_QUERY',
      'COQL_LIMIT_EXCEEDED',
      'COQL_MAX_RECORDS',
      'COQL_DUPLICATE_COLUMN',
      'NOT_SUPPORTED_HERE',
    ] as readonly FailureName[],
  },
];

/** Every endpoint the server serves, v2 and v1, and every answer it can give there. */
export const ENDPOINTS: readonly Endpoint[] = [
  ...V2_ENDPOINTS,
  ...V2_ENDPOINTS.map(v1Twin),
  ...V2_ONLY_ENDPOINTS,
  ...SETTINGS_ENDPOINTS,
];

/** The failures documented for the endpoint a request reached; null when it is no known endpoint. */
export function failuresOf(method: string, route: string | undefined): readonly FailureName[] | null {
  const endpoint = ENDPOINTS.find((e) => e.method === method && e.route === route);
  return endpoint ? endpoint.failures : null;
}

/** The parity ledger: every endpoint × answer with its provenance, from the tables above. */
export function parityLedger() {
  return ENDPOINTS.map((e) => ({
    method: e.method,
    path: e.path,
    answers: [
      ...e.successes.map((s) => ({
        status: s.status,
        code: null,
        failure: null,
        answer: s.answer,
        provenance: s.provenance,
      })),
      ...e.failures.map((name) => ({
        status: FAILURES[name].status,
        code: FAILURES[name].code,
        failure: name,
        answer: FAILURES[name].message,
        provenance: FAILURE_PROVENANCE[name],
      })),
    ],
  }));
}

const cell = (p: Provenance) =>
  [
    p.documented ? `documented: ${p.documented}` : null,
    p.decision ? `decided: ${p.decision}` : null,
    p.recorded ? `recorded: ${p.recorded}` : null,
  ]
    .filter(Boolean)
    .join('<br>');

/** The ledger as the Markdown table docs/parity.md carries (a test keeps the two equal). */
export function renderParityMarkdown(): string {
  const lines = ['| Endpoint | Status | Code | Answer | Provenance |', '|---|---|---|---|---|'];
  for (const e of parityLedger())
    for (const a of e.answers)
      lines.push(
        `| \`${e.method} ${e.path}\` | ${a.status} | ${a.failure ? `${a.code} (${a.failure})` : '—'} | ${a.answer} | ${cell(a.provenance)} |`,
      );
  return `${lines.join('\n')}\n`;
}
