import { useState } from 'preact/hooks';
import { admin } from './api.js';
import { forgetToken } from './bigin.js';
import { ErrorAlert, TableHead } from './parts.js';
import { ScrollPre, TableWrap } from './scroll.js';
import { act, type SectionProps, useAdminGet } from './use-admin.js';

interface Detail {
  organization: { id: string; name: string; dataCenter: string; createdAt: string; urls: { api: string } };
  now: string;
  users: Array<{
    id: string;
    name: string;
    email: string;
    profile: string;
    role: string;
    timeZone: string;
    active: boolean;
  }>;
  tokens: Array<{
    id: string;
    user: string;
    client: string | null;
    scope: string;
    expiresAt: string;
    revokedAt: string | null;
    state: 'active' | 'expired' | 'revoked';
  }>;
  clients: Array<{ id: string; name: string; type: string; redirectUris: string[] }>;
}
interface Credits {
  enabled: boolean;
  used?: number;
  allowance?: number;
  remaining?: number;
  inFlight?: number;
  [key: string]: unknown;
}

/** One organisation: data center, users, tokens (revoke, mint), OAuth clients, credits. */
export function OrganizationDetail(props: SectionProps & { orgId: string; onClose: () => void }) {
  const path = `/organizations/${encodeURIComponent(props.orgId)}`;
  const { data, error, reload, setError } = useAdminGet<Detail>(path, props);
  const credits = useAdminGet<Credits>(`/credits/${encodeURIComponent(props.orgId)}`, props);
  const [scope, setScope] = useState('ZohoBigin.modules.ALL');
  const [expiresIn, setExpiresIn] = useState('3600');
  const [user, setUser] = useState('');
  const [minted, setMinted] = useState<Record<string, unknown> | null>(null);
  const userName = (id: string) => data?.users.find((u) => u.id === id)?.name ?? id;

  const mint = () =>
    act(
      async () => {
        const seconds = Number(expiresIn);
        if (!Number.isInteger(seconds) || seconds < 1)
          throw new Error('Expires in is a whole number of seconds');
        setMinted(
          await admin('POST', `${path}/tokens`, {
            scope,
            expiresIn: seconds,
            ...(user ? { user } : {}),
          }),
        );
      },
      setError,
      reload,
    );

  return (
    <section class="card detail" aria-labelledby="org-detail-title">
      <div class="row spread">
        <h2 id="org-detail-title">
          {data ? data.organization.name : 'Organisation'} <code>{props.orgId}</code>
        </h2>
        <button type="button" class="quiet" onClick={props.onClose}>
          Close details
        </button>
      </div>
      <ErrorAlert error={error} />
      {data && (
        <dl class="facts">
          <dt>Data center</dt>
          <dd>{data.organization.dataCenter}</dd>
          <dt>API domain</dt>
          <dd>
            <code>{data.organization.urls.api}</code>
          </dd>
          <dt>Server time</dt>
          <dd>
            <time>{data.now}</time>
          </dd>
          <dt>API credits</dt>
          <dd data-testid="credits">
            {credits.data
              ? credits.data.enabled
                ? `${credits.data.used} of ${credits.data.allowance} used in the last 24 h (${credits.data.remaining} left, ${credits.data.inFlight} in flight)`
                : `not limited (${credits.data.used ?? 0} used in the last 24 h)`
              : '…'}
          </dd>
        </dl>
      )}
      <h3>Users</h3>
      <TableWrap label="Users">
        <table>
          <TableHead columns={['Name', 'E-mail', 'Profile', 'Role', 'Time zone', 'Active']} />
          <tbody>
            {data?.users.map((u) => (
              <tr key={u.id}>
                <td>
                  {u.name} <code class="muted">{u.id}</code>
                </td>
                <td>{u.email}</td>
                <td>{u.profile}</td>
                <td>{u.role}</td>
                <td>{u.timeZone}</td>
                <td>{u.active ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <h3>Access tokens</h3>
      <p class="muted">
        Expiry is read on the server's clock. The server keeps only hashes: a token's value is shown only when
        it is minted.
      </p>
      <TableWrap label="Access tokens">
        <table>
          <TableHead columns={['Id', 'User', 'Scope', 'Expires', 'State']} actions />
          <tbody>
            {data?.tokens.map((t) => (
              <tr key={t.id}>
                <td class="nowrap">
                  <code>{t.id}</code>
                </td>
                <td>{userName(t.user)}</td>
                <td class="wrap">
                  <code>{t.scope.replaceAll(',', ', ')}</code>
                </td>
                <td>
                  <time>{t.expiresAt}</time>
                </td>
                <td>
                  <span class={`badge ${t.state}`}>{t.state}</span>
                </td>
                <td class="actions">
                  {t.state === 'active' && (
                    <button
                      type="button"
                      class="danger"
                      aria-label={`Revoke token ${t.id}`}
                      onClick={() =>
                        act(
                          async () => {
                            await admin('POST', `${path}/tokens/${t.id}/revoke`);
                            forgetToken(props.orgId);
                          },
                          setError,
                          reload,
                        )
                      }
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void mint();
        }}
      >
        <div class="field">
          <label for="mint-user">User</label>
          <select
            id="mint-user"
            value={user}
            onChange={(e) => setUser((e.target as HTMLSelectElement).value)}
          >
            <option value="">First active administrator</option>
            {data?.users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} ({u.profile})
              </option>
            ))}
          </select>
        </div>
        <div class="field grow">
          <label for="mint-scope">Scope</label>
          <input
            id="mint-scope"
            value={scope}
            onInput={(e) => setScope((e.target as HTMLInputElement).value)}
          />
        </div>
        <div class="field">
          <label for="mint-expires">Expires in (s)</label>
          <input
            id="mint-expires"
            inputMode="numeric"
            value={expiresIn}
            onInput={(e) => setExpiresIn((e.target as HTMLInputElement).value)}
          />
        </div>
        <button type="submit">Mint token</button>
      </form>
      {minted && (
        <div aria-live="polite">
          <p>The new token, shown only now:</p>
          <ScrollPre label="The minted token">{JSON.stringify(minted, null, 2)}</ScrollPre>
        </div>
      )}
      <h3>OAuth clients</h3>
      {data && data.clients.length === 0 && <p class="muted">No OAuth client has tokens or consents here.</p>}
      <ul class="files">
        {data?.clients.map((c) => (
          <li key={c.id}>
            <span>
              {c.name} <code>{c.id}</code> <span class="muted">{c.type}</span>
            </span>
            <span class="muted">{c.redirectUris.join(', ') || 'no redirect URI'}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
