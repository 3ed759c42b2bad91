/** The monitoring agent's checks: validation, the series state machine, one cycle, the task shape. */
export * from "./cycle.ts";
export * from "./duration.ts";
export * from "./identity.ts";
export * from "./state.ts";
export * from "./task.ts";
export * from "./types.ts";
export * from "./validate.ts";
