/**
 * Memory of the change journal (controllers/diagnosisrun/change-journal.ts) at 10k pods' worth
 * of changes: what a 10k-pod cluster's informers feed it (about 2,000 Deployments with their
 * ReplicaSets, ConfigMaps, policies, roles, nodes), then the records alone at 10k and 50k.
 *
 *   npx node --expose-gc bench/change-journal.ts
 *
 * Prints heap used before and after, and per record; the journal's own bound (5,000 by
 * default) is lifted for the record figures so each size is really held.
 */
import type { KubernetesObject } from "@kubernetes/client-node";
import { ChangeJournal } from "../controllers/diagnosisrun/change-journal.ts";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error("run with: npx node --expose-gc bench/change-journal.ts");
  process.exit(2);
}

function heap(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

const mb = (b: number) => (b / 1024 / 1024).toFixed(1);

function deployment(i: number, image: string): KubernetesObject {
  return {
    kind: "Deployment",
    metadata: {
      namespace: `ns-${i % 100}`,
      name: `app-${i}`,
      resourceVersion: String(i),
      generation: 2,
      managedFields: [{ manager: "kubectl", operation: "Update", time: new Date().toISOString() }],
    },
    spec: {
      replicas: 5,
      template: {
        metadata: { labels: { app: `app-${i}` } },
        spec: {
          containers: [
            {
              name: "app",
              image,
              env: Array.from({ length: 10 }, (_, k) => ({ name: `VAR_${k}`, value: `value-${k}` })),
              resources: { requests: { cpu: "100m", memory: "128Mi" } },
            },
          ],
        },
      },
    },
  } as unknown as KubernetesObject;
}

/** A cluster of 10k pods' worth of objects fingerprinted, then every Deployment rolled out once. */
function tenThousandPods(): { bytes: number; records: number } {
  const before = heap();
  const j = new ChangeJournal({ max: 1_000_000, minutes: 120 });
  const deployments = 2000; // 5 pods each
  for (let i = 0; i < deployments; i++) j.observe("Deployment", deployment(i, "app:1"), false);
  for (let i = 0; i < deployments * 3; i++) {
    const cm = {
      kind: "ConfigMap",
      metadata: { namespace: `ns-${i % 100}`, name: `cm-${i}` },
      data: { k: `v${i}` },
    };
    j.observe("ConfigMap", cm as unknown as KubernetesObject, false);
  }
  for (let i = 0; i < deployments; i++) {
    j.observe("Deployment", deployment(i, "app:2"));
    const rs = { kind: "ReplicaSet", metadata: { namespace: `ns-${i % 100}`, name: `app-${i}-v2` } };
    j.observe("ReplicaSet", rs as KubernetesObject);
  }
  const after = heap();
  return { bytes: after - before, records: j.size };
}

/** `n` records held (the bound lifted to n). */
function records(n: number): number {
  const before = heap();
  const j = new ChangeJournal({ max: n, minutes: 120 });
  const at = new Date().toISOString();
  for (let i = 0; i < n; i++)
    j.add({
      kind: "Deployment",
      namespace: `ns-${i % 100}`,
      name: `app-${i}`,
      at,
      resourceVersion: String(100000 + i),
      generation: 3,
      fields: ["spec.template.spec.containers[app].image"],
    });
  const after = heap();
  if (j.size !== n) throw new Error(`expected ${n} records, kept ${j.size}`);
  return after - before;
}

const base = heap();
console.log(`heap before: ${mb(base)} MB`);
const cluster = tenThousandPods();
console.log(
  `10k pods (2,000 Deployments + 2,000 ReplicaSets + 6,000 ConfigMaps fingerprinted, ${cluster.records} records): +${mb(cluster.bytes)} MB`,
);
for (const n of [10_000, 50_000]) {
  const bytes = records(n);
  console.log(`${n.toLocaleString("en")} records: +${mb(bytes)} MB (${Math.round(bytes / n)} B/record)`);
}
console.log(`heap after: ${mb(heap())} MB`);
