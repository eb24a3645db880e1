import type { ChildProcess } from 'node:child_process';

/**
 * Processes a test file started (mock APIs, pipelines), killed when the file ends whatever its own hooks
 * managed: a set-up hook that timed out before it kept its handle would otherwise leave its child running,
 * and a running child keeps Jest from ever exiting.
 */
const started = new Set<ChildProcess>();

afterAll(() => {
  for (const child of started)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  started.clear();
});

export function endsWithTestFile(child: ChildProcess): ChildProcess {
  started.add(child);
  child.once('exit', () => started.delete(child));
  return child;
}
