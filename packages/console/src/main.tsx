import { render } from 'preact';
import { useState } from 'preact/hooks';
import { adminKey, setAdminKey } from './api.js';
import { ClockSection } from './clock.js';
import { FaultsSection } from './faults.js';
import { JournalSection } from './journal.js';
import { NotificationsSection } from './notifications.js';
import { OrganizationsSection } from './organizations.js';
import { RecordsSection } from './records.js';
import './styles.css';

const SECTIONS = [
  { id: 'organizations', label: 'Organisations', view: OrganizationsSection },
  { id: 'records', label: 'Records', view: RecordsSection },
  { id: 'journal', label: 'Journal', view: JournalSection },
  { id: 'notifications', label: 'Notifications', view: NotificationsSection },
  { id: 'faults', label: 'Faults', view: FaultsSection },
  { id: 'clock', label: 'Clock', view: ClockSection },
] as const;
type SectionId = (typeof SECTIONS)[number]['id'];

function sectionFromHash(): SectionId {
  const id = location.hash.slice(1);
  return (SECTIONS.find((s) => s.id === id)?.id ?? 'organizations') as SectionId;
}

function SignIn({ onKey }: { onKey: (key: string) => void }) {
  const [key, setKey] = useState('');
  return (
    <main class="signin">
      <h1>Bigin stand-in console</h1>
      <p>
        Enter this server's <code>ADMIN_KEY</code>. It stays in this browser tab (session storage) and is sent
        only to this server's admin API.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (key.trim()) onKey(key.trim());
        }}
      >
        <label for="admin-key">Admin key</label>
        <input
          id="admin-key"
          type="password"
          autocomplete="off"
          value={key}
          onInput={(e) => setKey((e.target as HTMLInputElement).value)}
        />
        <button type="submit">Open the console</button>
      </form>
    </main>
  );
}

function App() {
  const [key, setKey] = useState(adminKey());
  const [section, setSection] = useState<SectionId>(sectionFromHash());
  if (!key)
    return (
      <SignIn
        onKey={(k) => {
          setAdminKey(k);
          setKey(k);
        }}
      />
    );
  const current = SECTIONS.find((s) => s.id === section) ?? SECTIONS[0];
  const View = current.view;
  return (
    <div class="layout">
      <header>
        <span class="brand">Bigin stand-in</span>
        <nav aria-label="Sections">
          {SECTIONS.map((s) => (
            <a
              key={s.id}
              href={`#${s.id}`}
              aria-current={s.id === section ? 'page' : undefined}
              onClick={() => setSection(s.id)}
            >
              {s.label}
            </a>
          ))}
        </nav>
        <button
          type="button"
          class="quiet"
          onClick={() => {
            setAdminKey(null);
            setKey(null);
          }}
        >
          Sign out
        </button>
      </header>
      <main>
        <View
          onUnauthorized={() => {
            setAdminKey(null);
            setKey(null);
          }}
        />
      </main>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
