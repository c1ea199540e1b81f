import { useState } from 'preact/hooks';
import { admin, type Organization } from './api.js';
import { OrganizationDetail } from './org-detail.js';
import { ErrorAlert, TableHead } from './parts.js';
import { ScrollPre, TableWrap } from './scroll.js';
import { act, type SectionProps, useAdminGet } from './use-admin.js';

const EXAMPLE = '{\n  "name": "Acme test org",\n  "dataCenter": "us"\n}';

interface Created {
  organization: { id: string; name: string; dataCenter: string };
  tokens?: Array<{ token: string; user?: string; scope?: string }>;
  [key: string]: unknown;
}

/** Organisations: list, create from a fixture fragment, reset, export, delete. */
export function OrganizationsSection(props: SectionProps) {
  const { data, error, reload, setError } = useAdminGet<{ organizations: Organization[] }>(
    '/organizations',
    props,
  );
  const [fragment, setFragment] = useState(EXAMPLE);
  const [created, setCreated] = useState<Created | null>(null);
  const [shown, setShown] = useState<string | null>(null);

  const create = () =>
    act(
      async () => {
        let organization: unknown;
        try {
          organization = JSON.parse(fragment);
        } catch {
          throw new Error('the fixture fragment is not valid JSON');
        }
        setCreated(await admin<Created>('POST', '/organizations', { organization }));
      },
      setError,
      reload,
    );

  const exportOrg = async (id: string) =>
    act(async () => {
      const snapshot = await admin<unknown>('GET', `/organizations/${encodeURIComponent(id)}/export`);
      const url = URL.createObjectURL(
        new Blob([JSON.stringify(snapshot, null, 2)], { type: 'application/json' }),
      );
      const a = document.createElement('a');
      a.href = url;
      a.download = `organization-${id}.json`;
      a.click();
      URL.revokeObjectURL(url);
    }, setError);

  return (
    <section aria-labelledby="orgs-title">
      <h1 id="orgs-title">Organisations</h1>
      <ErrorAlert error={error} />
      <TableWrap label="Organisations">
        <table>
          <TableHead columns={['Id', 'Name', 'Data center', 'API']} actions />
          <tbody>
            {data?.organizations.map((o) => (
              <tr key={o.id}>
                <td>
                  <code>{o.id}</code>
                </td>
                <td>{o.name}</td>
                <td>{o.dataCenter}</td>
                <td>
                  <code>{(o.urls as { api?: string } | undefined)?.api ?? ''}</code>
                </td>
                <td class="actions">
                  <button
                    type="button"
                    aria-expanded={shown === o.id}
                    onClick={() => setShown(shown === o.id ? null : o.id)}
                  >
                    Details
                  </button>
                  <button
                    type="button"
                    onClick={() =>
                      act(
                        () => admin('POST', `/organizations/${encodeURIComponent(o.id)}/reset`),
                        setError,
                        reload,
                      )
                    }
                  >
                    Reset
                  </button>
                  <button type="button" onClick={() => exportOrg(o.id)}>
                    Export
                  </button>
                  <button
                    type="button"
                    class="danger"
                    onClick={() =>
                      confirm(`Delete organisation ${o.id} and everything in it?`) &&
                      act(
                        () => admin('DELETE', `/organizations/${encodeURIComponent(o.id)}`),
                        setError,
                        reload,
                      )
                    }
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
            {data && data.organizations.length === 0 && (
              <tr>
                <td colSpan={5}>No organisations yet.</td>
              </tr>
            )}
          </tbody>
        </table>
      </TableWrap>
      {shown && (
        <OrganizationDetail
          key={shown}
          orgId={shown}
          onClose={() => setShown(null)}
          onUnauthorized={props.onUnauthorized}
        />
      )}
      <h2>Create an organisation</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <label for="org-fragment">Fixture fragment (docs/fixtures.md); every field is optional</label>
        <textarea
          id="org-fragment"
          rows={6}
          spellcheck={false}
          value={fragment}
          onInput={(e) => setFragment((e.target as HTMLTextAreaElement).value)}
        />
        <button type="submit">Create</button>
      </form>
      {created && (
        <div class="card" aria-live="polite">
          <h3>
            Created <code>{created.organization.id}</code>
          </h3>
          <p>Its tokens are shown only now: the server keeps only their hashes.</p>
          <ScrollPre label="The new organisation as JSON">{JSON.stringify(created, null, 2)}</ScrollPre>
        </div>
      )}
    </section>
  );
}
