import { describeScope } from '@bigin-attachments/contract';
import { describe, expect, it } from 'vitest';

// The consent page's plain words for each scope (D25): every operation of a module scope, the
// whole-API scopes, any letter case, and null (code alone) for what the table does not know.

describe('describeScope', () => {
  it('names module scopes by operation and module', () => {
    expect(describeScope('ZohoBigin.modules.contacts.READ')).toBe('See your contacts');
    expect(describeScope('ZohoBigin.modules.accounts.ALL')).toBe(
      'See, add, change and delete your companies',
    );
    expect(describeScope('ZohoBigin.modules.pipelines.CREATE')).toBe('Add your pipeline records (deals)');
    expect(describeScope('ZohoBigin.modules.attachments.DELETE')).toBe(
      'Delete your files attached to records',
    );
    expect(describeScope('ZohoBigin.settings.tags.WRITE')).toBe('Add and change your tags');
  });

  it('names the whole-API scopes, in any letter case', () => {
    expect(describeScope('ZohoBigin.modules.ALL')).toBe('See, add, change and delete all your Bigin records');
    expect(describeScope('zohosearch.securesearch.read')).toBe('Search your Bigin records');
    expect(describeScope(' ZohoBigin.notifications.ALL ')).toMatch(/^Get told when your records change/);
  });

  it('knows nothing of unknown modules, operations or services', () => {
    expect(describeScope('ZohoBigin.modules.widgets.READ')).toBeNull();
    expect(describeScope('ZohoBigin.modules.contacts.FLY')).toBeNull();
    expect(describeScope('ZohoCRM.modules.ALL')).toBeNull();
    expect(describeScope('')).toBeNull();
  });
});
