import { BiginError } from '../errors.js';
import { pathSegment } from '../internal/path-segment.js';
import type { JsonAnswer, Transport } from '../internal/transport.js';
import type { PageFetcher, PagePromise } from '../pagination.js';
import { PagePromise as PagePromiseClass } from '../pagination.js';
import type { BiginRecord, Module, RecordListParams, RequestOptions, WriteResult } from '../types.js';
import { firstItem, toPage } from './attachments.js';
import { type TagActionResult, tagAction } from './tags.js';

const seg = pathSegment;
const MAX_PER_CALL = 100;

export interface WriteOptions extends RequestOptions {
  /** Bigin's `trigger` array (`workflow`, `approval`, `blueprint`); omitted = Bigin's default. */
  trigger?: string[];
}

function results(answer: JsonAnswer): WriteResult[] {
  const data = (answer.body as { data?: unknown } | undefined)?.data;
  if (!Array.isArray(data)) throw new BiginError(`unexpected answer (HTTP ${answer.status}) without data[]`);
  return data as WriteResult[];
}

function checkBatch(count: number): void {
  if (count < 1 || count > MAX_PER_CALL) {
    throw new RangeError(`Bigin accepts 1 to ${MAX_PER_CALL} records per call, got ${count}`);
  }
}

/** One of `criteria`, `email`, `phone`, `word` (Bigin's precedence if several are given). */
export interface SearchParams {
  criteria?: string;
  email?: string;
  phone?: string;
  word?: string;
  fields?: readonly string[];
  page?: number;
  perPage?: number;
}

export type UpsertResult = WriteResult & { action?: 'insert' | 'update'; duplicate_field?: string | null };

export class Records {
  constructor(private readonly transport: Transport) {}

  /** Inserts one record: resolves with its result (`details.id`), throws its error class on failure. */
  insert(module: Module, record: Record<string, unknown>, options?: WriteOptions): Promise<WriteResult>;
  /** Inserts up to 100 records: resolves with one result per record, in order; failed items do not throw. */
  insert(module: Module, records: Record<string, unknown>[], options?: WriteOptions): Promise<WriteResult[]>;
  async insert(
    module: Module,
    input: Record<string, unknown> | Record<string, unknown>[],
    options: WriteOptions = {},
  ): Promise<WriteResult | WriteResult[]> {
    const many = Array.isArray(input);
    const data = many ? input : [input];
    checkBatch(data.length);
    const { trigger, ...rest } = options;
    const answer = await this.transport.requestJson(
      {
        method: 'POST',
        path: `/bigin/v2/${seg(module)}`,
        json: { data, ...(trigger ? { trigger } : {}) },
        perItem: many,
      },
      rest,
    );
    return many ? results(answer) : firstItem(answer);
  }

  /** One record, or null when Bigin answers 204 (no such record). */
  async get(
    module: Module,
    id: string,
    options: RequestOptions & { fields?: readonly string[] } = {},
  ): Promise<BiginRecord | null> {
    const { fields, ...rest } = options;
    const answer = await this.transport.requestJson(
      { method: 'GET', path: `/bigin/v2/${seg(module)}/${seg(id)}`, query: { fields: fields?.join(',') } },
      rest,
    );
    const data = (answer.body as { data?: BiginRecord[] } | undefined)?.data;
    return answer.status === 204 || !Array.isArray(data) ? null : (data[0] ?? null);
  }

  /** Records of a module: `await` for a page, `for await` for every record. */
  list(module: Module, params: RecordListParams = {}, options?: RequestOptions): PagePromise<BiginRecord> {
    const fetchPage: PageFetcher<BiginRecord> = async ({ page, pageToken }) => {
      const perPage = params.perPage ?? 200;
      // A page token carries the sort, page size and position; Bigin refuses it with `page`.
      const query = pageToken
        ? { page_token: pageToken, fields: params.fields?.join(',') }
        : {
            fields: params.fields?.join(','),
            page,
            per_page: params.perPage,
            sort_by: params.sortBy,
            sort_order: params.sortOrder,
          };
      const answer = await this.transport.requestJson(
        { method: 'GET', path: `/bigin/v2/${seg(module)}`, query },
        options,
      );
      return toPage<BiginRecord>(answer, page, perPage, fetchPage);
    };
    return PagePromiseClass.from(() => fetchPage({ page: params.page ?? 1 }));
  }

  /**
   * A record's related list (`GET /{module}/{id}/{related}`: its Notes, a company's Contacts or
   * Pipelines, a contact's Pipelines): `await` for a page, `for await` for every record.
   */
  related(
    module: Module,
    id: string,
    relatedList: string,
    params: RecordListParams = {},
    options?: RequestOptions,
  ): PagePromise<BiginRecord> {
    const path = `/bigin/v2/${seg(module)}/${seg(id)}/${seg(relatedList)}`;
    const fetchPage: PageFetcher<BiginRecord> = async ({ page, pageToken }) => {
      const perPage = params.perPage ?? 200;
      const query = pageToken
        ? { page_token: pageToken, fields: params.fields?.join(',') }
        : {
            fields: params.fields?.join(','),
            page,
            per_page: params.perPage,
            sort_by: params.sortBy,
            sort_order: params.sortOrder,
          };
      const answer = await this.transport.requestJson({ method: 'GET', path, query }, options);
      return toPage<BiginRecord>(answer, page, perPage, fetchPage);
    };
    return PagePromiseClass.from(() => fetchPage({ page: params.page ?? 1 }));
  }

