import type { FailureName } from '@bigin-attachments/contract';
import { PHOTO_FAILURE_PROVENANCE } from './photo-endpoints.js';

// Where each answer of the parity ledger comes from, and the failures many endpoints share.
/**
 * Where an answer comes from: documented by Bigin (or Zoho, for the CRM platform Bigin shares),
 * decided here where the documentation is silent (a decision id in docs/), or verified against
 * recorded Bigin traffic. An answer may have several: a documented code whose trigger is decided.
 */
export interface Provenance {
  documented: string | null;
  decision: string | null;
  recorded: string | null;
}

export const BIGIN_STATUS = 'https://bigin.com/developer/docs/apis/v2/status-codes.html';
export const CRM_ERRORS =
  'https://help.zoho.com/portal/en/community/topic/kaizen-25-zoho-crm-api-common-errors-and-error-handling';
export const CRM_OAS = 'https://github.com/zoho/crm-oas (v8.0/attachments/attachments.yaml)';
export const API_LIMITS = 'https://www.zoho.com/bigin/developer/docs/apis/api-limits.html';
export const COQL_DOC = 'https://www.zoho.com/crm/developer/docs/api/v7/Get-Records-through-COQL-Query.html';
export const RECORDED =
  'recorded Bigin v2 traffic: github.com/NangoHQ/integration-templates integrations/zoho-bigin/tests';

