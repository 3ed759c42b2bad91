/**
 * Finds `rootCause.change`: the most recent change before the onset of the root cause, within
 * a bounded window, to an object the root cause reaches, of a sort that can explain its
 * category (docs/diagnosis-change.md). Changes after the onset are never causes.
 */
import type { Fault } from "../fault.ts";
import { key, publicRef, refKey } from "../refs.ts";
import type { RootCauseChange } from "../types.ts";
import type { ClusterView } from "../view.ts";
import type { Candidate } from "./candidate.ts";
import { lead, rfc3339 } from "./candidate.ts";
import { journalChanges } from "./journal.ts";
import { configChanges, netpolChanges, nodeChanges, rbacChanges, subjectChanges } from "./objects.ts";
import { onsetOf } from "./onset.ts";
import { classesFor, onsetPhrase } from "./relevance.ts";
import { workloadChanges } from "./revisions.ts";
import type { Scope } from "./scope.ts";
import { scopeOf } from "./scope.ts";
import type { ChangeRecord } from "./types.ts";

/**
 * How long before the onset a change may lie. Two hours covers a slow rollout (the default
 * progress deadline is 10 min), the kubelet's ConfigMap refresh (about a minute), alert rules
 * with `for: 15m` and a person's edit-then-restart; an older change rarely explains a failure
 * that began only now, and naming one would mislead more often than help.
 */
export const WINDOW_MS = 2 * 3600_000;

const RBAC_KINDS = new Set(["Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"]);

/** Whether a journal record concerns the scope (deleted objects included, by name). */
function relatedKeys(scope: Scope, objectCandidates: Candidate[]): Set<string> {
  const keys = new Set<string>([...scope.configs, ...objectCandidates.map((c) => refKey(c.ref))]);
  for (const w of scope.workloads) keys.add(key(w.kind ?? "", w.metadata?.namespace, w.metadata?.name ?? ""));
  for (const n of scope.nodes) keys.add(key("Node", "", n));
  if (scope.subject)
    keys.add(
      key(scope.subject.kind ?? "", scope.subject.metadata?.namespace, scope.subject.metadata?.name ?? ""),
    );
  return keys;
}

function journalRelated(c: Candidate, keys: Set<string>, scope: Scope, rbacRoot: boolean): boolean {
  if (keys.has(refKey(c.ref))) return true;
  if (!rbacRoot || !RBAC_KINDS.has(c.ref.kind)) return false;
  const accountNs = [...scope.serviceAccounts].map((a) => a.split("/")[0]);
  return c.ref.namespace === "" || accountNs.includes(c.ref.namespace);
}

function candidates(view: ClusterView, root: Fault, scope: Scope, journal: ChangeRecord[]): Candidate[] {
  const rbacRoot = root.category === "RBACForbidden";
  const pending = root.category === "Unschedulable" ? scope.pods.filter((p) => !p.spec?.nodeName) : [];
  const fromObjects = [
    ...scope.workloads.flatMap((w) => workloadChanges(view, w)),
    ...configChanges(view, scope),
    ...netpolChanges(view, scope),
    ...rbacChanges(view, scope, rbacRoot),
    ...nodeChanges(view, scope, pending),
    ...subjectChanges(scope),
  ];
  if (journal.length === 0) return fromObjects;
  const keys = relatedKeys(scope, fromObjects);
  return [...fromObjects, ...journalChanges(journal).filter((c) => journalRelated(c, keys, scope, rbacRoot))];
}

/** "07:41 UTC" */
function clock(ms: number): string {
  return `${rfc3339(ms).slice(11, 16)} UTC`;
}

/**
 * A rollout restart that applied an earlier ConfigMap or Secret edit: the edit is the change
 * a person made, the restart only delivered it.
 */
function appliedConfig(winner: Candidate, eligible: Candidate[]): Candidate | undefined {
  if (winner.cls !== "restart") return undefined;
  return eligible.find((c) => c.cls === "config" && c.what !== "created" && c.at <= winner.at);
}

/** The change that explains when `root` began failing, or undefined when none does. */
export function findChange(
  view: ClusterView,
  root: Fault,
  _faults: Fault[],
  journal: ChangeRecord[] = [],
): RootCauseChange | undefined {
  const classes = classesFor(root.category);
  if (classes.size === 0) return undefined;
  const scope = scopeOf(view, root);
  const seen = onsetOf(view, scope.pods, scope.objects);
  const onset = seen ?? view.now;
  // Stable sort: on equal times an object's own record (richer `what`) beats the journal's.
  const eligible = candidates(view, root, scope, journal)
    .filter((c) => classes.has(c.cls) && c.at <= onset && onset - c.at <= WINDOW_MS)
    .sort((a, b) => b.at - a.at);
  const winner = eligible[0];
  if (!winner) return undefined;
  const config = appliedConfig(winner, eligible);
  const chosen = config ?? winner;
  const when = `${lead(onset - chosen.at)} before ${seen === undefined ? "the snapshot" : onsetPhrase(root.category)}`;
  // "data changed 2 min before …" reads on; a list or a revision number needs a comma.
  const sep = /[→,\d]/.test(chosen.what) ? ", " : " ";
  const applied = config ? ` (applied by the rollout restart at ${clock(winner.at)})` : "";
  return { ...publicRef(chosen.ref), at: rfc3339(chosen.at), what: `${chosen.what}${sep}${when}${applied}` };
}
