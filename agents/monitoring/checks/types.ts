/** The shapes the check engine works on. */
import type { AgentConfigSpec } from "../../../crds/index.ts";
import type { Sample } from "../../../tools/prometheus/client.ts";

/** AgentConfig spec.monitoring. */
export type MonitoringSpec = NonNullable<AgentConfigSpec["monitoring"]>;
/** One entry of spec.monitoring.checks. */
export type MonitoringCheckSpec = NonNullable<MonitoringSpec["checks"]>[number];
export type { Sample };

/** Runs an instant query at a time; throws when the TSDB cannot answer. */
export type InstantQuery = (expr: string, at: Date) => Promise<Sample[]>;
