import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MetadataStore, StoredRecord, WatchChannel } from '../../src/domain/ports.js';
import { contractSeed, type StoreBacking, T0 } from './contract-seed.js';

const HOUR = 3_600_000;

/**
 * NotificationRepository (storage/notifications-ports.ts) and the outbox rows that
 * RecordDataRepository writes inside its own transactions (issue 18), on every MetadataStore.
 * Concurrency between nodes is tested across two instances on the same data.
 */
export function notificationsContract(
  name: string,
  createBacking: () => Promise<StoreBacking<MetadataStore>>,
) {
  describe(`MetadataStore contract (notifications): ${name}`, () => {
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

    const seeded = async () => {
      const s = contractSeed('4400001', { attachmentCount: 1 });
      await store.seed.import(s.data);
      return s;
    };
    type Seed = Awaited<ReturnType<typeof seeded>>;

    const channel = (s: Seed, channelId: string, overrides: Partial<WatchChannel> = {}): WatchChannel => ({
      orgId: s.org,
      channelId,
      userId: s.user.rep,
      dataCenter: 'eu',
      notifyUrl: `https://example.com/hook/${channelId}`,
      token: `tok-${channelId}`,
      expiresAt: T0 + HOUR,
      returnAffectedFieldValues: false,
      notifyOnRelatedAction: false,
      events: [{ module: 'Contacts', operation: 'all' }],
      createdAt: T0,
      ...overrides,
    });
    const record = (s: Seed, id: string, fields: Record<string, unknown>, module = 'Contacts') => ({
      id,
      module: module as StoredRecord['module'],
      name: `R${id}`,
      ownerId: s.user.rep,
      fields,
      createdBy: s.user.boss,
      modifiedBy: s.user.boss,
      createdAt: T0,
      modifiedAt: T0,
      unique: [],
    });
    const outbox = async () =>
      (await store.notifications.listDeliveries({ orgId: null, channelId: null, limit: 100 })).reverse();

    it('saves, finds, lists (per user, per module) and deletes channels', async () => {
      const s = await seeded();
      await store.notifications.saveChannel(channel(s, '1001'));
      await store.notifications.saveChannel(
        channel(s, '1002', { events: [{ module: 'Pipelines', operation: 'create' }], createdAt: T0 + 1 }),
      );
      await store.notifications.saveChannel(channel(s, '1003', { userId: s.user.boss }));
      expect((await store.notifications.findChannels(s.org, ['1001', '9'])).get('1001')).toEqual(
        channel(s, '1001'),
      );
      const list = (module: 'Contacts' | null) =>
        store.notifications.listChannels({
          orgId: s.org,
          userId: s.user.rep,
          module,
          channelId: null,
          limit: 10,
          offset: 0,
        });
      expect((await list(null)).map((c) => c.channelId)).toEqual(['1001', '1002']);
      expect((await list('Contacts')).map((c) => c.channelId)).toEqual(['1001']);
      // Replacing keeps one row and its new events only.
      await store.notifications.saveChannel(
        channel(s, '1001', { events: [{ module: 'Tasks', operation: 'edit' }] }),
      );
      expect(await list('Contacts')).toEqual([]);
      expect(await store.notifications.deleteChannel(s.org, '1001', T0)).toBe(true);
      expect(await store.notifications.deleteChannel(s.org, '1001', T0)).toBe(false);
      expect((await list(null)).map((c) => c.channelId)).toEqual(['1002']);
    });

    it('writes no outbox row without a live matching channel', async () => {
      const s = await seeded();
      await store.notifications.saveChannel(channel(s, '1', { expiresAt: T0 }));
      await store.notifications.saveChannel(
        channel(s, '2', { events: [{ module: 'Pipelines', operation: 'all' }] }),
      );
      await store.recordData.insert(s.org, [record(s, '50', { Last_Name: 'A' })]);
      expect(await outbox()).toEqual([]);
    });

    it('appends the callbacks of inserts, updates, cascaded deletes and restores in their transactions', async () => {
      const s = await seeded();
      await store.notifications.saveChannel(
        channel(s, '7', {
          events: [
            { module: 'Contacts', operation: 'all' },
            { module: 'Notes', operation: 'delete' },
          ],
        }),
      );
      await store.notifications.saveChannel(
        channel(s, '8', { events: [{ module: 'Contacts', operation: 'edit' }] }),
      );
      await store.recordData.insert(s.org, [
        record(s, '60', { Last_Name: 'A', Phone: '1' }),
        record(s, '61', { Last_Name: 'B' }),
      ]);
      await store.recordData.update(s.org, {
        ...record(s, '60', { Last_Name: 'A', Email: 'a@x.com' }),
        modifiedAt: T0 + 5,
      });
      await store.recordData.insert(s.org, [record(s, '62', { Parent_Id: { id: '60' } }, 'Notes')]);
      const cascade = (m: string) =>
        m === 'Contacts' ? [{ module: 'Notes' as const, field: 'Parent_Id' }] : [];
      await store.recordData.deleteCascade({
        orgId: s.org,
        module: 'Contacts',
        id: '60',
        deletedBy: s.user.boss,
        at: T0 + 9,
        cascade,
      });
      await store.recordData.restoreCascade({ orgId: s.org, id: '60', deletedSince: T0, at: T0 + 20 });
      const rows = (await outbox()).map((e) => ({
        channel: e.channelId,
        module: e.module,
        operation: e.operation,
        ids: [...e.ids].sort(),
        fields: e.affectedFields,
        values: e.affectedValues,
        at: e.createdAt,
        status: e.status,
      }));
      const ids = (channel: string, module: string, operation: string, list: string[], at: number) => ({
        channel,
        module,
        operation,
        ids: list,
        fields: [],
        values: [],
        at,
        status: 'pending',
      });
      expect(rows).toEqual([
        ids('7', 'Contacts', 'insert', ['60', '61'], T0),
        {
          channel: '7',
          module: 'Contacts',
          operation: 'update',
          ids: ['60'],
          fields: [{ '60': ['Email', 'Phone'] }],
          values: [{ record_id: '60', values: { Email: 'a@x.com', Phone: null } }],
          at: T0 + 5,
          status: 'pending',
        },
        {
          channel: '8',
          module: 'Contacts',
          operation: 'update',
          ids: ['60'],
          fields: [{ '60': ['Email', 'Phone'] }],
          values: [{ record_id: '60', values: { Email: 'a@x.com', Phone: null } }],
          at: T0 + 5,
          status: 'pending',
        },
        ids('7', 'Contacts', 'delete', ['60'], T0 + 9),
        ids('7', 'Notes', 'delete', ['62'], T0 + 9),
        ids('7', 'Contacts', 'insert', ['60'], T0 + 20),
      ]);
    });

    it('writes nothing for a write that changes nothing (a failed unique check, a record not live)', async () => {
      const s = await seeded();
      await store.notifications.saveChannel(channel(s, '7'));
      await store.recordData.insert(s.org, [
        { ...record(s, '70', { Email: 'q@x.com' }), unique: [{ field: 'Email', value: 'q@x.com' }] },
      ]);
      await store.recordData.insert(s.org, [
        { ...record(s, '71', { Email: 'q@x.com' }), unique: [{ field: 'Email', value: 'q@x.com' }] },
      ]);
      await store.recordData.update(s.org, record(s, s.record.deleted, { a: 1 }));
      expect((await outbox()).map((e) => e.ids)).toEqual([['70']]);
    });

    it('claims the oldest entry of each channel only, under a lease, and refuses a stale outcome', async () => {
      const s = await seeded();
      await store.notifications.saveChannel(channel(s, '1'));
      await store.notifications.saveChannel(channel(s, '2'));
      await store.recordData.insert(s.org, [record(s, '80', {})]);
      await store.recordData.insert(s.org, [record(s, '81', {})]);
      const first = await store.notifications.claimDue({ now: T0, leaseUntil: T0 + 100, limit: 10 });
      first.sort((a, b) => a.entry.channelId.localeCompare(b.entry.channelId));
      expect(first.map((c) => [c.entry.channelId, c.entry.ids, c.entry.attempts, c.channel?.token])).toEqual([
        ['1', ['80'], 1, 'tok-1'],
        ['2', ['80'], 1, 'tok-2'],
      ]);
      expect(await store.notifications.claimDue({ now: T0 + 99, leaseUntil: T0 + 200, limit: 10 })).toEqual(
        [],
      );
      const done = (seq: number, attempt: number, status: 'delivered' | 'pending', next = T0) =>
        store.notifications.finish({
          seq,
          attempt,
          status,
          nextAttemptAt: next,
          responseCode: 200,
          latencyMs: 3,
          error: null,
          at: T0 + 1,
        });
      expect(await done(first[0]!.entry.seq, 1, 'delivered')).toBe(true);
      expect(await done(first[0]!.entry.seq, 1, 'delivered')).toBe(false);
      // Channel 2's head fails and is due again later; its second entry waits behind it.
      expect(await done(first[1]!.entry.seq, 1, 'pending', T0 + 500)).toBe(true);
      const second = await store.notifications.claimDue({ now: T0 + 2, leaseUntil: T0 + 300, limit: 10 });
      expect(second.map((c) => [c.entry.channelId, c.entry.ids])).toEqual([['1', ['81']]]);
      // A lease that ran out (a node that died mid-attempt) is claimed again as the next attempt.
      const again = await store.notifications.claimDue({ now: T0 + 600, leaseUntil: T0 + 700, limit: 10 });
      const byChannel = again.sort((a, b) => a.entry.channelId.localeCompare(b.entry.channelId));
      expect(byChannel.map((c) => [c.entry.channelId, c.entry.ids, c.entry.attempts])).toEqual([
        ['1', ['81'], 2],
        ['2', ['80'], 2],
      ]);
      expect(await done(second[0]!.entry.seq, 1, 'delivered')).toBe(false);
      const log = await store.notifications.listDeliveries({ orgId: s.org, channelId: '1', limit: 1 });
      expect(log.map((e) => [e.ids, e.attempts, e.status])).toEqual([[['81'], 2, 'pending']]);
    });

    it('drops the undelivered entries of a deleted channel', async () => {
      const s = await seeded();
      await store.notifications.saveChannel(channel(s, '1'));
      await store.recordData.insert(s.org, [record(s, '90', {})]);
      await store.notifications.deleteChannel(s.org, '1', T0 + 3);
      expect((await outbox()).map((e) => [e.status, e.finishedAt])).toEqual([['dropped', T0 + 3]]);
      expect(await store.notifications.claimDue({ now: T0 + 9, leaseUntil: T0 + 99, limit: 10 })).toEqual([]);
    });

    it('never gives one attempt to two instances claiming at once', async () => {
      const s = await seeded();
      const other = await open();
      for (let i = 0; i < 20; i++) await store.notifications.saveChannel(channel(s, String(100 + i)));
      await store.recordData.insert(s.org, [record(s, '95', {})]);
      const claims = (
        await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            (i % 2 ? store : other).notifications.claimDue({ now: T0, leaseUntil: T0 + 1000, limit: 5 }),
          ),
        )
      ).flat();
      const seqs = claims.map((c) => c.entry.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(seqs.length).toBe(20);
    });
  });
}
