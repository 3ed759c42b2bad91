import { Type } from "@sinclair/typebox";
import type { ObjectOptions, Static } from "@sinclair/typebox";
import { LIMITS } from "./limits.ts";
import { Count, MapList, Str, StrEnum, StrMap, Timestamp, rule } from "./schema.ts";

const DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

/** Risk of an action or plan, as the action catalog declares it. */
export const RISKS = ["low", "medium", "high"] as const;
export function RiskLevel(description = "low, medium or high, as the action catalog rates it.") {
  return StrEnum(RISKS, { description });
}

/** A resource the work is about: the docs/diagnosis.md `resource` shape {kind, namespace, name}. */
export const ObjectReference = Type.Object(
  {
    kind: Type.String({
      description: "Kind, e.g. Deployment, Pod, Node or Ec2Instance.",
      minLength: 1,
      maxLength: LIMITS.label,
      pattern: "^[A-Z][A-Za-z0-9]*$",
    }),
    namespace: Type.Optional(
      Str(LIMITS.label, {
        description: "Namespace; omitted for cluster-scoped kinds (Node) and for Ec2Instance.",
        pattern: DNS_LABEL,
      }),
    ),
    name: Str(LIMITS.name, {
      description: "Name of the object (the instance id for Ec2Instance).",
      minLength: 1,
    }),
  },
  { description: "A resource: kind, namespace and name." },
);
export type ObjectReference = Static<typeof ObjectReference>;

/** A reference to another object of this API in the same namespace. */
export function LocalRef(description: string, options: ObjectOptions = {}) {
  return Type.Object(
    { name: Str(LIMITS.name, { description: "Name in the same namespace.", minLength: 1 }) },
    { ...options, description },
  );
}
export type LocalRef = Static<ReturnType<typeof LocalRef>>;

/** A key of a Secret in the namespace of the referring object. */
export function SecretKeyRef(description: string) {
  return Type.Object(
    {
      name: Str(LIMITS.name, { description: "Secret name, in the same namespace.", minLength: 1 }),
      key: Str(LIMITS.name, {
        description: "Key inside the Secret.",
        minLength: 1,
        pattern: "^[-._a-zA-Z0-9]+$",
      }),
    },
    { description },
  );
}
export type SecretKeyRef = Static<ReturnType<typeof SecretKeyRef>>;

/** metav1.Condition, with the message bounded to LIMITS.message. */
export const Condition = Type.Object(
  {
    type: Str(316, {
      description: "Condition type, CamelCase (crds/reasons.ts).",
      pattern:
        "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$",
    }),
    status: StrEnum(["True", "False", "Unknown"] as const, { description: "True, False or Unknown." }),
    observedGeneration: Type.Optional(Count("metadata.generation the condition was computed from.")),
    lastTransitionTime: Timestamp("When status last changed."),
    reason: Str(1024, {
      description: "CamelCase reason (crds/reasons.ts).",
      minLength: 1,
      pattern: "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$",
    }),
    message: Str(LIMITS.message, { description: "What happened, for a person." }),
  },
  { description: "A metav1.Condition." },
);
export type Condition = Static<typeof Condition>;

/** The conditions list of a status, merged by type under server-side apply. */
export const Conditions = MapList(Condition, "type", LIMITS.conditions, {
  description: "Latest observations: Ready summarises, the other types explain.",
});

/** The status fields every kind shares: phase, observedGeneration, conditions, message. */
export function commonStatus<T extends readonly string[]>(phases: T) {
  return {
    phase: Type.Optional(
      StrEnum(phases, { description: "Lifecycle phase; the conditions hold the detail." }),
    ),
    observedGeneration: Type.Optional(Count("metadata.generation this status was computed from.")),
    conditions: Type.Optional(Conditions),
    message: Type.Optional(Str(LIMITS.message, { description: "The latest human-readable summary." })),
  };
}

/** An Alertmanager alert (webhook v4 `alerts[]` entry) as it arrived. */
export const Alert = Type.Object(
  {
    fingerprint: Type.Optional(
      Str(64, { description: "Alertmanager fingerprint; one SreTask per fingerprint." }),
    ),
    status: Type.Optional(
      StrEnum(["firing", "resolved"] as const, { description: "firing or resolved.", default: "firing" }),
    ),
    labels: StrMap(LIMITS.alertLabels, 1024, "Alert labels; alertname is required."),
    annotations: Type.Optional(StrMap(32, LIMITS.text, "Alert annotations such as summary and description.")),
    startsAt: Type.Optional(Timestamp("When the alert started firing.")),
    endsAt: Type.Optional(Timestamp("When the alert resolved (or is expected to).")),
    generatorURL: Type.Optional(Str(LIMITS.url, { description: "Link to the alert expression." })),
  },
  {
    description: "The alert behind the work, in Alertmanager's shape.",
    "x-kubernetes-validations": [
      rule("'alertname' in self.labels", "alert.labels.alertname is required", {
        fieldPath: ".labels",
        reason: "FieldValueRequired",
      }),
    ],
  },
);
export type Alert = Static<typeof Alert>;
