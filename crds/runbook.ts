import { Type } from "@sinclair/typebox";
import type { Static } from "@sinclair/typebox";
import { commonStatus } from "./common.ts";
import { ActionName, CategoryName } from "./findings.ts";
import { LIMITS } from "./limits.ts";
import { ConfigPhase, phaseValues } from "./phases.ts";
import { Count, FreeForm, List, SetOf, Str, StrMap, Timestamp, rule } from "./schema.ts";

/** Runbook spec: the symptoms it matches and what a person (or the automation agent) does. */
export const RunbookSpec = Type.Object(
  {
    title: Str(256, { description: "One line, e.g. 'Pod crash-looping after a deploy'.", minLength: 1 }),
    description: Type.Optional(Str(LIMITS.text, { description: "When this runbook applies and why." })),
    matches: Type.Object(
      {
        alertnames: Type.Optional(
          SetOf(Str(256, { minLength: 1 }), LIMITS.list, {
            description: "Alert names, e.g. KubePodCrashLooping.",
          }),
        ),
        categories: Type.Optional(
          SetOf(CategoryName, LIMITS.list, { description: "Root-cause categories (docs/diagnosis.md §3)." }),
        ),
        labels: Type.Optional(StrMap(32, 256, "Alert or target labels that must all be equal.")),
      },
      {
        description: "Symptoms: any alertname or category matches, and all labels must match.",
        "x-kubernetes-validations": [
          rule(
            "has(self.alertnames) || has(self.categories) || has(self.labels)",
            "matches needs alertnames, categories or labels; a runbook that matches everything is noise",
          ),
        ],
      },
    ),
    steps: Type.Optional(
      List(
        Type.Object(
          {
            title: Str(256, { description: "What to do.", minLength: 1 }),
            description: Type.Optional(Str(LIMITS.text, { description: "How, and what to look for." })),
            command: Type.Optional(
              Str(LIMITS.text, { description: "A command to run, e.g. kubectl logs --previous." }),
            ),
          },
          { description: "A step for a person." },
        ),
        50,
        { description: "Steps, in order." },
      ),
    ),
    suggestedActions: Type.Optional(
      List(
        Type.Object(
          {
            action: ActionName,
            params: Type.Optional(FreeForm(LIMITS.params, "Action parameters.")),
          },
          { description: "A catalog action; the target comes from the diagnosis." },
        ),
        10,
        { description: "Catalog actions the diagnosis may recommend when this runbook matches." },
      ),
    ),
    links: Type.Optional(
      List(
        Type.Object(
          {
            title: Type.Optional(Str(256, { description: "Link text." })),
            url: Str(LIMITS.url, { description: "Where.", pattern: "^https?://" }),
          },
          { description: "A link." },
        ),
        20,
        { description: "Dashboards, wiki pages, postmortems." },
      ),
    ),
  },
  { description: "A runbook." },
);
export type RunbookSpec = Static<typeof RunbookSpec>;

/** Runbook status: usable, and how often it matched. */
export const RunbookStatus = Type.Object(
  {
    ...commonStatus(phaseValues(ConfigPhase)),
    lastMatchedTime: Type.Optional(Timestamp("When a diagnosis last matched this runbook.")),
    matchCount: Type.Optional(Count("How many diagnoses matched this runbook.")),
  },
  { description: "Use of this runbook." },
);
export type RunbookStatus = Static<typeof RunbookStatus>;
