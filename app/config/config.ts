import { parseEventBounds, type EventBounds } from "../../controllers/diagnosisrun/event-bounds.ts";
import { storeOptionsFromEnv, type StoreOptions } from "../../store/index.ts";

/** The operator's settings, from environment variables (documented in the README). */
export interface OperatorConfig {
  /** The operator's own namespace: leader-election Lease and the fallback `default` AgentConfig. */
  namespace: string;
  /** Watch one namespace only; undefined watches all. */
  watchNamespace?: string;
  metricsPort: number | null;
  healthPort: number | null;
  leaderElect: boolean;
  leaseName: string;
  maxConcurrentReconciles: number;
  /** Project CRs into the incident store (DATABASE_URL, else embedded PGlite under AISRE_DATA_DIR). */
  incidentStore: boolean;
  /** Where the incident store is (DATABASE_URL, AISRE_DB_PREPARED_STATEMENTS, AISRE_DATA_DIR). */
  store: StoreOptions;
  /** Idle seconds after which V8's pooled heap pages are given back (AISRE_MEMORY_RELEASE_IDLE_SECONDS; 0 = never). */
  memoryReleaseIdleSeconds: number;
  /** Limits of the diagnosis Event cache (AISRE_EVENT_CACHE, e.g. "maxAgeMinutes=60,perObject=50,perNamespace=2000"). */
  eventBounds: EventBounds;
}

/** A setting that could not be parsed; the message names the variable. */
export class ConfigError extends Error {}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number | null {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (raw === "off") return null;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new ConfigError(`${name}=${raw} is not a port (0-65535, 0 = any free port, "off" = disabled)`);
  }
  return value;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new ConfigError(`${name}=${raw} is not a positive integer`);
  return value;
}

function nonNegativeInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new ConfigError(`${name}=${raw} is not a whole number of seconds (0 = off)`);
  return value;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === "") return fallback;
  if (["true", "1", "yes"].includes(raw)) return true;
  if (["false", "0", "no"].includes(raw)) return false;
  throw new ConfigError(`${name}=${env[name]} is not a boolean (true/false)`);
}

function store(env: NodeJS.ProcessEnv): StoreOptions {
  try {
    return storeOptionsFromEnv(env);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
}

function eventBounds(env: NodeJS.ProcessEnv): EventBounds {
  try {
    return parseEventBounds(env.AISRE_EVENT_CACHE);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
}

/** Reads the operator configuration from the environment; throws ConfigError naming a bad variable. */
export function operatorConfigFromEnv(env: NodeJS.ProcessEnv = process.env): OperatorConfig {
  return {
    namespace: env.AISRE_NAMESPACE || env.POD_NAMESPACE || "aisre-system",
    watchNamespace: env.AISRE_WATCH_NAMESPACE || undefined,
    metricsPort: port(env, "AISRE_METRICS_PORT", 8080),
    healthPort: port(env, "AISRE_HEALTH_PORT", 8081),
    leaderElect: bool(env, "AISRE_LEADER_ELECT", true),
    leaseName: env.AISRE_LEASE_NAME || "aisre-operator",
    maxConcurrentReconciles: positiveInt(env, "AISRE_MAX_CONCURRENT_RECONCILES", 4),
    incidentStore: bool(env, "AISRE_INCIDENT_STORE", true),
    store: store(env),
    memoryReleaseIdleSeconds: nonNegativeInt(env, "AISRE_MEMORY_RELEASE_IDLE_SECONDS", 5),
    eventBounds: eventBounds(env),
  };
}
