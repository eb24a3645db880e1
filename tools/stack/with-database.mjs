#!/usr/bin/env node
// Usage: node tools/stack/with-database.mjs <start|test> -- <command...>
// Runs the command with DATABASE_URL set: the caller's when given, otherwise an embedded PostgreSQL.
import { spawn } from 'node:child_process';
import { PROFILES, ensureDatabase, startEmbeddedPostgres, urlFor } from './embedded-postgres.mjs';

export async function provideDatabase(profileName) {
  const fresh = profileName === 'test';
  if (process.env.DATABASE_URL) {
    await ensureDatabase(process.env.DATABASE_URL, { fresh });
    return { url: process.env.DATABASE_URL, stop: async () => undefined };
  }
  const profile = PROFILES[profileName];
  const cluster = await startEmbeddedPostgres(profileName);
  const url = urlFor(cluster.port, profile.database);
  await ensureDatabase(url, { fresh });
  return { url, stop: cluster.stop };
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
  const database = await provideDatabase(profileName);
  const code = await runCommand(command, args, { ...process.env, DATABASE_URL: database.url });
  await database.stop();
  process.exit(code);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
