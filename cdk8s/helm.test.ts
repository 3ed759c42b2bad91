import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { NAMESPACE } from "./config.ts";
import { helmChart } from "./helm.ts";
import { renderManifests } from "./render.ts";

type Values = Record<string, unknown>;

const lookup = (values: Values, path: string): unknown =>
  path.split(".").reduce<unknown>((v, k) => (v as Values | undefined)?.[k], values);
const truthy = (v: unknown) => (Array.isArray(v) ? v.length > 0 : Boolean(v));

/**
 * What `helm template --namespace aisre-system` does with the chart, for the template forms
 * helm.ts writes: `.Values.x` (with `| quote` or `| default "d"`), `toJson .Values.x`,
 * `if .Values.x }}A{{ else }}B{{ end` (the else optional), a whole object gated by
 * `{{- if .Values.x }}` and a `{{- with .Values.x }}{{ toYaml . | nindent N }}{{- end }}` line.
 * test/helm/ checks the same with the real helm binary.
 */
function render(template: string, values: Values): string {
  const value = (path: string) => lookup(values, path);
  return template
    .replaceAll("{{ .Release.Namespace }}", NAMESPACE)
    .replace(
      /\{\{- if \.Values\.([\w.]+) \}\}\n([\s\S]*?)\{\{- end \}\}\n/g,
      (_m, path: string, doc: string) => (truthy(value(path)) ? doc : ""),
    )
    .replace(
      /\n *\{\{- with \.Values\.([\w.]+) \}\}\{\{ toYaml \. \| nindent (\d+) \}\}\{\{- end \}\}/g,
      (_m, path: string, indent: string) => {
        const v = value(path) as Values;
        const pad = " ".repeat(Number(indent));
        return Object.entries(v)
          .map(([k, x]) => `\n${pad}${k}: ${JSON.stringify(x)}`)
          .join("");
      },
    )
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

const docs = (text: string) =>
  parseAllDocuments(text)
    .map((d) => d.toJSON() as unknown)
    .filter((d) => d !== null);
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("Helm chart", () => {
  const files = new Map(renderManifests().map((f) => [f.path, f.content]));
  const values = parse(files.get("charts/aisre/values.yaml") ?? "") as Values;
  const templates = [...files.keys()].filter(
    (p) => p.startsWith("charts/aisre/templates/") && files.has(`deploy/${p.split("/").pop()}`),
  );

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
      resources: { requests: { cpu: "1" } },
      leaderElection: { enabled: false, leaseName: "other" },
      identities: {
        operator: { annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::1:role/x" } },
        sidecar: { annotations: {} },
        diagnosisReader: { enabled: true },
        executor: { enabled: false },
      },
      sidecar: {
        replicaCount: 4,
        resources: { limits: { memory: "1Gi" } },
        tokenAudience: "ops-api",
        tls: { secretName: "sidecar-cert" },
        networkPolicy: {
          enabled: true,
          ingressFrom: [{ namespaceSelector: { matchLabels: { name: "monitoring" } } }],
          apiServer: [{ ipBlock: { cidr: "10.0.0.1/32" } }],
          metrics: [{ namespaceSelector: { matchLabels: { name: "monitoring" } } }],
        },
        prometheusUrl: "http://prometheus.monitoring:9090",
        impersonation: { users: ["alice@example.com"] },
      },
    };
    const all = templates.flatMap((p) => docs(render(files.get(p) ?? "", set)) as Obj[]);
    const deployment = (name: string) =>
      all.find((o) => o.kind === "Deployment" && o.metadata.name === name)!;
    const operator = deployment("aisre-operator");
    expect(operator.spec.replicas).toBe(3);
    const oc = operator.spec.template.spec.containers[0];
    expect(oc.resources).toEqual({ requests: { cpu: "1" } });
    const oenv = Object.fromEntries(oc.env.map((e: Obj) => [e.name, e.value]));
    expect(oenv).toMatchObject({ AISRE_LEADER_ELECT: "false", AISRE_LEASE_NAME: "other" });
    const account = all.find((o) => o.kind === "ServiceAccount" && o.metadata.name === "aisre-operator")!;
    expect(account.metadata.annotations["eks.amazonaws.com/role-arn"]).toBe("arn:aws:iam::1:role/x");
    expect(all.filter((o) => o.metadata?.name === "aisre-executor")).toEqual([]);
    expect(all.filter((o) => o.metadata?.name === "aisre-diagnosis-reader")).toHaveLength(2);
    const sidecar = deployment("aisre-sidecar");
    expect(sidecar.spec.replicas).toBe(4);
    const c = sidecar.spec.template.spec.containers[0];
    expect(c.resources).toEqual({ limits: { memory: "1Gi" } });
    const env = Object.fromEntries(c.env.map((e: Obj) => [e.name, e.value]));
    expect(env).toMatchObject({
      AISRE_TOKEN_AUDIENCE: "ops-api",
      AISRE_TLS_CERT_FILE: "/etc/aisre/tls/tls.crt",
      AISRE_TLS_KEY_FILE: "/etc/aisre/tls/tls.key",
      AISRE_PROMETHEUS_URL: "http://prometheus.monitoring:9090",
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
    expect(policy.spec.egress[2].to).toEqual([
      { namespaceSelector: { matchLabels: { name: "monitoring" } } },
    ]);
    expect(policy.spec.egress[2].ports.map((p: Obj) => p.port)).toEqual([9090, 8428]);
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

  it("has a strict schema: additionalProperties false on every object with declared keys", () => {
    const schema = JSON.parse(files.get("charts/aisre/values.schema.json") ?? "{}") as Obj;
    const walk = (node: Obj, path: string): string[] => [
      ...(node.properties && node.additionalProperties !== false ? [path || "(root)"] : []),
      ...Object.entries((node.properties ?? {}) as Obj).flatMap(([k, v]) => walk(v as Obj, `${path}.${k}`)),
      ...(node.items ? walk(node.items as Obj, `${path}[]`) : []),
    ];
    expect(walk(schema, "")).toEqual([]);
    // Every default value is declared by the schema (a key values.yaml has and the schema lacks fails).
    const undeclared = (v: unknown, node: Obj, path: string): string[] =>
      v && typeof v === "object" && !Array.isArray(v) && node.properties
        ? Object.entries(v as Obj).flatMap(([k, x]) =>
            node.properties[k] ? undeclared(x, node.properties[k], `${path}.${k}`) : [`${path}.${k}`],
          )
        : [];
    expect(undeclared(values, schema, "")).toEqual([]);
    expect(Object.keys(values)).toEqual(
      expect.arrayContaining(["serviceMonitor", "prometheusRule", "dashboards"]),
    );
  });

  it("ships every deploy/dashboards/*.json file in the chart, whatever their number", () => {
    const crds = [...files.entries()]
      .filter(([p]) => p.startsWith("crds/"))
      .map(([path, content]) => ({ path, content }));
    for (const n of [0, 1, 3]) {
      const boards = Array.from({ length: n }, (_, i) => ({
        path: `deploy/dashboards/b${i}.json`,
        content: `{"uid":"b${i}"}`,
      }));
      const chart = helmChart(crds, [], boards);
      const shipped = chart.filter((f) => f.path.startsWith("charts/aisre/dashboards/"));
      expect(shipped.map((f) => f.path)).toEqual(
        boards.map((b) => `charts/aisre/dashboards/${b.path.split("/").pop()}`),
      );
      expect(shipped.map((f) => f.content)).toEqual(boards.map((b) => b.content));
    }
    expect(files.get("charts/aisre/templates/dashboards.yaml")).toContain('.Files.Glob "dashboards/*.json"');
  });
});
