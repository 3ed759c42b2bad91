/**
 * What the diagnosis caches keep of each live kind: only what the analyzers read (audited
 * against agents/diagnosis/** and proven by the corpus equivalence test in
 * store-view.test.ts). Every object also gets its kind and apiVersion, so the view never
 * copies an object to add them.
 */
import type { KubernetesObject } from "@kubernetes/client-node";
import type { ResourceType } from "../../../kube/kube-api.ts";
import { leanData, leanSetting } from "../dependencies/settings.ts";

type Json = Record<string, unknown>;

/** Reshapes one object for the cache; never mutates its argument. */
export type LeanTransform = (obj: KubernetesObject) => KubernetesObject;

function pick(obj: KubernetesObject, fields: readonly string[]): KubernetesObject {
  const out: Json = { apiVersion: obj.apiVersion, kind: obj.kind, metadata: obj.metadata };
  for (const f of fields) if ((obj as Json)[f] !== undefined) out[f] = (obj as Json)[f];
  return out as KubernetesObject;
}

// The fields normaliseEvent reads, for both Event API groups.
const EVENT_FIELDS = [
  "involvedObject",
  "regarding",
  "reason",
  "message",
  "note",
  "type",
  "count",
  "deprecatedCount",
  "firstTimestamp",
  "lastTimestamp",
  "deprecatedFirstTimestamp",
  "deprecatedLastTimestamp",
  "eventTime",
  "series",
  "source",
  "deprecatedSource",
  "reportingComponent",
  "reportingController",
];

// Node status parts no analyzer reads; images alone is often most of a Node's size.
const NODE_STATUS_DROPPED = [
  "images",
  "volumesInUse",
  "volumesAttached",
  "nodeInfo",
  "daemonEndpoints",
  "config",
];

/**
 * A container whose literal env values are replaced by the endpoints they name (dependency
 * discovery reads them; credentials, paths and queries are gone), or dropped when they name none.
 */
function leanContainer(c: Json): Json {
  const env = c.env as Json[] | undefined;
  if (!env) return c;
  return {
    ...c,
    env: env.map(({ value, ...rest }) => {
      const lean = typeof value === "string" ? leanSetting(String(rest.name ?? ""), value) : undefined;
      return lean === undefined ? rest : { ...rest, value: lean };
    }),
  };
}

/** A ConfigMap's data reduced to the endpoints each value names (keys that name none are dropped). */
function leanConfigMap(o: KubernetesObject): KubernetesObject {
  const data = (o as Json).data as Record<string, string> | undefined;
  const out = pick(o, []);
  const kept = Object.entries(data ?? {})
    .map(([k, v]) => [k, leanData(k, String(v))] as const)
    .filter(([, v]) => v !== "");
  return kept.length > 0 ? ({ ...out, data: Object.fromEntries(kept) } as KubernetesObject) : out;
}

/** A pod spec whose containers carry no literal env values other than the endpoints they name. */
export function leanPodSpec(spec: Json | undefined): Json | undefined {
  if (!spec) return spec;
  const out: Json = { ...spec };
  for (const f of ["containers", "initContainers", "ephemeralContainers"])
    if (Array.isArray(spec[f])) out[f] = (spec[f] as Json[]).map(leanContainer);
  return out;
}

function leanTemplate(template: Json | undefined): Json | undefined {
  return template && { ...template, spec: leanPodSpec(template.spec as Json | undefined) };
}

function withSpec(obj: KubernetesObject, reshape: (spec: Json) => Json): KubernetesObject {
  const spec = (obj as Json).spec as Json | undefined;
  return spec ? ({ ...obj, spec: reshape(spec) } as KubernetesObject) : obj;
}

const PER_KIND: Record<string, (obj: KubernetesObject) => KubernetesObject> = {
  // Values may be large and may hold credentials: only the endpoints they name are kept.
  ConfigMap: leanConfigMap,
  Secret: (o) => pick(o, ["type"]),
  Event: (o) => {
    const e = pick(o, EVENT_FIELDS);
    const { name, namespace, uid, resourceVersion, creationTimestamp } = e.metadata ?? {};
    return { ...e, metadata: { name, namespace, uid, resourceVersion, creationTimestamp } };
  },
  Node: (o) => {
    const status = (o as Json).status as Json | undefined;
    if (!status) return o;
    const kept = Object.fromEntries(Object.entries(status).filter(([k]) => !NODE_STATUS_DROPPED.includes(k)));
    return { ...o, status: kept } as KubernetesObject;
  },
  Pod: (o) => withSpec(o, (s) => leanPodSpec(s) as Json),
  Deployment: (o) => withSpec(o, (s) => ({ ...s, template: leanTemplate(s.template as Json) })),
  ReplicaSet: (o) => withSpec(o, (s) => ({ ...s, template: leanTemplate(s.template as Json) })),
  StatefulSet: (o) => withSpec(o, (s) => ({ ...s, template: leanTemplate(s.template as Json) })),
  DaemonSet: (o) => withSpec(o, (s) => ({ ...s, template: leanTemplate(s.template as Json) })),
  Job: (o) => withSpec(o, (s) => ({ ...s, template: leanTemplate(s.template as Json) })),
  CronJob: (o) =>
    withSpec(o, (s) => {
      const jt = s.jobTemplate as Json | undefined;
      const jspec = jt?.spec as Json | undefined;
      if (!jspec) return s;
      return {
        ...s,
        jobTemplate: { ...jt, spec: { ...jspec, template: leanTemplate(jspec.template as Json) } },
      };
    }),
};

function apiVersionOf(rt: ResourceType): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}

/**
 * The diagnosis's reshaping of one live kind: identity (kind, apiVersion), then the kind's
 * own trimming. Kinds without an entry (NetworkPolicy, RBAC, Runbook, …) are kept whole.
 * The cache composes it after the runtime's stripMetadata (managedFields, last-applied).
 */
export function leanTransform(rt: ResourceType): LeanTransform {
  const apiVersion = apiVersionOf(rt);
  const own = PER_KIND[rt.kind];
  return (obj) => {
    const typed = { ...obj, kind: rt.kind, apiVersion: obj.apiVersion ?? apiVersion };
    return own ? own(typed) : typed;
  };
}
