import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DATA_CENTERS } from '@bigin-attachments/contract';
import { authorizationUrl, exchangeAuthorizationCode, type TokenResponse } from '../auth.js';
import { OAuthError } from '../errors.js';

export interface LoginOptions {
  accountsServer: string;
  clientId: string;
  clientSecret: string;
  scope: string;
  /** Port of the local redirect listener; must match the redirect URI registered for the client. */
  port: number;
  openBrowser: boolean;
  /** Where to tell the user what to open. */
  say: (text: string) => void;
  signal?: AbortSignal;
}

export interface LoginResult {
  tokens: TokenResponse;
  accountsServer: string;
  location: string | undefined;
}

function openInBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No browser here: the printed URL is enough.
  }
}

/**
 * The accounts server to exchange the code at. Zoho's redirect names the user's data center
 * (`accounts-server`: multi-DC sign-in sends an EU user signed in at the US server to the EU one);
 * it is trusted only when it is the configured server, a known Zoho one, or (a self-hosted server
 * serving each data center on its own port) another port of the configured host, so a forged
 * redirect cannot send the client secret elsewhere.
 */
function tokenServer(configured: string, fromRedirect: string | null): string {
  if (!fromRedirect) return configured;
  const given = fromRedirect.replace(/\/+$/, '');
  const known = new Set([configured.replace(/\/+$/, ''), ...DATA_CENTERS.map((dc) => dc.accountsServer)]);
  if (known.has(given)) return given;
  try {
    const a = new URL(configured);
    const b = new URL(given);
    if (a.protocol === b.protocol && a.hostname === b.hostname && b.pathname === '/') return given;
  } catch {
    // Not a URL: not trusted.
  }
  return configured;
}

const PAGE = (title: string, text: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:sans-serif"><h1>${title}</h1><p>${text}</p></body>`;

/**
 * The authorization-code flow for a CLI: listen on localhost, send the user to the consent page,
 * take the code from the redirect (checking `state`), exchange it for tokens.
 */
export async function login(options: LoginOptions): Promise<LoginResult> {
  const state = randomBytes(16).toString('hex');
  let server: Server | undefined;
  try {
    const received = new Promise<{ code: string; accountsServer: string | null; location: string | null }>(
      (resolve, reject) => {
        server = createServer((req, res) => {
          const url = new URL(req.url ?? '/', 'http://localhost');
          if (url.pathname !== '/callback') {
            res.writeHead(404).end();
            return;
          }
          const error = url.searchParams.get('error');
          const code = url.searchParams.get('code');
          if (url.searchParams.get('state') !== state) {
            res
              .writeHead(400, { 'content-type': 'text/html' })
              .end(PAGE('Login failed', 'The state did not match.'));
            return;
          }
          if (error || !code) {
            res
              .writeHead(400, { 'content-type': 'text/html' })
              .end(PAGE('Login failed', 'Consent was not given.'));
            reject(new OAuthError(error ?? 'no_code', 0));
            return;
          }
          res
            .writeHead(200, { 'content-type': 'text/html' })
            .end(PAGE('Logged in', 'You can close this tab and return to the terminal.'));
          resolve({
            code,
            accountsServer: url.searchParams.get('accounts-server'),
            location: url.searchParams.get('location'),
          });
        });
        server.on('error', reject);
        options.signal?.addEventListener('abort', () => reject(new OAuthError('cancelled', 0)), {
          once: true,
        });
      },
    );
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(options.port, '127.0.0.1', () => resolve());
    });
    const port = (server!.address() as AddressInfo).port;
    const redirectUri = `http://localhost:${port}/callback`;
    const url = authorizationUrl({
      accountsServer: options.accountsServer,
      clientId: options.clientId,
      scope: options.scope,
      redirectUri,
      state,
    });
    options.say(`Open this URL to grant access (redirect URI ${redirectUri}):\n${url}\n`);
    if (options.openBrowser) openInBrowser(url);
    const callback = await received;
    const accountsServer = tokenServer(options.accountsServer, callback.accountsServer);
    const tokens = await exchangeAuthorizationCode({
      accountsServer,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      code: callback.code,
      redirectUri,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (!tokens.refresh_token) {
      throw new OAuthError('no_refresh_token', 200, 'the token response carried no refresh token');
    }
    return { tokens, accountsServer, location: callback.location ?? undefined };
  } finally {
    server?.closeAllConnections?.();
    server?.close();
  }
}
