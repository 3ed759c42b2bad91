/**
 * The words of "seen 3 times in 30 days; last resolved by RolloutUndo, verified", one catalog
 * per language (English for status and Events, Chinese for people who read it).
 */
import type { IncidentHistory } from "../../store/index.ts";

interface HistoryCatalog {
  seen(n: number, days: number): string;
  none(days: number): string;
  verified(action: string): string;
  succeeded(action: string): string;
  failed(action: string): string;
  undone(action: string): string;
  resolvedWithoutAction: string;
  stillOpen(status: string): string;
  join: string;
}

const EN: HistoryCatalog = {
  seen: (n, days) => (n === 1 ? `seen once in ${days} days` : `seen ${n} times in ${days} days`),
  none: (days) => `not seen in the last ${days} days`,
  verified: (a) => `last resolved by ${a}, verified`,
  succeeded: (a) => `last resolved by ${a}`,
  failed: (a) => `last tried ${a}, which failed`,
  undone: (a) => `last tried ${a}, which was undone`,
  resolvedWithoutAction: "last resolved without a remediation",
  stillOpen: (status) => `the last one is still ${status}`,
  join: "; ",
};

const ZH: HistoryCatalog = {
  seen: (n, days) => `${days} 天内出现过 ${n} 次`,
  none: (days) => `最近 ${days} 天内未出现过`,
  verified: (a) => `上次由 ${a} 解决，已验证`,
  succeeded: (a) => `上次由 ${a} 解决`,
  failed: (a) => `上次尝试 ${a}，失败`,
  undone: (a) => `上次尝试 ${a}，已撤销`,
  resolvedWithoutAction: "上次未经修复即已解决",
  stillOpen: () => "上一次仍未解决",
  join: "；",
};

const CATALOGS = { en: EN, zh: ZH };

/** The history in words, in English ("en") or Chinese ("zh"). */
export function historySummary(h: IncidentHistory, lang: keyof typeof CATALOGS = "en"): string {
  const t = CATALOGS[lang];
  if (h.seen === 0 || !h.last) return t.none(h.days);
  const { action, outcome, status } = h.last;
  const how =
    action && outcome
      ? t[outcome](action)
      : status === "resolved"
        ? t.resolvedWithoutAction
        : t.stillOpen(status);
  return `${t.seen(h.seen, h.days)}${t.join}${how}`;
}
