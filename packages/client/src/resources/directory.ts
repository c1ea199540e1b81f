import { BiginError } from '../errors.js';
import { itemError, type JsonAnswer, type Transport } from '../internal/transport.js';
import { emptyInfo, Page, type PageFetcher, PagePromise } from '../pagination.js';
import type {
  BiginLayout,
  BiginOrg,
  BiginProfile,
  BiginRelatedList,
  BiginRole,
  BiginUser,
  FieldMetadata,
  Module,
  ModuleMetadata,
  PageInfo,
  RequestOptions,
  UserInput,
  UserListParams,
  WriteResult,
} from '../types.js';

const seg = encodeURIComponent;

/** The array under `key`, or [] for Bigin's empty 204. */
function listOf<T>(answer: JsonAnswer, key: string): T[] {
  if (answer.status === 204) return [];
  const value = (answer.body as Record<string, unknown> | undefined)?.[key];
  return Array.isArray(value) ? (value as T[]) : [];
}

const MAX_USER_UPDATES = 100;

/** The per-item results of a user write (`{"users":[…]}`). */
function userResults(answer: JsonAnswer): WriteResult[] {
  const users = (answer.body as { users?: unknown } | undefined)?.users;
  if (!Array.isArray(users))
    throw new BiginError(`unexpected answer (HTTP ${answer.status}) without users[]`);
  return users as WriteResult[];
}

/** The only result of a one-user write; its error class when Bigin refused the user. */
function onlyUser(answer: JsonAnswer): WriteResult<{ id: string }> {
  const [result] = userResults(answer);
  if (!result) throw new BiginError(`unexpected answer (HTTP ${answer.status}) without users[0]`);
  if (result.status === 'error') throw itemError(result, answer.status, answer.requestId);
  return result as WriteResult<{ id: string }>;
}

/**
 * Users of the organisation: GET /users (every `type`), GET /users/{id}, and the writes an
 * administrator may make (POST /users, PUT /users[/{id}], DELETE /users/{id}).
 */
export class Users {
  constructor(private readonly transport: Transport) {}

  /** A page of users (`await`), or every user (`for await`). Default type: AllUsers. */
  list(params: UserListParams = {}, options?: RequestOptions): PagePromise<BiginUser> {
    const perPage = params.perPage ?? 200;
    const fetchPage: PageFetcher<BiginUser> = async ({ page }) => {
      const answer = await this.transport.requestJson(
        {
          method: 'GET',
          path: '/bigin/v2/users',
          query: { type: params.type, page, per_page: params.perPage, ids: params.ids?.join(',') },
        },
        options,
      );
      const users = listOf<BiginUser>(answer, 'users');
      const info = (answer.body as { info?: PageInfo } | undefined)?.info;
      return new Page(users, answer.status === 204 || !info ? emptyInfo(page, perPage) : info, fetchPage);
    };
    return PagePromise.from(() => fetchPage({ page: params.page ?? 1 }));
  }

  /** One user, or null when the organisation has no such user (204). */
  async get(id: string, options?: RequestOptions): Promise<BiginUser | null> {
    const answer = await this.transport.requestJson(
      { method: 'GET', path: `/bigin/v2/users/${seg(id)}` },
      options,
    );
    return listOf<BiginUser>(answer, 'users')[0] ?? null;
  }

  /** The caller (`type=CurrentUser`). */
  async current(options?: RequestOptions): Promise<BiginUser | null> {
    return (await this.list({ type: 'CurrentUser' }, options)).data[0] ?? null;
  }

  /**
   * Adds one user (invited, not yet confirmed): resolves with `details.id`; throws the item's
   * error (`MANDATORY_NOT_FOUND`, `DUPLICATE_DATA`, …) when Bigin refuses it.
   */
  async create(user: UserInput, options?: RequestOptions): Promise<WriteResult<{ id: string }>> {
    const answer = await this.transport.requestJson(
      { method: 'POST', path: '/bigin/v2/users', json: { users: [user] }, perItem: true },
      options,
    );
    return onlyUser(answer);
  }

