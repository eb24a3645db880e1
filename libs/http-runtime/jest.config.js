/** @type {import('jest').Config} */
module.exports = {
  displayName: 'http-runtime',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/http-runtime',
};
