/**
 * Prometheus durations (`30s`, `5m`, `1h30m`), parsed as Prometheus' model.ParseDuration does:
 * units ms, s, m, h, d, w, y, each at most once and largest first; `0` alone is zero.
 */

const UNITS: ReadonlyArray<[unit: string, ms: number]> = [
  ["y", 365 * 24 * 3_600_000],
  ["w", 7 * 24 * 3_600_000],
  ["d", 24 * 3_600_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1000],
  ["ms", 1],
];

/** A parsed duration in milliseconds, or why the text is not a duration. */
export type DurationResult = { ok: true; ms: number } | { ok: false; message: string };

/** Parses a Prometheus duration; the error says what is wrong in the user's words. */
export function parseDuration(text: string): DurationResult {
  if (text === "0") return { ok: true, ms: 0 };
  const parts = [...text.matchAll(/([0-9]+)(ms|s|m|h|d|w|y)/g)];
  if (!text || parts.map((p) => p[0]).join("") !== text)
    return { ok: false, message: `"${text}" is not a duration such as 30s, 5m or 1h30m` };
  let ms = 0;
  let last = -1;
  for (const [, digits, unit] of parts) {
    const rank = UNITS.findIndex(([u]) => u === unit);
    if (rank <= last)
      return { ok: false, message: `"${text}": units must appear once each, largest first (e.g. 1h30m)` };
    last = rank;
    ms += Number(digits) * UNITS[rank]![1];
  }
  if (!Number.isSafeInteger(ms)) return { ok: false, message: `"${text}" is too long a duration` };
  return { ok: true, ms };
}

/** A duration in milliseconds as Prometheus prints it (1h30m, 45s, 0s). */
export function formatDuration(ms: number): string {
  if (ms <= 0) return "0s";
  let rest = ms;
  let out = "";
  for (const [unit, size] of UNITS) {
    if (unit === "y" || unit === "w") continue;
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}
