import { describe, expect, it } from 'vitest';
import { V1, V2 } from './api-version.js';

describe('API version descriptors (D17)', () => {
  it('v1 names Pipelines `Deals` and takes Companies for Accounts; v2 names stay v2', () => {
    expect(['Deals', 'Companies', 'Accounts', 'Contacts', 'Nope'].map(V1.moduleName)).toEqual([
      'Pipelines',
      'Accounts',
      'Accounts',
      'Contacts',
      'Nope',
    ]);
    expect(V1.moduleName('Pipelines')).toBeNull();
    expect(V1.publicModuleName('Pipelines')).toBe('Deals');
    expect(V2.moduleName('Deals')).toBe('Deals');
  });

  it('v1 scope names read as v2 ones, keeping the originals', () => {
    const scopes = new Set(['zohobigin.modules.deals.read', 'zohobigin.modules.companies.all']);
    expect([...V1.scopes(scopes)].sort()).toEqual([
      'zohobigin.modules.accounts.all',
      'zohobigin.modules.companies.all',
      'zohobigin.modules.deals.read',
      'zohobigin.modules.pipelines.read',
    ]);
    const plain = new Set(['zohobigin.modules.all']);
    expect(V1.scopes(plain)).toBe(plain);
    expect(V2.scopes(scopes)).toBe(scopes);
  });

  it('v1 list info keeps per_page, count, page and more_records, in that order', () => {
    const info = {
      per_page: 2,
      next_page_token: 'x',
      count: 2,
      sort_by: 'id',
      page: 1,
      sort_order: 'desc',
      more_records: true,
    };
    expect(Object.entries(V1.listInfo(info))).toEqual([
      ['per_page', 2],
      ['count', 2],
      ['page', 1],
      ['more_records', true],
    ]);
    expect(V2.listInfo(info)).toBe(info);
  });
});
