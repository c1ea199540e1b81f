// Jest runs this example as native ESM (the helper is an ES module): no transform, and Node's
// VM modules, so run it as `node --experimental-vm-modules node_modules/jest/bin/jest.js -c examples/testing/jest/jest.config.mjs`
// (or `NODE_OPTIONS=--experimental-vm-modules npx jest`).
export default {
  rootDir: import.meta.dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/*.test.mjs'],
  transform: {},
  // One server per file, started in beforeAll; the default 5 s covers its start on a busy machine
  // only barely.
  testTimeout: 30_000,
};
