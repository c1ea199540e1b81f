import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isLoopback } from '../request-context.js';
import type { AdminDeps } from './admin-wire.js';
import { sendAdminError } from './admin-wire.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

interface Asset {
  body: Buffer;
  type: string;
  /** Vite names assets by content hash: they never change under the same name. */
  immutable: boolean;
}

/** The console's built files (packages/console/dist), read once; null when it was not built. */
export function loadConsoleAssets(dir = consoleDist()): Map<string, Asset> | null {
  if (!dir) return null;
  const assets = new Map<string, Asset>();
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else
        assets.set(relative(dir, path).split(sep).join('/'), {
          body: readFileSync(path),
          type: TYPES[extname(name)] ?? 'application/octet-stream',
          immutable: path.includes(`${sep}assets${sep}`),
        });
    }
  };
  walk(dir);
  return assets.has('index.html') ? assets : null;
}

function consoleDist(): string | null {
  try {
    const pkg = createRequire(import.meta.url).resolve('@bigin-attachments/console/package.json');
    const dist = join(dirname(pkg), 'dist');
    return statSync(join(dist, 'index.html')).isFile() ? dist : null;
  } catch {
    return null;
  }
}

// The page holds no data and no secret: every call it makes carries the admin key. It is still
// served only where the admin API is (ADMIN_KEY set; loopback unless ADMIN_ALLOW_REMOTE).
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; frame-src blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** `GET /_console` and its assets (docs/console.md). */
export function registerConsole(app: FastifyInstance, deps: AdminDeps): void {
  const settings = deps.config.admin;
  if (!settings) return;
  const assets = loadConsoleAssets();
  const serve = async (request: FastifyRequest, reply: FastifyReply, path: string) => {
    request.outcome = 'console';
    if (!settings.allowRemote && !isLoopback(request.socket.remoteAddress))
      return sendAdminError(reply, 'ADMIN_REMOTE_REFUSED');
    if (!assets)
      return reply
        .code(503)
        .header('content-type', 'text/plain; charset=utf-8')
        .send('The console was not built: run `npm run build` (it builds packages/console) and restart.\n');
    const asset = assets.get(path);
    if (!asset) return sendAdminError(reply, 'ADMIN_NOT_FOUND', `no console file ${path}`);
    return reply
      .header('content-type', asset.type)
      .header('cache-control', asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .header('content-security-policy', CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .send(asset.body);
  };
  app.get('/_console', (request, reply) => serve(request, reply, 'index.html'));
  app.get('/_console/', (request, reply) => serve(request, reply, 'index.html'));
  app.get('/_console/*', (request, reply) =>
    serve(request, reply, (request.params as { '*': string })['*'] || 'index.html'),
  );
}
