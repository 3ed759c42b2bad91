/** Kubernetes resource quantities ("512Mi", "1.5", "250m") as numbers, and back. */

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  Pi: 1024 ** 5,
  Ei: 1024 ** 6,
};

/** The numeric value of a quantity, or undefined when it cannot be parsed. */
export function parseQuantity(q: string | number | undefined): number | undefined {
  if (q === undefined) return undefined;
  if (typeof q === "number") return q;
  const m = /^([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)([a-zA-Z]*)$/.exec(q.trim());
  if (!m) return undefined;
  const mult = SUFFIX[m[2] ?? ""];
  return mult === undefined ? undefined : Number(m[1]) * mult;
}

/** Bytes as a binary quantity rounded up to a whole Mi ("768Mi") or Gi when exact. */
export function formatBytes(bytes: number): string {
  const mi = Math.ceil(bytes / 1024 ** 2);
  if (mi >= 1024 && mi % 1024 === 0) return `${mi / 1024}Gi`;
  return `${mi}Mi`;
}

/** A memory limit proposal after OOM kills: 1.5x the current limit (2x when small), rounded to 64Mi. */
export function proposeMemory(limit: string | undefined): string | undefined {
  const bytes = parseQuantity(limit);
  if (bytes === undefined || bytes <= 0) return undefined;
  const factor = bytes < 256 * 1024 ** 2 ? 2 : 1.5;
  const step = 64 * 1024 ** 2;
  return formatBytes(Math.ceil((bytes * factor) / step) * step);
}
