#!/usr/bin/env node
// `npm start`: builds both apps, then runs the mock API and the pipeline on DATABASE_URL, or on an
// embedded PostgreSQL when it is unset. Ctrl-C stops the apps first and the database last.
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { deferInterrupts, exitCodeFor, provideDatabaseOrExplain } from './with-database.mjs';

const root = resolve(import.meta.dirname, '../..');
const APPS = ['mock-api', 'pipeline'];

function build() {
  // The dashboard is static files that the pipeline serves at `/`.
  const projects = [...APPS, 'dashboard'];
  const result = spawnSync(
    'npx',
    ['nx', 'run-many', '-t', 'build', '-p', ...projects, '--output-style=static'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function launch(app, env) {
  const child = spawn(process.execPath, [resolve(root, 'dist/apps', app, 'main.js')], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
  const exited = new Promise((done) => child.on('exit', (code, signal) => done({ app, code, signal })));
  return { child, exited };
}

async function main() {
  const interrupts = deferInterrupts();
  build();
  const database = await provideDatabaseOrExplain('start');
  if (interrupts.signal) {
    await database.stop();
    process.exit(exitCodeFor(interrupts.signal));
  }
  const env = { ...process.env, DATABASE_URL: database.url };
  const running = APPS.map((app) => launch(app, env));

  let stopping = false;
  const stopAll = (signal) => {
    stopping = true;
    for (const { child } of running) if (child.exitCode === null) child.kill(signal);
  };
  process.on('SIGINT', () => stopAll('SIGINT')).on('SIGTERM', () => stopAll('SIGTERM'));

  // One app ending on its own (a crash, a bad configuration) takes the whole stack down with it.
  const first = await Promise.race(running.map((r) => r.exited));
  if (!stopping)
    console.error(`${first.app} exited (code ${first.code ?? first.signal}); stopping the stack`);
  stopAll('SIGTERM');
  await Promise.all(running.map((r) => r.exited));
  await database.stop();
  process.exit(stopping ? 0 : 1);
}

await main();
