import type { FailureName } from '@bigin-attachments/contract';
import type { Endpoint } from './endpoint-answers.js';
import { decided, doc, EVERY_CALL } from './provenance.js';

/*
 * Tags in the parity ledger (docs/tags.md, D19): the settings endpoints, and add and remove on
 * records. Kept beside endpoint-answers.ts, which splices them in, so that the tag rows have one
 * home.
 */

const TAGS_DOC = 'https://bigin.com/developer/docs/apis/v2/get-tag-list.html';
const ADD_TAGS_DOC = 'https://www.bigin.com/developer/docs/apis/v2/add-tags-records.html';
const REMOVE_TAGS_DOC = 'https://www.bigin.com/developer/docs/apis/v2/remove-tags.html';
const TAG_WRITE: readonly FailureName[] = [
  'REQUIRED_PARAM_MISSING',
  'NO_PERMISSION',
  'INVALID_JSON_BODY',
  'REQUEST_BODY_TOO_LARGE',
  'REQUEST_BODY_TOO_DEEP',
  'BODY_MANDATORY_NOT_FOUND',
  'TAGS_LIMIT_EXCEEDED',
  'INVALID_DATA',
];

/** Every tag endpoint and its answers. */
export const TAG_ENDPOINTS: readonly Endpoint[] = [
  {
    method: 'GET',
    path: '/bigin/v2/settings/tags',
    route: '/bigin/v2/settings/tags',
    successes: [{ status: 200, answer: 'the tags of the module', provenance: doc(TAGS_DOC, 'D19') }],
    failures: [
      ...EVERY_CALL,
      'REQUIRED_PARAM_MISSING',
      'NO_PERMISSION',
      'INVALID_DATA',
    ] as readonly FailureName[],
  },
  ...(
    [
      [
        'POST',
        '/bigin/v2/settings/tags',
        '/bigin/v2/settings/tags',
        201,
        'https://www.bigin.com/developer/docs/apis/v2/create-tags.html',
      ],
      [
        'PUT',
        '/bigin/v2/settings/tags',
        '/bigin/v2/settings/tags',
        200,
        'https://bigin.com/developer/docs/apis/v2/update-tags.html',
      ],
      [
        'PUT',
        '/bigin/v2/settings/tags/{tag_id}',
        '/bigin/v2/settings/tags/:tagId',
        200,
        'https://bigin.com/developer/docs/apis/v2/update-tags.html',
      ],
    ] as const
  ).map(([method, path, route, ok, page]) => ({
    method,
    path,
    route,
    successes: [
      { status: ok, answer: 'the only tag written', provenance: doc(page, 'D19') },
      { status: 202, answer: 'several tags written', provenance: doc(page, 'D19') },
      { status: 207, answer: 'some written, some refused', provenance: decided('D19') },
      { status: 400, answer: 'every tag refused (per-item errors)', provenance: decided('D19') },
    ],
    failures: [...EVERY_CALL, ...TAG_WRITE],
  })),
  ...(['add_tags', 'remove_tags'] as const).flatMap((action) =>
    (
      [
        ['/bigin/v2/{module}/actions/', '/bigin/v2/:module/actions/'],
        ['/bigin/v2/{module}/{record_id}/actions/', '/bigin/v2/:module/:recordId/actions/'],
      ] as const
    ).map(([path, route]) => ({
      method: 'POST',
      path: `${path}${action}`,
      route: `${route}${action}`,
      successes: [
        {
          status: 200,
          answer: 'every record tagged as asked',
          provenance: doc(action === 'add_tags' ? ADD_TAGS_DOC : REMOVE_TAGS_DOC, 'D19'),
        },
        { status: 207, answer: 'some records changed, some refused', provenance: decided('D19') },
        { status: 400, answer: 'every record refused (per-item errors)', provenance: decided('D19') },
      ],
      failures: [
        ...EVERY_CALL,
        'REQUIRED_PARAM_MISSING',
        'NO_PERMISSION',
        'INVALID_JSON_BODY',
        'REQUEST_BODY_TOO_LARGE',
        'REQUEST_BODY_TOO_DEEP',
        'INVALID_DATA',
        'RECORDS_LIMIT_EXCEEDED',
      ] as readonly FailureName[],
    })),
  ),
];
