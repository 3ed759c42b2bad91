/** Output the kubectl way: aligned tables with upper-case headers, ages, `-o json|yaml|name`. */

/** An age as kubectl prints it (k8s.io/apimachinery duration.HumanDuration): 45s, 3m12s, 5h, 12d. */
export function humanAge(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8)
    return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const years = Math.floor(hours / 24 / 365);
  const days = Math.floor(hours / 24) % 365;
  if (years < 8) return days === 0 ? `${years}y` : `${years}y${days}d`;
  return `${years}y`;
}

/** The age of an object created at this RFC 3339 time, or <unknown>. */
export function ageOf(created: string | undefined, now: number): string {
  const at = created ? Date.parse(created) : Number.NaN;
  return Number.isNaN(at) ? "<unknown>" : humanAge(now - at);
}

// East Asian wide characters take two terminal columns (Unicode East_Asian_Width W and F).
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

/** How many terminal columns the text takes. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += WIDE.test(ch) ? 2 : 1;
  return width;
}

/** The text padded with spaces to this many terminal columns. */
export function padDisplay(text: string, columns: number): string {
  return text + " ".repeat(Math.max(0, columns - displayWidth(text)));
}

/** Rows as kubectl prints a table: columns left-aligned, three spaces apart, empty cells as <none>. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === "" ? "<none>" : c)))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => displayWidth(r[i] ?? ""))));
  return cells
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : padDisplay(c, widths[i]! + 3)))
        .join("")
        .trimEnd(),
    )
    .join("\n");
}

/** A value as `-o json` (2-space indent, as kubectl) or `-o yaml` prints it. */
export async function formatStructured(value: unknown, format: "json" | "yaml"): Promise<string> {
  if (format === "json") return JSON.stringify(value, null, 2);
  const { dump } = await import("js-yaml");
  return dump(value, { noRefs: true, lineWidth: -1 }).replace(/\n$/, "");
}

/** An object without metadata.managedFields, as kubectl shows it unless --show-managed-fields. */
export function withoutManagedFields<T extends { metadata?: object }>(obj: T): T {
  if (!obj.metadata || !("managedFields" in obj.metadata)) return obj;
  const { managedFields: _drop, ...metadata } = obj.metadata as Record<string, unknown>;
  return { ...obj, metadata } as T;
}
