/**
 * Builds the ActionContext from a kubeconfig: typed API clients of the automation identity,
 * the EC2 access resolver of the governing AgentConfig, a clock and a logger.
 */
import { AppsV1Api, AutoscalingV2Api, BatchV1Api, CoreV1Api } from "@kubernetes/client-node";
import type { KubeConfig } from "@kubernetes/client-node";
import { createLogger } from "../../logging/logger.ts";
import type { Logger } from "../../logging/logger.ts";
import type { AgentConfigSpec } from "../../crds/agentconfig.ts";
import type { ActionClock, ActionContext } from "./action.ts";
import { ec2AccessFromAgentConfig } from "./ec2/access.ts";
import type { Ec2Access } from "./ec2/access.ts";

/** What a context may be given instead of its defaults. */
export interface ActionContextOptions {
  /** The AgentConfig whose tools.aws governs EC2 actions; without it EC2 actions refuse. */
  agentConfig?: { metadata?: { namespace?: string }; spec?: AgentConfigSpec };
  /** Overrides EC2 access entirely (tests). */
  ec2?: () => Promise<Ec2Access>;
  clock?: ActionClock;
  log?: Logger;
}

/** A context talking to the cluster of kc. */
export function createActionContext(kc: KubeConfig, options: ActionContextOptions = {}): ActionContext {
  const core = kc.makeApiClient(CoreV1Api);
  let access: Promise<Ec2Access> | undefined;
  const fromConfig = (): Promise<Ec2Access> => {
    if (!options.agentConfig) return Promise.reject(new Error("EC2 is not configured: no AgentConfig given"));
    // One client per context: the Secret is read once per plan execution, not per call.
    access ??= ec2AccessFromAgentConfig(core, options.agentConfig).catch((err: unknown) => {
      access = undefined; // a missing Secret may be created later: retry on the next call
      throw err;
    });
    return access;
  };
  return {
    apps: kc.makeApiClient(AppsV1Api),
    core,
    batch: kc.makeApiClient(BatchV1Api),
    autoscaling: kc.makeApiClient(AutoscalingV2Api),
    ec2: options.ec2 ?? fromConfig,
    clock: options.clock ?? { now: () => Date.now() },
    log: options.log ?? createLogger("automation"),
  };
}
