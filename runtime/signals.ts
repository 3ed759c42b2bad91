/** Where shutdown signals come from: `process`, or a fake in tests. */
export interface SignalSource {
  on(signal: "SIGTERM" | "SIGINT", listener: () => void): unknown;
  off(signal: "SIGTERM" | "SIGINT", listener: () => void): unknown;
}

/**
 * Calls handler on SIGTERM and SIGINT with how many signals arrived so far (a second
 * one conventionally means "exit now"). Returns a function removing the listeners.
 */
export function onShutdownSignals(
  source: SignalSource,
  handler: (signal: "SIGTERM" | "SIGINT", count: number) => void,
): () => void {
  let count = 0;
  const term = (): void => handler("SIGTERM", ++count);
  const int = (): void => handler("SIGINT", ++count);
  source.on("SIGTERM", term);
  source.on("SIGINT", int);
  return () => {
    source.off("SIGTERM", term);
    source.off("SIGINT", int);
  };
}