  /** Updates one record's fields. */
  async update(
    module: Module,
    id: string,
    fields: Record<string, unknown>,
    options: WriteOptions = {},
  ): Promise<WriteResult> {
    const { trigger, ...rest } = options;
    const answer = await this.transport.requestJson(
      {
        method: 'PUT',
        path: `/bigin/v2/${seg(module)}/${seg(id)}`,
        json: { data: [{ ...fields, id }], ...(trigger ? { trigger } : {}) },
      },
      rest,
    );
    return firstItem(answer);
  }

  /** Updates up to 100 records (each with its `id`); one result per record. */
  async updateMany(
    module: Module,
    records: Array<{ id: string } & Record<string, unknown>>,
    options: WriteOptions = {},
  ): Promise<WriteResult[]> {
    checkBatch(records.length);
    const { trigger, ...rest } = options;
    const answer = await this.transport.requestJson(
      {
        method: 'PUT',
        path: `/bigin/v2/${seg(module)}`,
        json: { data: records, ...(trigger ? { trigger } : {}) },
        perItem: true,
      },
      rest,
    );
    return results(answer);
  }

  /** Deletes one record (its attachments go with it). */
  async delete(module: Module, id: string, options?: RequestOptions): Promise<WriteResult<{ id: string }>> {
    const answer = await this.transport.requestJson(
      { method: 'DELETE', path: `/bigin/v2/${seg(module)}/${seg(id)}` },
      options,
    );
    return firstItem(answer) as WriteResult<{ id: string }>;
  }

  /** Deletes up to 100 records; one result per id. */
  async deleteMany(module: Module, ids: readonly string[], options?: RequestOptions): Promise<WriteResult[]> {
    checkBatch(ids.length);
    const answer = await this.transport.requestJson(
      { method: 'DELETE', path: `/bigin/v2/${seg(module)}`, query: { ids: ids.join(',') }, perItem: true },
      options,
    );
    return results(answer);
  }
  /**
   * Searches a module (GET /{module}/search): exactly one of `criteria`, `email`, `phone`, `word`.
   * `await` for a page, `for await` for every match (Bigin stops at 2,000).
   */
  search(module: Module, params: SearchParams, options?: RequestOptions): PagePromise<BiginRecord> {
    const perPage = params.perPage ?? 200;
    const fetchPage: PageFetcher<BiginRecord> = async ({ page }) => {
      const answer = await this.transport.requestJson(
        {
          method: 'GET',
          path: `/bigin/v2/${seg(module)}/search`,
          query: {
            criteria: params.criteria,
            email: params.email,
            phone: params.phone,
            word: params.word,
            fields: params.fields?.join(','),
            page,
            per_page: params.perPage,
          },
        },
        options,
      );
      return toPage<BiginRecord>(answer, page, perPage, fetchPage);
    };
    return PagePromiseClass.from(() => fetchPage({ page: params.page ?? 1 }));
  }

  /**
   * Inserts or updates up to 100 records by their duplicate check fields (the module's unique
   * fields when omitted); each result says `action` (`insert`/`update`) and `duplicate_field`.
   */
  async upsert(
    module: Module,
    records: Record<string, unknown>[],
    options: WriteOptions & { duplicateCheckFields?: string[] } = {},
  ): Promise<UpsertResult[]> {
    checkBatch(records.length);
    const { trigger, duplicateCheckFields, ...rest } = options;
    const answer = await this.transport.requestJson(
      {
        method: 'POST',
        path: `/bigin/v2/${seg(module)}/upsert`,
        json: {
          data: records,
          ...(duplicateCheckFields ? { duplicate_check_fields: duplicateCheckFields } : {}),
          ...(trigger ? { trigger } : {}),
        },
        perItem: true,
      },
      rest,
    );
    return results(answer) as UpsertResult[];
  }

  /** Links up to 100 records to a record's related list: "relation added" / "relation updated" per id. */
  async link(
    module: Module,
    id: string,
    relatedList: string,
    relatedIds: readonly string[],
    options?: RequestOptions,
  ): Promise<WriteResult[]> {
    checkBatch(relatedIds.length);
    const answer = await this.transport.requestJson(
      {
        method: 'PUT',
        path: `/bigin/v2/${seg(module)}/${seg(id)}/${seg(relatedList)}`,
        json: { data: relatedIds.map((r) => ({ id: r })) },
        perItem: true,
      },
      options,
    );
    return results(answer);
  }

  /** Removes up to 100 links: "relation removed" per id. */
  async unlink(
    module: Module,
    id: string,
    relatedList: string,
    relatedIds: readonly string[],
    options?: RequestOptions,
  ): Promise<WriteResult[]> {
    checkBatch(relatedIds.length);
    const answer = await this.transport.requestJson(
      {
        method: 'DELETE',
        path: `/bigin/v2/${seg(module)}/${seg(id)}/${seg(relatedList)}`,
        query: { ids: relatedIds.join(',') },
        perItem: true,
      },
      options,
    );
    return results(answer);
  }

  /**
   * Puts tags on one record (a string id) or up to 500 (an array), creating tags the module
   * lacks; `overwrite` takes the records' other tags off. One result per record: its tags after.
   */
  addTags(
    module: Module,
    ids: string | readonly string[],
    tagNames: readonly string[],
    options: RequestOptions & { overwrite?: boolean } = {},
  ): Promise<TagActionResult[]> {
    const { overwrite, ...rest } = options;
    return tagAction(this.transport, 'add_tags', module, ids, tagNames, overwrite, rest);
  }

  /** Takes the named tags off one record or up to 500. One result per record: its tags after. */
  removeTags(
    module: Module,
    ids: string | readonly string[],
    tagNames: readonly string[],
    options?: RequestOptions,
  ): Promise<TagActionResult[]> {
    return tagAction(this.transport, 'remove_tags', module, ids, tagNames, undefined, options);
  }
}
