import type { AgentConfig, Runbook } from "../../crds/index.ts";
import { allFaults, faultText } from "../../agents/monitoring/checks/index.ts";
import { ConditionType, ConfigPhase, Reason, specErrors } from "../../crds/index.ts";
import type { Condition } from "../../runtime/index.ts";
import { setCondition } from "../../runtime/index.ts";

/** The status fields a configuration kind (AgentConfig, Runbook) carries. */
export interface ConfigStatus {
  phase?: string;
  observedGeneration?: number;
  conditions?: Condition[];
  message?: string;
}

/** What the referenced Secrets look like: found, missing (with which one), or not readable by the operator. */
export type SecretCheck =
  { state: "found" } | { state: "missing"; message: string } | { state: "unknown"; message: string };

/** Records whether a configuration object is usable: its spec passes the schema and its Secrets exist. */
export function recordValidity(
  status: ConfigStatus,
  obj: AgentConfig | Runbook,
  secrets: SecretCheck,
  now: number,
): void {
  const gen = obj.metadata.generation;
  const checks = obj.kind === "AgentConfig" ? (obj.spec.monitoring?.checks ?? []) : [];
  const errors = [...specErrors(obj.kind, obj.spec), ...allFaults(checks).map(faultText)];
  const invalid = errors.length > 0 || secrets.state === "missing";
  const message =
    errors.length > 0
      ? `invalid spec: ${errors.slice(0, 3).join("; ")}`
      : secrets.state === "found"
        ? "Ready"
        : secrets.message;
  status.phase = invalid ? ConfigPhase.Invalid : ConfigPhase.Ready;
  status.observedGeneration = gen;
  status.message = message;
  if (obj.kind === "AgentConfig") {
    const cond = {
      found: { status: "True" as const, reason: Reason.SecretsResolved },
      missing: { status: "False" as const, reason: Reason.SecretNotFound },
      unknown: { status: "Unknown" as const, reason: Reason.SecretNotFound },
    }[secrets.state];
    status.conditions = setCondition(
      status.conditions,
      {
        type: ConditionType.SecretsResolved,
        ...cond,
        message: secrets.state === "found" ? "All referenced Secrets exist" : secrets.message,
        observedGeneration: gen,
      },
      now,
    );
  }
  status.conditions = setCondition(
    status.conditions,
    {
      type: ConditionType.Ready,
      status: invalid ? "False" : "True",
      reason: invalid ? Reason.Invalid : Reason.Valid,
      message,
      observedGeneration: gen,
    },
    now,
  );
}

/** The Secret references an AgentConfig makes (LLM key when enabled, AWS credentials, WeCom robot). */
export function secretRefs(config: AgentConfig): Array<{ name: string; key?: string }> {
  const spec = config.spec;
  const refs: Array<{ name?: string; key?: string } | undefined> = [
    spec.llm?.enabled ? spec.llm?.apiKeySecretRef : undefined,
    spec.tools?.aws?.credentialsSecretRef,
    spec.notifications?.wecom?.robotWebhookSecretRef,
    spec.notifications?.wecom?.appSecretRef,
  ];
  return refs.flatMap((r) => (r?.name ? [{ name: r.name, key: r.key }] : []));
}
