import { ChildProcess, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { freePort } from './free-port';
import { endsWithTestFile } from './test-file-children';

export const PIPELINE_MAIN = join(__dirname, '../../../dist/apps/pipeline/main.js');

export interface PipelineProcess {
  url: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  /** Every line the process has written to stdout so far: its logs. */
  stdout: string[];
}

/** The built pipeline in a process of its own, for tests that kill it. */
export async function startPipelineProcess(environment: Record<string, string>): Promise<PipelineProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = endsWithTestFile(
    spawn(process.execPath, [PIPELINE_MAIN], {
      env: { ...process.env, ...environment, PIPELINE_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'inherit'],
      // Away from the checkout's .env, which would otherwise add a developer's settings to the test's.
      cwd: tmpdir(),
    }),
  );
  const stdout: string[] = [];
  createInterface({ input: child.stdout as Readable }).on('line', (line) => stdout.push(line));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`pipeline exited (${child.exitCode ?? child.signalCode})`);
    if (
      await fetch(`${url}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { url, child, exited, stdout };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('pipeline did not become healthy within 30 s');
}
