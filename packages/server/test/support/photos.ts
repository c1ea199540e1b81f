import { expect } from 'vitest';
import { errorEnvelope, JSON_TYPE } from './bigin.js';
import { bytesOf, type FormPart } from './uploads.js';

/** Helpers for the photo tests (docs/photos.md): tiny image headers, parts, paths and answers. */

/** Status, JSON body and Bigin's JSON content type, for fetch answers and streamed-upload answers alike. */
export function expectJson(
  res: { status: number; json: unknown; contentType: string | null | undefined },
  status: number,
  body: unknown,
): void {
  expect({ status: res.status, body: res.json, contentType: res.contentType }).toEqual({
    status,
    body,
    contentType: JSON_TYPE,
  });
}

/** A PNG header (signature and IHDR) of the given size, then `extra` bytes: enough for any check here. */
export function png(width: number, height: number, extra = 'pixels'): Buffer {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  ihdr[16] = 8;
  ihdr[17] = 6;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    ihdr,
    Buffer.from(extra),
  ]);
}
export const gif = (w: number, h: number) => {
  const b = Buffer.alloc(13);
  b.write('GIF89a', 0, 'latin1');
  b.writeUInt16LE(w, 6);
  b.writeUInt16LE(h, 8);
  return b;
};
export const bmp = (w: number, h: number) => {
  const b = Buffer.alloc(54);
  b.write('BM', 0, 'latin1');
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(w, 18);
  b.writeInt32LE(-h, 22);
  return b;
};
/** SOI, an APP0 segment, then a baseline frame header. */
export const jpeg = (w: number, h: number) => {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, h >> 8, h & 0xff, w >> 8, w & 0xff, 3]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.alloc(9)]);
};

export const filePart = (content: Buffer, fileName = 'face.png', contentType = 'image/png'): FormPart => ({
  name: 'file',
  fileName,
  contentType,
  body: bytesOf(content),
});
export const photoPath = (module: string, id: string, v = 'v2') => `/bigin/${v}/${module}/${id}/photo`;
export const UPLOADED = {
  code: 'SUCCESS',
  details: {},
  message: 'photo uploaded successfully',
  status: 'success',
};
export const DELETED = { code: 'SUCCESS', details: {}, message: 'Photo deleted', status: 'success' };
export const NOT_ACCESSIBLE = errorEnvelope(
  'AUTHORIZATION_FAILED',
  'User does not have sufficient privilege to access the photo of this record',
);
export const INVALID_TYPE = errorEnvelope('INVALID_DATA', 'Invalid file type');
export const NO_FILE = errorEnvelope('INVALID_DATA', 'The request does not contain any file');
export const TOO_LARGE = errorEnvelope(
  'FILE_SIZE_MORE_THAN_ALLOWED_SIZE',
  'Please check if the file size is in the correct range',
);
