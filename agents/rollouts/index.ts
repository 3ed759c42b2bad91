/** Rollout verification (docs/rollout-verification.md): detection, queries, verdict, task. */
export * from "./types.ts";
export * from "./verdict.ts";
export * from "./revisions.ts";
export * from "./queries.ts";
export * from "./task.ts";
export * from "./verify.ts";
