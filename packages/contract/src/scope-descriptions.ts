/**
 * Bigin's OAuth scopes in plain words, for consent pages (issue 19). Names follow Zoho's scope
 * list for Bigin (`ZohoBigin.{group}.{resource}.{operation}`, and ZohoSearch for search); a scope
 * this table does not know is shown by its code alone.
 */

const OPERATIONS: Record<string, string> = {
  ALL: 'see, add, change and delete',
  READ: 'see',
  WRITE: 'add and change',
  CREATE: 'add',
  UPDATE: 'change',
  DELETE: 'delete',
};

const MODULE_WORDS: Record<string, string> = {
  contacts: 'contacts',
  accounts: 'companies',
  pipelines: 'pipeline records (deals)',
  products: 'products',
  tasks: 'tasks',
  events: 'events',
  calls: 'calls',
  notes: 'notes',
  attachments: 'files attached to records',
};

const SETTINGS_WORDS: Record<string, string> = {
  fields: 'field settings',
  layouts: 'layouts',
  modules: 'module settings',
  tags: 'tags',
  related_lists: 'related list settings',
  pipelines: 'pipeline settings',
};

const WHOLE: Record<string, string> = {
  'zohobigin.modules.all': 'See, add, change and delete all your Bigin records',
  'zohobigin.settings.all': 'See and change all your Bigin settings',
  'zohobigin.users.all': 'See and manage the users of your organisation',
  'zohobigin.users.read': 'See the users of your organisation',
  'zohobigin.org.all': 'See and change your organisation’s details',
  'zohobigin.org.read': 'See your organisation’s details',
  'zohobigin.notifications.all': 'Get told when your records change (watch, change and stop notifications)',
  'zohobigin.notifications.read': 'See which notifications are set up',
  'zohobigin.notifications.write': 'Set up and change notifications',
  'zohobigin.notifications.create': 'Set up notifications',
  'zohobigin.notifications.update': 'Change notifications',
  'zohobigin.notifications.delete': 'Stop notifications',
  'zohosearch.securesearch.read': 'Search your Bigin records',
  'zohobigin.bulk.all': 'Read and write your records in bulk',
  'zohobigin.coql.read': 'Query your records',
};

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The scope in plain words (`ZohoBigin.modules.contacts.READ` → "See your contacts"), or null when unknown. */
export function describeScope(scope: string): string | null {
  const code = scope.trim().toLowerCase();
  if (WHOLE[code]) return WHOLE[code];
  const parts = scope.trim().split('.');
  if (parts.length !== 4 || parts[0]!.toLowerCase() !== 'zohobigin') return null;
  const [, group, resource, op] = parts as [string, string, string, string];
  const verb = OPERATIONS[op.toUpperCase()];
  if (!verb) return null;
  const words =
    group.toLowerCase() === 'modules'
      ? MODULE_WORDS[resource.toLowerCase()]
      : group.toLowerCase() === 'settings'
        ? SETTINGS_WORDS[resource.toLowerCase()]
        : undefined;
  return words ? capital(`${verb} your ${words}`) : null;
}
