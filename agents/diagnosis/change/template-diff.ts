/**
 * What differs between two pod templates, as a short phrase for `rootCause.change.what`:
 * images (tags shown), env and args by name only (values may be secrets), resources with
 * their values, a `kubectl rollout restart`, mounted volumes.
 */
import type { Container, EnvVar, PodTemplate } from "../k8s.ts";

/** The annotation `kubectl rollout restart` sets on the pod template. */
export const RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

type Spec = Container & { args?: string[] };

/** "registry/team/api:v2.4.0" → "api:v2.4.0"; digests cut to 12 characters. */
export function shortImage(image: string | undefined): string {
  if (!image) return "?";
  const last = image.slice(image.lastIndexOf("/") + 1);
  return last.replace(/@sha256:([0-9a-f]{12})[0-9a-f]*/, "@sha256:$1");
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function envDiff(prev: EnvVar[] = [], next: EnvVar[] = []): string[] {
  const before = new Map(prev.map((e) => [e.name, e]));
  const after = new Map(next.map((e) => [e.name, e]));
  const out: string[] = [];
  for (const [name, e] of after) {
    const old = before.get(name);
    if (!old) out.push(`env ${name} added`);
    else if (!same(old, e)) out.push(`env ${name} changed`);
  }
  for (const name of before.keys()) if (!after.has(name)) out.push(`env ${name} removed`);
  return out;
}

function resourceDiff(prev: Spec, next: Spec): string[] {
  const out: string[] = [];
  for (const part of ["requests", "limits"] as const) {
    const a = prev.resources?.[part] ?? {};
    const b = next.resources?.[part] ?? {};
    for (const res of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (String(a[res] ?? "") === String(b[res] ?? "")) continue;
      out.push(`${part}.${res} ${a[res] ?? "unset"} → ${b[res] ?? "unset"}`);
    }
  }
  return out;
}

function containerDiff(prev: Spec, next: Spec, many: boolean): string[] {
  const out: string[] = [];
  const label = many ? ` (${next.name})` : "";
  if (prev.image !== next.image) out.push(`image ${shortImage(prev.image)} → ${shortImage(next.image)}`);
  out.push(...envDiff(prev.env, next.env).map((d) => `${d}${label}`));
  if (!same(prev.envFrom, next.envFrom)) out.push(`envFrom changed${label}`);
  if (!same(prev.command, next.command)) out.push(`command changed${label}`);
  if (!same(prev.args, next.args)) out.push(`args changed${label}`);
  out.push(...resourceDiff(prev, next).map((d) => `${d}${label}`));
  return out;
}

function containersDiff(a: Spec[], b: Spec[]): string[] {
  const out: string[] = [];
  for (const c of b) {
    const old = a.find((x) => x.name === c.name);
    out.push(...(old ? containerDiff(old, c, b.length > 1) : [`container ${c.name} added`]));
  }
  for (const c of a) if (!b.some((x) => x.name === c.name)) out.push(`container ${c.name} removed`);
  return out;
}

function podSpecDiff(prev: PodTemplate["spec"], next: PodTemplate["spec"]): string[] {
  const out: string[] = [];
  if (!same(prev?.initContainers, next?.initContainers)) out.push("init containers changed");
  if (!same(prev?.volumes, next?.volumes)) out.push("volumes changed");
  const [sa, sb] = [prev?.serviceAccountName ?? "default", next?.serviceAccountName ?? "default"];
  if (sa !== sb) out.push(`serviceAccount ${sa} → ${sb}`);
  return out;
}

/** The differences from `prev` to `next`, most telling first; empty when the templates match. */
export function templateDiff(prev: PodTemplate = {}, next: PodTemplate = {}): string[] {
  const out = [
    ...containersDiff((prev.spec?.containers ?? []) as Spec[], (next.spec?.containers ?? []) as Spec[]),
    ...podSpecDiff(prev.spec, next.spec),
  ];
  if (restartedAt(next) && restartedAt(next) !== restartedAt(prev)) out.push("rollout restart");
  if (out.length === 0 && !same(prev.spec, next.spec)) out.push("pod template changed");
  return out;
}

const restartedAt = (t: PodTemplate): string | undefined => t.metadata?.annotations?.[RESTARTED_AT];

/** The diff as one phrase: the first three differences, and how many more. */
export function describeDiff(diff: string[], revision?: number): string {
  if (diff.length === 0) return revision ? `new revision ${revision}` : "new revision";
  const head = diff.slice(0, 3).join(", ");
  return diff.length > 3 ? `${head} and ${diff.length - 3} more` : head;
}
