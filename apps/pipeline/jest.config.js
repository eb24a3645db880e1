/** @type {import('jest').Config} */
module.exports = {
  displayName: 'pipeline',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // Many tests start processes, databases and servers in their hooks; on a loaded 2-core machine that
  // outlasts Jest's 5 s default, and a hook that times out leaves its test file half set up.
  testTimeout: 30_000,
  // Provides the embedded test database when DATABASE_URL is unset, as `npm test` does.
  globalSetup: '<rootDir>/../../tools/stack/jest-global-setup.mjs',
  globalTeardown: '<rootDir>/../../tools/stack/jest-global-teardown.mjs',
  coverageDirectory: '../../coverage/apps/pipeline',
};
