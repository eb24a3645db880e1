import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port';
import { endsWithTestFile } from './test-file-children';

const MAIN = join(__dirname, '../../../dist/apps/mock-api/main.js');

export interface MockApiProcess {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`mock API exited (${child.exitCode ?? child.signalCode})`);
    const healthy = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('mock API did not become healthy within 30 s');
}

/**
 * Runs the real mock API, as built by `nx build mock-api` (the pipeline's test target depends on it),
 * in its own process, the way the pipeline meets it in production.
 */
export async function startMockApi(
  environment: Record<string, string> = {},
  /** A port of the caller's choosing, for a source that must come back where it was. */
  port?: number,
): Promise<MockApiProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npx nx build mock-api\` first`);
  port ??= await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = endsWithTestFile(
    spawn(process.execPath, [MAIN], {
      env: { ...process.env, ...environment, MOCK_API_PORT: String(port) },
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
  );
  await waitForHealth(url, child);
  return {
    url,
    process: child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
