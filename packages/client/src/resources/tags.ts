import { BiginError } from '../errors.js';
import { pathSegment } from '../internal/path-segment.js';
import type { JsonAnswer, Transport } from '../internal/transport.js';
import type { Module, RequestOptions, WriteResult } from '../types.js';

const seg = pathSegment;
/** Tags one create or update call carries; records one add or remove call names (docs/tags.md). */
const MAX_TAGS = 50;
const MAX_RECORDS = 500;

/** A tag as GET /settings/tags shows it. */
export interface BiginTag {
  id: string;
  name: string;
  colour_code: string | null;
  created_by: { name: string | null; id: string };
  created_time: string;
  modified_by: { name: string | null; id: string };
  modified_time: string;
}

/** Per record: its tags (names) after the call. */
export type TagActionResult = WriteResult<{ id: string; tags?: string[] }>;

function items(answer: JsonAnswer, key: 'tags' | 'data'): WriteResult[] {
  const list = (answer.body as Record<string, unknown> | undefined)?.[key];
  if (!Array.isArray(list))
    throw new BiginError(`unexpected answer (HTTP ${answer.status}) without ${key}[]`);
  return list as WriteResult[];
}

function checkCount(what: string, count: number, max: number): void {
  if (count < 1 || count > max)
    throw new RangeError(`Bigin accepts 1 to ${max} ${what} per call, got ${count}`);
}

/** A module's tags: GET, POST and PUT /settings/tags?module= (docs/tags.md). */
export class Tags {
  constructor(private readonly transport: Transport) {}

  /** The module's tags by name; `myTags` keeps only those the caller made. */
  async list(
    module: Module,
    params: { myTags?: boolean } = {},
    options?: RequestOptions,
  ): Promise<BiginTag[]> {
    const answer = await this.transport.requestJson(
      {
        method: 'GET',
        path: '/bigin/v2/settings/tags',
        query: { module, my_tags: params.myTags === undefined ? undefined : String(params.myTags) },
      },
      options,
    );
    const tags = (answer.body as { tags?: unknown } | undefined)?.tags;
    return Array.isArray(tags) ? (tags as BiginTag[]) : [];
  }

  /** Creates up to 50 tags: one result per tag ("tags created successfully", or its error). */
  async create(
    module: Module,
    tags: ReadonlyArray<{ name: string; colorCode?: string }>,
    options?: RequestOptions,
  ): Promise<WriteResult[]> {
    checkCount('tags', tags.length, MAX_TAGS);
    const answer = await this.transport.requestJson(
      {
        method: 'POST',
        path: '/bigin/v2/settings/tags',
        query: { module },
        json: {
          tags: tags.map((t) => ({ name: t.name, ...(t.colorCode ? { color_code: t.colorCode } : {}) })),
        },
        perItem: true,
      },
      options,
    );
    return items(answer, 'tags');
  }

  /** Renames (and recolours) up to 50 tags by id: one result per tag. */
  async update(
    module: Module,
    tags: ReadonlyArray<{ id: string; name: string; colorCode?: string }>,
    options?: RequestOptions,
  ): Promise<WriteResult[]> {
    checkCount('tags', tags.length, MAX_TAGS);
    const answer = await this.transport.requestJson(
      {
        method: 'PUT',
        path: '/bigin/v2/settings/tags',
        query: { module },
        json: {
          tags: tags.map((t) => ({
            id: t.id,
            name: t.name,
            ...(t.colorCode ? { color_code: t.colorCode } : {}),
          })),
        },
        perItem: true,
      },
      options,
    );
    return items(answer, 'tags');
  }

  /** Renames one tag: PUT /settings/tags/{id}. */
  async rename(module: Module, id: string, name: string, options?: RequestOptions): Promise<WriteResult> {
    const answer = await this.transport.requestJson(
      {
        method: 'PUT',
        path: `/bigin/v2/settings/tags/${seg(id)}`,
        query: { module },
        json: { tags: [{ name }] },
        perItem: true,
      },
      options,
    );
    return items(answer, 'tags')[0]!;
  }
}

/**
 * add_tags or remove_tags on one record (a string id) or on up to 500 (an array), in Bigin's
 * query-parameter style (`tag_names`, `ids`, `over_write`).
 */
export async function tagAction(
  transport: Transport,
  action: 'add_tags' | 'remove_tags',
  module: Module,
  ids: string | readonly string[],
  tagNames: readonly string[],
  overwrite: boolean | undefined,
  options?: RequestOptions,
): Promise<TagActionResult[]> {
  if (tagNames.length === 0) throw new RangeError('name at least one tag');
  const many = typeof ids !== 'string';
  if (many) checkCount('records', ids.length, MAX_RECORDS);
  const answer = await transport.requestJson(
    {
      method: 'POST',
      path: many
        ? `/bigin/v2/${seg(module)}/actions/${action}`
        : `/bigin/v2/${seg(module)}/${seg(ids)}/actions/${action}`,
      query: {
        tag_names: tagNames.join(','),
        ids: many ? ids.join(',') : undefined,
        over_write: overwrite === undefined ? undefined : String(overwrite),
      },
      perItem: true,
    },
    options,
  );
  return items(answer, 'data') as TagActionResult[];
}
