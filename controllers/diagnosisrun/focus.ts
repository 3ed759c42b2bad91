import type { Focus } from "../../agents/diagnosis/types.ts";
import type { DiagnosisRun } from "../../crds/index.ts";

/** What the engine starts its walk from: the run's explicit target, else its alert, else the namespace. */
export function focusOf(run: DiagnosisRun): Focus {
  const { target, alert } = run.spec;
  if (target) {
    return {
      target: {
        kind: target.kind,
        namespace: target.namespace ?? run.metadata.namespace ?? "",
        name: target.name,
      },
    };
  }
  if (alert) {
    return {
      alert: {
        status: alert.status,
        labels: { namespace: run.metadata.namespace ?? "", ...alert.labels },
        annotations: alert.annotations,
        startsAt: alert.startsAt,
      },
    };
  }
  return {};
}
