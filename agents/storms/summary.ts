/**
 * What a storm's primary says about its group, in English and Chinese: the count, the shared
 * cause and the first few alerts ("23 alerts, one root cause: orders-db").
 */
import { keyLabel } from "./key.ts";
import type { StormGroup } from "./group.ts";

/** How many alerts a notification names before "and N more". */
export const LISTED_ALERTS = 5;

/** The languages of user-facing text. */
export type Language = "en" | "zh";

const STRINGS = {
  en: {
    count: (n: number, cause: string) => `${n} alerts, one root cause: ${cause}`,
    more: (n: number) => `and ${n} more`,
  },
  zh: {
    count: (n: number, cause: string) => `${n} 条告警，同一根因：${cause}`,
    more: (n: number) => `另有 ${n} 条`,
  },
} as const;

/** The one-line count of a group: "23 alerts, one root cause: orders-db". */
export function groupSummary(group: Pick<StormGroup, "key" | "size">, lang: Language = "en"): string {
  return STRINGS[lang].count(group.size, keyLabel(group.key));
}

/** The first alerts of a group for a notification: "KubePodCrashLooping (shop/Deployment/api), …, and 18 more". */
export function alertList(group: StormGroup, lang: Language = "en", max = LISTED_ALERTS): string {
  const all = [group.primary, ...group.members];
  const shown = all.slice(0, max).map((c) => {
    const name = c.alertname ?? c.name;
    return c.workload ? `${name} (${c.workload})` : name;
  });
  const rest = all.length - shown.length;
  return rest > 0 ? `${shown.join(", ")}, ${STRINGS[lang].more(rest)}` : shown.join(", ");
}
