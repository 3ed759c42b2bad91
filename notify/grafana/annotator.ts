/**
 * Posts Grafana annotations without ever holding up a reconcile: items go into a bounded
 * queue (full: the newest is dropped and counted), one worker posts them in order, retrying
 * an unreachable, 429 or 5xx Grafana with exponential backoff. The AgentConfig and its token
 * Secret are resolved in the worker, at send time; the token never reaches a log.
 */
import { LRUCache } from "lru-cache";
import { GRAFANA_EVENTS } from "../../crds/agentconfig-grafana.ts";
import type { GrafanaConfig } from "../../crds/agentconfig-grafana.ts";
import type { AgentConfig } from "../../crds/index.ts";
import type { Notification } from "../channel.ts";
import type { Logger } from "../log.ts";
import type { SecretReader } from "../routing.ts";
import { postAnnotation, retryable } from "./api.ts";
import type { AnnotationRequest } from "./api.ts";
import { incidentAnnotation, stepAnnotation } from "./events.ts";
import type { AnnotationItem, StepEntry } from "./events.ts";

/** Events posted when the AgentConfig's grafana.events is absent. */
const DEFAULT_EVENTS: readonly string[] = GRAFANA_EVENTS.filter((e) => e !== "Failed");

type ConfigSource = () => Promise<AgentConfig | undefined>;

interface Queued {
  config: ConfigSource;
  item: AnnotationItem;
}

/** Tunables; the defaults suit production, tests shorten the delays. */
export interface AnnotatorOptions {
  secrets: SecretReader;
  logger: Logger;
  maxQueue?: number;
  attempts?: number;
  baseDelayMs?: number;
}

/** What the annotator did so far (tests, logs). */
export interface AnnotatorStats {
  posted: number;
  failed: number;
  dropped: number;
  attempts: number;
}

const MAX_DELAY_MS = 30_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The Grafana annotation poster of one operator process. */
export class GrafanaAnnotator {
  readonly stats: AnnotatorStats = { posted: 0, failed: 0, dropped: 0, attempts: 0 };
  readonly #opts: Required<AnnotatorOptions>;
  readonly #queue: Queued[] = [];
  readonly #seen = new LRUCache<string, true>({ max: 10_000 });
  #worker: Promise<void> | undefined;

  constructor(opts: AnnotatorOptions) {
    // 8 attempts, 1 s doubling up to 30 s: about 90 s, a Grafana restart.
    this.#opts = { maxQueue: 1000, attempts: 8, baseDelayMs: 1000, ...opts };
  }

  /** Annotates a task notification (opened, diagnosed, resolved, failed); returns at once. */
  incident(n: Notification, config: AgentConfig | undefined): void {
    if (!config?.spec?.grafana) return;
    const item = incidentAnnotation(n, Date.now());
    if (item) this.#enqueue(() => Promise.resolve(config), item);
  }

  /** Annotates a plan step that ended after executing; config is resolved later, in the worker. */
  step(entry: StepEntry, config: ConfigSource): void {
    const item = stepAnnotation(entry);
    if (item) this.#enqueue(config, item);
  }

  /** Resolves when the queue is empty (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#worker) await this.#worker;
  }

  #enqueue(config: ConfigSource, item: AnnotationItem): void {
    if (this.#seen.has(item.key)) return;
    if (this.#queue.length >= this.#opts.maxQueue) {
      this.stats.dropped++;
      this.#opts.logger.warn(
        { event: item.event, queued: this.#queue.length },
        "Dropped a Grafana annotation: queue full",
      );
      return;
    }
    this.#seen.set(item.key, true);
    this.#queue.push({ config, item });
    this.#worker ??= this.#drain().finally(() => (this.#worker = undefined));
  }

  async #drain(): Promise<void> {
    for (let next = this.#queue.shift(); next; next = this.#queue.shift()) {
      await this.#post(next).catch((err: unknown) => {
        this.stats.failed++;
        this.#opts.logger.warn(
          { event: next!.item.event, error: (err as Error).message },
          "Failed to post a Grafana annotation",
        );
      });
    }
  }

  async #post({ config, item }: Queued): Promise<void> {
    const agentConfig = await config();
    const grafana = agentConfig?.spec?.grafana;
    if (!grafana || !(grafana.events ?? DEFAULT_EVENTS).includes(item.event)) return;
    const namespace = agentConfig.metadata?.namespace ?? "default";
    const token = await this.#opts.secrets(namespace, grafana.tokenSecretRef);
    if (!token)
      throw new Error(
        `Secret ${namespace}/${grafana.tokenSecretRef.name} has no key ${grafana.tokenSecretRef.key}`,
      );
    const body = requestOf(grafana, item);
    for (let attempt = 1; ; attempt++) {
      this.stats.attempts++;
      try {
        const id = await postAnnotation(grafana.url, token, body);
        this.stats.posted++;
        this.#opts.logger.info({ event: item.event, id }, "Posted a Grafana annotation");
        return;
      } catch (err) {
        if (attempt >= this.#opts.attempts || !retryable(err)) throw err;
        await sleep(Math.min(this.#opts.baseDelayMs * 2 ** (attempt - 1), MAX_DELAY_MS));
      }
    }
  }
}

/** The documented request body of an item. */
function requestOf(grafana: GrafanaConfig, item: AnnotationItem): AnnotationRequest {
  const body: AnnotationRequest = { time: item.time, tags: item.tags, text: item.text };
  if (item.timeEnd !== undefined) body.timeEnd = item.timeEnd;
  if (grafana.dashboardUID) body.dashboardUID = grafana.dashboardUID;
  return body;
}
