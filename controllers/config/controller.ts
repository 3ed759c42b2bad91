import type { V1Secret } from "@kubernetes/client-node";
import type { AgentConfig, Runbook } from "../../crds/index.ts";
import type { Manager, Reconciler, ResourceType } from "../../runtime/index.ts";
import { statusCode } from "../../runtime/index.ts";
import { AGENTCONFIG, RUNBOOK } from "../../crds/resources.ts";
import { recordPolicyScope } from "./policy-scope.ts";
import { recordValidity, secretRefs, type SecretCheck } from "./validity.ts";

async function checkSecrets(mgr: Manager, config: AgentConfig): Promise<SecretCheck> {
  for (const ref of secretRefs(config)) {
    try {
      const secret = await mgr.client.getObject<V1Secret>({
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: ref.name, namespace: config.metadata.namespace },
      });
      if (!secret) return { state: "missing", message: `Secret ${ref.name} not found` };
      if (ref.key && !(ref.key in (secret.data ?? {})))
        return { state: "missing", message: `Secret ${ref.name} has no key ${ref.key}` };
    } catch (err) {
      if (statusCode(err) !== 403) throw err;
      return {
        state: "unknown",
        message: `the operator may not read Secret ${ref.name} in ${config.metadata.namespace}`,
      };
    }
  }
  return { state: "found" };
}

function addValidityController<T extends AgentConfig | Runbook>(
  mgr: Manager,
  rt: ResourceType,
  check: (obj: T) => Promise<SecretCheck>,
  namespace?: string,
  more?: (s: NonNullable<T["status"]>, obj: T, now: number) => void,
): void {
  const informer = mgr.informer<T>(rt, namespace ? { namespace } : {});
  const reconcile: Reconciler = async ({ namespace: ns, name }, { logger }) => {
    const obj = informer.get(ns, name);
    if (!obj) return;
    const secrets = await check(obj);
    const { written, obj: after } = await mgr.statusWriter.update(rt, obj, (s) => {
      recordValidity(s, obj, secrets, Date.now());
      more?.(s, obj, Date.now());
    });
    if (written)
      logger.info(
        { kind: rt.kind, object: `${ns}/${name}`, phase: after.status?.phase },
        `Validated ${rt.kind}`,
      );
  };
  mgr.addController<T>({ name: rt.plural, for: informer, reconcile, maxConcurrentReconciles: 1 });
}

/**
 * Registers the AgentConfig and Runbook controllers: phase Ready/Invalid with conditions naming the
 * fault, and for AgentConfigs whether each is the cluster policy (`default` of operatorNamespace).
 */
export function addConfigControllers(
  mgr: Manager,
  namespace?: string,
  operatorNamespace = "aisre-system",
): void {
  addValidityController<AgentConfig>(
    mgr,
    AGENTCONFIG,
    (c) => checkSecrets(mgr, c),
    namespace,
    (s, c, now) => recordPolicyScope(s, c, operatorNamespace, now),
  );
  addValidityController<Runbook>(mgr, RUNBOOK, async () => ({ state: "found" }), namespace);
}
