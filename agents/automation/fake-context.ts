/**
 * An ActionContext for unit tests: each API client is only the methods a test provides, so
 * a call the test did not expect fails loudly instead of reaching a cluster.
 */
import type { AppsV1Api, AutoscalingV2Api, BatchV1Api, CoreV1Api } from "@kubernetes/client-node";
import { pino } from "pino";
import type { ActionContext } from "./action.ts";

type Partialish<T> = { [K in keyof T]?: unknown };

/** A context whose clients are the given method tables. */
export function fakeContext(parts: {
  apps?: Partialish<AppsV1Api>;
  core?: Partialish<CoreV1Api>;
  batch?: Partialish<BatchV1Api>;
  autoscaling?: Partialish<AutoscalingV2Api>;
  ec2?: ActionContext["ec2"];
  now?: number;
}): ActionContext {
  return {
    apps: (parts.apps ?? {}) as AppsV1Api,
    core: (parts.core ?? {}) as CoreV1Api,
    batch: (parts.batch ?? {}) as BatchV1Api,
    autoscaling: (parts.autoscaling ?? {}) as AutoscalingV2Api,
    ec2: parts.ec2 ?? (() => Promise.reject(new Error("EC2 not configured in this test"))),
    clock: { now: () => parts.now ?? Date.UTC(2025, 0, 1) },
    log: pino({ level: "silent" }),
  };
}
