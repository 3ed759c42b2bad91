import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ApiObject, App, Chart } from "cdk8s";
import { stringify } from "yaml";
import { catalog } from "../agents/automation/catalog.ts";
import { customResourceDefinition } from "../crds/crd.ts";
import { KINDS } from "../crds/registry.ts";
import { CRD_HEADER, DEPLOY_HEADER, LABELS, NAMESPACE } from "./config.ts";
import { chartValuesDoc } from "./chart-docs.ts";
import { helmChart } from "./helm.ts";
import { actionsDoc } from "./actions-doc.ts";
import { addApprovalPolicy, addChatImpersonation } from "./admission.ts";
import { addRbac } from "./rbac.ts";
import { addSyncWaves } from "./sync-waves.ts";
import { addWorkload } from "./workload.ts";

/** A generated file: repository-relative path and exact content. */
export interface GeneratedFile {
  path: string;
  content: string;
}

/** YAML of one or more objects; no line folding (CEL rules stay on one line), no anchors. */
function toYaml(header: string, objects: unknown[]): string {
  const docs = objects.map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false }));
  return `${header}\n${docs.join("---\n")}`;
}

/** deploy/dashboards/*.json (Grafana dashboards, hand-written): zero, one or many, shipped in the chart. */
export function dashboardFiles(root = join(import.meta.dirname, "..")): GeneratedFile[] {
  const dir = join(root, "deploy", "dashboards");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => ({ path: `deploy/dashboards/${f}`, content: readFileSync(join(dir, f), "utf8") }));
}

/** One chart per output file, so the file layout is explicit. */
function chartFile(app: App, path: string, header: string, fill: (chart: Chart) => void): GeneratedFile {
  const chart = new Chart(app, path.replace(/[^a-z0-9]+/gi, "-"));
  fill(chart);
  addSyncWaves(chart);
  // cdk8s sorts keys, which makes the output independent of object-literal order.
  return { path, content: toYaml(header, chart.toJson()) };
}

/**
 * Every generated file: one CRD per kind under crds/, plain manifests under deploy/, the Helm
 * chart, and docs/actions.md (the catalog's reference, from the same actions as the RBAC).
 */
export function renderManifests(): GeneratedFile[] {
  const app = new App();
  const crdFiles = KINDS.map((def) => {
    const crd = customResourceDefinition(def);
    return chartFile(app, `crds/${crd.metadata.name}.yaml`, CRD_HEADER, (chart) => {
      new ApiObject(chart, def.kind, crd);
    });
  });
  const namespace = chartFile(app, "deploy/namespace.yaml", DEPLOY_HEADER, (chart) => {
    new ApiObject(chart, "Namespace", {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: NAMESPACE,
        labels: { ...LABELS, "pod-security.kubernetes.io/enforce": "restricted" },
      },
    });
  });
  const rbac = chartFile(app, "deploy/rbac.yaml", DEPLOY_HEADER, (chart) => addRbac(chart));
  const operator = chartFile(app, "deploy/operator.yaml", DEPLOY_HEADER, addWorkload);
  // Approval is the RBAC verb approve, enforced by a ValidatingAdmissionPolicy (cdk8s/admission.ts).
  const approval = chartFile(app, "deploy/approval-policy.yaml", DEPLOY_HEADER, addApprovalPolicy);
  const impersonation = chartFile(app, "deploy/chat-impersonation.yaml", DEPLOY_HEADER, addChatImpersonation);
  return [
    ...crdFiles,
    namespace,
    rbac,
    operator,
    approval,
    impersonation,
    ...helmChart(crdFiles, [rbac, operator, approval, impersonation], dashboardFiles()),
    actionsDoc(catalog.all()),
    chartValuesDoc(),
  ];
}
