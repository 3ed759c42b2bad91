/** Label selector matching (matchLabels, matchExpressions, and plain Service maps). */
import type { LabelSelector, LabelSelectorRequirement, Labels } from "./k8s.ts";

/** Normalises a Service-style map or a LabelSelector into a LabelSelector. */
export function asSelector(sel: LabelSelector | Labels | undefined): LabelSelector {
  if (!sel) return {};
  if ("matchLabels" in sel || "matchExpressions" in sel) return sel as LabelSelector;
  return { matchLabels: sel as Labels };
}

/** True when the selector has no requirement at all. */
export function isEmptySelector(sel: LabelSelector): boolean {
  return Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;
}

function requirementHolds(req: LabelSelectorRequirement, l: Labels): boolean {
  const has = Object.hasOwn(l, req.key);
  const inValues = has && (req.values ?? []).includes(l[req.key] as string);
  switch (req.operator) {
    case "In":
      return inValues;
    case "NotIn":
      return !inValues;
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
    default:
      return true;
  }
}

/** True when labels satisfy every requirement of the selector. */
export function matches(sel: LabelSelector, labels: Labels | undefined): boolean {
  const l = labels ?? {};
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (l[k] !== v) return false;
  return (sel.matchExpressions ?? []).every((req) => requirementHolds(req, l));
}

/** "app=checkout,tier=web" for evidence. */
export function showSelector(sel: LabelSelector): string {
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const r of sel.matchExpressions ?? [])
    parts.push(`${r.key} ${r.operator} (${(r.values ?? []).join(",")})`);
  return parts.join(",");
}
