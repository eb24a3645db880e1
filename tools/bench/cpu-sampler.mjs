// CPU time (user + system) that processes spend while something runs, read from /proc/<pid>/stat every
// 100 ms. Linux only: elsewhere every figure is null. A process that exits between two samples loses at
// most its last 100 ms, under 1% of a one-second or longer run.
import { existsSync, readFileSync, readdirSync } from 'node:fs';

const TICKS_PER_SECOND = 100;
const SAMPLE_MS = 100;

function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Every PostgreSQL process on this machine: the server, its backends and its background workers. */
export function postgresPids() {
  return readdirSync('/proc').filter((pid) => {
    if (!/^\d+$/.test(pid)) return false;
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
    } catch {
      return false;
    }
  });
}

/**
 * Runs `work` while sampling the processes that each group's function names, and answers the work's
 * result with the CPU seconds each group spent meanwhile (null when /proc is not there).
 */
export async function withCpuSampling(groups, work) {
  if (!existsSync('/proc/self/stat')) return { result: await work(), cpu: null };
  const first = new Map();
  const last = new Map();
  const sample = (initial) => {
    for (const [group, pids] of Object.entries(groups)) {
      for (const pid of pids()) {
        const seconds = cpuSeconds(pid);
        if (seconds === undefined) continue;
        const key = `${group}:${pid}`;
        if (!first.has(key)) first.set(key, initial ? seconds : 0);
        last.set(key, seconds);
      }
    }
  };
  sample(true);
  const timer = setInterval(() => sample(false), SAMPLE_MS);
  try {
    const result = await work();
    sample(false);
    const cpu = Object.fromEntries(Object.keys(groups).map((group) => [group, 0]));
    for (const [key, seconds] of last) cpu[key.split(':')[0]] += seconds - first.get(key);
    return { result, cpu };
  } finally {
    clearInterval(timer);
  }
}
