import { CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { sleep, systemClock, type Clock } from "./clock.ts";
import { FIELD_MANAGER, isConflict, type ResourceType } from "../kube/kube-api.ts";
import { createMergePatch, jsonEqual } from "./merge-patch.ts";

/** An object with a status subresource. */
export interface WithStatus<S> {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  status?: S;
}

/** The calls a StatusWriter makes; injectable for tests. */
export interface StatusClient {
  get<T>(rt: ResourceType, namespace: string, name: string): Promise<T>;
  /** JSON merge patch against the /status subresource. */
  patchStatus<T>(rt: ResourceType, namespace: string, name: string, patch: unknown): Promise<T>;
  /** PUT of the whole object to the /status subresource (only status is taken). */
  replaceStatus<T>(rt: ResourceType, namespace: string, name: string, obj: T): Promise<T>;
}

/**
 * The real StatusClient for custom resources. client-node 2.x picks the first content
 * type a PATCH endpoint lists (application/json-patch+json) unless a call-time
 * middleware overrides the header, hence setHeaderOptions for the merge patch.
 */
export function customObjectsStatusClient(kc: KubeConfig): StatusClient {
  const api = kc.makeApiClient(CustomObjectsApi);
  const mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
  const at = (rt: ResourceType, namespace: string, name: string) => ({
    group: rt.group,
    version: rt.version,
    plural: rt.plural,
    name,
    namespace,
  });
  return {
    get: (rt, ns, name) =>
      rt.namespaced
        ? api.getNamespacedCustomObject(at(rt, ns, name))
        : api.getClusterCustomObject(at(rt, ns, name)),
    patchStatus: (rt, ns, name, body) => {
      const req = { ...at(rt, ns, name), body, fieldManager: FIELD_MANAGER };
      return rt.namespaced
        ? api.patchNamespacedCustomObjectStatus(req, mergePatch)
        : api.patchClusterCustomObjectStatus(req, mergePatch);
    },
    replaceStatus: (rt, ns, name, body) => {
      const req = { ...at(rt, ns, name), body, fieldManager: FIELD_MANAGER };
      return rt.namespaced
        ? api.replaceNamespacedCustomObjectStatus(req)
        : api.replaceClusterCustomObjectStatus(req);
    },
  };
}

/** The status type of an object type. */
export type StatusOf<T> = T extends { status?: infer S } ? NonNullable<S> : never;

/** Changes a copy of the status; may mutate it in place or return a new one. */
export type StatusMutation<S, T> = (status: S, obj: T) => S | void;

/** Options of a StatusWriter. */
export interface StatusWriterOptions {
  client: StatusClient;
  /** "patch": JSON merge patch guarded by resourceVersion (default); "update": PUT. */
  mode?: "patch" | "update";
  /** Attempts in all when writes conflict (409). Default 5, like client-go's retry.DefaultRetry. */
  maxAttempts?: number;
  retryDelayMs?: number;
  clock?: Clock;
  logger?: Logger;
}

/** The object after a status write, and whether a write happened. */
export interface StatusWriteResult<T> {
  obj: T;
  written: boolean;
}

/**
 * Writes status through the /status subresource only. It skips the write when the
 * mutated status deep-equals the current one (no resourceVersion churn, no watch event
 * storm), and on a 409 conflict re-reads the object and re-applies the mutation.
 */
export class StatusWriter {
  private readonly client: StatusClient;
  private readonly mode: "patch" | "update";
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private readonly clock: Clock;
  private readonly log: Logger | undefined;

  constructor(opts: StatusWriterOptions) {
    this.client = opts.client;
    this.mode = opts.mode ?? "patch";
    this.maxAttempts = Math.max(1, opts.maxAttempts ?? 5);
    this.retryDelayMs = opts.retryDelayMs ?? 10;
    this.clock = opts.clock ?? systemClock;
    this.log = opts.logger;
  }

  /** Applies `mutate` to obj's status and writes it if it changed. */
  async update<T extends WithStatus<unknown>>(
    rt: ResourceType,
    obj: T,
    mutate: StatusMutation<StatusOf<T>, T>,
  ): Promise<StatusWriteResult<T>> {
    const namespace = obj.metadata?.namespace ?? "";
    const name = obj.metadata?.name ?? "";
    let current = obj;
    for (let attempt = 1; ; attempt++) {
      const before = (current.status ?? {}) as StatusOf<T>;
      const draft = structuredClone(before);
      const desired = mutate(draft, current) ?? draft;
      if (jsonEqual(desired, before)) return { obj: current, written: false };
      try {
        return { obj: await this.write(rt, namespace, name, current, desired), written: true };
      } catch (err) {
        if (!isConflict(err) || attempt >= this.maxAttempts) throw err;
        this.log?.debug({ namespace, name, attempt }, "Status write conflicted; re-reading the object");
        await sleep(this.clock, this.retryDelayMs);
        current = await this.client.get<T>(rt, namespace, name);
      }
    }
  }

  private write<T extends WithStatus<unknown>>(
    rt: ResourceType,
    ns: string,
    name: string,
    current: T,
    desired: unknown,
  ) {
    if (this.mode === "update")
      return this.client.replaceStatus<T>(rt, ns, name, { ...current, status: desired });
    // resourceVersion in a merge patch is a precondition: a stale base fails with 409 instead of clobbering.
    const patch = {
      metadata: { resourceVersion: current.metadata?.resourceVersion },
      status: createMergePatch(current.status ?? {}, desired) ?? {},
    };
    return this.client.patchStatus<T>(rt, ns, name, patch);
  }
}
