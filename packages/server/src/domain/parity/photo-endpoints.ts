import type { FailureName } from '@bigin-attachments/contract';
import type { Endpoint } from './endpoint-answers.js';
import type { Provenance } from './provenance.js';

/*
 * Record and organisation photos in the parity ledger (issue 13 item 6, docs/photos.md, D20).
 * Kept beside endpoint-answers.ts, which splices them in, so that the photo rows have one home.
 */

const UPLOAD_DOC = 'https://bigin.com/developer/docs/apis/v2/upload-image.html';
const DOWNLOAD_DOC = 'https://www.bigin.com/developer/docs/apis/v2/download-image.html';
const DELETE_DOC = 'https://www.bigin.com/developer/docs/apis/v2/delete-image.html';
const ORG_UPLOAD_DOC = 'https://www.bigin.com/developer/docs/apis/v2/upload-org-img.html';
const CRM_UPLOAD_DOC = 'https://www.zoho.com/crm/developer/docs/api/v8/upload-image.html';
const CRM_ORG_UPLOAD_DOC = 'https://www.zoho.com/crm/developer/docs/api/v8/upload-org-img.html';

export const PHOTO_FAILURE_PROVENANCE: Record<
  | 'PHOTO_TOO_LARGE'
  | 'PHOTO_INVALID_TYPE'
  | 'PHOTO_NO_FILE'
  | 'PHOTO_MORE_THAN_ONE_FILE'
  | 'AUTHORIZATION_FAILED_PHOTO'
  | 'AUTHORIZATION_FAILED_ORG_PHOTO',
  Provenance
> = {
  PHOTO_TOO_LARGE: {
    documented: CRM_ORG_UPLOAD_DOC,
    decision: 'D20 (10 MB for a record, 1 MB for the organisation, 10 MP both)',
    recorded: null,
  },
  PHOTO_INVALID_TYPE: {
    documented: CRM_ORG_UPLOAD_DOC,
    decision: 'D20 (PNG, JPEG, GIF, BMP by their signatures)',
    recorded: null,
  },
  PHOTO_NO_FILE: { documented: CRM_ORG_UPLOAD_DOC, decision: 'D20', recorded: null },
  PHOTO_MORE_THAN_ONE_FILE: { documented: CRM_ORG_UPLOAD_DOC, decision: 'D20', recorded: null },
  AUTHORIZATION_FAILED_PHOTO: {
    documented: CRM_UPLOAD_DOC,
    decision: 'D20 (message; the record is not one the user may reach)',
    recorded: null,
  },
  AUTHORIZATION_FAILED_ORG_PHOTO: {
    documented: 'https://www.zoho.com/developer/docs/vertical-solutions/api/v4/upload-org-img.html',
    decision: 'D20 (administrators only)',
    recorded: null,
  },
};

const doc = (documented: string, decision: string | null = null): Provenance => ({
  documented,
  decision,
  recorded: null,
});
const decided = (decision: string): Provenance => ({ documented: null, decision, recorded: null });

const RECORD_PHOTO = '/bigin/v2/{module}/{record_id}/photo';
const RECORD_PHOTO_ROUTE = '/bigin/v2/:module/:recordId/photo';
/** What every record photo call can answer after the route table's rows (D4 rows 8–11). */
const RECORD_CHECKS: readonly FailureName[] = [
  'NO_PERMISSION',
  'INVALID_RELATED_ID',
  'AUTHORIZATION_FAILED_PHOTO',
];
const UPLOAD_CHECKS: readonly FailureName[] = [
  'PHOTO_NO_FILE',
  'PHOTO_MORE_THAN_ONE_FILE',
  'PHOTO_INVALID_TYPE',
  'PHOTO_TOO_LARGE',
  'INVALID_DATA',
];

/** The photo endpoints; `everyCall` is the ledger's list of failures any call can answer. */
export function photoEndpoints(everyCall: readonly FailureName[]): Endpoint[] {
  const orgCall = everyCall.filter((f) => f !== 'INVALID_MODULE' && f !== 'MODULE_NOT_SUPPORTED');
  return [
    {
      method: 'POST',
      path: RECORD_PHOTO,
      route: RECORD_PHOTO_ROUTE,
      successes: [{ status: 200, answer: 'photo uploaded successfully', provenance: doc(UPLOAD_DOC, 'D20') }],
      failures: [...everyCall, ...RECORD_CHECKS, ...UPLOAD_CHECKS],
    },
    {
      method: 'GET',
      path: RECORD_PHOTO,
      route: RECORD_PHOTO_ROUTE,
      successes: [
        { status: 200, answer: 'the photo', provenance: doc(DOWNLOAD_DOC) },
        { status: 204, answer: 'the record has no photo', provenance: decided('D20') },
      ],
      failures: [...everyCall, ...RECORD_CHECKS],
    },
    {
      method: 'DELETE',
      path: RECORD_PHOTO,
      route: RECORD_PHOTO_ROUTE,
      successes: [
        { status: 200, answer: 'Photo deleted', provenance: doc(DELETE_DOC, 'D20') },
        { status: 204, answer: 'the record has no photo', provenance: decided('D20') },
      ],
      failures: [...everyCall, ...RECORD_CHECKS],
    },
    {
      method: 'POST',
      path: '/bigin/v2/org/photo',
      route: '/bigin/v2/org/photo',
      successes: [
        { status: 200, answer: 'photo uploaded successfully', provenance: doc(ORG_UPLOAD_DOC, 'D20') },
      ],
      failures: [...orgCall, 'AUTHORIZATION_FAILED_ORG_PHOTO', ...UPLOAD_CHECKS],
    },
    {
      method: 'GET',
      path: '/bigin/v2/org/photo',
      route: '/bigin/v2/org/photo',
      successes: [
        {
          status: 200,
          answer: 'the organisation photo',
          provenance: decided('D20 (Zoho CRM v8 serves GET /org/photo; Bigin documents the upload only)'),
        },
        { status: 204, answer: 'the organisation has no photo', provenance: decided('D20') },
      ],
      failures: orgCall,
    },
  ];
}
