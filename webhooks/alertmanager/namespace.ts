/**
 * Which namespace an alert's SreTask goes to. The alert's `namespace` label wins when that
 * namespace is open to the agents: it has an AgentConfig named `default`, or the `default`
 * AgentConfig of AISRE_NAMESPACE lists it (or `*`) in policy.allowedNamespaces. Everything else
 * goes to AISRE_NAMESPACE. Answers are cached briefly; an unreachable API server is an error
 * (the webhook answers 503 and Alertmanager retries) rather than a silent fallback that would
 * put the same alert in two namespaces.
 */
import type { Logger } from "pino";
import type { AgentConfig } from "../../crds/index.ts";
import type { KubeClient } from "../../kube/kube-api.ts";
import { statusCode } from "../../kube/kube-api.ts";
import { pathOf } from "../kube.ts";
import { AGENTCONFIG } from "../../crds/resources.ts";
import { TtlCache } from "../tasks/ttl-cache.ts";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DEFAULT_CONFIG = "default";

/** Chooses alert task namespaces from AgentConfigs. */
export class NamespacePolicy {
  readonly defaultNamespace: string;
  private readonly client: KubeClient;
  private readonly logger: Logger;
  private readonly allowed: TtlCache<boolean>;
  private readonly operatorPolicy: TtlCache<readonly string[]>;

  constructor(client: KubeClient, defaultNamespace: string, ttlSeconds: number, logger: Logger) {
    this.client = client;
    this.defaultNamespace = defaultNamespace;
    this.logger = logger;
    this.allowed = new TtlCache<boolean>(ttlSeconds * 1000);
    this.operatorPolicy = new TtlCache<readonly string[]>(ttlSeconds * 1000, 1);
  }

  /** The namespace for an alert with these labels. */
  async choose(labels: Record<string, string>): Promise<string> {
    const ns = labels.namespace;
    if (!ns || ns === this.defaultNamespace || ns.length > 63 || !DNS_LABEL.test(ns))
      return this.defaultNamespace;
    return (await this.allowed.get(ns, () => this.isAllowed(ns))) ? ns : this.defaultNamespace;
  }

  private async isAllowed(ns: string): Promise<boolean> {
    if (await this.readConfig(ns)) return true;
    const listed = await this.operatorPolicy.get("", async () => {
      const config = await this.readConfig(this.defaultNamespace);
      return config?.spec.policy?.allowedNamespaces ?? [];
    });
    return listed.includes("*") || listed.includes(ns);
  }

  /** The `default` AgentConfig of ns; undefined when absent or not readable by the sidecar. */
  private async readConfig(ns: string): Promise<AgentConfig | undefined> {
    try {
      return await this.client.request<AgentConfig>("GET", pathOf(AGENTCONFIG, ns, DEFAULT_CONFIG));
    } catch (err) {
      const code = statusCode(err);
      if (code === 404) return undefined;
      if (code === 403) {
        this.logger.warn(
          { namespace: ns },
          "Could not read AgentConfig (forbidden); treated the namespace as closed",
        );
        return undefined;
      }
      throw err;
    }
  }
}
