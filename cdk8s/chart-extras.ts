import { stringify } from "yaml";
import { IMAGE, LABELS, NAMESPACE, PORTS } from "./config.ts";
import { SYNC_WAVE, WORKLOAD_WAVE } from "./sync-waves.ts";
import { containerSecurity, podSecurity } from "./workload.ts";

/**
 * Chart-only objects: they need CRDs a plain cluster may lack (monitoring.coreos.com), files
 * only the chart ships (dashboards) or Helm itself (the test hook), so deploy/ has none of them.
 * Each is written with the plain values and templated by helm.ts like the deploy/ manifests.
 */

/** Escapes a Prometheus template (`{{ $labels.x }}`) so Helm leaves it as is. */
const promTemplate = (text: string) => text.replace(/\{\{(.*?)\}\}/g, "{{ `{{`}}$1{{ `}}` }}");

const ns = `namespace="${NAMESPACE}"`;

/** The operator's own alerts, on metrics it exports (runtime/metrics, webhooks/metrics.ts). */
export const ALERTS = [
  {
    alert: "AisreReconcileErrors",
    expr: `sum by (namespace, controller) (rate(controller_runtime_reconcile_errors_total{${ns}}[5m])) > 0.1`,
    for: "15m",
    labels: { severity: "warning" },
    annotations: {
      summary: "aisre controller {{ $labels.controller }} keeps failing reconciles",
      description:
        "More than 0.1 reconcile errors per second for 15 minutes; the operator's logs and the objects' Events say why.",
    },
  },
  {
    alert: "AisreWebhook5xx",
    expr:
      `sum by (namespace) (rate(aisre_sidecar_http_request_duration_seconds_count{${ns},status_code=~"5.."}[5m]))` +
      ` / sum by (namespace) (rate(aisre_sidecar_http_request_duration_seconds_count{${ns}}[5m])) > 0.05`,
    for: "10m",
    labels: { severity: "critical" },
    annotations: {
      summary: "aisre sidecar answers more than 5% of requests with 5xx",
      description:
        "Alertmanager and WeCom deliveries are failing; Alertmanager retries, but alerts may not become SreTasks.",
    },
  },
  {
    alert: "AisreTasksStuck",
    expr:
      `min by (namespace, name) (min_over_time(workqueue_depth{${ns}}[15m])) > 0` +
      ` and on (namespace, name) sum by (namespace, name) (rate(workqueue_work_duration_seconds_count{${ns}}[15m])) == 0`,
    for: "15m",
    labels: { severity: "warning" },
    annotations: {
      summary: "aisre work queue {{ $labels.name }} holds items and finished none for 30 minutes",
      description:
        "Tasks wait but no reconcile completes: a worker hangs (LLM or API call) or no replica leads.",
    },
  },
  {
    alert: "AisreLeaderLost",
    expr: `sum by (namespace, name) (leader_election_master_status{${ns}}) < 1`,
    for: "5m",
    labels: { severity: "critical" },
    annotations: {
      summary: "no aisre operator replica holds the leader Lease {{ $labels.name }}",
      description: "Without a leader no controller runs: SreTasks, diagnoses and plans are not processed.",
    },
  },
].map((a) => ({
  ...a,
  annotations: Object.fromEntries(Object.entries(a.annotations).map(([k, v]) => [k, promTemplate(v)])),
}));

const metadata = (name: string, labels: Record<string, string> = LABELS) => ({
  name,
  namespace: NAMESPACE,
  labels,
  annotations: { [SYNC_WAVE]: WORKLOAD_WAVE },
});

/** Inserts the `extra` labels value under the first `labels:` of a rendered object. */
const withExtraLabels = (yaml: string, value: string) =>
  yaml.replace(
    /^( {2})labels:\n/m,
    `$1labels:\n    {{- with ${value} }}{{ toYaml . | nindent 4 }}{{- end }}\n`,
  );

/** Wraps a template in `if value` (a whole file that renders to nothing when off). */
const when = (value: string, body: string) => `{{- if ${value} }}\n${body}{{- end }}\n`;

