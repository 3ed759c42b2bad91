/**
 * What a pod's configuration says it calls: literal env values, env taken from ConfigMap keys
 * (configMapKeyRef, envFrom) and ConfigMaps mounted as files (volumes, projected volumes).
 * Secrets are never read. Each endpoint says where it was found, for evidence.
 */
import type { Container, K8sObject, Pod } from "../k8s.ts";
import type { ClusterView } from "../view.ts";
import type { Endpoint } from "./endpoint.ts";
import { fileEndpoints, settingsEndpoints } from "./settings.ts";

/** An endpoint and the setting that names it ("env DATABASE_URL", "ConfigMap shop/api-config key app.yaml"). */
export interface ConfiguredEndpoint extends Endpoint {
  source: string;
}

type ConfigMap = K8sObject & { data?: Record<string, string> };

interface EnvVarValue {
  name: string;
  value?: string;
  valueFrom?: { configMapKeyRef?: { name: string; key: string } };
}

function dataOf(view: ClusterView, ns: string, name: string): Record<string, string> {
  return view.get<ConfigMap>("ConfigMap", ns, name)?.data ?? {};
}

function envSettings(
  view: ClusterView,
  ns: string,
  c: Container,
): { name: string; value: string; source: string }[] {
  const out: { name: string; value: string; source: string }[] = [];
  for (const from of c.envFrom ?? []) {
    const cm = from.configMapRef?.name;
    if (!cm) continue;
    const prefix = (from as { prefix?: string }).prefix ?? "";
    for (const [k, v] of Object.entries(dataOf(view, ns, cm)))
      out.push({ name: prefix + k, value: v, source: `ConfigMap ${ns}/${cm} key ${k} (envFrom)` });
  }
  for (const e of (c.env ?? []) as EnvVarValue[]) {
    const ref = e.valueFrom?.configMapKeyRef;
    if (typeof e.value === "string") out.push({ name: e.name, value: e.value, source: `env ${e.name}` });
    else if (ref) {
      const v = dataOf(view, ns, ref.name)[ref.key];
      if (v !== undefined)
        out.push({ name: e.name, value: v, source: `env ${e.name} (ConfigMap ${ns}/${ref.name})` });
    }
  }
  return out;
}

function withSource(eps: Endpoint[], source: string): ConfiguredEndpoint[] {
  return eps.map((e) => ({ ...e, source }));
}

function containerEndpoints(view: ClusterView, ns: string, c: Container): ConfiguredEndpoint[] {
  const settings = envSettings(view, ns, c);
  const pairs: [string, string][] = settings.map((s) => [s.name, s.value]);
  const out: ConfiguredEndpoint[] = [];
  for (const e of settingsEndpoints(pairs)) {
    const named = settings.find((s) => s.value.toLowerCase().includes(e.host));
    out.push({ ...e, source: `container ${c.name}: ${named?.source ?? "env"}` });
  }
  return out;
}

function mountedConfigMaps(pod: Pod): string[] {
  const names: string[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v.configMap?.name) names.push(v.configMap.name);
    for (const s of v.projected?.sources ?? []) if (s.configMap?.name) names.push(s.configMap.name);
  }
  return names;
}

/** Every endpoint the pod's configuration names, env first, then mounted files. */
export function configuredEndpoints(view: ClusterView, pod: Pod): ConfiguredEndpoint[] {
  const ns = pod.metadata?.namespace ?? "";
  const spec = pod.spec ?? {};
  const out: ConfiguredEndpoint[] = [];
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])])
    out.push(...containerEndpoints(view, ns, c));
  for (const cm of mountedConfigMaps(pod))
    for (const [k, v] of Object.entries(dataOf(view, ns, cm)))
      out.push(...withSource(fileEndpoints(v), `ConfigMap ${ns}/${cm} key ${k} (mounted)`));
  return out;
}
