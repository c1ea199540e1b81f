import type { DevOrganization } from '../fixtures/dev-seed.js';
import type { StartupReport } from '../server.js';

/** The ready-to-paste command for the development organisation: DELETE its sample attachment on the first start, list otherwise. */
export function devCurl(url: string, org: DevOrganization, token: string | null, created: boolean): string {
  const auth = `-H "Authorization: Zoho-oauthtoken ${token ?? '$TOKEN'}"`;
  return created
    ? `curl -X DELETE "${url}/bigin/v2/${org.module}/${org.recordId}/Attachments/${org.attachmentId}" \\\n    ${auth}`
    : `curl "${url}/bigin/v2/${org.module}/${org.recordId}/Attachments?fields=File_Name,Size" \\\n    ${auth}`;
}

/** The startup banner for a person at a terminal. */
export function humanBanner(report: StartupReport): string {
  const lines = [
    '',
    `bigin-server ${report.version}: Zoho Bigin v2 API stand-in, listening on ${report.url}`,
    '',
    `  metadata      ${report.metadata}`,
    `  attachments   ${report.blobs}`,
    `  data centers  ${report.dataCenters.map((d) => `${d.dataCenter} ${d.url ?? '(by host name only)'}`).join('\n                ')}`,
    `  docs          ${report.url}/  (OpenAPI: ${report.url}/openapi.json)`,
  ];
  const dev = report.dev;
  if (dev) {
    lines.push(
      `  dev org       ${dev.org.orgId}, administrator ${dev.org.userId} (${dev.org.userEmail})`,
      '',
      dev.created
        ? 'Created a development organisation (first start with empty stores). Delete its sample attachment, exactly as you would on Bigin:'
        : dev.token
          ? "A new token for the development organisation (none was shown before). List its sample contact's attachments:"
          : "List the development contact's attachments (`bigin-server admin dev-token` prints a new token):",
      '',
      `  ${devCurl(report.url, dev.org, dev.token, dev.created)}`,
    );
    if (dev.token)
      lines.push('', 'The token is shown only now (the server keeps only its hash); it lasts 30 days.');
  }
  lines.push('');
  return lines.join('\n');
}

/** The same facts as one JSON object (a log line), for log collectors. */
export function jsonBanner(report: StartupReport): Record<string, unknown> {
  return {
    version: report.version,
    url: report.url,
    stores: { metadata: report.metadata, blobs: report.blobs },
    dataCenters: Object.fromEntries(report.dataCenters.map((d) => [d.dataCenter, d.url ?? null])),
    ...(report.dev
      ? {
          devOrganization: {
            orgId: report.dev.org.orgId,
            adminUserId: report.dev.org.userId,
            adminEmail: report.dev.org.userEmail,
            created: report.dev.created,
            curl: devCurl(report.url, report.dev.org, report.dev.token, report.dev.created).replace(
              / \\\n\s+/,
              ' ',
            ),
          },
        }
      : {}),
  };
}
