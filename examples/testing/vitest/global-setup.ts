import { fileURLToPath } from 'node:url';
import { type Bigin, startBigin } from '@bigin-attachments/testing';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    bigin: { url: string; adminKey: string };
  }
}

let bigin: Bigin | undefined;

export async function setup(project: TestProject) {
  bigin = await startBigin({
    fixture: fileURLToPath(new URL('../fixture.json', import.meta.url)),
    clock: '2026-01-01T00:00:00Z',
    // Only the data center these tests use: each one served is an app of its own to start (the
    // default, all eight, takes about a second more).
    settings: { DATA_CENTERS: 'us' },
  });
  // Test files run in worker processes: hand them what they need to reach this server.
  project.provide('bigin', { url: bigin.url, adminKey: bigin.adminKey });
}

export async function teardown() {
  await bigin?.close();
}
