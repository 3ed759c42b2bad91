import { Document, isMap, isPair, isScalar } from "yaml";
import type { Pair, YAMLMap } from "yaml";
import { IMAGE, SIDECAR, VERSION } from "./config.ts";
import { LEASE_NAME, OPERATOR_RESOURCES, SIDECAR_RESOURCES } from "./workload.ts";

/** A JSON Schema node of the chart's values; `description` doubles as the values.yaml comment. */
export interface ValueSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  properties?: Record<string, ValueSchema>;
  additionalProperties?: boolean | ValueSchema;
  items?: ValueSchema;
  enum?: unknown[];
  minimum?: number;
  pattern?: string;
}

const str = (description: string, def: string, extra: Partial<ValueSchema> = {}): ValueSchema => ({
  type: "string",
  description,
  default: def,
  ...extra,
});
const bool = (description: string, def: boolean): ValueSchema => ({
  type: "boolean",
  description,
  default: def,
});
const int = (description: string, def: number): ValueSchema => ({
  type: "integer",
  description,
  default: def,
  minimum: 0,
});
/** A map of strings (labels, annotations): free keys, string values. */
const stringMap = (description: string): ValueSchema => ({
  type: "object",
  description,
  default: {},
  additionalProperties: { type: "string" },
});
const group = (description: string, properties: Record<string, ValueSchema>): ValueSchema => ({
  type: "object",
  description,
  properties,
});

/** Kubernetes resource quantities: `requests` and `limits`, each a map of quantities. */
function resources(description: string, def: object): ValueSchema {
  const quantities: ValueSchema = {
    type: "object",
    additionalProperties: { type: ["string", "number"] },
  };
  return {
    type: "object",
    description,
    default: def,
    properties: { requests: quantities, limits: quantities },
  };
}

/** A list of NetworkPolicyPeers (podSelector, namespaceSelector, ipBlock). */
function peers(description: string): ValueSchema {
  const selector: ValueSchema = { type: "object" };
  return {
    type: "array",
    description,
    default: [],
    items: {
      type: "object",
      properties: {
        podSelector: selector,
        namespaceSelector: selector,
        ipBlock: {
          type: "object",
          properties: { cidr: { type: "string" }, except: { type: "array", items: { type: "string" } } },
        },
      },
    },
  };
}

/**
 * Every value of the chart, once: values.yaml (defaults and comments), values.schema.json
 * (types, additionalProperties: false) and the docs' values table are all derived from it.
 * Defaults are the plain deploy/ manifests' values, so default values render deploy/.
 */
