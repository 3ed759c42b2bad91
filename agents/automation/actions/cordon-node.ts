/** CordonNode: mark a node unschedulable (kubectl cordon); undo uncordons it if it was schedulable. */
import type { Action } from "../action.ts";
import { nodeSchedulingAction } from "./node-scheduling.ts";

export const cordonNode: Action = nodeSchedulingAction(true);
