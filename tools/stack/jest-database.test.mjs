// node --test: the test commands the README names besides `npm test` (`npx nx affected -t test`, `npx nx
// test <project>`) run Jest per project, without the launcher around them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';

const root = resolve(import.meta.dirname, '../..');
const jest = resolve(root, 'node_modules/jest/bin/jest.js');
const environmentWithoutDatabase = { ...process.env };
delete environmentWithoutDatabase.DATABASE_URL;

function runJest(args, env) {
  return spawnSync(process.execPath, [jest, ...args], { cwd: root, env, encoding: 'utf8', timeout: 180_000 });
}

describe('Jest run on its own', () => {
  // Whether the shared cluster runs afterwards depends on who else uses it at the time (`npx nx affected`
  // runs projects in parallel): the closed-home test checks that the last one out stops it.
  it('gets the embedded test database when DATABASE_URL is unset', () => {
    const result = runJest(
      [
        '-c',
        'libs/data-access/jest.config.js',
        'libs/data-access/src/lib/database/migration-runner.integration-spec.ts',
      ],
      environmentWithoutDatabase,
    );
    assert.equal(result.status, 0, result.stderr);
  });

  it('fails, and exits, when every test setup fails on a database that does not answer', () => {
    const result = runJest(['-c', 'apps/pipeline/jest.config.js'], {
      ...environmentWithoutDatabase,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:9/nothing_listens',
    });
    assert.equal(result.signal, null, 'Jest hung: killed after 180 s');
    assert.equal(result.status, 1);
    assert.match(result.stderr, /ECONNREFUSED/);
    // Hooks that clean up what their setup never made fail as TypeErrors and hide the cause.
    assert.doesNotMatch(result.stderr, /Cannot read properties of undefined/);
  });
});
