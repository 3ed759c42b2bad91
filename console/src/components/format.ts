/** Dates, durations and references the way the console prints them. */
import type { Lang } from "../i18n/index.tsx";
import type { Ref } from "../api/types.ts";

/** A timestamp in the user's language; "" when absent or unparsable. */
export function formatTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang === "zh" ? "zh-CN" : "en-GB", { hour12: false });
}

/** Seconds as "1h 5m", "3m 20s", "45s" (zh: "1 小时 5 分"); "—" when unknown. */
export function formatDuration(seconds: number | null | undefined, lang: Lang): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  const s = Math.round(seconds);
  const units = lang === "zh" ? { h: " 小时 ", m: " 分 ", s: " 秒" } : { h: "h ", m: "m ", s: "s" };
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}${units.h}${m}${units.m}`.trim();
  if (m > 0) return `${m}${units.m}${sec}${units.s}`.trim();
  return `${sec}${units.s}`.trim();
}

/** "Kind namespace/name" or "Kind name" for cluster-scoped objects. */
export function formatRef(ref: Ref | string | null | undefined): string {
  if (!ref) return "";
  if (typeof ref === "string") return ref;
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ""}${ref.name}`;
}

/** Any JSON value as short readable text (objects as indented JSON). */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value, null, 2);
}
