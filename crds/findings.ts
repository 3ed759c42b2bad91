import { Type } from "@sinclair/typebox";
import type { Static } from "@sinclair/typebox";
import { ACTION_NAMES } from "./actions.ts";
import { CATEGORIES, SEVERITIES } from "./categories.ts";
import { ObjectReference, RiskLevel } from "./common.ts";
import { LIMITS } from "./limits.ts";
import { FreeForm, List, Str, StrEnum } from "./schema.ts";

/** A catalog action name; the enum is the catalog, so nothing else can be planned or recommended. */
export const ActionName = StrEnum(ACTION_NAMES, {
  description: "An action of the catalog (crds/actions.ts); RunbookOnly means a person follows the runbook.",
});

/** A root-cause category of docs/diagnosis.md §3. */
export const CategoryName = StrEnum(CATEGORIES, {
  description: "A root-cause category (docs/diagnosis.md §3).",
});

/** A probability in [0, 1]. */
export function Confidence(description: string) {
  return Type.Number({ description, minimum: 0, maximum: 1 });
}

/** The change that explains the onset: docs/diagnosis.md `rootCause.change`. */
export const RootCauseChange = Type.Object(
  {
    kind: Str(LIMITS.name, { description: "Kind of the changed object." }),
    namespace: Type.Optional(Str(LIMITS.name, { description: "Its namespace; absent when cluster-scoped." })),
    name: Str(LIMITS.name, { description: "Its name." }),
    at: Str(64, { description: "When it changed (RFC 3339)." }),
    what: Str(LIMITS.message, { description: "What changed, relative to the first failure." }),
  },
  { description: "The most recent change that explains when the failure began." },
);

/** Many symptoms explained by one failing dependency. */
export const Impact = Type.Object(
  {
    dependency: ObjectReference,
    affected: List(ObjectReference, LIMITS.findings, { description: "Workloads failing because of it." }),
    summary: Str(LIMITS.message, { description: "E.g. 5 workloads fail because orders-db is down." }),
  },
  { description: "The symptoms one failing dependency explains." },
);

/** The deepest failing cause: docs/diagnosis.md `rootCause`. */
export const RootCause = Type.Object(
  {
    category: CategoryName,
    resource: ObjectReference,
    summary: Str(LIMITS.message, { description: "One sentence a person can act on." }),
    confidence: Confidence("How sure the engine is, 0 to 1."),
    change: Type.Optional(RootCauseChange),
  },
  { description: "The root cause; absent when nothing is wrong." },
);
export type RootCause = Static<typeof RootCause>;

/** One fact an analyzer found: docs/diagnosis.md `findings[]`. */
export const Finding = Type.Object(
  {
    category: CategoryName,
    severity: StrEnum(SEVERITIES, { description: "critical, warning or info." }),
    resource: ObjectReference,
    message: Str(LIMITS.message, { description: "What is wrong." }),
    evidence: Type.Optional(
      List(Str(LIMITS.evidenceLine), LIMITS.evidence, {
        description: "Observed facts, e.g. containerStatuses[app].lastState.terminated.exitCode=127.",
      }),
    ),
  },
  { description: "A finding of one analyzer." },
);
export type Finding = Static<typeof Finding>;

/** A proposed catalog action: docs/diagnosis.md `recommendations[]`. */
export const Recommendation = Type.Object(
  {
    action: ActionName,
    target: ObjectReference,
    params: Type.Optional(FreeForm(LIMITS.params, "Action parameters, e.g. {replicas: 3}.")),
    risk: RiskLevel(),
    rationale: Str(LIMITS.message, { description: "Why this action would help." }),
  },
  { description: "A proposed action from the catalog." },
);
export type Recommendation = Static<typeof Recommendation>;
