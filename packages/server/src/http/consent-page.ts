import type { DataCenterId } from '@bigin-attachments/contract';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const STYLE = `body{font-family:system-ui,sans-serif;background:#f4f6f8;margin:0}
main{max-width:28rem;margin:3rem auto;background:#fff;border-radius:8px;padding:2rem;box-shadow:0 1px 4px #0002}
h1{font-size:1.3rem}ul{padding-left:1.2rem}code{font-size:.85rem}label{display:block;margin:.8rem 0 .2rem}
input[type=email],input[type=password]{width:100%;padding:.5rem;box-sizing:border-box}
.buttons{display:flex;gap:1rem;margin-top:1.5rem}button{padding:.6rem 1.2rem;font-size:1rem}
.error{color:#b00020}.dc{color:#667;font-size:.85rem}`;

function page(title: string, dataCenter: DataCenterId, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body><main><p class="dc">Zoho Accounts (local) · ${dataCenter.toUpperCase()} data center</p>
${body}
</main></body></html>`;
}

export interface ConsentPageInput {
  dataCenter: DataCenterId;
  clientName: string;
  scopes: string[];
  /** The authorization request, carried through the form unchanged. */
  hidden: Record<string, string>;
  csrfToken: string;
  email?: string;
  error?: string;
}

/** Sign-in and consent in one form: who asks, for what, and the user's answer. */
export function consentPage(input: ConsentPageInput): string {
  const hidden = Object.entries(input.hidden)
    .map(([name, value]) => `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`)
    .join('\n');
  return page(
    `${input.clientName} would like to access your Bigin data`,
    input.dataCenter,
    `<h1><strong id="client-name">${esc(input.clientName)}</strong> would like to access your Bigin data</h1>
<p>It asks for these permissions:</p>
<ul id="scopes">${input.scopes.map((s) => `<li><code>${esc(s)}</code></li>`).join('')}</ul>
${input.error ? `<p class="error" id="error" role="alert">${esc(input.error)}</p>` : ''}
<form method="post" action="/oauth/v2/auth">
${hidden}
<input type="hidden" name="csrf_token" value="${esc(input.csrfToken)}">
<label for="email">E-mail address</label>
<input type="email" id="email" name="email" autocomplete="username" value="${esc(input.email ?? '')}">
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password">
<div class="buttons">
<button type="submit" name="decision" value="accept" id="accept">Sign in and accept</button>
<button type="submit" name="decision" value="deny" id="deny" formnovalidate>Deny</button>
</div>
</form>`,
  );
}

/** A request that cannot be answered by redirecting (bad client, redirect URI, …). */
export function errorPage(dataCenter: DataCenterId, title: string, detail: string): string {
  return page(title, dataCenter, `<h1 id="error-title">${esc(title)}</h1><p>${esc(detail)}</p>`);
}
