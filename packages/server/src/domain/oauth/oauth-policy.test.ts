import { DATA_CENTER_IDS } from '@bigin-attachments/contract';
import { describe, expect, it } from 'vitest';
import { signInDataCenters } from './oauth-policy.js';

describe('signInDataCenters (multi-DC sign-in, D18)', () => {
  it('the US accounts server signs in every served data center but CN, its own first', () => {
    expect(signInDataCenters('us', DATA_CENTER_IDS)).toEqual(['us', 'eu', 'au', 'in', 'jp', 'sa', 'ca']);
    expect(signInDataCenters('us', ['eu', 'us', 'cn'])).toEqual(['us', 'eu']);
  });

  it('every other accounts server signs in its own users only', () => {
    for (const dc of DATA_CENTER_IDS.filter((d) => d !== 'us'))
      expect(signInDataCenters(dc, DATA_CENTER_IDS)).toEqual([dc]);
  });
});
