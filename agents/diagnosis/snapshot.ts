/**
 * Snapshot parsing and validation (docs/diagnosis.md §1): a ClusterSnapshot, a bare
 * `v1 List` (kubectl get -o yaml), or a single object; YAML or JSON. Pure: the
 * caller reads the file. Faults throw SnapshotError with one line naming the fault.
 */
import { createRequire } from "node:module";
import { CORE_SCHEMA, loadAll } from "js-yaml";
import type * as Yaml from "yaml";
import type { K8sObject } from "./k8s.ts";
import { toMs } from "./k8s.ts";
import type { AlertInfo, ResourceRef } from "./types.ts";
import { MemoryView } from "./view.ts";

/** An unreadable or invalid snapshot; the message is one line. */
export class SnapshotError extends Error {}

export interface Snapshot {
  capturedAt: number;
  alert?: AlertInfo;
  target?: ResourceRef;
  objects: K8sObject[];
  logs: Record<string, string>;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** True when one object or array is reachable twice: a YAML alias of a collection. */
function sharesCollections(value: unknown, seen = new Set<object>()): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (seen.has(value)) return true;
  seen.add(value);
  for (const child of Array.isArray(value) ? value : Object.values(value))
    if (sharesCollections(child, seen)) return true;
  return false;
}

/**
 * Parses the text. js-yaml (core schema, as `yaml`'s default; duplicate keys: the last wins)
 * reads a 78-object snapshot about 9 times faster than `yaml` (docs/adr/0007-cli-startup.md);
 * a text it refuses, or one whose aliases share collections, goes through `yaml`, which limits
 * alias expansion (maxAliasCount) and names the line of a fault.
 */
function parseText(text: string): unknown {
  let fast: unknown[] | undefined;
  try {
    fast = loadAll(text, null, { schema: CORE_SCHEMA, json: true });
  } catch {
    fast = undefined;
  }
  if (fast === undefined || sharesCollections(fast)) return parseTextStrict(text);
  return documents(fast);
}

function documents(parsed: unknown[]): unknown {
  const values = parsed.filter((v) => v !== null && v !== undefined);
  if (values.length === 0) throw new SnapshotError("the file is empty");
  return values.length === 1 ? values[0] : values;
}

// `yaml` (CommonJS, about 380 modules) is loaded only when the fast path hands a text over.
const require = createRequire(import.meta.url);

function parseTextStrict(text: string): unknown {
  const { parseAllDocuments } = require("yaml") as typeof Yaml;
  const docs = parseAllDocuments(text, { uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [docs];
  for (const d of list) {
    const err = d.errors[0];
    if (err) {
      const where = err.linePos?.[0] ? ` at line ${err.linePos[0].line}` : "";
      throw new SnapshotError(`invalid YAML/JSON${where}: ${err.message.split("\n")[0]}`);
    }
  }
  return documents(list.map((d) => d.toJS({ maxAliasCount: 1000 }) as unknown));
}

/** Flattens Lists (kubectl output) and checks that every object has a kind. */
function flatten(items: unknown, where: string, out: K8sObject[]): void {
  if (!Array.isArray(items)) throw new SnapshotError(`${where} is not a list`);
  items.forEach((item, i) => {
    const at = `${where}[${i}]`;
    if (!isObject(item)) throw new SnapshotError(`${at} is not an object`);
    if (typeof item.kind !== "string" || item.kind === "") throw new SnapshotError(`${at} has no kind`);
    if (item.metadata !== undefined && !isObject(item.metadata))
      throw new SnapshotError(`${at}.metadata is not an object`);
    if (item.kind === "List" || item.kind.endsWith("List"))
      return flatten(item.items ?? [], `${at}.items`, out);
    out.push(item as K8sObject);
  });
}

function objectsOf(doc: Json): K8sObject[] {
  const out: K8sObject[] = [];
  const objects = doc.objects;
  if (objects === undefined || objects === null) return out;
  if (isObject(objects)) {
    if (objects.kind === "List" || Array.isArray(objects.items))
      flatten(objects.items ?? [], "objects.items", out);
    else throw new SnapshotError("objects is neither a list nor a v1 List");
  } else flatten(objects, "objects", out);
  return out;
}

const TIME_KEY = /(Timestamp|Time|At)$/;

/** The newest timestamp anywhere in the objects (capturedAt of a bare List). */
function newestTime(value: unknown, depth = 0): number | undefined {
  if (depth > 8 || value === null || typeof value !== "object") return undefined;
  let best: number | undefined;
  for (const [k, v] of Object.entries(value as Json)) {
    const t = typeof v === "string" && TIME_KEY.test(k) ? toMs(v) : newestTime(v, depth + 1);
    if (t !== undefined && (best === undefined || t > best)) best = t;
  }
  return best;
}

function alertOf(v: unknown): AlertInfo | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw new SnapshotError("alert is not an object");
  if (v.labels !== undefined && !isObject(v.labels)) throw new SnapshotError("alert.labels is not a map");
  const labels = Object.fromEntries(Object.entries((v.labels as Json) ?? {}).map(([k, x]) => [k, String(x)]));
  return { ...(v as object), labels } as AlertInfo;
}

function targetOf(v: unknown): ResourceRef | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v) || typeof v.kind !== "string" || typeof v.name !== "string")
    throw new SnapshotError("target needs kind and name");
  return { kind: v.kind, namespace: typeof v.namespace === "string" ? v.namespace : "", name: v.name };
}

function logsOf(v: unknown): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (!isObject(v)) throw new SnapshotError('logs is not a map of "namespace/pod/container" to text');
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === "string" ? x : String(x)]));
}

function capturedAtOf(v: unknown, objects: K8sObject[]): number {
  if (v === undefined || v === null) return newestTime(objects) ?? Date.now();
  const ms = v instanceof Date ? v.getTime() : toMs(String(v));
  if (ms === undefined || Number.isNaN(ms))
    throw new SnapshotError(`capturedAt "${String(v)}" is not a timestamp`);
  return ms;
}

/** Parses snapshot text (YAML or JSON) into a validated Snapshot. */
export function parseSnapshot(text: string): Snapshot {
  const doc = parseText(text);
  if (Array.isArray(doc)) {
    const objects: K8sObject[] = [];
    flatten(doc, "documents", objects);
    return { capturedAt: capturedAtOf(undefined, objects), objects, logs: {} };
  }
  if (!isObject(doc)) throw new SnapshotError("the top level is not an object");
  if (
    doc.kind === "ClusterSnapshot" ||
    (doc.kind === undefined && ("objects" in doc || "capturedAt" in doc))
  ) {
    const objects = objectsOf(doc);
    return {
      capturedAt: capturedAtOf(doc.capturedAt, objects),
      alert: alertOf(doc.alert),
      target: targetOf(doc.target),
      objects,
      logs: logsOf(doc.logs),
    };
  }
  if (typeof doc.kind !== "string")
    throw new SnapshotError("the top level has no kind (want ClusterSnapshot or List)");
  const objects: K8sObject[] = [];
  flatten([doc], "document", objects);
  return { capturedAt: capturedAtOf(undefined, objects), objects, logs: {} };
}

/** The in-memory view of a snapshot. */
export function snapshotView(s: Snapshot): MemoryView {
  return new MemoryView(s.objects, { now: s.capturedAt, logs: s.logs });
}
