/**
 * The automation-suggestions loop (docs/automation-suggestions.md): per AgentConfig, on the
 * leader only, every ten minutes (or at once when the aisre.io/refresh-suggestions annotation
 * changes), reads the resolved incidents of its namespace (every namespace for the operator
 * namespace's cluster policy) from the incident store and writes ONLY status.suggestions.
 * Suggestions are listed, never applied: nothing here writes a policy or a Runbook.
 */
import { suggestAutomations } from "../../agents/automation/suggest.ts";
import type { AgentConfig } from "../../crds/index.ts";
import { redactText } from "../../redact/index.ts";
import { AGENTCONFIG } from "../../crds/resources.ts";
import type { Manager, Reconciler, Result } from "../../runtime/index.ts";
import type { Queryable } from "../../store/index.ts";
import { incidentResolutions } from "../../store/index.ts";

/** The annotation whose change asks for suggestions now. */
export const REFRESH_ANNOTATION = "aisre.io/refresh-suggestions";
/** Days of resolved incidents suggestions are learnt from. */
export const SUGGESTION_DAYS = 30;
const DEFAULT_INTERVAL_MS = 600_000;
const RETRY_MS = 60_000;

/** Options of the suggestions controller. */
export interface SuggestionsControllerOptions {
  /** Watch one namespace only. */
  namespace?: string;
  /** The operator's namespace: its AgentConfigs see every namespace's incidents. */
  operatorNamespace: string;
  /** How often suggestions are recomputed (default ten minutes). */
  intervalMs?: number;
  /** Resolved the same way this many times makes a suggestion (default 3). */
  minOccurrences?: number;
  now?: () => number;
}

interface Run {
  uid: string;
  lastAt: number;
  refresh?: string;
}

/** Registers the suggestions controller; without an incident store there is nothing to learn from. */
export function addSuggestionsController(
  mgr: Manager,
  db: Queryable,
  opts: SuggestionsControllerOptions,
): void {
  const informer = mgr.informer<AgentConfig>(
    AGENTCONFIG,
    opts.namespace ? { namespace: opts.namespace } : {},
  );
  const interval = opts.intervalMs ?? DEFAULT_INTERVAL_MS;
  const now = opts.now ?? Date.now;
  const runs = new Map<string, Run>();

  const reconcile: Reconciler = async ({ namespace, name }, { logger }): Promise<Result | void> => {
    const key = `${namespace}/${name}`;
    const config = informer.get(namespace, name);
    if (!config || config.metadata.deletionTimestamp) return void runs.delete(key);
    const t = now();
    const refresh = config.metadata.annotations?.[REFRESH_ANNOTATION];
    const run = runs.get(key);
    // Our own status write wakes this key too: run only when due, asked, or the object is new.
    if (run && run.uid === config.metadata.uid && run.refresh === refresh && t - run.lastAt < interval - 500)
      return { requeueAfter: run.lastAt + interval - t };
    const log = logger.child({ agentConfig: key });
    let rows;
    try {
      rows = await incidentResolutions(db, {
        days: SUGGESTION_DAYS,
        now: new Date(t),
        ...(namespace === opts.operatorNamespace ? {} : { namespace }),
      });
    } catch (err) {
      log.warn({ err }, "Failed to read resolved incidents; suggestions kept as they were");
      await mgr.recorder.warning(
        config,
        "SuggestionsNotUpdated",
        redactText(`incident store: ${(err as Error).message}`),
      );
      return { requeueAfter: RETRY_MS };
    }
    const suggestions = suggestAutomations(rows, {
      days: SUGGESTION_DAYS,
      ...(opts.minOccurrences ? { minOccurrences: opts.minOccurrences } : {}),
    });
    const { written } = await mgr.statusWriter.update(AGENTCONFIG, config, (s) => {
      s.suggestions = suggestions;
    });
    runs.set(key, { uid: config.metadata.uid ?? "", lastAt: t, refresh });
    log.info(
      { suggestions: suggestions.length, resolutions: rows.length, written },
      "Computed automation suggestions",
    );
    return { requeueAfter: interval };
  };

  mgr.addController<AgentConfig>({
    name: "suggestions",
    for: informer,
    reconcile,
    maxConcurrentReconciles: 1,
  });
}
