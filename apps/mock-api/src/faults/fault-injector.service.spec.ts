import { OutageSwitch } from '../admin/outage-switch.service';
import { readMockApiConfig } from '../config/mock-api.config';
import { FaultInjector, FaultVerdict } from './fault-injector.service';

function injector(environment: Record<string, string>, outage = new OutageSwitch()): FaultInjector {
  return new FaultInjector(readMockApiConfig(environment), outage);
}

function judgeMany(faults: FaultInjector, count: number): FaultVerdict[] {
  return Array.from({ length: count }, () => faults.judge());
}

/** The numbers of the requests that were failed, in order. */
function failedRequests(verdicts: FaultVerdict[]): number[] {
  return verdicts.flatMap((verdict) => (verdict.kind === 'failure' ? [verdict.sequence] : []));
}

describe('FaultInjector', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('serves every request when no failure mode is on', () => {
    expect(judgeMany(injector({}), 1000).every((verdict) => verdict.kind === 'serve')).toBe(true);
  });

  it('answers an outage first, without spending the rate limit or request numbers', () => {
    const outage = new OutageSwitch();
    const faults = injector({ MOCK_RATE_LIMIT: '2', MOCK_FAILURE_RATE: '1' }, outage);
    outage.set(true);
    expect(judgeMany(faults, 5)).toEqual(Array(5).fill({ kind: 'outage' }));
    outage.set(false);
    expect(judgeMany(faults, 3)).toEqual([
      { kind: 'failure', status: expect.any(Number), sequence: 1 },
      { kind: 'failure', status: expect.any(Number), sequence: 2 },
      { kind: 'rate-limited', limit: 2, retryAfterSeconds: 1 },
    ]);
  });

  it('refuses over the rate limit before drawing a failure, and numbers only the requests let through', () => {
    const faults = injector({ MOCK_RATE_LIMIT: '3', MOCK_FAILURE_RATE: '1' });
    const first = judgeMany(faults, 5);
    jest.advanceTimersByTime(1000);
    const second = judgeMany(faults, 4);
    expect([...first, ...second].map((verdict) => verdict.kind)).toEqual([
      ...['failure', 'failure', 'failure', 'rate-limited', 'rate-limited'],
      ...['failure', 'failure', 'failure', 'rate-limited'],
    ]);
    expect(failedRequests([...first, ...second])).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('fails the same request numbers, with the same statuses, for the same seed', () => {
    const run = (seed: string) => judgeMany(injector({ MOCK_SEED: seed, MOCK_FAILURE_RATE: '0.3' }), 2000);
    const first = run('7');
    expect(run('7')).toEqual(first);
    expect(failedRequests(run('8'))).not.toEqual(failedRequests(first));
  });

  it('does not let the clock decide which requests fail', () => {
    const steady = judgeMany(injector({ MOCK_FAILURE_RATE: '0.3' }), 200);
    const faults = injector({ MOCK_FAILURE_RATE: '0.3' });
    const paused = Array.from({ length: 200 }, () => {
      jest.advanceTimersByTime(137);
      return faults.judge();
    });
    expect(paused).toEqual(steady);
  });

  it('fails a share of about MOCK_FAILURE_RATE of 10,000 requests, about half 500 and half 503', () => {
    const verdicts = judgeMany(injector({ MOCK_FAILURE_RATE: '0.2' }), 10_000);
    const failures = verdicts.filter((verdict) => verdict.kind === 'failure');
    expect(failures.length / verdicts.length).toBeGreaterThan(0.19);
    expect(failures.length / verdicts.length).toBeLessThan(0.21);
    const share500 = failures.filter((failure) => failure.status === 500).length / failures.length;
    expect(share500).toBeGreaterThan(0.45);
    expect(share500).toBeLessThan(0.55);
    expect(failures.every((failure) => failure.status === 500 || failure.status === 503)).toBe(true);
  });

  it('fails every request at rate 1', () => {
    expect(judgeMany(injector({ MOCK_FAILURE_RATE: '1' }), 100).every((v) => v.kind === 'failure')).toBe(
      true,
    );
  });
});
