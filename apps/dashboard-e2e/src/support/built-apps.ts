import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@customer-pipeline/http-runtime/testing';

const DIST = join(__dirname, '../../../../dist/apps');

export interface RunningApp {
  url: string;
  stop(): Promise<void>;
}

async function untilHealthy(url: string, child: ChildProcess, name: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}`);
    if (
      await fetch(`${url}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not become healthy within 30 s`);
}

/**
 * One of the built apps (`dist/apps/<app>/main.js`, as the test target's dependencies build them) in a
 * process of its own on a free port, with `environment` added to this one's.
 */
export async function startBuiltApp(
  app: 'pipeline' | 'mock-api',
  environment: Record<string, string>,
): Promise<RunningApp> {
  const main = join(DIST, app, 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npx nx build ${app}\` first`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      ...environment,
      [app === 'pipeline' ? 'PIPELINE_PORT' : 'MOCK_API_PORT']: String(port),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
    // Away from the checkout's .env, which would otherwise add a developer's settings to the test's.
    cwd: tmpdir(),
  });
  await untilHealthy(url, child, app);
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
