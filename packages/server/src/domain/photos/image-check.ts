import { Readable } from 'node:stream';

/**
 * What a photo's first bytes say: the formats Zoho's photo pages allow (PNG, JPEG, GIF, BMP) by
 * their signatures, and the picture's size where the header holds it. The client's declared media
 * type is not trusted: the stored type comes from here, so that a download never serves a
 * non-image as an image.
 */
export interface ImageHead {
  contentType: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/bmp';
  /** Null when the head read holds no size (a JPEG whose frame header comes later). */
  width: number | null;
  height: number | null;
}

/** Bytes read before deciding; a JPEG's frame header usually comes within its first few KB. */
export const IMAGE_HEAD_BYTES = 64 * 1024;

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const startsWith = (b: Buffer, sig: readonly number[]) =>
  b.length >= sig.length && sig.every((v, i) => b[i] === v);

/** The image format and size of `head`, or null when it is none of the allowed formats. */
export function inspectImage(head: Buffer): ImageHead | null {
  if (startsWith(head, PNG)) {
    // IHDR is always the first chunk: width and height as big-endian 32-bit numbers.
    if (head.length < 24 || head.toString('latin1', 12, 16) !== 'IHDR') return null;
    return { contentType: 'image/png', width: head.readUInt32BE(16), height: head.readUInt32BE(20) };
  }
  const gif = head.toString('latin1', 0, 6);
  if (gif === 'GIF87a' || gif === 'GIF89a') {
    if (head.length < 10) return null;
    return { contentType: 'image/gif', width: head.readUInt16LE(6), height: head.readUInt16LE(8) };
  }
  if (head.length >= 26 && head[0] === 0x42 && head[1] === 0x4d) {
    const dib = head.readUInt32LE(14);
    if (dib === 12)
      return { contentType: 'image/bmp', width: head.readUInt16LE(18), height: head.readUInt16LE(20) };
    if (dib < 40) return null;
    // A negative height is a top-down bitmap.
    return {
      contentType: 'image/bmp',
      width: Math.abs(head.readInt32LE(18)),
      height: Math.abs(head.readInt32LE(22)),
    };
  }
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return jpeg(head);
  return null;
}

/** Walks the JPEG's markers to its frame header (SOF0–SOF15 but DHT, JPG and DAC). */
function jpeg(head: Buffer): ImageHead {
  let at = 2;
  while (at + 4 <= head.length) {
    if (head[at] !== 0xff) break;
    const marker = head[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9)) {
      at += 2; // markers without a length
      continue;
    }
    const length = head.readUInt16BE(at + 2);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame && at + 9 <= head.length)
      return {
        contentType: 'image/jpeg',
        height: head.readUInt16BE(at + 5),
        width: head.readUInt16BE(at + 7),
      };
    if (length < 2) break;
    at += 2 + length;
  }
  return { contentType: 'image/jpeg', width: null, height: null };
}

/**
 * Reads up to `IMAGE_HEAD_BYTES` of `body` and hands back those bytes together with a stream of
 * the whole body (head included), so that the rest still streams to the blob store unbuffered.
 */
export async function readHead(body: Readable): Promise<{ head: Buffer; whole: Readable }> {
  const it = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < IMAGE_HEAD_BYTES) {
    const next = await it.next();
    if (next.done) {
      done = true;
      break;
    }
    chunks.push(next.value);
    size += next.value.length;
  }
  const head = Buffer.concat(chunks);
  async function* rest(): AsyncGenerator<Buffer> {
    yield head;
    if (done) return;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  }
  const whole = Readable.from(rest(), { objectMode: false });
  // A refused photo's remaining bytes are never read; closing the iterator releases the part.
  whole.on('close', () => void it.return?.());
  return { head: head.subarray(0, IMAGE_HEAD_BYTES), whole };
}
