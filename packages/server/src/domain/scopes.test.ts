import { parseScopes } from '@bigin-attachments/contract';
import { describe, expect, it } from 'vitest';
import { scopesAllowAttachmentOperation } from './scopes.js';

const allows = (
  scope: string,
  module: 'Contacts' | 'Accounts',
  op: 'READ' | 'CREATE' | 'DELETE' = 'DELETE',
) => scopesAllowAttachmentOperation(parseScopes(scope), module, op);

describe('attachment scope pairs', () => {
  it('need a module side and an attachments side', () => {
    expect(allows('ZohoBigin.modules.ALL,ZohoBigin.modules.attachments.DELETE', 'Contacts')).toBe(true);
    expect(allows('ZohoBigin.modules.ALL', 'Contacts')).toBe(false);
    expect(allows('ZohoBigin.modules.attachments.ALL', 'Contacts')).toBe(false);
  });

  it('use the scope name of the module, accounts for Companies', () => {
    expect(allows('ZohoBigin.modules.accounts.DELETE,ZohoBigin.modules.attachments.DELETE', 'Accounts')).toBe(
      true,
    );
    expect(
      allows('ZohoBigin.modules.companies.DELETE,ZohoBigin.modules.attachments.DELETE', 'Accounts'),
    ).toBe(false);
  });

  it('depend on the operation', () => {
    const read = 'ZohoBigin.modules.contacts.READ,ZohoBigin.modules.attachments.READ';
    expect(allows(read, 'Contacts', 'READ')).toBe(true);
    expect(allows(read, 'Contacts', 'DELETE')).toBe(false);
    expect(
      allows('ZohoBigin.modules.contacts.WRITE,ZohoBigin.modules.attachments.CREATE', 'Contacts', 'CREATE'),
    ).toBe(true);
  });

  it('ignore case and blanks', () => {
    expect(allows(' zohobigin.modules.CONTACTS.all ,ZOHOBIGIN.MODULES.ATTACHMENTS.ALL,', 'Contacts')).toBe(
      true,
    );
  });
});
