/**
 * RunbookOnly: no automatic step. The plan shows the runbook and a person follows it; the
 * controller never executes it (automatic: false). Every hook is a harmless no-op so a
 * mistaken call changes nothing.
 */
import { Type } from "@sinclair/typebox";
import { ACTION_RISKS } from "../../../crds/actions.ts";
import { noBlast, verified } from "../action.ts";
import type { Action } from "../action.ts";

const Params = Type.Object(
  {},
  { additionalProperties: true, description: "Free-form notes for the person." },
);

export const runbookOnly: Action = {
  name: "RunbookOnly",
  risk: ACTION_RISKS.RunbookOnly,
  targetKinds: [],
  params: Params,
  rbac: [],
  namespacedRbac: [],
  undoable: false,
  automatic: false,
  description: "A person follows the runbook; nothing runs automatically.",
  explain: { dryRun: "Nothing to run.", verify: "Nothing to verify.", undo: "Nothing to undo." },
  // Never executed (automatic: false), so never interrupted; declared for completeness.
  recovery: { mode: "none", check: "the runbook's own steps (the controller never executes this one)" },
  preconditions: async () => [],
  blastRadius: async () => noBlast(),
  dryRun: async () => ({ passed: true, message: "nothing to run: a person follows the runbook" }),
  execute: async () => ({ message: "no automatic step: a person follows the runbook", undoState: {} }),
  verify: async () => verified("no automatic step to verify"),
  undo: async () => ({ message: "nothing to undo" }),
};
