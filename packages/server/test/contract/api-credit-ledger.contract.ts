import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MetadataStore } from '../../src/domain/ports.js';
import type { StoreBacking } from './contract-seed.js';

const DAY = 24 * 3_600_000;
const T = Date.parse('2026-01-15T10:00:00Z');
const FREE = { enabled: true, edition: 'free' as const, licences: 1, concurrency: null };

/**
 * The ApiCreditLedger port, one test per sentence of its JSDoc, against every MetadataStore;
 * charging is tested across two instances on the same data, as two nodes would run.
 */
export function apiCreditLedgerContract(
  name: string,
  createBacking: () => Promise<StoreBacking<MetadataStore>>,
) {
  describe(`ApiCreditLedger contract: ${name}`, () => {
    let backing: StoreBacking<MetadataStore>;
    const opened: MetadataStore[] = [];
    const open = async () => {
      const s = await backing.open();
      opened.push(s);
      return s;
    };
    let store: MetadataStore;
    beforeEach(async () => {
      backing = await createBacking();
      store = await open();
    });
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
      await backing.dispose();
    });

    it('sets, reads, replaces and removes an organisation’s limits; anyEnabled follows', async () => {
      const ledger = store.apiCredits;
      expect(await ledger.limits('o1')).toBeNull();
      expect(await ledger.anyEnabled()).toBe(false);
      await ledger.setLimits('o1', { ...FREE, enabled: false });
      expect(await ledger.anyEnabled()).toBe(false);
      await ledger.setLimits('o1', { enabled: true, edition: 'paid', licences: 10, concurrency: 7 });
      expect(await ledger.limits('o1')).toEqual({
        enabled: true,
        edition: 'paid',
        licences: 10,
        concurrency: 7,
      });
      expect(await ledger.anyEnabled()).toBe(true);
      await ledger.setLimits('o1', null);
      expect(await ledger.limits('o1')).toBeNull();
      expect(await ledger.anyEnabled()).toBe(false);
    });

    it('records credits within the allowance and refuses beyond it, without recording', async () => {
      const ledger = store.apiCredits;
      expect(await ledger.charge('o1', T, 3, T - DAY, 5)).toEqual({ granted: true, used: 3 });
      expect(await ledger.charge('o1', T, 2, T - DAY, 5)).toEqual({ granted: true, used: 5 });
      expect(await ledger.charge('o1', T, 1, T - DAY, 5)).toEqual({ granted: false, used: 5 });
      expect(await ledger.usage('o1', T - DAY)).toEqual({ used: 5, calls: 2, oldest: T });
      expect(await ledger.usage('o2', T - DAY)).toEqual({ used: 0, calls: 0, oldest: null });
    });

    it('counts only calls after `since`: a call is freed exactly when the window passes it', async () => {
      const ledger = store.apiCredits;
      await ledger.charge('o1', T, 1, T - DAY, 10);
      await ledger.charge('o1', T + 3_600_000, 1, T + 3_600_000 - DAY, 10);
      expect((await ledger.usage('o1', T - 1)).used).toBe(2);
      expect((await ledger.usage('o1', T)).used).toBe(1);
      // A charge forgets what the window has left behind.
      expect(await ledger.charge('o1', T + DAY, 1, T, 10)).toEqual({ granted: true, used: 2 });
      expect(await ledger.usage('o1', T - DAY)).toEqual({ used: 2, calls: 2, oldest: T + 3_600_000 });
    });

    it('resetUsage forgets the organisation’s calls and keeps its limits', async () => {
      const ledger = store.apiCredits;
      await ledger.setLimits('o1', FREE);
      await ledger.charge('o1', T, 4, T - DAY, 10);
      await ledger.charge('o2', T, 4, T - DAY, 10);
      await ledger.resetUsage('o1');
      expect((await ledger.usage('o1', T - DAY)).used).toBe(0);
      expect((await ledger.usage('o2', T - DAY)).used).toBe(4);
      expect(await ledger.limits('o1')).toEqual(FREE);
    });

    it('two instances charging the same organisation at once never exceed the allowance', async () => {
      const other = await open();
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          (i % 2 ? store : other).apiCredits.charge('o1', T, 1, T - DAY, 25),
        ),
      );
      expect(results.filter((r) => r.granted)).toHaveLength(25);
      expect((await store.apiCredits.usage('o1', T - DAY)).used).toBe(25);
    });
  });
}
