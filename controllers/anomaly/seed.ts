/** The firing anomaly tasks of an AgentConfig, as an earlier leader left them (found by label). */
import { ANOMALY_ALERTNAME, ANOMALY_LABELS } from "../../agents/anomaly/tasks.ts";
import type { SreTask } from "../../crds/index.ts";
import { SRETASK } from "../../crds/resources.ts";
import type { KubeClient } from "../../runtime/index.ts";
import { collectionPath } from "../../runtime/index.ts";

/** Lists the AgentConfig's anomaly tasks whose alert still fires. */
export async function openAnomalyTasks(client: KubeClient, ns: string, config: string): Promise<SreTask[]> {
  const list = await client.request<{ items: SreTask[] }>("GET", collectionPath(SRETASK, ns), {
    query: { labelSelector: ANOMALY_LABELS.config },
  });
  return list.items.filter((t) => {
    const alert = t.spec.alert;
    return (
      t.spec.source === "Monitor" &&
      t.spec.agentConfigRef?.name === config &&
      alert?.status === "firing" &&
      alert.labels.alertname === ANOMALY_ALERTNAME &&
      !!alert.labels.workload &&
      !!alert.labels.signal
    );
  });
}
