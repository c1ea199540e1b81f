import { useState } from 'preact/hooks';
import { admin, type FaultRule } from './api.js';
import { ErrorAlert, TableHead } from './parts.js';
import { TableWrap } from './scroll.js';
import { act, type SectionProps, useAdminGet } from './use-admin.js';

const EXAMPLE =
  '{\n  "match": { "method": "POST", "path": "/bigin/v2/*/*/Attachments" },\n  "answer": { "kind": "error", "code": "INTERNAL_ERROR" },\n  "times": 1\n}';

/** Fault rules: the active ones, add one, remove one or all (docs/faults.md). */
export function FaultsSection(props: SectionProps) {
  const { data, error, reload, setError } = useAdminGet<{ rules: FaultRule[] }>('/faults', props);
  const [rule, setRule] = useState(EXAMPLE);
  return (
    <section aria-labelledby="faults-title">
      <h1 id="faults-title">Faults</h1>
      <ErrorAlert error={error} />
      <TableWrap label="Fault rules">
        <table>
          <TableHead columns={['Id', 'Matches', 'Answer', 'Fired', 'Remaining']} actions />
          <tbody>
            {data?.rules.map((r) => (
              <tr key={r.id}>
                <td>
                  <code>{r.id}</code>
                </td>
                <td>
                  <code>{JSON.stringify(r.match)}</code>
                </td>
                <td>
                  <code>{JSON.stringify(r.answer)}</code>
                </td>
                <td>{r.fired}</td>
                <td>{r.remaining ?? '∞'}</td>
                <td class="actions">
                  <button
                    type="button"
                    class="danger"
                    onClick={() =>
                      act(() => admin('DELETE', `/faults/${encodeURIComponent(r.id)}`), setError, reload)
                    }
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
            {data && data.rules.length === 0 && (
              <tr>
                <td colSpan={6}>No fault rules: every call is answered as Bigin would.</td>
              </tr>
            )}
          </tbody>
        </table>
      </TableWrap>
      <h2>Add a rule</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void act(
            async () => {
              let body: unknown;
              try {
                body = JSON.parse(rule);
              } catch {
                throw new Error('the rule is not valid JSON');
              }
              await admin('POST', '/faults', body);
            },
            setError,
            reload,
          );
        }}
      >
        <label for="fault-rule">Rule (JSON)</label>
        <textarea
          id="fault-rule"
          rows={6}
          spellcheck={false}
          value={rule}
          onInput={(e) => setRule((e.target as HTMLTextAreaElement).value)}
        />
        <div class="row">
          <button type="submit">Add rule</button>
          <button
            type="button"
            class="quiet"
            onClick={() => act(() => admin('DELETE', '/faults'), setError, reload)}
          >
            Remove all
          </button>
        </div>
      </form>
    </section>
  );
}
