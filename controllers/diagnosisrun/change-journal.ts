/**
 * The change journal (docs/diagnosis.md, what changed): what the informers saw change,
 * remembered after managedFields stop showing it (a later write by another manager moves the
 * time; a deleted RoleBinding has none). Each watched object keeps a fingerprint, short hashes
 * of the parts that matter (a template's images, env, args, resources; ConfigMap data; a
 * policy's spec; RBAC rules and subjects; node taints), never the values themselves. Bounded
 * by count and by age.
 */
import { createHash } from "node:crypto";
import type { KubernetesObject } from "@kubernetes/client-node";
import type { Logger } from "pino";
import type { ChangeRecord } from "../../agents/diagnosis/change/types.ts";

/** The journal's limits: at most `max` records, none older than `minutes`. */
export interface JournalBounds {
  max: number;
  minutes: number;
}

export const JOURNAL_MAX_ENV = "AISRE_CHANGE_JOURNAL_MAX";
export const JOURNAL_MINUTES_ENV = "AISRE_CHANGE_JOURNAL_MINUTES";
export const DEFAULT_JOURNAL_BOUNDS: JournalBounds = { max: 5000, minutes: 120 };

function positive(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

/** The bounds from AISRE_CHANGE_JOURNAL_MAX and AISRE_CHANGE_JOURNAL_MINUTES; a bad value throws naming it. */
export function parseJournalBounds(env: Record<string, string | undefined>): JournalBounds {
  return {
    max: positive(env, JOURNAL_MAX_ENV, DEFAULT_JOURNAL_BOUNDS.max),
    minutes: positive(env, JOURNAL_MINUTES_ENV, DEFAULT_JOURNAL_BOUNDS.minutes),
  };
}

type Json = Record<string, unknown>;
/** Part path → short hash of its value. */
type Fingerprint = Readonly<Record<string, string>>;

const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet"]);
const CLUSTER_KINDS = new Set(["Node", "ClusterRole", "ClusterRoleBinding"]);
/** Kinds whose creation is a change worth naming (a new ReplicaSet is a new revision). */
const CREATIONS = new Set([
  "ReplicaSet",
  "NetworkPolicy",
  "Role",
  "RoleBinding",
  "ClusterRole",
  "ClusterRoleBinding",
  "Node",
]);
/** Kinds whose deletion is a change worth naming (a removed allow rule or binding). */
const DELETIONS = new Set(["NetworkPolicy", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"]);

/** The kinds the journal follows (Secrets are not among them: the diagnosis identity never reads them). */
export const JOURNAL_KINDS: ReadonlySet<string> = new Set([...WORKLOADS, ...CREATIONS, "ConfigMap"]);

const RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
const CONTAINER_PARTS = ["image", "command", "args", "env", "envFrom", "resources"] as const;
const EMPTY: Fingerprint = Object.freeze({});

function hash(value: unknown): string {
  if (value === undefined) return "-";
  return createHash("sha1").update(JSON.stringify(value)).digest("base64url").slice(0, 12);
}

function workloadPrint(obj: Json): Record<string, string> {
  const spec = (obj.spec ?? {}) as Json;
  const { template, replicas, ...rest } = spec as { template?: Json; replicas?: number };
  const out: Record<string, string> = { "spec.replicas": String(replicas ?? "-"), spec: hash(rest) };
  const tspec = (template?.spec ?? {}) as Json;
  const { containers, initContainers, ...podRest } = tspec as {
    containers?: Json[];
    initContainers?: Json[];
  };
  for (const [field, list] of [
    ["containers", containers],
    ["initContainers", initContainers],
  ] as const)
    for (const c of list ?? [])
      for (const part of CONTAINER_PARTS)
        out[`spec.template.spec.${field}[${String(c.name)}].${part}`] = hash(c[part]);
  out["spec.template.spec"] = hash(podRest);
  const annotations = (template?.metadata as { annotations?: Record<string, string> } | undefined)
    ?.annotations;
  out[`spec.template.metadata.annotations[${RESTARTED_AT}]`] = hash(annotations?.[RESTARTED_AT]);
  return out;
}

/** The parts of one object the journal compares, hashed. */
export function fingerprint(kind: string, obj: KubernetesObject): Fingerprint {
  const o = obj as unknown as Json;
  if (WORKLOADS.has(kind)) return workloadPrint(o);
  switch (kind) {
    case "ConfigMap":
      return { data: hash([o.data, o.binaryData]) };
    case "NetworkPolicy":
      return { spec: hash(o.spec) };
    case "Role":
    case "ClusterRole":
      return { rules: hash(o.rules), aggregationRule: hash(o.aggregationRule) };
    case "RoleBinding":
    case "ClusterRoleBinding":
      return { subjects: hash(o.subjects), roleRef: hash(o.roleRef) };
    case "Node": {
      const spec = (o.spec ?? {}) as Json;
      return { "spec.taints": hash(spec.taints), "spec.unschedulable": hash(spec.unschedulable ?? false) };
    }
    default:
      return EMPTY;
  }
}

function changedParts(a: Fingerprint, b: Fingerprint): string[] {
  const out: string[] = [];
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) if (a[k] !== b[k]) out.push(k);
  return out;
}

interface Managed {
  operation?: string;
  subresource?: string;
  time?: string;
}

/** The newest client write (not a status update) managedFields show, as RFC 3339. */
function lastWrite(obj: KubernetesObject): string | undefined {
  const list = (obj.metadata as { managedFields?: Managed[] } | undefined)?.managedFields ?? [];
  let best: string | undefined;
  for (const m of list) {
    if (m.subresource === "status" || (m.operation !== "Update" && m.operation !== "Apply")) continue;
    const t = typeof m.time === "string" ? m.time : undefined;
    if (t && (!best || Date.parse(t) > Date.parse(best))) best = t;
  }
  return best;
}

function keyOf(kind: string, obj: KubernetesObject): string {
  return `${kind}/${obj.metadata?.namespace ?? ""}/${obj.metadata?.name ?? ""}`;
}

/** A bounded journal of object changes, fed by the informers' raw objects and deletions. */
export class ChangeJournal {
  private readonly bounds: JournalBounds;
  private readonly now: () => number;
  private readonly logger: Logger | undefined;
  private readonly prints = new Map<string, Fingerprint>();
  private records: ChangeRecord[] = [];
  // Records before head are trimmed; the array is compacted once they are most of it.
  private head = 0;

  constructor(bounds: JournalBounds = DEFAULT_JOURNAL_BOUNDS, now: () => number = Date.now, logger?: Logger) {
    this.bounds = bounds;
    this.now = now;
    this.logger = logger;
  }

  /** How many records are kept. */
  get size(): number {
    return this.records.length - this.head;
  }

  /**
   * A tap for one kind's cache transform: compares each raw object with the last fingerprint
   * of it. Objects listed before the cache synced are only fingerprinted (they are the state,
   * not a change); a new object after that is a creation.
   */
  tap(kind: string, synced: () => boolean): (obj: KubernetesObject) => void {
    return (obj) => this.observe(kind, obj, synced());
  }

  /** Compares one raw object with what was seen of it before and records what changed. */
  observe(kind: string, obj: KubernetesObject, synced = true): void {
    const k = keyOf(kind, obj);
    const print = fingerprint(kind, obj);
    const before = this.prints.get(k);
    this.prints.set(k, print);
    if (!before) {
      if (synced && CREATIONS.has(kind))
        this.record(kind, obj, ["created"], obj.metadata?.creationTimestamp as unknown as string);
      return;
    }
    const fields = changedParts(before, print);
    if (fields.length > 0) this.record(kind, obj, fields, lastWrite(obj));
  }

  /** Forgets a deleted object; records the deletion of a policy, role or binding. */
  deleted(kind: string, obj: KubernetesObject): void {
    if (!this.prints.delete(keyOf(kind, obj))) return;
    if (DELETIONS.has(kind)) this.record(kind, obj, ["deleted"], undefined);
  }

  /** Appends a record, trimming the oldest beyond the bounds. */
  add(record: ChangeRecord): void {
    this.records.push(record);
    this.trim();
  }

  /** The kept records of one namespace plus the cluster-scoped ones (all when undefined), oldest first. */
  recordsFor(namespace: string | undefined): ChangeRecord[] {
    this.trim();
    const cutoff = this.now() - this.bounds.minutes * 60_000;
    return this.records
      .slice(this.head)
      .filter(
        (r) =>
          (namespace === undefined || r.namespace === "" || r.namespace === namespace) &&
          Date.parse(r.at) >= cutoff,
      );
  }

  private record(kind: string, obj: KubernetesObject, fields: string[], at: string | undefined): void {
    const meta = obj.metadata ?? {};
    const when = at && !Number.isNaN(Date.parse(at)) ? new Date(at).toISOString() : undefined;
    const rec: ChangeRecord = {
      kind,
      namespace: CLUSTER_KINDS.has(kind) ? "" : (meta.namespace ?? ""),
      name: meta.name ?? "",
      at: when ?? new Date(this.now()).toISOString(),
      fields,
    };
    if (meta.resourceVersion) rec.resourceVersion = meta.resourceVersion;
    if (meta.generation !== undefined) rec.generation = meta.generation;
    this.add(rec);
    this.logger?.debug(
      { kind, namespace: rec.namespace, name: rec.name, fields, at: rec.at },
      "Recorded a change",
    );
  }

  // Arrival order is nearly time order, so trimming from the front keeps this O(removed).
  private trim(): void {
    const cutoff = this.now() - this.bounds.minutes * 60_000;
    let drop = Math.max(this.head, this.records.length - this.bounds.max);
    while (drop < this.records.length && Date.parse(this.records[drop]!.at) < cutoff) drop++;
    this.head = drop;
    if (this.head > 1024 && this.head * 2 > this.records.length) {
      this.records = this.records.slice(this.head);
      this.head = 0;
    }
  }
}
