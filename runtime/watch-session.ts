import type { Clock, TimerHandle } from "./clock.ts";
import { isGone } from "../kube/kube-api.ts";
import type { ListWatcher, WatchHandle, WatchParams } from "../kube/list-watch.ts";

/** How one watch connection ended. */
export type WatchEnd =
  { kind: "stopped" | "closed" | "expired" | "watchdog" | "timeout" } | { kind: "error"; err: unknown };

/** One open watch: `ended` resolves once, `stop` ends it early. */
export interface WatchSession {
  ended: Promise<WatchEnd>;
  stop(): void;
}

/** Options of one watch connection. */
export interface WatchSessionOptions<T> {
  clock: Clock;
  /** End the watch as "watchdog" after this long without any event (bookmarks count). */
  watchdogMs: number;
  /** Handles an event; returning a WatchEnd ends the watch (e.g. an ERROR event). */
  onEvent: (type: string, obj: T) => WatchEnd | undefined;
}

/**
 * Opens one watch and classifies how it ends. A watch the server closes at once with
 * nothing delivered counts as an error, so a misbehaving server or proxy cannot make
 * the caller spin; a connection silent past watchdogMs is aborted (a half-open TCP
 * connection otherwise waits forever).
 */
export function openWatch<T>(
  lw: ListWatcher<T>,
  params: WatchParams,
  opts: WatchSessionOptions<T>,
): WatchSession {
  const { clock } = opts;
  let stop: () => void = () => {};
  const ended = new Promise<WatchEnd>((resolve) => {
    let handle: WatchHandle | undefined;
    let watchdog: TimerHandle | undefined;
    let settled = false;
    let received = false;
    const startedAt = clock.now();
    const finish = (end: WatchEnd): void => {
      if (settled) return;
      settled = true;
      if (watchdog !== undefined) clock.clearTimeout(watchdog);
      handle?.abort();
      const instant = end.kind === "closed" && !received && clock.now() - startedAt < 1000;
      resolve(instant ? { kind: "error", err: new Error("watch closed immediately") } : end);
    };
    const feed = (): void => {
      if (watchdog !== undefined) clock.clearTimeout(watchdog);
      watchdog = clock.setTimeout(() => finish({ kind: "watchdog" }), opts.watchdogMs);
    };
    stop = () => finish({ kind: "stopped" });
    feed();
    const onEvent = (type: string, obj: T): void => {
      if (settled) return;
      received = true;
      feed();
      const end = opts.onEvent(type, obj);
      if (end) finish(end);
    };
    const onDone = (err?: unknown): void => finish(classify(err));
    lw.watch(params, onEvent, onDone).then(
      (h) => (settled ? h.abort() : (handle = h)),
      (err: unknown) => onDone(err ?? new Error("watch failed")),
    );
  });
  return { ended, stop: () => stop() };
}

// client-node's Watch ends a connection idle for 30 s with a TimeoutError. That is
// routine for a quiet kind, so it is re-watched at once from the last resourceVersion
// (served from the API server's watch cache) instead of counting as a failure.
function classify(err: unknown): WatchEnd {
  if (!err) return { kind: "closed" };
  if (isGone(err)) return { kind: "expired" };
  if ((err as { name?: string }).name === "TimeoutError") return { kind: "timeout" };
  return { kind: "error", err };
}
