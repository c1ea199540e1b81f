/**
 * Bigin modules. `apiName` is the name in URLs and JSON (Companies are `Accounts`); `scopeName`
 * is the lower-case segment used in OAuth scopes (`ZohoBigin.modules.accounts.ALL`).
 * `attachments` says whether the attachments API serves the module: the v2 docs list seven,
 * Calls is a Bigin module that the attachments API does not serve.
 */
export const MODULES = [
  { apiName: 'Contacts', displayName: 'Contacts', scopeName: 'contacts', attachments: true },
  { apiName: 'Pipelines', displayName: 'Pipelines', scopeName: 'pipelines', attachments: true },
  { apiName: 'Accounts', displayName: 'Companies', scopeName: 'accounts', attachments: true },
  { apiName: 'Products', displayName: 'Products', scopeName: 'products', attachments: true },
  { apiName: 'Tasks', displayName: 'Tasks', scopeName: 'tasks', attachments: true },
  { apiName: 'Events', displayName: 'Events', scopeName: 'events', attachments: true },
  { apiName: 'Notes', displayName: 'Notes', scopeName: 'notes', attachments: true },
  { apiName: 'Calls', displayName: 'Calls', scopeName: 'calls', attachments: false },
] as const;

export type ModuleInfo = (typeof MODULES)[number];
export type ModuleApiName = ModuleInfo['apiName'];
export type AttachmentModuleApiName = Extract<ModuleInfo, { attachments: true }>['apiName'];

/**
 * Names Bigin knows as modules but no v2 API serves (the spec's own examples are Documents and
 * Projects). A request naming one gets "The given module is not supported in API" rather than
 * "the module name given seems to be invalid".
 */
export const UNSUPPORTED_MODULE_NAMES = ['Documents', 'Projects'] as const;

export const MODULE_API_NAMES: readonly ModuleApiName[] = MODULES.map((m) => m.apiName);
export const ATTACHMENT_MODULE_API_NAMES: readonly AttachmentModuleApiName[] = MODULES.filter(
  (m): m is Extract<ModuleInfo, { attachments: true }> => m.attachments,
).map((m) => m.apiName);

const byApiName = new Map<string, ModuleInfo>(MODULES.map((m) => [m.apiName, m]));

/** Exact, case-sensitive lookup: API names are identifiers, and clients that spell them exactly
 * work against the real service too. */
export function findModule(apiName: string): ModuleInfo | undefined {
  return byApiName.get(apiName);
}