/** Every failure of the error table (packages/contract/src/errors.ts) with its provenance. */
export const FAILURE_PROVENANCE: Record<FailureName, Provenance> = {
  INVALID_URL_PATTERN: { documented: CRM_OAS, decision: 'D4.1', recorded: null },
  INVALID_REQUEST_METHOD: { documented: CRM_ERRORS, decision: 'D4.2', recorded: null },
  AUTHENTICATION_FAILURE: { documented: CRM_ERRORS, decision: 'D4.3', recorded: null },
  INVALID_TOKEN: { documented: CRM_ERRORS, decision: 'D4.4', recorded: RECORDED },
  INVALID_MODULE: { documented: CRM_OAS, decision: 'D4.5, D4.8', recorded: null },
  MODULE_NOT_SUPPORTED: { documented: CRM_ERRORS, decision: 'D4.6', recorded: null },
  OAUTH_SCOPE_MISMATCH: { documented: CRM_ERRORS, decision: 'D4.7 (401, not the OAS 403)', recorded: null },
  NO_PERMISSION: { documented: CRM_OAS, decision: 'D4.9', recorded: null },
  AUTHORIZATION_FAILED_DELETE_ATTACHMENT: {
    documented: CRM_OAS,
    decision: 'D4.11 (message)',
    recorded: null,
  },
  AUTHORIZATION_FAILED_UPLOAD_ATTACHMENT: {
    documented: CRM_OAS,
    decision: 'D4.11 (message)',
    recorded: null,
  },
  AUTHORIZATION_FAILED_VIEW_ATTACHMENT: { documented: CRM_OAS, decision: 'D4.11 (message)', recorded: null },
  INVALID_RELATED_ID: { documented: CRM_OAS, decision: 'D4.10, D4.12', recorded: null },
  MANDATORY_NOT_FOUND: { documented: CRM_OAS, decision: 'D6', recorded: null },
  INVALID_DATA: { documented: CRM_OAS, decision: 'D6', recorded: null },
  INVALID_ATTACHMENT_URL: { documented: CRM_OAS, decision: 'D6', recorded: null },
  FILE_SIZE_MORE_THAN_ALLOWED_SIZE: {
    documented: CRM_OAS,
    decision: 'D6 (UPLOAD_MAX_BYTES)',
    recorded: null,
  },
  DOWNLOAD_NOT_ALLOWED: { documented: CRM_OAS, decision: 'D6', recorded: null },
  INTERNAL_ERROR: { documented: BIGIN_STATUS, decision: 'D4.13', recorded: null },
  TOO_MANY_REQUESTS: { documented: API_LIMITS, decision: 'D9 (message, concurrency caps)', recorded: null },
  INVALID_JSON_BODY: { documented: null, decision: 'records D3', recorded: null },
  REQUEST_BODY_TOO_LARGE: { documented: null, decision: 'records D3', recorded: null },
  BODY_MANDATORY_NOT_FOUND: { documented: CRM_OAS, decision: 'records D3', recorded: null },
  RECORDS_LIMIT_EXCEEDED: {
    documented: 'https://www.bigin.com/developer/docs/apis/v2/insert-records.html',
    decision: 'records D2',
    recorded: null,
  },
  REQUIRED_PARAM_MISSING: {
    documented: CRM_ERRORS,
    decision: 'records (delete without ids)',
    recorded: null,
  },
  SEARCH_PARAM_MISSING: {
    documented: 'https://www.bigin.com/developer/docs/apis/v2/search-records.html',
    decision: 'D10',
    recorded: null,
  },
  INVALID_QUERY: {
    documented: 'https://www.bigin.com/developer/docs/apis/v2/search-records.html',
    decision: 'D10 (criteria grammar)',
    recorded: null,
  },
  SEARCH_LIMIT_REACHED: {
    documented: 'https://www.bigin.com/developer/docs/apis/v2/search-records.html',
    decision: 'D10',
    recorded: null,
  },
  TAGS_LIMIT_EXCEEDED: {
    documented: 'https://www.zoho.com/crm/developer/docs/api/v8/create-tag.html',
    decision: 'D19 (50 tags a call; code and message as for records)',
    recorded: null,
  },
  COQL_SYNTAX_ERROR: { documented: COQL_DOC, decision: 'D21 (message, details)', recorded: null },
  COQL_LIMIT_EXCEEDED: { documented: COQL_DOC, decision: 'D21 (message, details)', recorded: null },
  COQL_MAX_RECORDS: { documented: COQL_DOC, decision: 'D21 (offset + limit over 10,000)', recorded: null },
  COQL_DUPLICATE_COLUMN: {
    documented: COQL_DOC,
    decision: 'D21 (HTTP 400, not the documented 401)',
    recorded: null,
  },
  NOT_SUPPORTED_HERE: {
    documented: null,
    decision: 'D10 (words this server does not serve yet)',
    recorded: null,
  },
  REQUEST_BODY_TOO_DEEP: {
    documented: null,
    decision: 'D14 (nesting depth; Bigin documents none)',
    recorded: null,
  },
  WATCH_LIMIT_EXCEEDED: {
    documented: 'https://www.zoho.com/crm/developer/docs/api/v8/notifications/enable.html',
    decision: 'D12 (message)',
    recorded: null,
  },
  DISCRETE_PAGINATION_LIMIT_EXCEEDED: {
    documented: 'https://www.zoho.com/crm/developer/docs/api/v8/get-records.html',
    decision: 'records D5',
    recorded: RECORDED,
  },
  ...PHOTO_FAILURE_PROVENANCE,
};

/** Failures any Bigin API call can answer, before or around its own checks (D4 rows 1–7, 13, D9). */
export const EVERY_CALL: readonly FailureName[] = [
  'INVALID_URL_PATTERN',
  'INVALID_REQUEST_METHOD',
  'AUTHENTICATION_FAILURE',
  'INVALID_TOKEN',
  'INVALID_MODULE',
  'MODULE_NOT_SUPPORTED',
  'OAUTH_SCOPE_MISMATCH',
  'TOO_MANY_REQUESTS',
  'INTERNAL_ERROR',
];
export const RECORD_WRITE: readonly FailureName[] = [
  'NO_PERMISSION',
  'INVALID_JSON_BODY',
  'REQUEST_BODY_TOO_LARGE',
  'REQUEST_BODY_TOO_DEEP',
  'BODY_MANDATORY_NOT_FOUND',
  'RECORDS_LIMIT_EXCEEDED',
  'INVALID_DATA',
];

export const doc = (documented: string, decision: string | null = null): Provenance => ({
  documented,
  decision,
  recorded: null,
});
export const decided = (decision: string): Provenance => ({ documented: null, decision, recorded: null });
