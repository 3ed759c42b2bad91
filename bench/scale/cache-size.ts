// What each diagnosis cache costs in heap, per kind, on the bench's kept control plane: lists every
// live kind, shapes each object as the operator's cache does (controllers/diagnosisrun/live-cache.ts
// cacheTransform), holds them, and prints the retained heap per kind after a full GC.
// Usage: npx node --expose-gc bench/scale/cache-size.ts [--no-share]   (AISRE_CP_DIR as the bench's)
// --no-share leaves out the runtime's structure sharing (runtime/share.ts), as before step 7.
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as k8s from "@kubernetes/client-node";
import type { KubernetesObject } from "@kubernetes/client-node";
import { collectionPath, KubeClient } from "../../kube/kube-api.ts";
import { isOptionalKind, LIVE_KINDS } from "../../agents/diagnosis/live/kinds.ts";
import { cacheTransform } from "../../controllers/diagnosisrun/live-cache.ts";
import { StringInterner } from "../../runtime/intern.ts";
import { StructureSharer } from "../../runtime/share.ts";
import { hack } from "./cluster.ts";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc");
const kubeconfig = await hack(repo, "control-plane.sh", ["kubeconfig"], {
  AISRE_CP_DIR: process.env.AISRE_CP_DIR ?? "/tmp/cp-scale-bench",
});
const kc = new k8s.KubeConfig();
kc.loadFromFile(kubeconfig);
const api = KubeClient.fromKubeConfig(kc);

const settle = () => {
  for (let i = 0; i < 3; i++) gc!();
  return process.memoryUsage().heapUsed;
};
const interner = new StringInterner();
const sharer = process.argv.includes("--no-share") ? undefined : new StructureSharer(interner);
const held: KubernetesObject[][] = [];
const rows: Array<{ kind: string; n: number; mib: number; bytes: number; json: number; ms: number }> = [];
for (const rt of LIVE_KINDS) {
  if (isOptionalKind(rt)) continue;
  const shape = cacheTransform(rt, undefined, undefined, sharer);
  const kept: KubernetesObject[] = [];
  let jsonBytes = 0;
  let shapeMs = 0;
  const before = settle();
  let cont: string | undefined;
  do {
    const page = await api.request<{ items: KubernetesObject[]; metadata?: { continue?: string } }>(
      "GET",
      collectionPath(rt),
      { query: { limit: 500, continue: cont } },
    );
    for (const raw of page.items) {
      const t0 = performance.now();
      const obj = shape(raw);
      if (obj) interner.intern(obj);
      shapeMs += performance.now() - t0;
      if (!obj) continue;
      jsonBytes += JSON.stringify(obj).length;
      kept.push(obj);
    }
    cont = page.metadata?.continue || undefined;
  } while (cont);
  held.push(kept);
  const grew = settle() - before;
  rows.push({
    kind: rt.kind,
    n: kept.length,
    mib: grew / 1048576,
    bytes: kept.length ? grew / kept.length : 0,
    json: kept.length ? jsonBytes / kept.length : 0,
    ms: shapeMs,
  });
}
rows.sort((a, b) => b.mib - a.mib);
console.log("kind            objects   heap MiB   bytes/object   JSON bytes/object   shaping ms");
for (const r of rows)
  console.log(
    `${r.kind.padEnd(15)} ${String(r.n).padStart(7)} ${r.mib.toFixed(1).padStart(10)} ${Math.round(r.bytes).toString().padStart(14)} ${Math.round(r.json).toString().padStart(19)} ${r.ms.toFixed(0).padStart(12)}`,
  );
console.log(
  `total ${rows.reduce((s, r) => s + r.mib, 0).toFixed(1)} MiB, heap used ${(settle() / 1048576).toFixed(1)} MiB`,
);
