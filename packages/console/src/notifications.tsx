import { useEffect, useState } from 'preact/hooks';
import { admin, type ClockState, type Organization } from './api.js';
import { ErrorAlert, TableHead } from './parts.js';
import { TableWrap } from './scroll.js';
import { act, type SectionProps, useAdminGet } from './use-admin.js';

interface Channel {
  channelId: string;
  user: string;
  notifyUrl: string;
  events: Array<{ module: string; operation: string }>;
  expiresAt: string;
  expired: boolean;
}
interface Delivery {
  seq: number;
  channel_id: string;
  module: string;
  operation: string;
  ids: string[];
  status: string;
  attempts: number;
  response_code: number | null;
  latency_ms: number | null;
  error: string | null;
  changed_at: string;
  next_attempt_at: string | null;
}

/**
 * Notification channels and their recent deliveries. "Retry now" moves the virtual clock to the
 * delivery's next attempt (D25): the worker then sends it, under the outbox's own rules.
 */
export function NotificationsSection(props: SectionProps) {
  const orgs = useAdminGet<{ organizations: Organization[] }>('/organizations', props);
  const [orgId, setOrgId] = useState('');
  useEffect(() => {
    if (!orgId && orgs.data?.organizations[0]) setOrgId(orgs.data.organizations[0].id);
  }, [orgs.data]);
  return (
    <section aria-labelledby="notifications-title">
      <h1 id="notifications-title">Notifications</h1>
      <ErrorAlert error={orgs.error} />
      <div class="filters">
        <div class="field">
          <label for="notifications-org">Organisation</label>
          <select
            id="notifications-org"
            value={orgId}
            onChange={(e) => setOrgId((e.target as HTMLSelectElement).value)}
          >
            {orgs.data?.organizations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name} ({o.id})
              </option>
            ))}
          </select>
        </div>
      </div>
      {orgId && <OrgNotifications key={orgId} orgId={orgId} {...props} />}
    </section>
  );
}

function OrgNotifications(props: SectionProps & { orgId: string }) {
  const org = encodeURIComponent(props.orgId);
  const channels = useAdminGet<{ channels: Channel[] }>(
    `/organizations/${org}/notifications/channels`,
    props,
  );
  const deliveries = useAdminGet<{ deliveries: Delivery[] }>(
    `/notifications/deliveries?org=${org}&limit=50`,
    props,
  );
  const error = channels.error ?? deliveries.error;
  const retry = (d: Delivery) =>
    act(
      async () => {
        const clock = await admin<ClockState>('GET', '/clock');
        const by = Math.max(1, Date.parse(d.next_attempt_at ?? clock.now) - Date.parse(clock.now));
        if (
          !confirm(
            `Move the server's clock forward ${Math.round(by / 1000)} s to this delivery's next attempt?`,
          )
        )
          return;
        await admin('POST', '/clock/advance', { ms: by });
      },
      deliveries.setError,
      deliveries.reload,
    );
  return (
    <>
      <ErrorAlert error={error} />
      <h2>Channels</h2>
      <TableWrap label="Channels">
        <table>
          <TableHead columns={['Channel', 'User', 'Events', 'Notify URL', 'Expires']} />
          <tbody>
            {channels.data?.channels.map((c) => (
              <tr key={c.channelId}>
                <td>
                  <code>{c.channelId}</code>
                </td>
                <td>
                  <code>{c.user}</code>
                </td>
                <td>{c.events.map((e) => `${e.module}.${e.operation}`).join(', ')}</td>
                <td class="wrap">
                  <code>{c.notifyUrl}</code>
                </td>
                <td>
                  <time>{c.expiresAt}</time> {c.expired && <span class="badge expired">expired</span>}
                </td>
              </tr>
            ))}
            {channels.data?.channels.length === 0 && (
              <tr>
                <td colSpan={5}>No channels: subscribe with POST /bigin/v2/actions/watch.</td>
              </tr>
            )}
          </tbody>
        </table>
      </TableWrap>
      <div class="row spread">
        <h2>Recent deliveries</h2>
        <button type="button" class="quiet" onClick={() => void deliveries.reload()}>
          Refresh deliveries
        </button>
      </div>
      <TableWrap label="Recent deliveries">
        <table>
          <TableHead
            columns={['When', 'Channel', 'Change', 'Status', 'Attempts', 'Response', 'Latency']}
            actions
          />
          <tbody>
            {deliveries.data?.deliveries.map((d) => (
              <tr key={d.seq}>
                <td>
                  <time>{d.changed_at}</time>
                </td>
                <td>
                  <code>{d.channel_id}</code>
                </td>
                <td>
                  {d.module} {d.operation} {d.ids.join(', ')}
                </td>
                <td>
                  <span class={`badge ${d.status}`}>{d.status}</span>
                  {d.error && <span class="muted"> {d.error}</span>}
                </td>
                <td>{d.attempts}</td>
                <td>{d.response_code ?? ''}</td>
                <td>{d.latency_ms === null ? '' : `${d.latency_ms} ms`}</td>
                <td class="actions">
                  {d.status === 'pending' && (
                    <button type="button" onClick={() => retry(d)} aria-label={`Retry delivery ${d.seq} now`}>
                      Retry now
                    </button>
                  )}
                </td>
              </tr>
            ))}
            {deliveries.data?.deliveries.length === 0 && (
              <tr>
                <td colSpan={8}>No deliveries yet.</td>
              </tr>
            )}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}
