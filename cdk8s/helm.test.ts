import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { NAMESPACE } from "./config.ts";
import { renderManifests } from "./render.ts";

type Values = Record<string, unknown>;

const lookup = (values: Values, path: string): unknown =>
  path.split(".").reduce<unknown>((v, k) => (v as Values | undefined)?.[k], values);
const truthy = (v: unknown) => (Array.isArray(v) ? v.length > 0 : Boolean(v));

/**
 * What `helm template --namespace aisre-system` does with the chart, for the template forms
 * the generator writes: `.Values.x` (with `| quote` or `| default "d"`), `toJson .Values.x`,
 * and `if .Values.x }}A{{ else }}B{{ end` (the else optional).
 */
function render(template: string, values: Values): string {
  const value = (path: string) => lookup(values, path);
  return template
    .replaceAll("{{ .Release.Namespace }}", NAMESPACE)
    .replace(
      /\{\{ if \.Values\.([\w.]+) \}\}((?:(?!\{\{ end \}\}).)*?)(?:\{\{ else \}\}(.*?))?\{\{ end \}\}/g,
      (_m, path: string, then: string, otherwise = "") => (truthy(value(path)) ? then : otherwise),
    )
    .replace(/\{\{ toJson \.Values\.([\w.]+) \}\}/g, (_m, path: string) => JSON.stringify(value(path)))
    .replace(/\{\{ \.Values\.([\w.]+) \| quote \}\}/g, (_m, path: string) =>
      JSON.stringify(String(value(path))),
    )
    .replace(/\{\{ \.Values\.([\w.]+) \| default "([^"]*)" \}\}/g, (_m, path: string, def: string) =>
      String(value(path) || def),
    )
    .replace(/\{\{ \.Values\.([\w.]+) \}\}/g, (_m, path: string) => String(value(path)));
}

const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJSON() as unknown);
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("Helm chart", () => {
  const files = new Map(renderManifests().map((f) => [f.path, f.content]));
  const values = parse(files.get("charts/aisre/values.yaml") ?? "") as Values;
  const templates = [...files.keys()].filter((p) => p.startsWith("charts/aisre/templates/"));

  it("renders with its default values to exactly the plain deploy/ manifests", () => {
    expect(templates.length).toBeGreaterThanOrEqual(2);
    for (const path of templates) {
      const template = files.get(path) ?? "";
      expect(render(template, values)).not.toContain("{{");
      const name = path.split("/").pop()!;
      expect(docs(render(template, values)), name).toEqual(docs(files.get(`deploy/${name}`) ?? ""));
    }
    expect(files.get("charts/aisre/templates/operator.yaml")).toContain("{{ .Release.Namespace }}");
  });

  it("turns the sidecar's TLS, audience, replicas, NetworkPolicy peers and impersonation names into values", () => {
    const set: Values = {
      ...values,
      replicaCount: 3,
      sidecar: {
        replicaCount: 4,
        tokenAudience: "ops-api",
        tls: { secretName: "sidecar-cert" },
        networkPolicy: {
          ingressFrom: [{ namespaceSelector: { matchLabels: { name: "monitoring" } } }],
          apiServer: [{ ipBlock: { cidr: "10.0.0.1/32" } }],
        },
        impersonation: { users: ["alice@example.com"] },
      },
    };
    const all = templates.flatMap((p) => docs(render(files.get(p) ?? "", set)) as Obj[]);
    const deployment = (name: string) =>
      all.find((o) => o.kind === "Deployment" && o.metadata.name === name)!;
    expect(deployment("aisre-operator").spec.replicas).toBe(3);
    const sidecar = deployment("aisre-sidecar");
    expect(sidecar.spec.replicas).toBe(4);
    const c = sidecar.spec.template.spec.containers[0];
    const env = Object.fromEntries(c.env.map((e: Obj) => [e.name, e.value]));
    expect(env).toMatchObject({
      AISRE_TOKEN_AUDIENCE: "ops-api",
      AISRE_TLS_CERT_FILE: "/etc/aisre/tls/tls.crt",
      AISRE_TLS_KEY_FILE: "/etc/aisre/tls/tls.key",
    });
    expect(c.readinessProbe.httpGet.scheme).toBe("HTTPS");
    expect(c.livenessProbe.httpGet.scheme).toBe("HTTPS");
    const tls = sidecar.spec.template.spec.volumes.find((v: Obj) => v.name === "tls");
    expect(tls.secret.secretName).toBe("sidecar-cert");
    const policy = all.find((o) => o.kind === "NetworkPolicy")!;
    expect(policy.spec.ingress[0].from).toEqual(
      set.sidecar && (set.sidecar as Obj).networkPolicy.ingressFrom,
    );
    expect(policy.spec.egress[1].to).toEqual([{ ipBlock: { cidr: "10.0.0.1/32" } }]);
    const impersonator = all.find(
      (o) => o.kind === "ClusterRole" && o.metadata.name === "aisre-chat-impersonator",
    );
    if (impersonator)
      expect(impersonator.rules).toEqual([
        {
          apiGroups: [""],
          resources: ["users"],
          verbs: ["impersonate"],
          resourceNames: ["alice@example.com"],
        },
      ]);
  });

  it("ships every CRD in crds/ so Helm installs them first", () => {
    const crds = [...files.keys()].filter((p) => p.startsWith("crds/"));
    for (const p of crds) expect(files.get(`charts/aisre/${p}`)).toBe(files.get(p));
    expect(crds).toHaveLength(5);
  });
});
