/** Runs every analyzer over a view; pure, no I/O. */
import type { Fault } from "../fault.ts";
import { refKey } from "../refs.ts";
import type { ClusterView } from "../view.ts";
import { analyzeCreation } from "./creation.ts";
import { analyzeHPAs } from "./hpa.ts";
import { analyzeIngresses } from "./ingress.ts";
import { analyzeJobs } from "./job.ts";
import { analyzeNodes } from "./node.ts";
import { analyzePDBs } from "./pdb.ts";
import { analyzePods } from "./pods.ts";
import { analyzePVCs } from "./pvc.ts";
import { analyzeRollouts } from "./rollout.ts";
import { analyzeServices } from "./service.ts";
import { analyzeWebhooks } from "./webhook.ts";

/** Folds pod faults that name a Node or PVC into that object's own fault (one finding per cause). */
function merge(podFaults: Fault[], objectFaults: Fault[]): Fault[] {
  const own = new Map(objectFaults.map((f) => [`${f.category}|${refKey(f.subject)}`, f]));
  const kept: Fault[] = [];
  for (const f of podFaults) {
    const target = own.get(`${f.category}|${refKey(f.subject)}`);
    if (!target) {
      kept.push(f);
      continue;
    }
    const known = new Set(target.pods);
    target.pods.push(...f.pods.filter((p) => !known.has(p)));
    target.evidence.push(`affected: ${f.message}`);
  }
  return [...kept, ...objectFaults];
}

/** Every fault the analyzers see, pod faults grouped per workload and cause. */
export function runAnalyzers(view: ClusterView): Fault[] {
  const { faults: podFaults } = analyzePods(view);
  const rollouts = analyzeRollouts(view, podFaults);
  const jobs = analyzeJobs(view, podFaults);
  return [
    ...rollouts,
    ...jobs,
    ...merge(podFaults, [...analyzeNodes(view), ...analyzePVCs(view)]),
    ...analyzeCreation(view),
    ...analyzeHPAs(view),
    ...analyzeServices(view),
    ...analyzeIngresses(view),
    ...analyzeWebhooks(view),
    ...analyzePDBs(view),
  ];
}
