import { describe, expect, it } from 'vitest';
import { versionedPath } from '../src/internal/api-version.js';

describe('versionedPath', () => {
  it('leaves v2 paths alone on v2', () => {
    expect(versionedPath('/bigin/v2/Pipelines/1', 'v2')).toBe('/bigin/v2/Pipelines/1');
  });

  it('moves paths to /bigin/v1/ and names Pipelines `Deals` there', () => {
    expect(versionedPath('/bigin/v2/Pipelines/1/Attachments', 'v1')).toBe('/bigin/v1/Deals/1/Attachments');
    expect(versionedPath('/bigin/v2/Contacts/1/Pipelines', 'v1')).toBe('/bigin/v1/Contacts/1/Deals');
    expect(versionedPath('/bigin/v2/actions/watch', 'v1')).toBe('/bigin/v1/actions/watch');
  });

  it('keeps metadata on v2, which v1 does not serve', () => {
    expect(versionedPath('/bigin/v2/settings/modules', 'v1')).toBe('/bigin/v2/settings/modules');
  });
});
