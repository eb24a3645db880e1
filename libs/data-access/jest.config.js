/** @type {import('jest').Config} */
module.exports = {
  displayName: 'data-access',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/data-access',
};
