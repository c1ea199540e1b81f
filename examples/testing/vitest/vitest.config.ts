import { defineConfig } from 'vitest/config';

// One server for the whole run, started by global-setup.ts; the test files run in parallel
// against it, each test in an organisation of its own.
export default defineConfig({
  // The workspace links packages into node_modules; keep their node_modules paths so that Vite
  // loads them as Node does for a user who installed them, rather than transforming each file.
  resolve: { preserveSymlinks: true },
  test: {
    name: 'examples',
    root: import.meta.dirname,
    include: ['*.test.ts'],
    globalSetup: ['./global-setup.ts'],
    // Inside this repository's `npm test` it runs after the embedded project (Vitest runs projects
    // with different worker settings in separate groups).
    sequence: { groupOrder: 1 },
  },
});
