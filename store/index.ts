/** The incident store's public API (docs/design.md §6 store/): import from here. */
export { openStore, storeOptionsFromEnv, redactDatabaseUrl, DEFAULT_DATA_DIR } from "./database.ts";
export type { Database, Queryable, StoreOptions } from "./database.ts";
export { migrate, loadMigrations } from "./migrate.ts";
export type { Migration } from "./migrate.ts";
export { isTransientStoreError, isUniqueViolation } from "./errors.ts";
export { StoreInputError } from "./sql.ts";
export { upsertIncident } from "./incidents.ts";
export type { UpsertIncidentResult } from "./incidents.ts";
export { markDiagnosed, markResolved } from "./incident-status.ts";
export type { ResolvedInput } from "./incident-status.ts";
export { getIncident, listIncidents } from "./incident-queries.ts";
export { similarIncidents, type SimilarIncident, type SimilarKeys } from "./similar-incidents.ts";
export { incidentHistory, type IncidentHistory, type LastSimilar } from "./similar-history.ts";
export { recordDiagnosis, recordRemediationAction } from "./history.ts";
export { loadProjectionState, type ProjectionState, type StoredTaskState } from "./projection-state.ts";
export { actionHistory, historyOf, type ActionHistory, type StepOutcome } from "./action-history.ts";
export { incidentResolutions, type IncidentResolution } from "./incident-resolutions.ts";
export { getChatSession, upsertChatSession } from "./chat.ts";
export {
  capacityForecastHistory,
  insertCapacityReport,
  latestCapacityForecasts,
  pruneCapacityForecasts,
} from "./capacity-forecasts.ts";
export type { CapacityForecastReport, CapacityForecastRow } from "./capacity-forecasts.ts";
export * from "./types.ts";
