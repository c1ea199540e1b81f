/**
 * Type-level tests of the public API, checked by `tsc -b` (part of `npm test`): each assignment
 * must compile, each `@ts-expect-error` line must fail to. Nothing here runs.
 */
import {
  type APIError,
  type Attachment,
  type AttachmentDownload,
  type AttachmentModule,
  type BadRequestError,
  BiginClient,
  type BiginError,
  type BiginRecord,
  type DownloadedFile,
  InvalidDataError,
  type Module,
  OAuthError,
  type Page,
  type PagePromise,
  RefreshTokenAuth,
  type UploadedAttachment,
  type WriteResult,
} from '../../src/index.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | undefined {
  return undefined;
}

declare const client: BiginClient;
declare const stream: ReadableStream<Uint8Array>;

// Endpoints: a data center id, or explicit URLs; nothing else.
new BiginClient({ dataCenter: 'eu' }, 'token');
new BiginClient({ apiDomain: 'http://localhost:3000' }, { accessToken: 'token' });
new BiginClient(
  { apiDomain: 'https://www.zohoapis.com', accountsServer: 'https://accounts.zoho.com' },
  {
    clientId: 'id',
    clientSecret: 'secret',
    refreshToken: 'refresh',
  },
);
new BiginClient(
  { dataCenter: 'in' },
  new RefreshTokenAuth({ clientId: 'a', clientSecret: 'b', refreshToken: 'c' }),
);
// @ts-expect-error an unknown data center
new BiginClient({ dataCenter: 'uk' }, 'token');
// @ts-expect-error refresh credentials need the client secret
new BiginClient({ dataCenter: 'us' }, { clientId: 'a', refreshToken: 'c' });

// Modules are a typed union; Calls has records but no attachments.
assertType<
  Equal<Module, 'Contacts' | 'Pipelines' | 'Accounts' | 'Products' | 'Tasks' | 'Events' | 'Notes' | 'Calls'>
>();
assertType<Equal<AttachmentModule, Exclude<Module, 'Calls'>>>();
// @ts-expect-error not a Bigin module
client.attachments.delete('Leads', '1', '2');
// @ts-expect-error the attachments API does not serve Calls
client.attachments.delete('Calls', '1', '2');
// @ts-expect-error ids are strings, never numbers (they exceed 2^53)
client.attachments.delete('Contacts', 2034020000, '2');
client.records.get('Calls', '1');

// Results.
assertType<Equal<Awaited<ReturnType<typeof client.attachments.delete>>, WriteResult<{ id: string }>>>();
assertType<Equal<ReturnType<typeof client.attachments.list>, PagePromise<Attachment>>>();
assertType<Equal<Awaited<ReturnType<typeof client.attachments.list>>, Page<Attachment>>>();
assertType<Equal<Awaited<ReturnType<typeof client.attachments.upload>>, UploadedAttachment>>();
assertType<Equal<Awaited<ReturnType<typeof client.attachments.download>>, AttachmentDownload | null>>();
assertType<Equal<Awaited<ReturnType<typeof client.attachments.downloadToFile>>, DownloadedFile | null>>();
assertType<Equal<Awaited<ReturnType<typeof client.records.get>>, BiginRecord | null>>();

export async function usage(): Promise<void> {
  // Upload sources.
  await client.attachments.upload('Contacts', '1', './file.pdf');
  await client.attachments.upload('Contacts', '1', new Uint8Array([1]));
  await client.attachments.upload('Contacts', '1', new Blob(['x']));
  await client.attachments.upload('Contacts', '1', {
    file: stream,
    fileName: 'x.bin',
    contentType: 'application/pdf',
  });
  await client.attachments.upload('Contacts', '1', { link: 'https://example.com', title: 'x' });
  // @ts-expect-error a number is not an upload source
  await client.attachments.upload('Contacts', '1', 42);

  // Pagination: for-await over items, await for a page.
  for await (const a of client.attachments.list('Contacts', '1', { perPage: 50 })) {
    assertType<Equal<typeof a, Attachment>>();
    const size: string = a.Size;
    void size;
  }
  const page = await client.attachments.list('Contacts', '1');
  if (page.hasNextPage()) await page.getNextPage();

  // Records: single insert resolves with one result, many with an array.
  const one = await client.records.insert('Contacts', { Last_Name: 'x' });
  const many = await client.records.insert('Contacts', [{ Last_Name: 'x' }]);
  assertType<Equal<typeof one, WriteResult>>();
  assertType<Equal<typeof many, WriteResult[]>>();

  // Per-call options.
  await client.attachments.delete('Contacts', '1', '2', {
    timeout: 1000,
    maxRetries: 0,
    signal: AbortSignal.timeout(5),
  });
  // @ts-expect-error unknown option
  await client.attachments.delete('Contacts', '1', '2', { retries: 3 });

  // Errors: one root; API errors carry code, status, details, request id.
  try {
    await client.attachments.delete('Contacts', '1', '2');
  } catch (error) {
    if (error instanceof InvalidDataError) {
      const e: BadRequestError & APIError & BiginError = error;
      const fields: [string | undefined, number, Record<string, unknown>, string | undefined] = [
        e.code,
        e.status,
        e.details,
        e.requestId,
      ];
      void fields;
    }
    if (error instanceof OAuthError) {
      const code: string = error.error;
      void code;
      // @ts-expect-error OAuth errors are not API errors
      void error.requestId;
    }
  }
}
