import type { PageInfo } from './types.js';

/** Where a page is: a page number, or Bigin's `page_token` (records beyond the 2,000th). */
export interface PageCursor {
  page: number;
  pageToken?: string;
}

export type PageFetcher<T> = (cursor: PageCursor) => Promise<Page<T>>;

/** One page of a list, with the way to the next. */
export class Page<T> implements AsyncIterable<T> {
  readonly #fetchPage: PageFetcher<T>;

  constructor(
    readonly data: T[],
    readonly info: PageInfo,
    fetchPage: PageFetcher<T>,
  ) {
    this.#fetchPage = fetchPage;
  }

  hasNextPage(): boolean {
    return this.info.more_records === true && this.data.length > 0;
  }

  /**
   * The following page; throws when there is none (check `hasNextPage()` first). Follows
   * `info.next_page_token` when the answer has one (page numbers stop at 2,000 records).
   */
  getNextPage(): Promise<Page<T>> {
    if (!this.hasNextPage()) throw new Error('no more pages');
    const token = this.info.next_page_token;
    return this.#fetchPage({
      page: this.info.page + 1,
      ...(typeof token === 'string' && token ? { pageToken: token } : {}),
    });
  }

  /** Every item from this page on, fetching pages as it goes. */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    let page: Page<T> = this;
    while (true) {
      yield* page.data;
      if (!page.hasNextPage()) return;
      page = await page.getNextPage();
    }
  }
}

/**
 * What `list()` returns: `await` it for the first page, or `for await` it for every item across
 * every page.
 */
export class PagePromise<T> extends Promise<Page<T>> implements AsyncIterable<T> {
  // `then`/`catch` results are plain promises, not PagePromises without a page fetcher.
  static override get [Symbol.species]() {
    return Promise;
  }

  static from<T>(first: () => Promise<Page<T>>): PagePromise<T> {
    return new PagePromise<T>((resolve, reject) => {
      first().then(resolve, reject);
    });
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    const first = await this;
    yield* first;
  }
}

/** An empty first page (Bigin answers 204 when a list has nothing). */
export function emptyInfo(page: number, perPage: number): PageInfo {
  return { per_page: perPage, count: 0, page, more_records: false };
}
