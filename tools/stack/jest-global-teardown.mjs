// Jest globalTeardown: leaves the cluster jest-global-setup.mjs joined, stopping it if no one else uses it.
export default async function releaseTestDatabase() {
  await globalThis.testDatabase?.stop();
}
