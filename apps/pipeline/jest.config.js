/** @type {import('jest').Config} */
module.exports = {
  displayName: 'pipeline',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/apps/pipeline',
};
