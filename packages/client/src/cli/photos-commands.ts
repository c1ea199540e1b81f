import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import type { PhotoDownload, PhotoModule, PhotoResult } from '../resources/photos.js';
import type { Register } from './attachments-commands.js';
import { loadContext, makeClient } from './context.js';
import { CliError, EXIT } from './exit-codes.js';
import type { Output } from './output.js';

/** Extensions of the stored image types, for a download with no `-o`. */
const EXTENSION: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/bmp': 'bmp',
};

const said = (result: PhotoResult, output: Output) =>
  output.out(output.json ? JSON.stringify(result) : result.message);

/** Writes a photo to `out` (`-`: standard output); answers NOT_FOUND on 204. */
async function save(download: PhotoDownload | null, out: string, what: string, output: Output) {
  if (!download) throw new CliError(`${what} has no photo (HTTP 204)`, EXIT.NOT_FOUND);
  const body = Readable.fromWeb(download.body as import('node:stream/web').ReadableStream);
  if (out === '-') {
    await pipeline(body, process.stdout);
    return EXIT.OK;
  }
  await pipeline(body, createWriteStream(out));
  output.out(
    output.json
      ? JSON.stringify({ path: out, contentType: download.contentType, bytes: download.contentLength })
      : `Downloaded ${download.contentLength ?? '?'} bytes (${download.contentType}) to ${out}`,
  );
  return EXIT.OK;
}

const outName = (base: string, download: PhotoDownload | null) =>
  `${base}.${(download && EXTENSION[download.contentType]) || 'img'}`;

/**
 * `bigin records photo upload|download|delete <module> <recordId> …` and `bigin org photo
 * upload|download` (docs/photos.md).
 */
export function registerPhotoCommands(program: Command, register: Register, env: NodeJS.ProcessEnv): void {
  const records = program.commands.find((c) => c.name() === 'records') ?? program.command('records');
  const photo = records.command('photo').description("A record's photo (Contacts, Accounts, Products)");

  register(
    photo
      .command('upload')
      .description("Upload or replace a record's photo (PNG, JPEG, GIF or BMP; at most 10 MB)")
      .argument('<module>')
      .argument('<recordId>')
      .argument('<file>', 'image file path'),
    (module: PhotoModule, recordId: string, file: string) => async (globals, output) => {
      const client = makeClient(globals, await loadContext(globals, env));
      said(await client.photos.upload(module, recordId, file), output);
      return EXIT.OK;
    },
  );

  register(
    photo
      .command('download')
      .description("Download a record's photo")
      .argument('<module>')
      .argument('<recordId>')
      .option('-o, --out <path>', 'file path, or - for stdout (default: <recordId>.<ext>)'),
    (module: PhotoModule, recordId: string, opts: { out?: string }) => async (globals, output) => {
      const client = makeClient(globals, await loadContext(globals, env));
      const download = await client.photos.download(module, recordId);
      return save(download, opts.out ?? outName(recordId, download), `record ${recordId}`, output);
    },
  );

  register(
    photo
      .command('delete')
      .description("Delete a record's photo")
      .argument('<module>')
      .argument('<recordId>'),
    (module: PhotoModule, recordId: string) => async (globals, output) => {
      const client = makeClient(globals, await loadContext(globals, env));
      const result = await client.photos.delete(module, recordId);
      if (!result) throw new CliError(`record ${recordId} has no photo (HTTP 204)`, EXIT.NOT_FOUND);
      said(result, output);
      return EXIT.OK;
    },
  );

  const org = program.commands.find((c) => c.name() === 'org') ?? program.command('org');
  const orgPhoto = org.command('photo').description("The organisation's photo");

  register(
    orgPhoto
      .command('upload')
      .description("Upload or replace the organisation's photo (administrators; at most 1 MB)")
      .argument('<file>', 'image file path'),
    (file: string) => async (globals, output) => {
      const client = makeClient(globals, await loadContext(globals, env));
      said(await client.photos.uploadOrg(file), output);
      return EXIT.OK;
    },
  );

  register(
    orgPhoto
      .command('download')
      .description("Download the organisation's photo")
      .option('-o, --out <path>', 'file path, or - for stdout (default: org-photo.<ext>)'),
    (opts: { out?: string }) => async (globals, output) => {
      const client = makeClient(globals, await loadContext(globals, env));
      const download = await client.photos.downloadOrg();
      return save(download, opts.out ?? outName('org-photo', download), 'the organisation', output);
    },
  );
}
