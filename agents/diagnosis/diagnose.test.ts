import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isActionName } from "../../crds/actions.ts";
import { diagnose } from "./diagnose.ts";
import { parseSnapshot, snapshotView } from "./snapshot.ts";
import { CATEGORIES } from "./types.ts";

const dir = new URL("./fixtures/", import.meta.url);

function run(file: string) {
  const s = parseSnapshot(readFileSync(new URL(file, dir), "utf8"));
  return diagnose(snapshotView(s), { alert: s.alert, target: s.target });
}

const EXPECTED: Record<string, [string, string, string, string] | null> = {
  "crashloop-exit127.yaml": ["CrashLoop", "Deployment", "shop", "checkout"],
  "healthy-noise.yaml": null,
  "chain-ingress-node-notready.yaml": ["NodeNotReady", "Node", "", "node-b"],
  "pvc-pending-chain.yaml": ["PVCPending", "PersistentVolumeClaim", "data", "pg-data"],
  "quota-service-chain.yaml": ["QuotaExceeded", "Deployment", "team-a", "api"],
  "webhook-failure.yaml": ["AdmissionWebhookFailure", "Deployment", "shop", "orders"],
  "job-and-hpa.yaml": ["JobFailed", "Job", "batch", "import-42"],
  "pdb-drain.yaml": ["PDBBlocking", "StatefulSet", "data", "zk"],
  "bare-list.yaml": ["NodePressure", "Node", "", "n1"],
};

describe("diagnose over fixtures", () => {
  it("has an expectation for every fixture", () => {
    const files = readdirSync(dir).filter((f) => f.endsWith(".yaml"));
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [file, want] of Object.entries(EXPECTED)) {
    it(`${file} → ${want ? `${want[0]} ${want[1]}/${want[3]}` : "nothing wrong"}`, () => {
      const r = run(file);
      if (!want) {
        expect(r.rootCause).toBeNull();
        expect(r.recommendations).toEqual([]);
        return;
      }
      const [category, kind, namespace, name] = want;
      expect(r.rootCause?.category).toBe(category);
      expect(r.rootCause?.resource).toEqual(namespace ? { kind, namespace, name } : { kind, name });
      expect(r.rootCause?.confidence).toBeGreaterThan(0.5);
      expect(r.findings[0]?.evidence.length).toBeGreaterThan(0);
      for (const f of r.findings) expect(CATEGORIES).toContain(f.category);
      for (const a of r.recommendations) expect(isActionName(a.action)).toBe(true);
    });
  }

  it("summarises a crash with exit code, log line and image change, and proposes the rollback", () => {
    const r = run("crashloop-exit127.yaml");
    expect(r.rootCause?.summary).toBe(
      "checkout (container app) exits with code 127: /bin/sh: 1: /app/server: not found since the image change to v2.3.1",
    );
    expect(r.recommendations[0]).toMatchObject({
      action: "RolloutUndo",
      risk: "medium",
      params: { toRevision: 4 },
    });
  });

  it("proposes PatchHPA for a maxed-out autoscaler when it is the focus", () => {
    const s = parseSnapshot(readFileSync(new URL("job-and-hpa.yaml", dir), "utf8"));
    const r = diagnose(snapshotView(s), {
      target: { kind: "HorizontalPodAutoscaler", namespace: "front", name: "web" },
    });
    expect(r.rootCause?.category).toBe("HPAMaxedOut");
    expect(r.recommendations[0]).toMatchObject({ action: "PatchHPA", params: { maxReplicas: 20 } });
  });

  it("attaches matching Runbooks", () => {
    const s = parseSnapshot(readFileSync(new URL("crashloop-exit127.yaml", dir), "utf8"));
    s.objects.push({
      apiVersion: "aisre.io/v1alpha1",
      kind: "Runbook",
      metadata: { name: "crashloop", namespace: "aisre" },
      spec: {
        title: "Crash loops",
        matches: { alertnames: ["KubePodCrashLooping"], categories: ["CrashLoop"] },
      },
    });
    s.objects.push({
      apiVersion: "aisre.io/v1alpha1",
      kind: "Runbook",
      metadata: { name: "disk", namespace: "aisre" },
      spec: { matches: { categories: ["NodePressure"] } },
    });
    const r = diagnose(snapshotView(s), { alert: s.alert });
    expect(r.runbooks).toEqual([
      {
        namespace: "aisre",
        name: "crashloop",
        title: "Crash loops",
        // The engine's evidence ranks by text too: the runbook's text shares words with it.
        matchedOn: [
          "alertname=KubePodCrashLooping",
          "category=CrashLoop",
          expect.stringMatching(/^text: .+ \(bm25 [\d.]+\)$/),
        ],
        score: expect.closeTo(0.93, 1),
      },
    ]);
  });
});
