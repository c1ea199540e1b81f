import { mkdir, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import type { BiginClient } from '../client.js';
import { InvalidDataError } from '../errors.js';
import type { UploadProgress } from '../internal/upload-body.js';
import type { Attachment, AttachmentModule } from '../types.js';
import { type GlobalOptions, loadContext, makeClient } from './context.js';
import { CliError, EXIT } from './exit-codes.js';
import { type Output, table } from './output.js';
import { ByteProgress, Progress } from './progress.js';
import { parseConcurrency, runBulkCommand } from './run-bulk-command.js';

export type Action = (globals: GlobalOptions, output: Output) => Promise<number>;
// Commander hands each action its positional arguments and options untyped; handlers declare them.
// biome-ignore lint/suspicious/noExplicitAny: the handler's own parameter list is the typing
export type Register = (command: Command, handler: (...args: any[]) => Action) => Command;

const ATTACHMENT_COLUMNS = ['id', 'File_Name', 'Size', '$type', 'Created_Time', 'Owner'];

function row(a: Attachment): Record<string, unknown> {
  return { ...a, Owner: a.Owner?.name };
}

/** A file name safe on every file system, keeping the original as far as possible. */
export function safeFileName(name: string): string {
  const cleaned = [...name]
    .map((c) => (c.charCodeAt(0) < 0x20 || '/\\:*?"<>|'.includes(c) ? '_' : c))
    .join('')
    .replace(/^\.+/, '_');
  return cleaned.slice(0, 200) || 'file';
}

async function listAll(
  client: BiginClient,
  module: AttachmentModule,
  recordId: string,
): Promise<Attachment[]> {
  const all: Attachment[] = [];
  for await (const a of client.attachments.list(module, recordId)) all.push(a);
  return all;
}

async function readIds(file: string): Promise<string[]> {
  const text =
    file === '-'
      ? await new Response(Readable.toWeb(process.stdin) as ReadableStream).text()
      : await readFile(file, 'utf8');
  return text.split(/[\s,]+/).filter(Boolean);
}

/** An INVALID_DATA for the attachment id (index 3): the attachment is gone. */
/** Files from this size on show their upload's progress on stderr; smaller ones are sent before a bar could be read. */
export const UPLOAD_PROGRESS_MIN_BYTES = 1024 * 1024;

/** The progress display of one upload, or null: quiet, a small file, or stdin of unknown length off a terminal. */
async function uploadProgress(file: string, quiet: boolean): Promise<ByteProgress | null> {
  const mode = Progress.modeFor(process.stderr, quiet);
  if (mode === 'none') return null;
  if (file === '-') return mode === 'bar' ? new ByteProgress(process.stderr, 'Uploading stdin', mode) : null;
  const size = await stat(file).then(
    (s) => s.size,
    () => 0,
  );
  return size >= UPLOAD_PROGRESS_MIN_BYTES
    ? new ByteProgress(process.stderr, `Uploading ${file}`, mode)
    : null;
}

function attachmentGone(error: unknown): boolean {
  return error instanceof InvalidDataError && error.details.resource_path_index === 3;
}

export function registerAttachmentCommands(
  program: Command,
  register: Register,
  env: NodeJS.ProcessEnv,
): void {
  const attachments = program
    .command('attachments')
    .alias('att')
    .description('List, upload, download and delete attachments');

  register(
    attachments
      .command('ls')
      .description('List the attachments of a record (every page unless --page)')
      .argument('<module>', 'module API name (Contacts, Pipelines, Accounts, …)')
      .argument('<recordId>')
      .option('--page <n>', 'one page only')
      .option('--per-page <n>', 'page size (max 200)'),
    (module: AttachmentModule, recordId: string, opts: { page?: string; perPage?: string }) =>
      async (globals, output) => {
        const client = makeClient(globals, await loadContext(globals, env));
        let items: Attachment[];
        if (opts.page) {
          const page = await client.attachments.list(module, recordId, {
            page: Number(opts.page),
            ...(opts.perPage ? { perPage: Number(opts.perPage) } : {}),
          });
          if (output.json) {
            output.out(JSON.stringify({ data: page.data, info: page.info }));
            return EXIT.OK;
          }
          items = page.data;
        } else {
          items = await listAll(client, module, recordId);
          if (output.json) {
            output.out(JSON.stringify(items));
            return EXIT.OK;
          }
        }
        output.out(items.length ? table(items.map(row), ATTACHMENT_COLUMNS) : 'No attachments.');
        return EXIT.OK;
      },
  );

  register(
    attachments
      .command('upload')
      .description('Upload files (paths, or - for stdin) or attach a link')
      .argument('<module>')
      .argument('<recordId>')
      .argument('[files...]')
      .option('--link <url>', 'attach a link instead of a file')
      .option('--title <title>', "the link's title")
      .option('--name <fileName>', 'file name to store (default: the base name; required for stdin)')
      .option('--content-type <type>', 'media type to store'),
    (
      module: AttachmentModule,
      recordId: string,
      files: string[],
      opts: { link?: string; title?: string; name?: string; contentType?: string },
    ) =>
      async (globals, output) => {
        const client = makeClient(globals, await loadContext(globals, env));
        if (opts.link) {
          if (files.length) throw new CliError('give either files or --link, not both', EXIT.USAGE);
          const result = await client.attachments.upload(module, recordId, {
            link: opts.link,
            ...(opts.title !== undefined ? { title: opts.title } : {}),
          });
          output.out(output.json ? JSON.stringify(result) : `Attached link ${opts.link} as ${result.id}`);
          return EXIT.OK;
        }
        if (!files.length) throw new CliError('give at least one file, or --link', EXIT.USAGE);
        const results = [];
        for (const file of files) {
          const common = {
            ...(opts.name ? { fileName: opts.name } : {}),
            ...(opts.contentType ? { contentType: opts.contentType } : {}),
          };
          const progress = await uploadProgress(file, !!globals.quiet);
          let result: Awaited<ReturnType<typeof client.attachments.upload>>;
          try {
            const options = progress
              ? { onProgress: (p: UploadProgress) => progress.update(p.sent, p.total) }
              : {};
            result =
              file === '-'
                ? await client.attachments.upload(
                    module,
                    recordId,
                    { file: process.stdin, ...common },
                    options,
                  )
                : await client.attachments.upload(module, recordId, { file, ...common }, options);
          } finally {
            progress?.finish();
          }
          results.push({ file, ...result });
          if (!output.json) output.out(`Uploaded ${file} as ${result.id}`);
        }
        if (output.json) output.out(JSON.stringify(results));
        return EXIT.OK;
      },
  );

  register(
    attachments
      .command('download')
      .description(
        'Download attachments of a record (all of them when no ids are given), resuming partial files',
      )
      .argument('<module>')
      .argument('<recordId>')
      .argument('[attachmentIds...]')
      .option('-o, --out <path>', 'folder (or, for one id, a file path; - for stdout)', '.')
      .option('--concurrency <n>', 'parallel downloads', '4')
      .option('--journal <file>', 'journal file for resuming (default: in the config folder)')
      .option('--no-resume', 'start partial files over'),
    (
      module: AttachmentModule,
      recordId: string,
      ids: string[],
      opts: { out: string; concurrency?: string; journal?: string; resume: boolean },
    ) =>
      async (globals, output) => {
        const ctx = await loadContext(globals, env);
        const client = makeClient(globals, ctx);
        const outIsDir = await stat(opts.out).then(
          (s) => s.isDirectory(),
          () => false,
        );
        if (ids.length === 1 && (opts.out === '-' || !outIsDir)) {
          return downloadOne(client, module, recordId, ids[0]!, opts.out, opts.resume, output);
        }
        await mkdir(opts.out, { recursive: true });
        const items: Array<{ id: string; name: string | undefined }> = ids.length
          ? ids.map((id) => ({ id, name: undefined }))
          : (await listAll(client, module, recordId))
              .filter((a) => a.$type !== 'Link URL')
              .map((a) => ({ id: a.id, name: a.File_Name }));
        return runBulkCommand(
          {
            verb: 'Downloaded',
            noun: 'attachments',
            jobKey: [
              'download',
              client.apiDomain,
              module,
              recordId,
              opts.out,
              ...(ids.length ? [...ids].sort() : ['all']),
            ],
            items,
            key: (i) => i.id,
            concurrency: parseConcurrency(opts.concurrency),
            journalPath: opts.journal,
            action: (i) => downloadInto(client, module, recordId, i.id, i.name, opts.out, opts.resume),
          },
          globals,
          ctx,
          output,
        );
      },
  );

  register(
    attachments
      .command('download-all')
      .description('Download every attachment of every record of a module into <out>/<recordId>/')
      .argument('<module>')
      .option('-o, --out <dir>', 'folder', '.')
      .option('--concurrency <n>', 'parallel downloads', '4')
      .option('--journal <file>', 'journal file for resuming')
      .option('--no-resume', 'start partial files over'),
    (
      module: AttachmentModule,
      opts: { out: string; concurrency?: string; journal?: string; resume: boolean },
    ) =>
      async (globals, output) => {
        const ctx = await loadContext(globals, env);
        const client = makeClient(globals, ctx);
        const items: Array<{ record: string; id: string; name: string }> = [];
        for await (const record of client.records.list(module, { fields: ['id'] })) {
          for (const a of await listAll(client, module, record.id)) {
            if (a.$type !== 'Link URL') items.push({ record: record.id, id: a.id, name: a.File_Name });
          }
        }
        return runBulkCommand(
          {
            verb: 'Downloaded',
            noun: 'attachments',
            jobKey: ['download-all', client.apiDomain, module, opts.out],
            items,
            key: (i) => `${i.record}/${i.id}`,
            concurrency: parseConcurrency(opts.concurrency),
            journalPath: opts.journal,
            action: async (i) => {
              const dir = join(opts.out, i.record);
              await mkdir(dir, { recursive: true });
              await downloadInto(client, module, i.record, i.id, i.name, dir, opts.resume);
            },
          },
          globals,
          ctx,
          output,
        );
      },
  );

  register(
    attachments
      .command('delete')
      .alias('rm')
      .description('Delete attachments: the ids given, the ids in a file, or --all (optionally --match)')
      .argument('<module>')
      .argument('<recordId>')
      .argument('[attachmentIds...]')
      .option('--all', 'every attachment of the record')
      .option('--match <regex>', 'with --all: only attachments whose file name matches')
      .option('--ids-file <file>', 'ids to delete, whitespace or comma separated (- for stdin)')
      .option('--concurrency <n>', 'parallel deletes', '4')
      .option('--journal <file>', 'journal file for resuming (default: in the config folder)'),
    (
      module: AttachmentModule,
      recordId: string,
      ids: string[],
      opts: { all?: boolean; match?: string; idsFile?: string; concurrency?: string; journal?: string },
    ) =>
      async (globals, output) => {
        const ctx = await loadContext(globals, env);
        const client = makeClient(globals, ctx);
        if (opts.match && !opts.all) throw new CliError('--match needs --all', EXIT.USAGE);
        const bulk = opts.all || opts.idsFile || ids.length !== 1;
        if (!bulk) {
          const result = await client.attachments.delete(module, recordId, ids[0]!);
          output.out(output.json ? JSON.stringify(result) : `Deleted attachment ${result.details.id}`);
          return EXIT.OK;
        }
        const targets = [...ids, ...(opts.idsFile ? await readIds(opts.idsFile) : [])];
        if (opts.all) {
          const pattern = opts.match ? new RegExp(opts.match) : undefined;
          for (const a of await listAll(client, module, recordId)) {
            if (!pattern || pattern.test(a.File_Name)) targets.push(a.id);
          }
        }
        const unique = [...new Set(targets)];
        if (!unique.length && !opts.all) throw new CliError('no attachment ids given', EXIT.USAGE);
        return runBulkCommand(
          {
            verb: 'Deleted',
            noun: 'attachments',
            jobKey: opts.all
              ? ['delete-all', client.apiDomain, module, recordId, opts.match ?? '']
              : ['delete', client.apiDomain, module, recordId, ...[...unique].sort()],
            items: unique,
            key: (id) => id,
            concurrency: parseConcurrency(opts.concurrency),
            journalPath: opts.journal,
            action: async (id) => {
              await client.attachments.delete(module, recordId, id);
            },
            alreadyDone: attachmentGone,
          },
          globals,
          ctx,
          output,
        );
      },
  );
}

async function downloadOne(
  client: BiginClient,
  module: AttachmentModule,
  recordId: string,
  id: string,
  out: string,
  resume: boolean,
  output: Output,
): Promise<number> {
  if (out === '-') {
    const download = await client.attachments.download(module, recordId, id);
    if (!download) throw new CliError(`no attachment ${id} on record ${recordId} (HTTP 204)`, EXIT.NOT_FOUND);
    await pipeline(
      Readable.fromWeb(download.body as import('node:stream/web').ReadableStream),
      process.stdout,
    );
    return EXIT.OK;
  }
  const result = await client.attachments.downloadToFile(module, recordId, id, out, { resume });
  if (!result) throw new CliError(`no attachment ${id} on record ${recordId} (HTTP 204)`, EXIT.NOT_FOUND);
  output.out(output.json ? JSON.stringify(result) : `Downloaded ${result.bytes} bytes to ${result.path}`);
  return EXIT.OK;
}

/** Downloads to `<dir>/<id>-<name>`: the id keeps names unique, the name keeps files recognisable. */
async function downloadInto(
  client: BiginClient,
  module: AttachmentModule,
  recordId: string,
  id: string,
  name: string | undefined,
  dir: string,
  resume: boolean,
): Promise<void> {
  const target = join(dir, name ? `${id}-${safeFileName(name)}` : id);
  const result = await client.attachments.downloadToFile(module, recordId, id, target, { resume });
  if (!result) throw new CliError(`no attachment ${id} on record ${recordId} (HTTP 204)`, EXIT.NOT_FOUND);
  if (!name && result.fileName) await rename(target, join(dir, `${id}-${safeFileName(result.fileName)}`));
}
