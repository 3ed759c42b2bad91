import { describe, expect, it } from "vitest";
import type { Pod, Workload } from "../diagnosis/k8s.ts";
import type { RolloutObjects } from "./revisions.ts";
import { escapeRegex, findRollouts, MAX_LISTED_PODS, rolloutWindows } from "./revisions.ts";

const T = "2026-12-07T01:00:00Z";
const owner = (uid: string) => [{ apiVersion: "apps/v1", kind: "X", name: "x", uid, controller: true }];
const template = (image: string, env: Record<string, string>) => ({
  spec: {
    containers: [{ name: "app", image, env: Object.entries(env).map(([name, value]) => ({ name, value })) }],
  },
});

function rs(name: string, revision: number, created: string, image: string, env = {}): Workload {
  return {
    kind: "ReplicaSet",
    metadata: {
      name,
      namespace: "shop",
      uid: `uid-${name}`,
      creationTimestamp: created,
      annotations: { "deployment.kubernetes.io/revision": String(revision) },
      ownerReferences: owner("uid-dep"),
    },
    spec: { template: template(image, env) },
  } as Workload;
}

function pod(
  name: string,
  ownerUid: string,
  labels: Record<string, string> = {},
  restarts = 0,
  created = T,
): Pod {
  return {
    kind: "Pod",
    metadata: {
      name,
      namespace: "shop",
      labels,
      creationTimestamp: created,
      ownerReferences: owner(ownerUid),
    },
    status: { containerStatuses: [{ name: "app", restartCount: restarts }] },
  } as Pod;
}

const empty: RolloutObjects = {
  deployments: [],
  statefulSets: [],
  daemonSets: [],
  replicaSets: [],
  pods: [],
};
const dep = {
  kind: "Deployment",
  metadata: { name: "checkout", namespace: "shop", uid: "uid-dep" },
} as Workload;

describe("findRollouts", () => {
  it("a Deployment's newest ReplicaSet against its predecessor: pods by ReplicaSet name, template diff, live restarts", () => {
    const objs: RolloutObjects = {
      ...empty,
      deployments: [dep],
      replicaSets: [
        rs("checkout-5f7c9", 6, "2026-12-06T00:00:00Z", "reg/checkout:1.4", { MODE: "a" }),
        rs("checkout-77d4b", 7, T, "reg/checkout:1.5", { MODE: "b" }),
        rs("checkout-111aa", 5, "2026-12-05T00:00:00Z", "reg/checkout:1.3"),
      ],
      pods: [
        pod("checkout-77d4b-abcde", "uid-checkout-77d4b", {}, 3),
        pod("checkout-5f7c9-zzzzz", "uid-checkout-5f7c9"),
      ],
    };
    const [r] = findRollouts(objs);
    expect(r).toMatchObject({
      kind: "Deployment",
      name: "checkout",
      revision: "7",
      previousRevision: "6",
      names: { current: "revision 7", previous: "revision 6" },
      start: Date.parse(T),
      currentPods: "checkout-77d4b-[a-z0-9]{5}",
      previousPods: "checkout-5f7c9-[a-z0-9]{5}",
      restarts: 3,
    });
    expect(r!.changes).toEqual(["image checkout:1.4 → checkout:1.5", "env MODE changed"]);
  });

  it("a Deployment with one revision, or ReplicaSets of another owner, is no rollout", () => {
    const one = { ...empty, deployments: [dep], replicaSets: [rs("checkout-77d4b", 1, T, "a")] };
    expect(findRollouts(one)).toEqual([]);
    const foreign = rs("other-1", 2, T, "b");
    foreign.metadata!.ownerReferences = owner("uid-other");
    expect(findRollouts({ ...one, replicaSets: [...one.replicaSets, foreign] })).toEqual([]);
  });

  it("a StatefulSet mid-update: the update revision's pods listed, every pod before the start for the previous", () => {
    const sts = {
      kind: "StatefulSet",
      metadata: { name: "db.main", namespace: "shop", uid: "uid-sts" },
      status: { currentRevision: "db.main-aaa", updateRevision: "db.main-bbb" },
    } as Workload;
    const pods = [
      pod("db.main-2", "uid-sts", { "controller-revision-hash": "db.main-bbb" }, 0, "2026-12-07T01:00:10Z"),
      pod("db.main-1", "uid-sts", { "controller-revision-hash": "db.main-bbb" }, 1, T),
      pod("db.main-0", "uid-sts", { "controller-revision-hash": "db.main-aaa" }),
    ];
    const [r] = findRollouts({ ...empty, statefulSets: [sts], pods });
    expect(r).toMatchObject({
      revision: "db.main-bbb",
      previousRevision: "db.main-aaa",
      start: Date.parse(T),
      currentPods: "db\\.main-1|db\\.main-2",
      previousPods: "db\\.main-[0-9]+",
      restarts: 1,
    });
    sts.status!.currentRevision = "db.main-bbb";
    expect(findRollouts({ ...empty, statefulSets: [sts], pods })).toEqual([]);
  });

  it("a DaemonSet whose pods carry two revisions: the newer template generation is the new one", () => {
    const ds = {
      kind: "DaemonSet",
      metadata: { name: "agent", namespace: "shop", uid: "uid-ds" },
    } as Workload;
    const gen = (g: string, h: string) => ({ "controller-revision-hash": h, "pod-template-generation": g });
    const pods = [pod("agent-aaaaa", "uid-ds", gen("1", "h1")), pod("agent-bbbbb", "uid-ds", gen("2", "h2"))];
    const [r] = findRollouts({ ...empty, daemonSets: [ds], pods });
    expect(r).toMatchObject({ revision: "h2", previousRevision: "h1", currentPods: "agent-bbbbb" });
  });

  it("too many pods to list fall back to the workload's name pattern", () => {
    const sts = {
      kind: "StatefulSet",
      metadata: { name: "web", namespace: "shop", uid: "u" },
      status: { currentRevision: "a", updateRevision: "b" },
    } as Workload;
    const pods = Array.from({ length: MAX_LISTED_PODS + 1 }, (_, i) =>
      pod(`web-${i}`, "u", { "controller-revision-hash": "b" }),
    );
    expect(findRollouts({ ...empty, statefulSets: [sts], pods })[0]!.currentPods).toBe("web-[0-9]+");
  });
});

describe("escapeRegex and rolloutWindows", () => {
  it("escapes RE2 metacharacters so a dotted name matches only itself", () => {
    expect(escapeRegex("a.b+c(d)")).toBe("a\\.b\\+c\\(d\\)");
    expect(new RegExp(`^${escapeRegex("db.main-0")}$`).test("dbxmain-0")).toBe(false);
  });

  it("gives the anomaly loop one window per rolling workload, in unix seconds", () => {
    const objs = {
      ...empty,
      deployments: [dep],
      replicaSets: [rs("c-1", 1, "2026-12-06T00:00:00Z", "a"), rs("c-2", 2, T, "b")],
    };
    const start = Date.parse(T) / 1000;
    expect(rolloutWindows(objs, 10)).toEqual(new Map([["shop/checkout", [{ start, end: start + 600 }]]]));
  });
});
