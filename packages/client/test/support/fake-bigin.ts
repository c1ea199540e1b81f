import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

/**
 * A small HTTP server speaking the attachment wire formats of decision D6 (upload, list, download
 * with Range), for SDK and CLI transport tests until the real server has those endpoints. It
 * accepts any token; auth and errors are tested against the real server.
 */
export interface StoredAttachment {
  id: string;
  module: string;
  record: string;
  name: string;
  type: string;
  bytes: Buffer | null;
  link?: string;
  title?: string;
}

export interface FakeBigin {
  url: string;
  attachments: StoredAttachment[];
  /** What each upload request looked like on the wire. */
  uploads: Array<{ chunked: boolean; contentLength: string | undefined }>;
  ranges: string[];
  close(): Promise<void>;
}

const JSON_TYPE = 'application/json;charset=UTF-8';
const user = { name: 'Admin', id: '1000000000000000001' };
const TIME = '2026-01-15T10:00:00+00:00';

export function sha256(data: Buffer | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function startFakeBigin(): Promise<FakeBigin> {
  const attachments: StoredAttachment[] = [];
  const uploads: FakeBigin['uploads'] = [];
  const ranges: string[] = [];
  let next = 1;
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/bigin\/v2\/(\w+)\/(\d+)\/Attachments(?:\/(\d+))?$/.exec(url.pathname);
    const json = (status: number, body: unknown) => {
      res
        .writeHead(status, { 'content-type': JSON_TYPE, 'x-request-id': `fake-${next}` })
        .end(JSON.stringify(body));
    };
    const list = /^\/bigin\/v2\/(\w+)$/.exec(url.pathname);
    if (list && req.method === 'GET') {
      // Records of the module: those that carry attachments, enough for `download-all`.
      const ids = [...new Set(attachments.filter((a) => a.module === list[1]).map((a) => a.record))];
      if (!ids.length) return res.writeHead(204).end();
      return json(200, {
        data: ids.map((id) => ({ id })),
        info: { per_page: 200, count: ids.length, page: 1, more_records: false },
      });
    }
    if (!m)
      return json(404, {
        code: 'INVALID_URL_PATTERN',
        details: {},
        message: 'Please check if the URL trying to access is a correct one',
        status: 'error',
      });
    const [, module, record, attachmentId] = m;
    if (req.method === 'POST' && !attachmentId) {
      uploads.push({
        chunked: req.headers['transfer-encoding'] === 'chunked',
        contentLength: req.headers['content-length'],
      });
      const form = await new Response(Readable.toWeb(req as IncomingMessage) as ReadableStream, {
        headers: { 'content-type': req.headers['content-type'] ?? '' },
      }).formData();
      const file = form.get('file');
      const link = form.get('attachmentUrl');
      const id = `2034020000000${String(700000 + next++)}`;
      if (file instanceof File) {
        attachments.push({
          id,
          module: module!,
          record: record!,
          name: file.name,
          type: file.type || 'application/octet-stream',
          bytes: Buffer.from(await file.arrayBuffer()),
        });
      } else if (typeof link === 'string') {
        const title = form.get('title');
        attachments.push({
          id,
          module: module!,
          record: record!,
          name: typeof title === 'string' ? title : link,
          type: '',
          bytes: null,
          link,
          ...(typeof title === 'string' ? { title } : {}),
        });
      } else {
        return json(400, {
          code: 'MANDATORY_NOT_FOUND',
          details: {},
          message: 'required field not found',
          status: 'error',
        });
      }
      return json(200, {
        data: [
          {
            code: 'SUCCESS',
            details: { id, Created_Time: TIME, Modified_Time: TIME, Created_By: user, Modified_By: user },
            message: 'attachment uploaded successfully',
            status: 'success',
          },
        ],
      });
    }
    if (req.method === 'GET' && !attachmentId) {
      const page = Number(url.searchParams.get('page') ?? 1);
      const perPage = Number(url.searchParams.get('per_page') ?? 200);
      const mine = attachments.filter((a) => a.record === record);
      const slice = mine.slice((page - 1) * perPage, page * perPage);
      if (!slice.length) return res.writeHead(204).end();
      return json(200, {
        data: slice.map((a) => ({
          id: a.id,
          File_Name: a.name,
          Size: String(a.bytes?.length ?? 0),
          $type: a.link ? 'Link URL' : 'File',
          $link_url: a.link ?? null,
          $se_module: module,
          $editable: true,
          $file_id: a.link ? null : `file-${a.id}`,
          Parent_Id: { name: `Record ${record}`, id: record },
          Owner: user,
          Created_By: user,
          Modified_By: { ...user, email: 'admin@example.com' },
          Created_Time: TIME,
          Modified_Time: TIME,
        })),
        info: { per_page: perPage, count: slice.length, page, more_records: page * perPage < mine.length },
      });
    }
    if (req.method === 'GET' && attachmentId) {
      const a = attachments.find((x) => x.id === attachmentId && x.record === record);
      if (!a) return res.writeHead(204).end();
      if (!a.bytes)
        return json(400, {
          code: 'DOWNLOAD_NOT_ALLOWED',
          details: {},
          message: 'download not allowed',
          status: 'error',
        });
      const headers = {
        'content-type': a.type,
        'content-disposition': `attachment; filename="${a.name.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(a.name)}`,
        'accept-ranges': 'bytes',
      };
      const range = req.headers.range;
      if (range) {
        ranges.push(range);
        const [, s, e] = /^bytes=(\d+)-(\d*)$/.exec(range) ?? [];
        const start = Number(s);
        const end = e ? Number(e) : a.bytes.length - 1;
        if (start >= a.bytes.length) {
          return res
            .writeHead(416, { 'content-range': `bytes */${a.bytes.length}`, 'content-type': JSON_TYPE })
            .end('{}');
        }
        res.writeHead(206, {
          ...headers,
          'content-length': end - start + 1,
          'content-range': `bytes ${start}-${end}/${a.bytes.length}`,
        });
        return res.end(a.bytes.subarray(start, end + 1));
      }
      res.writeHead(200, { ...headers, 'content-length': a.bytes.length });
      return res.end(a.bytes);
    }
    return json(400, {
      code: 'INVALID_REQUEST_METHOD',
      details: {},
      message: 'The http request method type is not a valid one',
      status: 'error',
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    attachments,
    uploads,
    ranges,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
