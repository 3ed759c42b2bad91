/** An opaque timer handle returned by a Clock. */
export type TimerHandle = unknown;

/** Time source and timers, injected so tests can drive time (vitest fake timers or a fake clock). */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The real clock. Globals are looked up at call time, not captured at import, so
 * vi.useFakeTimers() installed after import still controls it. Timers are unref'd:
 * a pending requeue or backoff alone must not keep the process alive.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = globalThis.setTimeout(fn, ms);
    (t as { unref?: () => void }).unref?.();
    return t;
  },
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Resolves after ms on the given clock, or early (without rejecting) when the signal aborts. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = (): void => {
      clock.clearTimeout(handle);
      resolve();
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Returns ms spread by up to ±fraction, so many clients retrying together do not stampede. */
export function jitter(ms: number, fraction = 0.1, random: () => number = Math.random): number {
  return Math.max(0, ms * (1 + fraction * (2 * random() - 1)));
}

/** Resolves with p's value, or with fallback if p has not settled within ms (p keeps running). */
export function raceTimeout<T, F>(clock: Clock, p: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  return new Promise((resolve, reject) => {
    const t = clock.setTimeout(() => resolve(fallback), ms);
    p.then(
      (v) => {
        clock.clearTimeout(t);
        resolve(v);
      },
      (err: unknown) => {
        clock.clearTimeout(t);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
