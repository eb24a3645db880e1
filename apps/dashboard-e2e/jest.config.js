/** @type {import('jest').Config} */
module.exports = {
  displayName: 'dashboard-e2e',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // The built apps get a database of their own on the test server, as `npm test` provides it.
  globalSetup: '<rootDir>/../../tools/stack/jest-global-setup.mjs',
  globalTeardown: '<rootDir>/../../tools/stack/jest-global-teardown.mjs',
  testTimeout: 60_000,
};
