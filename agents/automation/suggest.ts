/**
 * Automation suggestions from resolved incidents: when the same alert (or root-cause category)
 * on the same workload was resolved by the same catalog action, verified, at least `min` times
 * within the window, suggest automating it. A PolicyRule (allow auto-remediation of that action
 * for that target) when the action's catalog risk lets policy approve it and its record there is
 * good; a Runbook otherwise. Pure: suggestions are listed, never applied.
 */
import { createHash } from "node:crypto";
import { ACTION_RISKS, isActionName } from "../../crds/actions.ts";
import type { AgentConfigStatus } from "../../crds/agentconfig.ts";
import { badHistory } from "./history-risk.ts";

/** A suggestion as status.suggestions holds it. */
export type AutomationSuggestion = NonNullable<AgentConfigStatus["suggestions"]>[number];

/** One resolved incident and the step that resolved it (store/incident-resolutions.ts). */
export interface Resolution {
  incidentId: string;
  namespace: string | null;
  alertname: string | null;
  category: string | null;
  resolvedAt: Date;
  action: string;
  target: { kind: string; namespace?: string; name: string };
  outcome: "verified" | "undone" | "failed";
}

/** How many verified resolutions make a suggestion, and how many suggestions are kept. */
export const SUGGEST_DEFAULTS = { minOccurrences: 3, max: 20 } as const;

/** The most suggestions status.suggestions holds (its CRD list bound). */
const STATUS_MAX = 20;

const targetKey = (t: Resolution["target"]) => `${t.kind}/${t.namespace ?? ""}/${t.name}`;
const trigger = (r: Resolution) =>
  r.alertname ? `alert ${r.alertname}` : r.category ? `root cause ${r.category}` : undefined;

/** A stable id: the same trigger, action and target always suggest under the same id. */
export function suggestionId(triggerText: string, action: string, target: string): string {
  const hash = createHash("sha256").update(`${triggerText}\n${action}\n${target}`).digest("hex");
  return `sg-${hash.slice(0, 16)}`;
}

/** Whether the policy may ever approve this action on its own: high-risk actions always need a person. */
export function autoAllowed(action: string): boolean {
  return isActionName(action) && ACTION_RISKS[action] !== "high" && action !== "RunbookOnly";
}

interface Group {
  trigger: string;
  action: string;
  target: Resolution["target"];
  rows: Resolution[];
}

function groups(rows: readonly Resolution[]): Group[] {
  const out = new Map<string, Group>();
  for (const r of rows) {
    const t = trigger(r);
    if (!t) continue;
    const key = `${t}\n${r.action}\n${targetKey(r.target)}`;
    const g = out.get(key) ?? { trigger: t, action: r.action, target: r.target, rows: [] };
    g.rows.push(r);
    out.set(key, g);
  }
  return [...out.values()];
}

function evidence(g: Group, verified: Resolution[], bad: number, days: number): string {
  const where = g.target.namespace ? `${g.target.namespace}/${g.target.name}` : g.target.name;
  const tail = bad ? `; ${bad} other time(s) it failed or was undone` : "";
  const ids = verified
    .slice(0, 3)
    .map((r) => r.incidentId.slice(0, 8))
    .join(", ");
  return `${g.trigger} on ${where} was resolved by ${g.action}, verified, ${verified.length} times in ${days} days (incidents ${ids}${verified.length > 3 ? ", …" : ""})${tail}`;
}

/** Suggestions from resolved incidents, most occurrences first (then the latest), at most `max`. */
export function suggestAutomations(
  rows: readonly Resolution[],
  opts: { minOccurrences?: number; days?: number; max?: number } = {},
): AutomationSuggestion[] {
  const min = opts.minOccurrences ?? SUGGEST_DEFAULTS.minOccurrences;
  const days = opts.days ?? 30;
  const out: (AutomationSuggestion & { latest: number })[] = [];
  for (const g of groups(rows)) {
    const verified = g.rows
      .filter((r) => r.outcome === "verified")
      .sort((a, b) => +b.resolvedAt - +a.resolvedAt);
    if (verified.length < min) continue;
    const failed = g.rows.filter((r) => r.outcome === "failed").length;
    const undone = g.rows.filter((r) => r.outcome === "undone").length;
    const policy = autoAllowed(g.action) && !badHistory({ total: g.rows.length, failed, undone });
    const target = targetKey(g.target);
    const latest = verified[0]!.resolvedAt;
    out.push({
      id: suggestionId(g.trigger, g.action, target),
      kind: policy ? "PolicyRule" : "Runbook",
      action: g.action,
      target,
      trigger: g.trigger,
      occurrences: verified.length,
      lastSeen: latest.toISOString().replace(/\.\d{3}Z$/, "Z"),
      evidence: evidence(g, verified, failed + undone, days),
      latest: latest.getTime(),
    });
  }
  return out
    .sort((a, b) => b.occurrences - a.occurrences || b.latest - a.latest || a.id.localeCompare(b.id))
    .slice(0, Math.min(opts.max ?? SUGGEST_DEFAULTS.max, STATUS_MAX))
    .map(({ latest: _latest, ...s }) => s);
}
