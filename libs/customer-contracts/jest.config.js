/** @type {import('jest').Config} */
module.exports = {
  displayName: 'customer-contracts',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/customer-contracts',
};
