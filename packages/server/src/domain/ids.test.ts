import { describe, expect, it } from 'vitest';
import { formatId, generateIdPrefix, sequenceOf } from './ids.js';

describe('ids', () => {
  it('are 19 digits under 2^63 with a 7-digit prefix', () => {
    for (let i = 0; i < 1000; i++) {
      const id = formatId(generateIdPrefix(), 999_999_999_999);
      expect(id).toMatch(/^[1-9][0-9]{18}$/);
      expect(BigInt(id) < 2n ** 63n).toBe(true);
    }
  });

  it('round-trip their sequence', () => {
    expect(formatId('7618134', 648053)).toBe('7618134000000648053');
    expect(sequenceOf('7618134', '7618134000000648053')).toBe(648053);
    expect(sequenceOf('7618135', '7618134000000648053')).toBeNull();
    expect(sequenceOf('7618134', '761813400000064805')).toBeNull();
  });
});
