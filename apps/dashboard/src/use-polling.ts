import { useEffect, useRef } from 'preact/hooks';

/**
 * Calls `load` now and then every `intervalMs` (null: not again), one call at a time: the next waits for
 * the previous answer, so a slow pipeline is never sent a pile of requests. Stops when the component goes.
 */
export function usePolling(load: () => Promise<void>, intervalMs: number | null, deps: unknown[]): void {
  const latest = useRef(load);
  latest.current = load;
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      await latest.current();
      if (!stopped && intervalMs !== null) timer = setTimeout(tick, intervalMs);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [intervalMs, ...deps]);
}
