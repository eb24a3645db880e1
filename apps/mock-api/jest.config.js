/** @type {import('jest').Config} */
module.exports = {
  displayName: 'mock-api',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/apps/mock-api',
};