  /** Changes one user (`status: 'inactive'` deactivates, `'active'` reactivates). */
  async update(
    id: string,
    changes: Partial<UserInput> & { status?: 'active' | 'inactive' },
    options?: RequestOptions,
  ): Promise<WriteResult<{ id: string }>> {
    const answer = await this.transport.requestJson(
      { method: 'PUT', path: `/bigin/v2/users/${seg(id)}`, json: { users: [changes] }, perItem: true },
      options,
    );
    return onlyUser(answer);
  }

  /** Changes up to 100 users, each with its `id`: one result per user, refused ones included. */
  async updateMany(
    users: Array<{ id: string; status?: 'active' | 'inactive' } & Partial<UserInput>>,
    options?: RequestOptions,
  ): Promise<WriteResult[]> {
    if (users.length < 1 || users.length > MAX_USER_UPDATES)
      throw new RangeError(`Bigin updates 1 to ${MAX_USER_UPDATES} users per call, got ${users.length}`);
    const answer = await this.transport.requestJson(
      { method: 'PUT', path: '/bigin/v2/users', json: { users }, perItem: true },
      options,
    );
    return userResults(answer);
  }

  /** Deletes one user; Bigin keeps listing it with status `deleted`. */
  async delete(id: string, options?: RequestOptions): Promise<WriteResult<{ id: string }>> {
    const answer = await this.transport.requestJson(
      { method: 'DELETE', path: `/bigin/v2/users/${seg(id)}`, perItem: true },
      options,
    );
    return onlyUser(answer);
  }
}

/** GET /org, /settings/profiles, /settings/roles and the module metadata endpoints. */
export class Settings {
  constructor(private readonly transport: Transport) {}

  async #get<T>(
    path: string,
    key: string,
    query: Record<string, string | undefined>,
    options?: RequestOptions,
  ) {
    const answer = await this.transport.requestJson({ method: 'GET', path, query }, options);
    return listOf<T>(answer, key);
  }

  /** The organisation (GET /org). */
  async org(options?: RequestOptions): Promise<BiginOrg> {
    const [org] = await this.#get<BiginOrg>('/bigin/v2/org', 'org', {}, options);
    if (!org) throw new TypeError('GET /org answered without an organisation');
    return org;
  }

  profiles(options?: RequestOptions): Promise<BiginProfile[]> {
    return this.#get('/bigin/v2/settings/profiles', 'profiles', {}, options);
  }

  roles(options?: RequestOptions): Promise<BiginRole[]> {
    return this.#get('/bigin/v2/settings/roles', 'roles', {}, options);
  }

  /** Every module (11 on Bigin, some not API-supported). */
  modules(options?: RequestOptions): Promise<ModuleMetadata[]> {
    return this.#get('/bigin/v2/settings/modules', 'modules', {}, options);
  }

  /** One module's metadata by API name. */
  async module(apiName: string, options?: RequestOptions): Promise<ModuleMetadata | null> {
    return (
      (
        await this.#get<ModuleMetadata>(`/bigin/v2/settings/modules/${seg(apiName)}`, 'modules', {}, options)
      )[0] ?? null
    );
  }

  /** The fields of a module, custom fields included. */
  fields(module: Module, options?: RequestOptions): Promise<FieldMetadata[]> {
    return this.#get('/bigin/v2/settings/fields', 'fields', { module }, options);
  }

  layouts(module: Module, options?: RequestOptions): Promise<BiginLayout[]> {
    return this.#get('/bigin/v2/settings/layouts', 'layouts', { module }, options);
  }

  relatedLists(module: Module, options?: RequestOptions): Promise<BiginRelatedList[]> {
    return this.#get('/bigin/v2/settings/related_lists', 'related_lists', { module }, options);
  }
}
