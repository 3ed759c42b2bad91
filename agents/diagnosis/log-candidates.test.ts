import { describe, expect, it } from "vitest";
import { deployment, pod, viewOf } from "./fixtures/builders.ts";
import { crashingContainers, logCandidates } from "./log-candidates.ts";
import type { Focus } from "./types.ts";

const crashing = { restartCount: 4, state: { waiting: { reason: "CrashLoopBackOff" } } };
const healthy = { ready: true, restartCount: 0, state: { running: {} } };
const names = (pods: { metadata?: { name?: string } }[]) => pods.map((p) => p.metadata?.name);
const target = (name: string): Focus => ({ target: { kind: "Deployment", namespace: "shop", name } });

// shop: web is healthy, api and worker crash-loop (two pods each); another namespace crashes too.
const view = viewOf([
  ...deployment("shop", "web"),
  ...deployment("shop", "api"),
  ...deployment("shop", "worker"),
  ...deployment("other", "batch"),
  pod("shop", "web", healthy, { ready: true }),
  pod("shop", "worker", crashing, { idx: 0 }),
  pod("shop", "worker", crashing, { idx: 1 }),
  pod("shop", "api", crashing, { idx: 0 }),
  pod("shop", "api", crashing, { idx: 1 }),
  pod("other", "batch", crashing),
]);

describe("logCandidates", () => {
  it("reads no log when the focused workload has no crashing pod", () => {
    expect(logCandidates(view, target("web"), "shop", 3)).toEqual([]);
  });

  it("puts the focused workload's crashing pods first, then fills from its namespace", () => {
    const chosen = logCandidates(view, target("api"), "shop", 3);
    expect(names(chosen).slice(0, 2)).toEqual(["api-abc12-p0xyz", "api-abc12-p1xyz"]);
    expect(names(chosen)[2]).toMatch(/^worker-/);
    expect(chosen.every((p) => p.metadata?.namespace === "shop")).toBe(true);
  });

  it("takes a focused pod that crashes, and an alert naming the deployment", () => {
    const byPod: Focus = { target: { kind: "Pod", namespace: "shop", name: "api-abc12-p1xyz" } };
    expect(names(logCandidates(view, byPod, "shop", 1))).toEqual(["api-abc12-p1xyz"]);
    const alert: Focus = { alert: { status: "firing", labels: { namespace: "shop", deployment: "worker" } } };
    expect(names(logCandidates(view, alert, "shop", 2))).toEqual([
      "worker-abc12-p0xyz",
      "worker-abc12-p1xyz",
    ]);
  });

  it("reads the namespace's crashing pods when the focus names no workload", () => {
    const chosen = logCandidates(view, {}, "shop", 3);
    expect(chosen).toHaveLength(3);
    expect(
      chosen.every((p) => p.metadata?.namespace === "shop" && !p.metadata?.name?.startsWith("web")),
    ).toBe(true);
    const svc: Focus = { target: { kind: "Service", namespace: "shop", name: "gone" } };
    expect(logCandidates(view, svc, "shop", 10)).toHaveLength(4);
  });

  it("names the containers worth reading: restarted or in CrashLoopBackOff", () => {
    expect(crashingContainers(pod("shop", "api", crashing))).toEqual(["app"]);
    expect(crashingContainers(pod("shop", "api", { restartCount: 1, state: { running: {} } }))).toEqual([
      "app",
    ]);
    expect(crashingContainers(pod("shop", "web", healthy))).toEqual([]);
  });
});