function serviceMonitor(): string {
  const object = {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "ServiceMonitor",
    metadata: metadata("aisre"),
    spec: {
      // Both Services (aisre-operator-metrics: port metrics; aisre-sidecar: port webhooks).
      selector: { matchLabels: { "app.kubernetes.io/name": "aisre" } },
      endpoints: [
        { port: "metrics", path: "/metrics", interval: "30s" },
        { port: "webhooks", path: "/metrics", interval: "30s", scheme: "http" },
      ],
    },
  };
  const yaml = stringify(object, { lineWidth: 0 })
    .replaceAll("interval: 30s", "interval: {{ .Values.serviceMonitor.interval }}")
    .replace(
      /^( +)scheme: http$/m,
      "$1scheme: {{ if .Values.sidecar.tls.secretName }}https{{ else }}http{{ end }}\n" +
        "$1{{- if .Values.sidecar.tls.secretName }}\n$1tlsConfig: {{ toJson .Values.serviceMonitor.sidecarTlsConfig }}\n$1{{- end }}",
    );
  return when(".Values.serviceMonitor.enabled", withExtraLabels(yaml, ".Values.serviceMonitor.labels"));
}

function prometheusRule(): string {
  const object = {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: metadata("aisre"),
    spec: { groups: [{ name: "aisre.operator", rules: ALERTS }] },
  };
  const yaml = stringify(object, { lineWidth: 0 });
  return when(".Values.prometheusRule.enabled", withExtraLabels(yaml, ".Values.prometheusRule.labels"));
}

/** The operator's /readyz through its Service, from inside the cluster. */
export const READYZ_URL = `http://aisre-operator-metrics.${NAMESPACE}.svc:${PORTS.health}/readyz`;

/** What the test Pod runs (node is in the image): exit 0 only on a 2xx from /readyz. */
export const READYZ_SCRIPT =
  "fetch(process.env.AISRE_READYZ_URL, { signal: AbortSignal.timeout(10000) }).then(" +
  "async (r) => { console.log(r.status, (await r.text()).trim()); process.exit(r.ok ? 0 : 1); }, " +
  "(e) => { console.error(String(e)); process.exit(1); })";

function testHook(): string {
  const object = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      ...metadata("aisre-test-readyz", { ...LABELS, "app.kubernetes.io/component": "test" }),
      annotations: {
        "helm.sh/hook": "test",
        "helm.sh/hook-delete-policy": "before-hook-creation,hook-succeeded",
      },
    },
    spec: {
      restartPolicy: "Never",
      securityContext: podSecurity,
      containers: [
        {
          name: "readyz",
          image: IMAGE,
          imagePullPolicy: "IfNotPresent",
          command: ["node", "-e", READYZ_SCRIPT],
          env: [{ name: "AISRE_READYZ_URL", value: READYZ_URL }],
          resources: { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "128Mi" } },
          securityContext: containerSecurity,
        },
      ],
    },
  };
  return when(".Values.test.enabled", stringify(object, { lineWidth: 0 }));
}

/** One ConfigMap per chart file dashboards/*.json (zero, one or many), for Grafana's sidecar. */
function dashboards(): string {
  const labels = stringify({ ...LABELS, "app.kubernetes.io/component": "dashboards", grafana_dashboard: "1" })
    .trimEnd()
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
  const body = [
    '{{- range $path, $_ := .Files.Glob "dashboards/*.json" }}',
    "---",
    "apiVersion: v1",
    "kind: ConfigMap",
    "metadata:",
    '  name: aisre-dashboard-{{ base $path | trimSuffix ".json" | lower | replace "_" "-" | trunc 47 | trimSuffix "-" }}',
    "  namespace: {{ $.Release.Namespace }}",
    "  labels:",
    "    {{- with $.Values.dashboards.labels }}{{ toYaml . | nindent 4 }}{{- end }}",
    labels,
    "  annotations:",
    `    ${SYNC_WAVE}: "${WORKLOAD_WAVE}"`,
    "data:",
    "  {{ base $path }}: {{ $.Files.Get $path | toJson }}",
    "{{- end }}",
    "",
  ].join("\n");
  return when(".Values.dashboards.enabled", body);
}

/** Chart-only templates: file name (under templates/) and content before helm.ts's templating. */
export function chartExtras(): { name: string; content: string }[] {
  return [
    { name: "servicemonitor.yaml", content: serviceMonitor() },
    { name: "prometheusrule.yaml", content: prometheusRule() },
    { name: "dashboards.yaml", content: dashboards() },
    { name: "tests/readyz.yaml", content: testHook() },
  ];
}
