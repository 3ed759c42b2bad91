/**
 * A reconcile error that retrying cannot fix (invalid spec, missing permission by
 * design...). The controller logs and counts it but does not requeue the key; a new
 * event for the object (e.g. a spec edit) reconciles it again.
 */
export class TerminalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TerminalError";
  }
}

/** True when err, or any error in its cause chain, is a TerminalError (like Go's errors.Is). */
export function isTerminalError(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 16; depth++) {
    if (e instanceof TerminalError) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
