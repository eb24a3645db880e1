/** @type {import('jest').Config} */
module.exports = {
  displayName: 'pipeline',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // Provides the embedded test database when DATABASE_URL is unset, as `npm test` does.
  globalSetup: '<rootDir>/../../tools/stack/jest-global-setup.mjs',
  globalTeardown: '<rootDir>/../../tools/stack/jest-global-teardown.mjs',
  coverageDirectory: '../../coverage/apps/pipeline',
};
