import { type DataCenterId, describeScope } from '@bigin-attachments/contract';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

// The console's visual language (packages/console/src/styles.css): the same colours, light and
// dark from the system's setting, focus rings and contrast. Inline because the page's CSP allows
// inline style and nothing else; no script at all.
const STYLE = `:root{--bg:#f7f8fa;--panel:#fff;--text:#1b1f24;--muted:#57606a;--line:#d0d7de;--accent:#0b5cad;--accent-text:#fff;--danger:#b42318;--focus:#0969da;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--text);background:var(--bg);line-height:1.45}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--panel:#161b22;--text:#e6edf3;--muted:#9ea7b3;--line:#30363d;--accent:#4493f8;--accent-text:#0d1117;--danger:#ff7b72;--focus:#79c0ff}}
*{box-sizing:border-box}body{margin:0}
main{max-width:32rem;margin:6vh auto;overflow-wrap:anywhere;background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:1.5rem}
@media (max-width:560px){main{margin:0;border-radius:0;border-width:0 0 1px}}
h1{font-size:1.3rem;margin:.25rem 0 1rem}code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.82rem;overflow-wrap:anywhere;color:var(--muted)}
.dc{color:var(--muted);font-size:.85rem;margin:0}
ul.scopes{list-style:none;padding:0;margin:0 0 1rem}ul.scopes li{padding:.45rem 0;border-bottom:1px solid var(--line)}
ul.scopes li span{display:block}
label{display:block;font-weight:600;margin:.8rem 0 .25rem}
input[type=email],input[type=password]{font:inherit;width:100%;padding:.5rem .6rem;border-radius:6px;border:1px solid var(--line);background:var(--panel);color:var(--text)}
.buttons{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1.25rem}
button{font:inherit;padding:.5rem 1.1rem;border-radius:6px;border:1px solid var(--accent);background:var(--accent);color:var(--accent-text);cursor:pointer}
button.quiet{background:transparent;color:var(--accent)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.error{color:var(--danger);border:1px solid var(--danger);border-radius:6px;padding:.5rem .75rem}
.who{background:var(--bg);border-radius:6px;padding:.6rem .75rem;margin:0 0 1rem}
.hint{border-top:1px solid var(--line);margin-top:1rem;padding-top:.75rem;font-size:.92rem}
.hint ul{padding-left:1.2rem}`;

function page(title: string, dataCenter: DataCenterId, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body><main><p class="dc">Zoho Accounts (local) · ${dataCenter.toUpperCase()} data center</p>
${body}
</main></body></html>`;
}

/** Each scope in plain words beside its code; a scope with no known words shows its code alone. */
function scopeList(scopes: string[]): string {
  const items = scopes.map((s) => {
    const words = describeScope(s);
    return words
      ? `<li><span>${esc(words)}</span><code>${esc(s)}</code></li>`
      : `<li><code>${esc(s)}</code></li>`;
  });
  return `<ul id="scopes" class="scopes">${items.join('')}</ul>`;
}

/** Who the grant is for, once signed in. */
export interface SignedInAs {
  name: string;
  email: string;
  orgId: string;
  dataCenter: DataCenterId;
  /** The sign-in's single-use ticket, carried to the accept step. */
  ticket: string;
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
  /** Set after sign-in: the page asks only to accept or deny, for this user. */
  signedIn?: SignedInAs;
}

/**
 * Sign-in, then consent: who asks, for what, for which user and organisation, and the user's
 * answer. The first step's form signs in (or, sent with `decision=accept`, signs in and accepts at
 * once, for scripted clients); the second shows the signed-in user and asks to accept or deny.
 */
export function consentPage(input: ConsentPageInput): string {
  const hidden = Object.entries(input.hidden)
    .map(([name, value]) => `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`)
    .join('\n');
  const who = input.signedIn;
  const form = who
    ? `<p class="who" id="signed-in">Signed in as <strong>${esc(who.name)}</strong> (${esc(who.email)}) · organisation <code>${esc(who.orgId)}</code>, ${who.dataCenter.toUpperCase()} data center</p>
<form method="post" action="/oauth/v2/auth">
${hidden}
<input type="hidden" name="csrf_token" value="${esc(input.csrfToken)}">
<input type="hidden" name="signin_ticket" value="${esc(who.ticket)}">
<div class="buttons">
<button type="submit" name="decision" value="accept" id="accept">Accept</button>
<button type="submit" name="decision" value="deny" id="deny" class="quiet">Deny</button>
</div>
</form>`
    : `<form method="post" action="/oauth/v2/auth">
${hidden}
<input type="hidden" name="csrf_token" value="${esc(input.csrfToken)}">
<label for="email">E-mail address</label>
<input type="email" id="email" name="email" autocomplete="username" value="${esc(input.email ?? '')}">
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password">
<div class="buttons">
<button type="submit" name="decision" value="signin" id="signin">Sign in</button>
<button type="submit" name="decision" value="deny" id="deny" class="quiet" formnovalidate>Deny</button>
</div>
</form>`;
  return page(
    `${input.clientName} would like to access your Bigin data`,
    input.dataCenter,
    `<h1><strong id="client-name">${esc(input.clientName)}</strong> would like to access your Bigin data</h1>
<p>It asks for these permissions:</p>
${scopeList(input.scopes)}
${input.error ? `<p class="error" id="error" role="alert">${esc(input.error)}</p>` : ''}
${form}`,
  );
}

/** What a developer needs to fix a refused authorization request; nothing secret. */
export interface DeveloperHint {
  /** The request parameter that was wrong. */
  parameter: string;
  /** What was sent for it (escaped on the page); absent when it was missing. */
  given?: string;
  /** The client's registered redirect URIs, for a redirect URI that is not one of them. */
  registered?: string[];
}

/** A request that cannot be answered by redirecting (bad client, redirect URI, …). */
export function errorPage(
  dataCenter: DataCenterId,
  title: string,
  detail: string,
  hint?: DeveloperHint,
): string {
  const registered =
    hint?.registered === undefined
      ? ''
      : hint.registered.length === 0
        ? '<p>The client has no registered redirect URI.</p>'
        : `<p>The client's registered redirect URIs:</p><ul id="registered">${hint.registered.map((u) => `<li><code>${esc(u)}</code></li>`).join('')}</ul>`;
  const hintHtml = hint
    ? `<section class="hint" id="hint" aria-label="For the developer"><p><strong>For the developer:</strong> check the <code>${esc(hint.parameter)}</code> parameter${hint.given === undefined ? ', which is missing' : `; it was <code>${esc(hint.given)}</code>`}.</p>${registered}</section>`
    : '';
  return page(title, dataCenter, `<h1 id="error-title">${esc(title)}</h1><p>${esc(detail)}</p>${hintHtml}`);
}
