import { API_CATEGORY, API_GROUP, API_VERSION } from "./api.ts";
import type { KindDefinition, PrinterColumn } from "./registry.ts";
import { toOpenApi } from "./schema.ts";

/** The apiextensions.k8s.io/v1 CustomResourceDefinition, as plain JSON. */
export interface CustomResourceDefinition {
  apiVersion: "apiextensions.k8s.io/v1";
  kind: "CustomResourceDefinition";
  metadata: { name: string; labels: Record<string, string> };
  spec: {
    group: string;
    names: {
      kind: string;
      listKind: string;
      plural: string;
      singular: string;
      shortNames: string[];
      categories: string[];
    };
    scope: "Namespaced";
    versions: {
      name: string;
      served: boolean;
      storage: boolean;
      subresources: { status: Record<string, never> };
      additionalPrinterColumns: PrinterColumn[];
      schema: { openAPIV3Schema: Record<string, unknown> };
    }[];
  };
}

/** The root schema: apiVersion, kind, metadata, then the kind's spec (required) and status. */
export function rootSchema(def: KindDefinition): Record<string, unknown> {
  return {
    type: "object",
    description: def.description,
    required: ["spec"],
    properties: {
      apiVersion: { type: "string", description: "aisre.io/v1alpha1." },
      kind: { type: "string", description: def.kind },
      metadata: { type: "object" },
      spec: toOpenApi(def.spec),
      status: toOpenApi(def.status),
    },
  };
}

/** Builds the CRD of one kind: pure, so the synth, the drift test and the tests share it. */
export function customResourceDefinition(def: KindDefinition): CustomResourceDefinition {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: {
      name: `${def.plural}.${API_GROUP}`,
      labels: { "app.kubernetes.io/part-of": "ai-sre-operator" },
    },
    spec: {
      group: API_GROUP,
      names: {
        kind: def.kind,
        listKind: `${def.kind}List`,
        plural: def.plural,
        singular: def.singular,
        shortNames: def.shortNames,
        categories: [API_CATEGORY],
      },
      scope: "Namespaced",
      versions: [
        {
          name: API_VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: def.printerColumns,
          schema: { openAPIV3Schema: rootSchema(def) },
        },
      ],
    },
  };
}
