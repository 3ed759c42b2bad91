/** Alert-storm grouping (docs/alert-storms.md): pure logic, no I/O. */
export { groupingKey, keyLabel, type KeyInput } from "./key.ts";
export { groupStorms, groupsByTask, type StormCandidate, type StormGroup } from "./group.ts";
export { groupSummary, alertList, LISTED_ALERTS, type Language } from "./summary.ts";
