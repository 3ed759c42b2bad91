/**
 * A live view of one SreTask's phase: a Kubernetes watch (field selector on the name) that
 * calls back on every phase or message change, resumes from the last resourceVersion when the
 * watch ends, re-reads on 410 Gone, and stops on stop().
 */
import type { Watch } from "@kubernetes/client-node";
import type { FastifyBaseLogger } from "fastify";
import type { SreTask } from "../../crds/index.ts";
import { listPathOf } from "../kube.ts";
import { SRETASK } from "../../crds/resources.ts";

/** What a stream reports. */
export type TaskStreamEvent =
  { type: "phase"; task: SreTask } | { type: "deleted" } | { type: "error"; message: string };

export interface TaskStreamOptions {
  watch: Watch;
  namespace: string;
  name: string;
  /** The task as first read: the stream starts after its resourceVersion. */
  initial: SreTask;
  /** Reads the task again after 410 Gone; undefined when it is gone. */
  reread: () => Promise<SreTask | undefined>;
  onEvent: (event: TaskStreamEvent) => void;
  logger: FastifyBaseLogger;
  /** Wait before re-watching after the watch ended (default 1 s). */
  retryMs?: number;
}

const summary = (t: SreTask | undefined): string =>
  `${t?.status?.phase ?? ""}\u0000${t?.status?.message ?? ""}`;

/** Watches one task until stopped. */
export class TaskStream {
  private readonly opts: TaskStreamOptions;
  private resourceVersion: string | undefined;
  private last: string;
  private abort: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(opts: TaskStreamOptions) {
    this.opts = opts;
    this.resourceVersion = opts.initial.metadata.resourceVersion;
    this.last = summary(opts.initial);
  }

  /** Starts watching. */
  start(): void {
    void this.watchOnce();
  }

  /** Stops watching; no callback follows. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort?.abort();
  }

  private async watchOnce(): Promise<void> {
    if (this.stopped) return;
    const { watch, namespace, name } = this.opts;
    try {
      this.abort = await watch.watch(
        listPathOf(SRETASK, namespace),
        {
          fieldSelector: `metadata.name=${name}`,
          resourceVersion: this.resourceVersion,
          allowWatchBookmarks: true,
        },
        (type, obj: SreTask) => this.onWatchEvent(type, obj),
        (err: unknown) => this.onDone(err),
      );
      if (this.stopped) this.abort.abort();
    } catch (err) {
      this.onDone(err);
    }
  }

  private onWatchEvent(type: string, obj: SreTask): void {
    if (this.stopped) return;
    if (type === "ERROR") {
      // A Status object: 410 Gone means our resourceVersion is too old; read afresh.
      if ((obj as unknown as { code?: number }).code === 410) this.resourceVersion = undefined;
      return;
    }
    if (obj?.metadata?.resourceVersion) this.resourceVersion = obj.metadata.resourceVersion;
    if (type === "DELETED") {
      this.opts.onEvent({ type: "deleted" });
      return;
    }
    if (type === "BOOKMARK") return;
    this.report(obj);
  }

  private report(task: SreTask): void {
    const now = summary(task);
    if (now === this.last) return;
    this.last = now;
    this.opts.onEvent({ type: "phase", task });
  }

  private onDone(err: unknown): void {
    if (this.stopped) return;
    if (err) this.opts.logger.debug({ err }, "Ended SreTask watch; resuming");
    this.timer = setTimeout(() => void this.resume(), this.opts.retryMs ?? 1000);
  }

  private async resume(): Promise<void> {
    if (this.stopped) return;
    if (this.resourceVersion === undefined) {
      try {
        const task = await this.opts.reread();
        if (this.stopped) return;
        if (!task) {
          this.opts.onEvent({ type: "deleted" });
          return;
        }
        this.resourceVersion = task.metadata.resourceVersion;
        this.report(task);
      } catch (err) {
        this.onDone(err);
        return;
      }
    }
    await this.watchOnce();
  }
}