export const VALUES = group("", {
  image: group("The aisre image (operator, sidecar and the helm test Pod).", {
    repository: str("Image repository.", IMAGE.slice(0, IMAGE.lastIndexOf(":"))),
    tag: str("Image tag.", VERSION),
    pullPolicy: str("imagePullPolicy.", "IfNotPresent", { enum: ["Always", "IfNotPresent", "Never"] }),
  }),
  replicaCount: int("Operator replicas: one leads the controllers (Lease), the others stand by.", 2),
  resources: resources("The operator container's resources.", OPERATOR_RESOURCES),
  leaderElection: group(
    "The operator's Lease-based leader election (AISRE_LEADER_ELECT, AISRE_LEASE_NAME).",
    {
      enabled: bool("Elect a leader; false only with replicaCount 1.", true),
      leaseName: str("Name of the Lease in the release namespace.", LEASE_NAME, { pattern: "^[a-z0-9.-]+$" }),
    },
  ),
  identities: group("The split identities of cdk8s/rbac.ts.", {
    operator: group("ServiceAccount aisre-operator (operator core, diagnosis reader, executor).", {
      annotations: stringMap(
        "ServiceAccount annotations, e.g. eks.amazonaws.com/role-arn for the executor's AWS calls.",
      ),
    }),
    sidecar: group("ServiceAccount aisre-sidecar (SreTasks, TokenReview, SubjectAccessReview).", {
      annotations: stringMap("ServiceAccount annotations."),
    }),
    diagnosisReader: group("ClusterRole aisre-diagnosis-reader: get/list/watch on what diagnosis reads.", {
      enabled: bool("Bind it to the operator; false leaves diagnosis without live reads.", true),
    }),
    executor: group("ClusterRole and Role aisre-executor: the catalog actions' declared rules.", {
      enabled: bool("Bind it to the operator; false runs diagnose-only (plans cannot execute).", true),
    }),
  }),
  sidecar: group("The webhook/REST sidecar (its own Deployment, Service and NetworkPolicy).", {
    replicaCount: int("Stateless webhook/REST replicas behind the aisre-sidecar Service.", 2),
    resources: resources("The sidecar container's resources.", SIDECAR_RESOURCES),
    tokenAudience: str(
      "Audience REST callers' tokens must be minted for: kubectl create token SA --audience aisre-sidecar.",
      SIDECAR,
    ),
    tls: group("HTTPS for the sidecar.", {
      secretName: str(
        "A kubernetes.io/tls Secret in the release namespace; set, the sidecar serves HTTPS.",
        "",
      ),
    }),
    prometheusUrl: str(
      "Prometheus or VictoriaMetrics the sidecar reads for capacity (REST, console) and MCP query_prometheus; empty: none.",
      "",
    ),
    networkPolicy: group(
      "The sidecar's NetworkPolicy (ingress on its port; egress DNS, 443/6443 and 9090/8428).",
      {
        enabled: bool("Create the NetworkPolicy.", true),
        ingressFrom: peers(
          "NetworkPolicyPeers allowed to reach the sidecar's port; [] = anywhere (Alertmanager, WeCom).",
        ),
        apiServer: peers(
          "NetworkPolicyPeers the sidecar may reach on 443/6443 (API server, WeCom API); [] = anywhere.",
        ),
        metrics: peers(
          "NetworkPolicyPeers the sidecar may reach on 9090/8428 (Prometheus, VictoriaMetrics); [] = anywhere.",
        ),
      },
    ),
    impersonation: group("Plan decisions made as the deciding user.", {
      users: {
        type: "array",
        items: { type: "string" },
        default: [],
        description:
          "Users the sidecar may impersonate (ClusterRole aisre-chat-impersonator, resourceNames); [] = none.",
      },
    }),
  }),
  serviceMonitor: group(
    "A prometheus-operator ServiceMonitor for the operator's and the sidecar's /metrics.",
    {
      enabled: bool("Create it (needs the monitoring.coreos.com CRDs).", false),
      interval: str("Scrape interval.", "30s", { pattern: "^[0-9]+(ms|s|m|h)$" }),
      labels: stringMap("Extra labels, e.g. the release label your Prometheus selects."),
      sidecarTlsConfig: {
        type: "object",
        description:
          "tlsConfig of the sidecar's endpoint when sidecar.tls.secretName is set: the CA (ca.secret or ca.configMap) and serverName (aisre-sidecar.<namespace>.svc).",
        default: {},
        properties: {
          ca: { type: "object", description: "SecretOrConfigMap holding the CA certificate." },
          serverName: { type: "string" },
          insecureSkipVerify: { type: "boolean" },
        },
      },
    },
  ),
  prometheusRule: group("A PrometheusRule with the operator's own alerts (docs/helm.md lists them).", {
    enabled: bool("Create it (needs the monitoring.coreos.com CRDs).", false),
    labels: stringMap("Extra labels, e.g. the label your Prometheus's ruleSelector matches."),
  }),
  dashboards: group("Grafana dashboards (deploy/dashboards/*.json), one ConfigMap each.", {
    enabled: bool('Create the ConfigMaps, labelled grafana_dashboard: "1" for Grafana\'s sidecar.', false),
    labels: stringMap("Extra labels on the ConfigMaps."),
  }),
  test: group("The `helm test` Pod, which calls the operator's /readyz.", {
    enabled: bool("Ship the test hook.", true),
  }),
});

/** The schema with additionalProperties: false on every object that declares its properties. */
export function valuesSchema(): object {
  const strict = (s: ValueSchema): object => {
    const { properties, items, additionalProperties, ...rest } = s;
    return {
      ...rest,
      ...(properties
        ? {
            properties: Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, strict(v)])),
            additionalProperties: false,
          }
        : additionalProperties !== undefined
          ? { additionalProperties }
          : {}),
      ...(items ? { items: strict(items) } : {}),
    };
  };
  const { description: _d, ...root } = strict(VALUES) as { description?: string };
  return { $schema: "https://json-schema.org/draft-07/schema#", title: "aisre chart values", ...root };
}

/** The default value of a schema node (groups: their properties' defaults). */
export function defaults(s: ValueSchema): unknown {
  if (s.default !== undefined) return s.default;
  if (s.properties) return Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, defaults(v)]));
  return s.default;
}

/** values.yaml: the defaults, each key commented with its description. */
export function valuesYaml(header: string): string {
  const doc = new Document(defaults(VALUES));
  const comment = (map: YAMLMap, schema: ValueSchema) => {
    for (const item of map.items as Pair[]) {
      if (!isPair(item) || !isScalar(item.key)) continue;
      const child = schema.properties?.[String(item.key.value)];
      if (!child) continue;
      if (child.description) item.key.commentBefore = ` ${child.description}`;
      if (child.properties && isMap(item.value)) comment(item.value, child);
    }
  };
  if (isMap(doc.contents)) comment(doc.contents, VALUES);
  return `${header}\n${doc.toString({ lineWidth: 0 })}`;
}

/** Rows of the values table: dotted path, type, default, description (groups are not rows). */
export function valueRows(s: ValueSchema = VALUES, prefix = ""): string[][] {
  return Object.entries(s.properties ?? {}).flatMap(([k, v]) =>
    v.properties && v.type === "object" && !v.default
      ? valueRows(v, `${prefix}${k}.`)
      : [[`${prefix}${k}`, [v.type].flat().join("|"), JSON.stringify(v.default), v.description ?? ""]],
  );
}
