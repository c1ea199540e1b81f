import { createHash } from 'node:crypto';
import { type Agent, request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { auth } from './bigin.js';

/** Helpers for the upload, list and download tests: multipart bodies built as streams. */

export const BOUNDARY = '----bigin-test-boundary-7MA4YWxkTrZu0gW';

/** Deterministic bytes: `size` of them, in 64 KiB chunks, never all in memory at once. */
export function patternBytes(size: number, seed = 1): { stream: () => Readable; sha256: string } {
  const chunkSize = 64 * 1024;
  const chunk = (offset: number) => {
    const n = Math.min(chunkSize, size - offset);
    const b = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) b[i] = ((offset + i) * 31 + seed * 7 + ((offset + i) >> 11)) & 0xff;
    return b;
  };
  const hash = createHash('sha256');
  for (let o = 0; o < size; o += chunkSize) hash.update(chunk(o));
  return {
    sha256: hash.digest('hex'),
    stream: () =>
      Readable.from(
        (function* () {
          for (let o = 0; o < size; o += chunkSize) yield chunk(o);
        })(),
      ),
  };
}

export type FormPart =
  | { name: string; value: string }
  | { name: string; fileName?: string; fileNameStar?: string; contentType?: string; body: () => Readable };

function partHeader(p: FormPart): string {
  if ('value' in p) return `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n`;
  let disposition = `form-data; name="${p.name}"`;
  if (p.fileName !== undefined) disposition += `; filename="${p.fileName}"`;
  if (p.fileNameStar !== undefined) disposition += `; filename*=${p.fileNameStar}`;
  const type = p.contentType === undefined ? '' : `Content-Type: ${p.contentType}\r\n`;
  return `--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`;
}

/** A multipart/form-data body as a stream; file names are written as raw UTF-8, as curl does. */
export function multipartBody(parts: FormPart[], options: { close?: boolean } = {}): Readable {
  return Readable.from(
    (async function* () {
      for (const p of parts) {
        yield Buffer.from(partHeader(p), 'utf8');
        if ('value' in p) yield Buffer.from(p.value, 'utf8');
        else for await (const c of p.body()) yield c as Buffer;
        yield Buffer.from('\r\n');
      }
      if (options.close !== false) yield Buffer.from(`--${BOUNDARY}--\r\n`);
    })(),
  );
}

export const MULTIPART_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  contentType: string | undefined;
  body: Buffer;
  text: string;
  json: unknown;
}

/** One request with a streamed body (chunked), answered in full. */
export function send(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; headers?: Record<string, string>; body?: Readable; agent?: Agent } = {},
): Promise<HttpAnswer> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method,
        headers: { ...(options.token ? auth(options.token) : {}), ...options.headers },
        ...(options.agent ? { agent: options.agent } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const text = body.toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            contentType: res.headers['content-type'],
            body,
            text,
            json,
          });
        });
      },
    );
    req.on('error', reject);
    if (options.body) {
      // The server may answer (413, 401) before the body is all sent; that is not a client error.
      options.body.on('error', reject);
      options.body.pipe(req);
    } else req.end();
  });
}

export function upload(baseUrl: string, path: string, token: string | undefined, parts: FormPart[]) {
  return send(baseUrl, 'POST', path, {
    ...(token ? { token } : {}),
    headers: { 'Content-Type': MULTIPART_TYPE },
    body: multipartBody(parts),
  });
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export const listPath = (module: string, recordId: string) => `/bigin/v2/${module}/${recordId}/Attachments`;

/** A body factory for exactly these bytes. */
export function bytesOf(content: string | Buffer): () => Readable {
  const b = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return () => Readable.from([b]);
}

/** A `file` part with small text content. */
export function filePart(fileName: string, content = 'hello', contentType = 'text/plain'): FormPart {
  return { name: 'file', fileName, contentType, body: bytesOf(content) };
}
