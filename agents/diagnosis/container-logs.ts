/**
 * The container logs a view holds, keyed as the snapshot contract keys them
 * ("ns/pod/container" and "ns/pod/container:previous"). Logs enter the engine redacted: a log
 * line may become evidence or a summary.
 */
import { redactText } from "../../redact/index.ts";

/** Redacted container logs by pod and container; MemoryView and StoreView share it. */
export class ContainerLogs {
  private readonly byKey = new Map<string, string>();

  constructor(logs: Record<string, string> = {}) {
    this.add(logs);
  }

  /** Adds logs (read after the view chose whose: agents/diagnosis/log-candidates.ts), redacted. */
  add(logs: Record<string, string>): void {
    for (const [k, text] of Object.entries(logs)) this.byKey.set(k, redactText(text));
  }

  /** A container's log; previous = the run that terminated last. */
  get(namespace: string, pod: string, container: string, previous = false): string | undefined {
    return this.byKey.get(`${namespace}/${pod}/${container}${previous ? ":previous" : ""}`);
  }
}
