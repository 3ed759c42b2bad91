/**
 * Follow-ups: after acknowledging a chat request within WeCom's 5 s budget, watch the task
 * through the gateway until it settles (or a timeout) and send the requester the result
 * through the message API. In memory and per replica: a replica that stops loses its watches,
 * while the controllers' notifications still report the outcome.
 */
import type { Logger } from "./log.ts";
import type { ObjectKey, SreGateway } from "../gateway.ts";
import type { Lang } from "./commands.ts";
import { SETTLED_PHASES, notificationFor } from "../../notify/events.ts";
import type { WeComNotifier } from "../../notify/wecom/notifier.ts";
import { stringsFor } from "../../notify/wecom/strings.ts";
import { renderNotification } from "../../notify/wecom/templates.ts";

/** Tuning of follow-ups. */
export interface FollowUpOptions {
  /** Poll interval. Default 5 s. */
  intervalMs?: number;
  /** Give up (and say so) after this long. Default 15 min. */
  timeoutMs?: number;
  /** Most watches at once; more are not started. Default 200. */
  maxWatches?: number;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/** Watches tasks for chat requesters and tells them the result. */
export class FollowUps {
  readonly #gateway: SreGateway;
  readonly #notifier: WeComNotifier;
  readonly #logger: Logger;
  readonly #intervalMs: number;
  readonly #timeoutMs: number;
  readonly #max: number;
  readonly #active = new Set<AbortController>();

  constructor(gateway: SreGateway, notifier: WeComNotifier, logger: Logger, options: FollowUpOptions = {}) {
    this.#gateway = gateway;
    this.#notifier = notifier;
    this.#logger = logger;
    this.#intervalMs = options.intervalMs ?? 5000;
    this.#timeoutMs = options.timeoutMs ?? 15 * 60_000;
    this.#max = options.maxWatches ?? 200;
  }

  /** Number of tasks being watched. */
  get active(): number {
    return this.#active.size;
  }

  /** Starts watching a task for a user; returns false when too many watches run already. */
  watch(key: ObjectKey, userId: string, lang: Lang): boolean {
    if (this.#active.size >= this.#max) {
      this.#logger.warn(
        { task: `${key.namespace}/${key.name}` },
        "Skipped a WeCom follow-up: too many watches",
      );
      return false;
    }
    const controller = new AbortController();
    this.#active.add(controller);
    void this.#run(key, userId, lang, controller.signal)
      .catch((err: unknown) => {
        this.#logger.error({ task: key.name, error: (err as Error).message }, "Failed a WeCom follow-up");
      })
      .finally(() => this.#active.delete(controller));
    return true;
  }

  /** Sends a late reply (a command that missed the 5 s budget) to a user. */
  reply(userId: string, text: string): void {
    void this.#notifier.sendToUser(userId, text);
  }

  /** Stops every watch (server shutdown). */
  close(): void {
    for (const controller of this.#active) controller.abort();
    this.#active.clear();
  }

  async #run(key: ObjectKey, userId: string, lang: Lang, signal: AbortSignal): Promise<void> {
    const deadline = Date.now() + this.#timeoutMs;
    const taskRef = `${key.namespace}/${key.name}`;
    while (!signal.aborted && Date.now() < deadline) {
      await sleep(this.#intervalMs, signal);
      if (signal.aborted) return;
      const settled = await this.#settledMessage(key, lang);
      if (settled) {
        await this.#notifier.sendToUser(userId, settled);
        return;
      }
    }
    if (!signal.aborted) await this.#notifier.sendToUser(userId, stringsFor(lang).followUpTimedOut(taskRef));
  }

  /** The result message when the task settled, undefined while it runs or cannot be read. */
  async #settledMessage(key: ObjectKey, lang: Lang): Promise<string | undefined> {
    try {
      const task = await this.#gateway.getTask(key.namespace, key.name);
      if (!task || !SETTLED_PHASES.has(task.status?.phase ?? "")) return undefined;
      const planName = task.status?.remediationPlanRef?.name;
      const plan = planName ? await this.#gateway.getPlan(key.namespace, planName) : undefined;
      const event = notificationFor(task, plan);
      return event && renderNotification(event, lang);
    } catch (err) {
      // The API server may be briefly unreachable; the next poll tries again.
      this.#logger.debug({ task: key.name, error: (err as Error).message }, "Failed to read a followed task");
      return undefined;
    }
  }
}
