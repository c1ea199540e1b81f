import type { FastifyRequest } from 'fastify';
import { hasUnstorableText } from '../domain/text.js';

/** Accounts requests are a few short fields; anything larger is not a real client. */
export const FORM_BODY_LIMIT = 64 * 1024;

export class FormBodyTooLargeError extends Error {}

/** A parameter holding text no store can hold (decisions D-14): a malformed request. */
export class FormParamUnstorableError extends Error {}

/**
 * The request's parameters as Zoho Accounts reads them: the query string, overridden by an
 * `application/x-www-form-urlencoded` or `multipart/form-data` body (text fields only). Other
 * bodies are ignored. For each name the first value wins.
 */
export async function readFormParams(request: FastifyRequest): Promise<Record<string, string>> {
  const params: Record<string, string> = Object.create(null);
  const query = request.url.indexOf('?');
  if (query >= 0) assignFirst(params, new URLSearchParams(request.url.slice(query + 1)));
  const type = (request.headers['content-type'] ?? '').toLowerCase();
  const isUrlEncoded = type.startsWith('application/x-www-form-urlencoded');
  const isMultipart = type.startsWith('multipart/form-data');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.raw as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > FORM_BODY_LIMIT) throw new FormBodyTooLargeError();
    if (isUrlEncoded || isMultipart) chunks.push(chunk);
  }
  if (chunks.length === 0) return params;
  const body = Buffer.concat(chunks);
  if (isUrlEncoded) {
    assignFirst(params, new URLSearchParams(body.toString('utf8')), true);
  } else {
    // undici's multipart parser (Node's own fetch) reads a bounded, already-buffered body.
    let form: FormData;
    try {
      form = await new Response(body, {
        headers: { 'content-type': request.headers['content-type']! },
      }).formData();
    } catch {
      return params;
    }
    const fields = new URLSearchParams();
    for (const [name, value] of form.entries()) if (typeof value === 'string') fields.append(name, value);
    assignFirst(params, fields, true);
  }
  return params;
}

function assignFirst(target: Record<string, string>, source: URLSearchParams, override = false): void {
  const seen = new Set<string>();
  for (const [name, value] of source) {
    if (hasUnstorableText(value) || hasUnstorableText(name)) throw new FormParamUnstorableError();
    if (seen.has(name)) continue;
    seen.add(name);
    if (override || !(name in target)) target[name] = value;
  }
}
