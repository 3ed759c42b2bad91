/**
 * Changes from the live operator's journal (changes managedFields no longer show, deletions
 * included), as candidates: related when the object is in the root cause's scope.
 */
import { toMs } from "../k8s.ts";
import { ref } from "../refs.ts";
import type { Candidate, ChangeClass } from "./candidate.ts";
import type { ChangeRecord } from "./types.ts";

const CLASS_BY_KIND: Record<string, ChangeClass> = {
  Deployment: "revision",
  StatefulSet: "revision",
  DaemonSet: "revision",
  ReplicaSet: "revision",
  ConfigMap: "config",
  Secret: "config",
  NetworkPolicy: "netpol",
  Role: "rbac",
  RoleBinding: "rbac",
  ClusterRole: "rbac",
  ClusterRoleBinding: "rbac",
  Node: "node",
};

const PHRASES: [RegExp, string][] = [
  [/\.image$/, "image changed"],
  [/\.env(From)?$/, "env changed"],
  [/\.(args|command)$/, "args changed"],
  [/\.resources/, "resources changed"],
  [/^(data|stringData|binaryData)\b/, "data changed"],
  [/^spec\.taints/, "taints changed"],
  [/^spec\.replicas$/, "replicas changed"],
  [/^(rules|subjects|roleRef)$/, "$1 changed"],
];

/** "image changed", "data changed", "deleted", "rollout restart", as the journal's fields say. */
function describeFields(fields: string[]): string {
  if (fields.includes("deleted")) return "deleted";
  if (fields.includes("created")) return "created";
  if (fields.some((x) => x.includes("restartedAt"))) return "rollout restart";
  const f = fields.map((x) => x.replace(/\[[^\]]*\]/g, ""));
  const said = new Set<string>();
  for (const x of f)
    for (const [re, phrase] of PHRASES) {
      const m = re.exec(x);
      if (m) said.add(phrase.replace("$1", m[1] ?? ""));
    }
  if (said.size) return [...said].slice(0, 3).join(", ");
  const top = [...new Set(f.map((x) => x.split(".").slice(0, 2).join(".")))];
  return top.length ? `${top.slice(0, 3).join(", ")} changed` : "changed";
}

function classOf(r: ChangeRecord): ChangeClass {
  if (r.fields.some((x) => x === "spec.replicas")) return "scale";
  if (r.fields.some((x) => x.includes("restartedAt"))) return "restart";
  return CLASS_BY_KIND[r.kind] ?? "spec";
}

/** Journal records as candidates (records without a readable time are dropped). */
export function journalChanges(records: readonly ChangeRecord[]): Candidate[] {
  const out: Candidate[] = [];
  for (const r of records) {
    const at = toMs(r.at);
    if (at === undefined || !r.kind || !r.name) continue;
    out.push({
      ref: ref(r.kind, r.namespace, r.name),
      at,
      what: describeFields(r.fields ?? []),
      cls: classOf(r),
    });
  }
  return out;
}
