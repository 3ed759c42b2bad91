/**
 * What an action's history says with every recommendation ("RolloutUndo on shop/checkout: 7 of
 * 7 verified, last 3 days ago") and the effective risk it gives the action: one level higher
 * (low → medium → high) when enough of its recent steps on that target failed or were undone,
 * never lower. Pure: the history comes from the incident store (store/action-history.ts).
 */
import { ACTION_RISKS, isActionName } from "../../crds/actions.ts";
import type { Risk } from "../../crds/actions.ts";

/** An action's finished steps on one target within a window (store/action-history.ts ActionHistory). */
export interface ActionRecord {
  action: string;
  target: { kind: string; namespace?: string; name: string };
  total: number;
  verified: number;
  undone: number;
  failed: number;
  medianVerifySeconds: number | null;
  lastOutcome: "verified" | "undone" | "failed";
  lastAt: Date;
}

/**
 * When a history is bad: at least `minBad` steps failed or were undone, and they are at least
 * `minShare` of the finished steps. Two so one unlucky run never raises it; 30 % so a long good
 * record absorbs an occasional failure.
 */
export const HISTORY_RISK_THRESHOLDS = { minBad: 2, minShare: 0.3 } as const;

const RANK: Record<Risk, number> = { low: 0, medium: 1, high: 2 };
const UP: Record<Risk, Risk> = { low: "medium", medium: "high", high: "high" };

interface Catalog {
  line(action: string, where: string, counts: string, last: string): string;
  verified(n: number, total: number): string;
  undone(n: number): string;
  failed(n: number): string;
  median(seconds: number): string;
  last(outcome: ActionRecord["lastOutcome"], ago: string): string;
  ago(n: number, unit: "minute" | "hour" | "day"): string;
  raised(risk: Risk, bad: number, total: number, action: string, where: string): string;
  sep: string;
}

const EN: Catalog = {
  line: (action, where, counts, last) => `${action} on ${where}: ${counts}, ${last}`,
  verified: (n, total) => `${n} of ${total} verified`,
  undone: (n) => `${n} undone`,
  failed: (n) => `${n} failed`,
  median: (s) => `median ${s} s to verify`,
  last: (o, ago) => (o === "verified" ? `last ${ago}` : `last ${o} ${ago}`),
  ago: (n, unit) => (n < 1 ? "just now" : `${n} ${unit}${n === 1 ? "" : "s"} ago`),
  raised: (risk, bad, total, action, where) =>
    `risk raised to ${risk}: ${bad} of ${total} ${action} on ${where} failed or were undone`,
  sep: ", ",
};

const ZH: Catalog = {
  line: (action, where, counts, last) => `${action} 作用于 ${where}：${counts}，${last}`,
  verified: (n, total) => `${total} 次中 ${n} 次已验证`,
  undone: (n) => `${n} 次已撤销`,
  failed: (n) => `${n} 次失败`,
  median: (s) => `验证耗时中位数 ${s} 秒`,
  last: (o, ago) => `最近一次${o === "verified" ? "" : o === "undone" ? "已撤销，" : "失败，"}${ago}`,
  ago: (n, unit) => (n < 1 ? "刚刚" : `${n} ${{ minute: "分钟", hour: "小时", day: "天" }[unit]}前`),
  raised: (risk, bad, total, action, where) =>
    `风险提升为 ${risk}：${where} 上的 ${action} ${total} 次中 ${bad} 次失败或被撤销`,
  sep: "，",
};

const CATALOGS = { en: EN, zh: ZH };
/** A language of the history words. */
export type HistoryLang = keyof typeof CATALOGS;

/** "shop/checkout" for a namespaced target, the kind and name for a cluster-scoped one. */
export function targetText(t: ActionRecord["target"]): string {
  return t.namespace ? `${t.namespace}/${t.name}` : `${t.kind} ${t.name}`;
}

function ago(t: Catalog, at: Date, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - at.getTime()) / 60_000));
  if (minutes < 60) return t.ago(minutes, "minute");
  if (minutes < 48 * 60) return t.ago(Math.floor(minutes / 60), "hour");
  return t.ago(Math.floor(minutes / 1440), "day");
}

/** The history line shown with a recommendation or plan step, in English or Chinese. */
export function historyLine(h: ActionRecord, now: Date, lang: HistoryLang = "en"): string {
  const t = CATALOGS[lang];
  const counts = [t.verified(h.verified, h.total)];
  if (h.undone) counts.push(t.undone(h.undone));
  if (h.failed) counts.push(t.failed(h.failed));
  if (h.medianVerifySeconds !== null) counts.push(t.median(Math.round(h.medianVerifySeconds)));
  return t.line(
    h.action,
    targetText(h.target),
    counts.join(t.sep),
    t.last(h.lastOutcome, ago(t, h.lastAt, now)),
  );
}

/** Whether the history is bad enough to raise the action's risk (HISTORY_RISK_THRESHOLDS). */
export function badHistory(h: Pick<ActionRecord, "total" | "failed" | "undone"> | undefined): boolean {
  if (!h || h.total === 0) return false;
  const bad = h.failed + h.undone;
  return bad >= HISTORY_RISK_THRESHOLDS.minBad && bad / h.total >= HISTORY_RISK_THRESHOLDS.minShare;
}

/** The effective risk of an action of `base` risk with this history, and why when it was raised. */
export function effectiveRisk(
  base: Risk,
  h: ActionRecord | undefined,
  lang: HistoryLang = "en",
): { risk: Risk; reason?: string } {
  if (!h || !badHistory(h) || base === "high") return { risk: base };
  const risk = UP[base];
  const reason = CATALOGS[lang].raised(risk, h.failed + h.undone, h.total, h.action, targetText(h.target));
  return { risk, reason };
}

/** A plan step as the history sees it. */
export interface HistoryStep {
  action: string;
  target: { kind: string; namespace?: string; name: string };
  risk?: Risk;
}

const sameTarget = (a: HistoryStep["target"], b: ActionRecord["target"]) =>
  a.kind === b.kind && a.name === b.name && (a.namespace ?? "") === (b.namespace ?? "");

/** The record of a step's action on its target, if any. */
export function recordOf(records: readonly ActionRecord[], s: HistoryStep): ActionRecord | undefined {
  return records.find((r) => r.action === s.action && sameTarget(s.target, r.target));
}

/**
 * The steps with their risk raised by their history (each step's base is the higher of its own
 * risk and its action's catalog risk), and why, so the policy decides on the raised risk.
 */
export function raiseStepRisks<S extends HistoryStep>(
  steps: readonly S[],
  records: readonly ActionRecord[],
  now: Date = new Date(),
): { steps: S[]; reasons: string[]; lines: string[] } {
  const reasons: string[] = [];
  const lines: string[] = [];
  const out = steps.map((s) => {
    const catalog: Risk = isActionName(s.action) ? ACTION_RISKS[s.action] : "low";
    const base = s.risk && RANK[s.risk] > RANK[catalog] ? s.risk : catalog;
    const record = recordOf(records, s);
    if (record) lines.push(historyLine(record, now));
    const { risk, reason } = effectiveRisk(base, record);
    if (!reason) return s;
    reasons.push(reason);
    return { ...s, risk };
  });
  return { steps: out, reasons: [...new Set(reasons)], lines: [...new Set(lines)] };
}
