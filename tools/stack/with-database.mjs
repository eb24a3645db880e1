#!/usr/bin/env node
// Usage: node tools/stack/with-database.mjs <start|test> -- <command...>
// Runs the command with DATABASE_URL set: the caller's when given, otherwise an embedded PostgreSQL.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import {
  PROFILES,
  ensureDatabase,
  recreateTestDatabase,
  startEmbeddedPostgres,
  testDatabaseUrl,
  urlFor,
} from './embedded-postgres.mjs';

/** The profile's embedded cluster and database, prepared by `prepare`; the cluster is released if that fails. */
async function onEmbeddedCluster(profileName, prepare) {
  const profile = PROFILES[profileName];
  const cluster = await startEmbeddedPostgres(profile);
  const url = urlFor(cluster.port, profile.database);
  try {
    await prepare(url);
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return { url, stop: cluster.stop };
}

/**
 * The database the profile runs on, with a `stop` for whatever was started for it. The test profile gets a
 * fresh database of its own on every run; with a DATABASE_URL that is `<name>_test` beside the one named.
 */
export async function provideDatabase(profileName) {
  const prepare = profileName === 'test' ? recreateTestDatabase : ensureDatabase;
  if (process.env.DATABASE_URL) {
    const given = process.env.DATABASE_URL;
    const url = profileName === 'test' ? testDatabaseUrl(given) : given;
    await prepare(url);
    return { url, stop: async () => undefined };
  }
  return onEmbeddedCluster(profileName, prepare);
}

/**
 * The database of a test command run on its own (`npx nx affected -t test`, `npx nx test <project>`, `npx
 * jest`): DATABASE_URL when set (as `npm test` sets it), else the embedded test cluster, which several such
 * commands share at once. Its database is created when missing but never dropped, since another project's
 * tests may be using it; every test file makes a database of its own anyway.
 */
export async function provideSharedTestDatabase() {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => undefined };
  return onEmbeddedCluster('test', ensureDatabase);
}

/**
 * Holds back Ctrl-C and SIGTERM while a launcher starts up: dying then would leave the database it just
 * started running with no one to stop it. `signal` tells the launcher, once started, to stop instead.
 */
export function deferInterrupts() {
  const deferred = { signal: undefined };
  const note = (signal) => (deferred.signal ??= signal);
  process.on('SIGINT', note).on('SIGTERM', note);
  return deferred;
}

/**
 * provideDatabase for a launcher's command line: what went wrong is one sentence, not a stack, since it is
 * about the machine (no PostgreSQL user, a server that does not answer), not about this code.
 */
export async function provideDatabaseOrExplain(profileName) {
  try {
    return await provideDatabase(profileName);
  } catch (error) {
    console.error(`no database for ${profileName}: ${error.message}`);
    process.exit(1);
  }
}

/** The exit code of a process ended by the signal, as a shell reports it. */
export function exitCodeFor(signal) {
  return 128 + constants.signals[signal];
}

/** Runs a command to its end, passing Ctrl-C and SIGTERM on, and resolves with its exit code. */
export function runCommand(command, args, env) {
  const child = spawn(command, args, { stdio: 'inherit', env, shell: process.platform === 'win32' });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward).on('SIGTERM', forward);
  return new Promise((done) => {
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward).off('SIGTERM', forward);
      done(code ?? (signal ? 1 : 0));
    });
  });
}

async function main() {
  const [profileName, separator, command, ...args] = process.argv.slice(2);
  if (!PROFILES[profileName] || separator !== '--' || !command) {
    console.error('usage: with-database.mjs <start|test> -- <command...>');
    process.exit(2);
  }
  const interrupts = deferInterrupts();
  const database = await provideDatabaseOrExplain(profileName);
  const code = interrupts.signal
    ? exitCodeFor(interrupts.signal)
    : await runCommand(command, args, { ...process.env, DATABASE_URL: database.url });
  await database.stop();
  process.exit(code);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
