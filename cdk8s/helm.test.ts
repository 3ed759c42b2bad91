import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { NAMESPACE } from "./config.ts";
import { renderManifests } from "./render.ts";

// What `helm template --namespace aisre-system` does with the chart's default values.
function renderWithDefaults(template: string, values: string): string {
  const tag = /tag: "([^"]+)"/.exec(values)?.[1] ?? "";
  const repository = /repository: (\S+)/.exec(values)?.[1] ?? "";
  const replicas = /replicaCount: (\d+)/.exec(values)?.[1] ?? "";
  const pullPolicy = /pullPolicy: (\S+)/.exec(values)?.[1] ?? "";
  return template
    .replaceAll("{{ .Release.Namespace }}", NAMESPACE)
    .replaceAll("{{ .Values.image.repository }}", repository)
    .replaceAll("{{ .Values.image.tag }}", tag)
    .replaceAll("{{ .Values.image.pullPolicy }}", pullPolicy)
    .replaceAll("{{ .Values.replicaCount }}", replicas);
}

const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJSON() as unknown);

describe("Helm chart", () => {
  const files = new Map(renderManifests().map((f) => [f.path, f.content]));
  const values = files.get("charts/aisre/values.yaml") ?? "";

  it("renders with its default values to exactly the plain deploy/ manifests", () => {
    for (const name of ["rbac.yaml", "operator.yaml"]) {
      const template = files.get(`charts/aisre/templates/${name}`) ?? "";
      expect(template).toContain("{{ .Release.Namespace }}");
      expect(docs(renderWithDefaults(template, values))).toEqual(docs(files.get(`deploy/${name}`) ?? ""));
    }
  });

  it("ships every CRD in crds/ so Helm installs them first", () => {
    const crds = [...files.keys()].filter((p) => p.startsWith("crds/"));
    for (const p of crds) expect(files.get(`charts/aisre/${p}`)).toBe(files.get(p));
    expect(crds).toHaveLength(5);
  });
});
