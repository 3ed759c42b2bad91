type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Deep equality with JSON semantics: key order and undefined-valued keys do not matter. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (!jsonEqual(a[k], b[k])) return false;
  return true;
}

/**
 * Returns the RFC 7386 JSON merge patch that turns `from` into `to` (removed keys
 * become null, arrays are replaced whole), or undefined when they are equal.
 */
export function createMergePatch(from: unknown, to: unknown): Json | undefined {
  if (jsonEqual(from, to)) return undefined;
  if (!isObject(from) || !isObject(to)) return (to === undefined ? null : structuredClone(to)) as Json;
  const patch: Record<string, Json> = {};
  for (const k of Object.keys(from)) if (from[k] !== undefined && to[k] === undefined) patch[k] = null;
  for (const [k, v] of Object.entries(to)) {
    if (v === undefined) continue;
    const sub = createMergePatch(from[k], v);
    if (sub !== undefined) patch[k] = sub;
  }
  return patch;
}
