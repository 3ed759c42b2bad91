import { describe, expect, it } from "vitest";
import type { SreTask } from "../../crds/index.ts";
import { desiredRun } from "./diagnosis.ts";
import { judgeTask } from "./accept.ts";

const task = (target?: SreTask["spec"]["target"], status?: SreTask["status"]): SreTask => ({
  apiVersion: "aisre.io/v1alpha1",
  kind: "SreTask",
  metadata: { name: "t1", namespace: "shop", uid: "u1", generation: 1 },
  spec: { description: "checkout is slow", ...(target ? { target } : {}) },
  ...(status ? { status } : {}),
});

describe("a task targets its own namespace only", () => {
  it("accepts a target in the task's namespace, one without a namespace, and a Node", () => {
    expect(judgeTask(task({ kind: "Deployment", namespace: "shop", name: "checkout" })).accepted).toBe(true);
    expect(judgeTask(task({ kind: "Deployment", name: "checkout" })).accepted).toBe(true);
    expect(judgeTask(task({ kind: "Node", name: "node-a" })).accepted).toBe(true);
  });

  it("refuses another namespace, naming the field", () => {
    expect(judgeTask(task({ kind: "Deployment", namespace: "bank", name: "ledger" }))).toEqual({
      accepted: false,
      message:
        "spec.target.namespace: bank is not the task's namespace shop; a task may only target its own namespace (create it in bank)",
    });
    expect(judgeTask(task({ kind: "Namespace", name: "kube-system" })).message).toMatch(
      /^spec\.target\.name:/,
    );
  });

  it("drops a classified target in another namespace: the run looks at the task's own", () => {
    const classified = (namespace: string) =>
      task(undefined, {
        classification: {
          type: "Diagnose",
          target: { kind: "Deployment", namespace, name: "x" },
          confidence: 0.9,
          method: "Rules",
        },
      } as SreTask["status"]);
    expect(desiredRun(classified("bank")).spec.target).toBeUndefined();
    expect(desiredRun(classified("shop")).spec.target).toEqual({
      kind: "Deployment",
      namespace: "shop",
      name: "x",
    });
  });
});
