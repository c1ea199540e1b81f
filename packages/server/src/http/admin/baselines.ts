import { createHash } from 'node:crypto';
import type { AdminBaseline } from '../../domain/admin-baseline-ports.js';
import type { Clock } from '../../domain/clock.js';
import type { Stores } from '../../storage/create-stores.js';
import {
  deleteOrganization,
  exportOrganization,
  importOrganization,
  type OrganizationExport,
} from './organization-admin.js';

export interface Template {
  fragment: Record<string, unknown>;
  baseDir: string;
}

export const sha256Of = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The state reset returns to: each organisation as it was right after the fixture (or the admin
 * call) that made it. Kept in the metadata store (admin_baselines, D26), not in this process: a
 * restart, or another node on the same PostgreSQL, resets to the same state.
 */
export class Baselines {
  /** Stamps `recordedAt`: like every time the server keeps, as of the virtual clock. */
  constructor(private readonly clock: Clock) {}

  async record(stores: Stores, orgId: string, fromFixture: boolean, template?: Template): Promise<void> {
    const baseline = await this.#take(stores, orgId, fromFixture, template, null);
    if (baseline) await stores.metadata.adminBaselines.put(baseline);
  }

  async #take(
    stores: Stores,
    orgId: string,
    fromFixture: boolean,
    template: Template | undefined,
    fixtureSha256: string | null,
  ): Promise<AdminBaseline | null> {
    const snapshot = await exportOrganization(stores, orgId);
    if (!snapshot) return null;
    return {
      orgId,
      kind: fromFixture ? 'fixture' : 'created',
      snapshot: JSON.stringify(snapshot),
      template: template ? JSON.stringify(template) : null,
      fixtureSha256,
      recordedAt: this.clock.now(),
    };
  }

  async forget(stores: Stores, orgId: string): Promise<void> {
    await stores.metadata.adminBaselines.remove(orgId);
  }

  /** Each organisation's kind of baseline (`fixture`, `created`), by id. */
  async kinds(stores: Stores): Promise<Map<string, AdminBaseline['kind']>> {
    return new Map((await stores.metadata.adminBaselines.list()).map((b) => [b.orgId, b.kind]));
  }

  /** The loaded fixture's organisation `orgId` as written: the template of `from` copies. */
  async template(stores: Stores, orgId: string): Promise<Template | undefined> {
    const b = await stores.metadata.adminBaselines.get(orgId);
    return b?.kind === 'fixture' && b.template ? (JSON.parse(b.template) as Template) : undefined;
  }

  /** Puts one organisation back as its baseline; false when it has none. */
  async resetOne(stores: Stores, clock: Clock, orgId: string): Promise<boolean> {
    const b = await stores.metadata.adminBaselines.get(orgId);
    if (!b) return false;
    await deleteOrganization(stores, orgId);
    await importOrganization(stores, clock, JSON.parse(b.snapshot) as OrganizationExport);
    return true;
  }

  /** Every organisation goes; the fixture's come back as loaded. Returns the ids restored and removed. */
  async resetAll(stores: Stores, clock: Clock): Promise<{ restored: string[]; removed: string[] }> {
    const baselines = await stores.metadata.adminBaselines.list();
    const fixtureOrgs = new Set(baselines.filter((b) => b.kind === 'fixture').map((b) => b.orgId));
    const removed: string[] = [];
    for (const org of await stores.metadata.organizations.list()) {
      await deleteOrganization(stores, org.id);
      if (!fixtureOrgs.has(org.id)) removed.push(org.id);
    }
    const restored: string[] = [];
    for (const b of baselines) {
      if (b.kind !== 'fixture') {
        await stores.metadata.adminBaselines.remove(b.orgId);
        continue;
      }
      await importOrganization(stores, clock, JSON.parse(b.snapshot) as OrganizationExport);
      restored.push(b.orgId);
    }
    return { restored, removed };
  }

  /**
   * After a fixture load: its organisations' baselines and templates. `fixtureSha256` is given
   * for the start's fixture file: a restart with the same file keeps the baselines already
   * stored, because the load inserts only what is missing and so leaves earlier changes in place;
   * the state found now is not the fixture's. A changed file, or a load by the admin API, takes
   * them anew.
   */
  async fixtureLoaded(
    stores: Stores,
    fixture: { organizations: Array<{ id: string }> },
    raw: unknown,
    baseDir: string,
    fixtureSha256: string | null = null,
  ): Promise<void> {
    const rawOrgs = ((raw as { organizations?: unknown[] }).organizations ?? []) as Array<
      Record<string, unknown>
    >;
    for (const org of fixture.organizations) {
      const fragment = rawOrgs.find((o) => o.id === org.id);
      const template = fragment ? { fragment, baseDir } : undefined;
      if (fixtureSha256 !== null) {
        const held = await stores.metadata.adminBaselines.get(org.id);
        if (held?.kind === 'fixture' && held.fixtureSha256 === fixtureSha256) continue;
        const baseline = await this.#take(stores, org.id, true, template, fixtureSha256);
        if (!baseline) continue;
        // Nodes starting together with one new fixture: the first one's baseline holds.
        if (held) await stores.metadata.adminBaselines.put(baseline);
        else await stores.metadata.adminBaselines.putIfAbsent(baseline);
        continue;
      }
      await this.record(stores, org.id, true, template);
    }
  }
}
