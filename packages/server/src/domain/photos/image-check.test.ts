import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { IMAGE_HEAD_BYTES, inspectImage, readHead } from './image-check.js';

const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function png(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  return Buffer.concat([Buffer.from(PNG_SIG), ihdr]);
}

/** SOI, then the segments given, each `[marker, body]`. */
function jpeg(segments: Array<[number, Buffer]>): Buffer {
  const parts: Buffer[] = [Buffer.from([0xff, 0xd8])];
  for (const [marker, body] of segments) {
    const head = Buffer.from([0xff, marker, 0, 0]);
    head.writeUInt16BE(body.length + 2, 2);
    parts.push(head, body);
  }
  return Buffer.concat(parts);
}
const sof = (w: number, h: number) => Buffer.from([8, h >> 8, h & 0xff, w >> 8, w & 0xff, 3, 0, 0, 0]);

describe('inspectImage', () => {
  it('reads PNG, GIF, BMP (both header kinds, top-down too) and JPEG sizes', () => {
    expect(inspectImage(png(640, 480))).toEqual({ contentType: 'image/png', width: 640, height: 480 });
    const gif = Buffer.from('GIF87a\x20\x03\x58\x02\x00', 'latin1');
    expect(inspectImage(gif)).toEqual({ contentType: 'image/gif', width: 800, height: 600 });
    const bmp = Buffer.alloc(54);
    bmp.write('BM', 0, 'latin1');
    bmp.writeUInt32LE(40, 14);
    bmp.writeInt32LE(300, 18);
    bmp.writeInt32LE(-200, 22);
    expect(inspectImage(bmp)).toEqual({ contentType: 'image/bmp', width: 300, height: 200 });
    const core = Buffer.alloc(26);
    core.write('BM', 0, 'latin1');
    core.writeUInt32LE(12, 14);
    core.writeUInt16LE(7, 18);
    core.writeUInt16LE(9, 20);
    expect(inspectImage(core)).toEqual({ contentType: 'image/bmp', width: 7, height: 9 });
    // A progressive JPEG (SOF2) after an APP0 and a Huffman table (DHT, C4, is not a frame header).
    const jpg = jpeg([
      [0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')],
      [0xc4, Buffer.alloc(20)],
      [0xc2, sof(1920, 1080)],
    ]);
    expect(inspectImage(jpg)).toEqual({ contentType: 'image/jpeg', width: 1920, height: 1080 });
  });

  it('takes a JPEG whose frame header is not in the head as a JPEG of unknown size', () => {
    expect(inspectImage(jpeg([[0xe1, Buffer.alloc(100)]]))).toEqual({
      contentType: 'image/jpeg',
      width: null,
      height: null,
    });
  });

  it('refuses everything else, truncated headers included', () => {
    for (const bytes of [
      Buffer.alloc(0),
      Buffer.from('hello'),
      Buffer.from('%PDF-1.7'),
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
      Buffer.from(PNG_SIG),
      Buffer.concat([Buffer.from(PNG_SIG), Buffer.alloc(16)]),
      Buffer.from('GIF89a\x01', 'latin1'),
      Buffer.from('BM\0\0', 'latin1'),
      Buffer.from('RIFF\0\0\0\0WEBPVP8 ', 'latin1'),
    ])
      expect(inspectImage(bytes), bytes.toString('latin1')).toBeNull();
  });
});

describe('readHead', () => {
  it('hands back the head and a stream of every byte, head included', async () => {
    const chunks = [Buffer.alloc(40_000, 1), Buffer.alloc(40_000, 2), Buffer.alloc(10, 3)];
    const { head, whole } = await readHead(Readable.from(chunks));
    expect(head.length).toBe(IMAGE_HEAD_BYTES);
    const all: Buffer[] = [];
    for await (const c of whole) all.push(c as Buffer);
    expect(Buffer.concat(all).equals(Buffer.concat(chunks))).toBe(true);
  });

  it('reads a body shorter than the head to its end', async () => {
    const { head, whole } = await readHead(Readable.from([Buffer.from('ab'), Buffer.from('c')]));
    expect(head.toString()).toBe('abc');
    const all: Buffer[] = [];
    for await (const c of whole) all.push(c as Buffer);
    expect(Buffer.concat(all).toString()).toBe('abc');
  });
});
