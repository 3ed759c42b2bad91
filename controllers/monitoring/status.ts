/**
 * What the monitoring agent writes on its AgentConfig: status.monitoring (last evaluation,
 * counts, gaps with the time each began) and two conditions, ChecksValid (False names each
 * faulty check with the parser's message) and ChecksEvaluated (False while a query fails).
 */
import type { AgentConfig, AgentConfigStatus } from "../../crds/index.ts";
import { ConditionType, LIMITS, Reason } from "../../crds/index.ts";
import type { CheckFault, CheckGap } from "../../agents/monitoring/checks/index.ts";
import { faultText } from "../../agents/monitoring/checks/index.ts";
import { redactText } from "../../redact/index.ts";
import { formatTime, setCondition } from "../../runtime/index.ts";

/** One cycle's outcome, as status shows it. */
export interface EvaluationSummary {
  at: number;
  checks: number;
  pending: number;
  firing: number;
  gaps: CheckGap[];
  faults: CheckFault[];
}

const cut = (text: string, max = LIMITS.message): string =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

/** Records a cycle on the status: gaps keep the time they began while they last. */
export function recordEvaluation(status: AgentConfigStatus, config: AgentConfig, s: EvaluationSummary): void {
  const gen = config.metadata.generation;
  const at = formatTime(s.at);
  const since = new Map((status.monitoring?.gaps ?? []).map((g) => [g.check, g.since]));
  // The other loops' sub-fields (anomaly, capacity, rollouts) share status.monitoring: keep them.
  status.monitoring = {
    ...status.monitoring,
    lastEvaluation: at,
    checks: s.checks,
    pending: s.pending,
    firing: s.firing,
    gaps: s.gaps.slice(0, LIMITS.checks).map((g) => ({
      check: g.check,
      message: cut(redactText(g.message)),
      since: since.get(g.check) ?? at,
    })),
  };
  const valid = s.faults.length === 0;
  status.conditions = setCondition(
    status.conditions,
    {
      type: ConditionType.ChecksValid,
      status: valid ? "True" : "False",
      reason: valid ? Reason.ChecksValid : Reason.CheckInvalid,
      message: valid
        ? `${s.checks} checks parse`
        : cut(`${s.faults.map(faultText).join("; ")}; the other checks keep running`),
      observedGeneration: gen,
    },
    s.at,
  );
  const gapText = s.gaps.map((g) => `${g.check}: ${g.message}`).join("; ");
  status.conditions = setCondition(
    status.conditions,
    {
      type: ConditionType.ChecksEvaluated,
      status: s.gaps.length ? "False" : "True",
      reason: s.gaps.length ? Reason.EvidenceGap : Reason.ChecksEvaluated,
      message: s.gaps.length
        ? cut(redactText(`not evaluated: ${gapText}`))
        : `${s.checks} checks evaluated: ${s.firing} firing, ${s.pending} pending`,
      observedGeneration: gen,
    },
    s.at,
  );
}

/** Removes what the monitoring agent wrote, once the AgentConfig has no checks left. */
export function clearEvaluation(status: AgentConfigStatus): void {
  // Only the checks' fields: the other loops' sub-fields (anomaly, capacity, rollouts) stay.
  const {
    lastEvaluation: _at,
    checks: _c,
    pending: _p,
    firing: _f,
    gaps: _g,
    ...loops
  } = status.monitoring ?? {};
  if (Object.keys(loops).length) status.monitoring = loops;
  else delete status.monitoring;
  status.conditions = status.conditions?.filter(
    (c) => c.type !== ConditionType.ChecksValid && c.type !== ConditionType.ChecksEvaluated,
  );
}
