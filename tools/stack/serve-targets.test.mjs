// node --test: `npx nx serve` of both apps at once, as a developer runs them, each with its own inspector.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { it } from 'node:test';

/** The @nx/js:node executor opens Node's inspector on `port`, 9229 unless set. */
const inspectorPort = (app) =>
  JSON.parse(readFileSync(resolve(import.meta.dirname, '../../apps', app, 'project.json'), 'utf8')).targets
    .serve.options.port ?? 9229;

it('gives each app its own inspector port under nx serve', () => {
  assert.deepEqual([inspectorPort('pipeline'), inspectorPort('mock-api')], [9229, 9230]);
});
