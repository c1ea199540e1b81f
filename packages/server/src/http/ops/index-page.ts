/** What the page at `/` says about the development organisation (never its token). */
export interface DevOrganizationSummary {
  orgId: string;
  userId: string;
  userEmail: string;
  module: string;
  recordId: string;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

type Operation = { summary?: string; description?: string; tags?: string[]; security?: unknown[] };

/**
 * The documentation page, rendered on the server from the OpenAPI document: no script, no
 * stylesheet from elsewhere, so it works offline and behind any content security policy.
 */
export function renderIndexPage(
  document: Record<string, unknown>,
  options: { baseUrl: string; dev: DevOrganizationSummary | null },
): string {
  const info = document.info as { title: string; version: string; summary: string };
  const paths = document.paths as Record<string, Record<string, Operation | unknown>>;
  const byTag = new Map<string, string[]>();
  for (const [path, item] of Object.entries(paths))
    for (const [method, op] of Object.entries(item)) {
      if (method === 'parameters') continue;
      const o = op as Operation;
      const tag = o.tags?.[0] ?? 'Other';
      const row = `<tr><td class="m ${method}">${method.toUpperCase()}</td><td><code>${escapeHtml(path)}</code></td><td>${escapeHtml(o.summary ?? '')}${o.description ? `<br><small>${escapeHtml(o.description)}</small>` : ''}</td><td>${o.security && o.security.length > 0 ? 'token' : ''}</td></tr>`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), row]);
    }
  const sections = [...byTag]
    .map(
      ([tag, rows]) =>
        `<h2>${escapeHtml(tag)}</h2><table><thead><tr><th>Method</th><th>Path</th><th>What</th><th>Auth</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    )
    .join('\n');
  const dev = options.dev
    ? `<h2>Try it</h2><p>Development organisation <code>${escapeHtml(options.dev.orgId)}</code>, administrator <code>${escapeHtml(options.dev.userId)}</code> (${escapeHtml(options.dev.userEmail)}). Get a token with <code>bigin-server admin dev-token</code>, then:</p>
<pre>curl "${escapeHtml(options.baseUrl)}/bigin/v2/${escapeHtml(options.dev.module)}/${escapeHtml(options.dev.recordId)}/Attachments?fields=File_Name,Size" \\
  -H "Authorization: Zoho-oauthtoken $TOKEN"</pre>`
    : '<h2>Try it</h2><p>Mint a token with <code>bigin-server admin create-token --org … --user … --scope ZohoBigin.modules.ALL</code> and send it as <code>Authorization: Zoho-oauthtoken …</code>.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(info.title)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#222}
code,pre{font-family:ui-monospace,monospace;font-size:13px}pre{background:#f4f4f4;padding:.75rem;overflow-x:auto}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
.m{font-weight:600}.get{color:#0a6}.post{color:#06c}.put{color:#a60}.delete{color:#c22}.patch{color:#a0a}
</style></head><body>
<h1>${escapeHtml(info.title)} <small>${escapeHtml(info.version)}</small></h1>
<p>${escapeHtml(info.summary)} The same URLs, <code>Zoho-oauthtoken</code> authentication, errors and JSON as <code>https://www.zohoapis.com/bigin/v2/…</code>, backed by organisations, users, tokens, records and attachment bytes of its own.</p>
<p>The machine-readable description: <a href="/openapi.json"><code>/openapi.json</code></a> (OpenAPI ${escapeHtml(String(document.openapi))}). Health: <a href="/health"><code>/health</code></a>, readiness: <a href="/ready"><code>/ready</code></a>.</p>
${dev}
${sections}
</body></html>
`;
}
