import { useState } from 'preact/hooks';
import { admin, type ClockState } from './api.js';
import { ErrorAlert } from './parts.js';
import { act, type SectionProps, useAdminGet } from './use-admin.js';

/** The virtual clock: read, advance (running what falls due), freeze, back to real time. */
export function ClockSection(props: SectionProps) {
  const { data, error, reload, setError } = useAdminGet<ClockState>('/clock', props);
  const [by, setBy] = useState('1h');
  return (
    <section aria-labelledby="clock-title">
      <h1 id="clock-title">Clock</h1>
      <ErrorAlert error={error} />
      {data && (
        <dl class="facts">
          <dt>Mode</dt>
          <dd data-testid="clock-mode">{data.mode}</dd>
          <dt>Server time</dt>
          <dd data-testid="clock-now">
            <time>{data.now}</time>
          </dd>
        </dl>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void act(() => admin('POST', '/clock/advance', { by }), setError, reload);
        }}
      >
        <label for="clock-by">Advance by (250ms, 90s, 10m, 1h30m, 30d)</label>
        <div class="row">
          <input id="clock-by" value={by} onInput={(e) => setBy((e.target as HTMLInputElement).value)} />
          <button type="submit">Advance</button>
        </div>
      </form>
      <div class="row">
        <button
          type="button"
          onClick={() => act(() => admin('PUT', '/clock', { mode: 'frozen' }), setError, reload)}
        >
          Freeze
        </button>
        <button
          type="button"
          onClick={() => act(() => admin('PUT', '/clock', { mode: 'real' }), setError, reload)}
        >
          Real time
        </button>
        <button type="button" class="quiet" onClick={() => void reload()}>
          Refresh
        </button>
      </div>
    </section>
  );
}
