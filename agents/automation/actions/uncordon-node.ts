/** UncordonNode: mark a node schedulable (kubectl uncordon); undo cordons it again if it was cordoned. */
import type { Action } from "../action.ts";
import { nodeSchedulingAction } from "./node-scheduling.ts";

export const uncordonNode: Action = nodeSchedulingAction(false);
