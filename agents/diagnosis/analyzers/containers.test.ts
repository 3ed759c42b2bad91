import { describe, expect, it } from "vitest";
import { ago, deployment, event, pod, viewOf } from "../fixtures/builders.ts";
import { diagnosePod } from "./pod.ts";
import { lastMeaningfulLine } from "./util.ts";

const ns = "shop";

describe("container causes", () => {
  it("names CrashLoop with the exit code and the previous log line", () => {
    const p = pod(ns, "api", {
      restartCount: 7,
      state: { waiting: { reason: "CrashLoopBackOff" } },
      lastState: { terminated: { reason: "Error", exitCode: 127, finishedAt: ago(1) } },
    });
    const view = viewOf([...deployment(ns, "api"), p], {
      [`${ns}/${p.metadata!.name}/app:previous`]: "boot\n/bin/sh: /app/server: not found\n",
    });
    const problem = diagnosePod(view, p)!;
    expect(problem.category).toBe("CrashLoop");
    expect(problem.facts.exitCode).toBe(127);
    expect(problem.facts.lastLog).toContain("/app/server: not found");
    expect(problem.evidence).toContain(
      "containerStatuses[app].lastState.terminated.reason=Error exitCode=127",
    );
  });

  it("names OOMKilled even while the container runs again after a recent kill", () => {
    const p = pod(ns, "solr", {
      restartCount: 5,
      state: { running: { startedAt: ago(3) } },
      lastState: { terminated: { reason: "OOMKilled", exitCode: 137, finishedAt: ago(3) } },
    });
    expect(diagnosePod(viewOf([p]), p)?.category).toBe("OOMKilled");
  });

  it("ignores one restart long ago on a ready pod (noise)", () => {
    const p = pod(
      ns,
      "cart",
      {
        ready: true,
        restartCount: 1,
        state: { running: { startedAt: ago(600) } },
        lastState: { terminated: { reason: "OOMKilled", exitCode: 137, finishedAt: ago(600) } },
      },
      { ready: true },
    );
    expect(diagnosePod(viewOf([p]), p)).toBeNull();
  });

  it("attributes liveness kills to ProbeFailure, not CrashLoop", () => {
    const p = pod(ns, "search", {
      restartCount: 6,
      state: { waiting: { reason: "CrashLoopBackOff" } },
      lastState: { terminated: { reason: "Error", exitCode: 137, finishedAt: ago(1) } },
    });
    const view = viewOf([
      p,
      event(p, "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 500"),
      event(p, "Killing", "Container app failed liveness probe, will be restarted", 1, "Normal"),
    ]);
    const problem = diagnosePod(view, p)!;
    expect(problem.category).toBe("ProbeFailure");
    expect(problem.facts.detail).toContain("Liveness probe failed");
  });

  it("names readiness failures of a running container", () => {
    const p = pod(ns, "thumb", { state: { running: { startedAt: ago(30) } } });
    const view = viewOf([p, event(p, "Unhealthy", "Readiness probe failed: context deadline exceeded")]);
    expect(diagnosePod(view, p)?.category).toBe("ProbeFailure");
  });

  it("reads ImagePull sub-causes from the kubelet wording", () => {
    const p = pod(ns, "edi", {
      state: { waiting: { reason: "ImagePullBackOff", message: 'Back-off pulling image "reg/edi:4.2.0"' } },
    });
    const view = viewOf([
      p,
      event(p, "Failed", 'Failed to pull image "reg/edi:4.2.0": unexpected status: 401 Unauthorized'),
    ]);
    const problem = diagnosePod(view, p)!;
    expect(problem.category).toBe("ImagePull");
    expect(problem.facts.detail).toContain("credentials");
  });

  it("names MissingConfig from CreateContainerConfigError", () => {
    const p = pod(
      ns,
      "orders",
      {
        state: {
          waiting: { reason: "CreateContainerConfigError", message: 'configmap "orders-config" not found' },
        },
      },
      { phase: "Pending" },
    );
    const problem = diagnosePod(viewOf([p]), p)!;
    expect(problem.category).toBe("MissingConfig");
    expect(problem.facts.object).toBe("configmap orders-config");
  });

  it("names InitContainerFailure for an init container in CrashLoopBackOff", () => {
    const p = pod(ns, "acct", { state: { waiting: { reason: "PodInitializing" } } }, { phase: "Pending" });
    p.status!.initContainerStatuses = [
      {
        name: "migrate",
        restartCount: 4,
        state: { waiting: { reason: "CrashLoopBackOff" } },
        lastState: { terminated: { reason: "Error", exitCode: 1, finishedAt: ago(1) } },
      },
    ];
    expect(diagnosePod(viewOf([p]), p)?.category).toBe("InitContainerFailure");
  });

  it("picks the telling log line", () => {
    expect(lastMeaningfulLine("x\nTypeError: boom\n    at f (a.js:1)\nnpm error code 1\n")).toBe(
      "TypeError: boom",
    );
    expect(
      lastMeaningfulLine("Exception in thread main\nCaused by: java.net.UnknownHostException: db\n\tat x\n"),
    ).toContain("Caused by: java.net.UnknownHostException");
  });
});
