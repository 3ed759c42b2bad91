/** The input schemas of the MCP observability tools, capacity and find_dashboards (JSON Schema, TypeBox). */
import { Type } from "@sinclair/typebox";

const DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
const Label = (description: string) =>
  Type.String({ description, minLength: 1, maxLength: 63, pattern: DNS_LABEL });
const strict = { additionalProperties: false } as const;

export const CapacityInput = Type.Object(
  {
    namespace: Label("Namespace."),
    workload: Type.Optional(
      Label("Only this Deployment or StatefulSet (its pods are named <workload>-...)."),
    ),
    windowHours: Type.Optional(
      Type.Integer({
        description: "p95 and trend over the last N hours (default 24, at most 168).",
        minimum: 1,
        maximum: 168,
      }),
    ),
  },
  strict,
);

export const FindDashboardsInput = Type.Object(
  {
    namespace: Label("Namespace."),
    workload: Label("The workload (Deployment, StatefulSet, ...) the dashboards and panels are about."),
  },
  strict,
);
