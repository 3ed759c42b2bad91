import { EventEmitter } from "node:events";
import type { KubernetesObject } from "@kubernetes/client-node";
import { afterEach, describe, expect, it } from "vitest";
import { createRuntimeMetrics } from "./metrics/runtime-metrics.ts";
import { FakeLeaseStore } from "./fake-lease-store.ts";
import { FakeListWatcher } from "./fake-list-watcher.ts";
import type { ResourceType } from "../kube/kube-api.ts";
import type { StopReason } from "./leader-election.ts";
import { Manager, type ManagerOptions } from "./manager.ts";

const TASKS: ResourceType = {
  group: "aisre.io",
  version: "v1alpha1",
  kind: "SreTask",
  plural: "sretasks",
  namespaced: true,
};
const task = (name: string): KubernetesObject => ({
  apiVersion: "aisre.io/v1alpha1",
  kind: "SreTask",
  metadata: { namespace: "ns", name, resourceVersion: "1" },
});

const waitFor = async (cond: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
};

const get = async (port: number | undefined, path: string) => {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: await res.text() };
};

const FAST_LEASE = { leaseDurationMs: 1500, renewDeadlineMs: 1000, retryPeriodMs: 100 };

interface Replica {
  mgr: Manager;
  signals: EventEmitter;
  reconciled: string[];
  events: string[];
  exit: Promise<number>;
}

function replica(lw: FakeListWatcher, extra: Partial<ManagerOptions> = {}, reconcileMs = 0): Replica {
  const signals = new EventEmitter();
  const reconciled: string[] = [];
  const events: string[] = [];
  const mgr = new Manager({
    metricsPort: 0,
    healthPort: 0,
    host: "127.0.0.1",
    signals,
    metrics: createRuntimeMetrics({ defaultMetrics: false }),
    listWatcherFactory: () => lw,
    onStartedLeading: (id) => events.push(`leading:${id}`),
    onStoppedLeading: (r: StopReason) => events.push(`stopped:${r}`),
    ...extra,
  });
  mgr.addController({
    name: "sretask",
    for: mgr.informer(TASKS, { namespace: "ns" }),
    reconcile: async (req) => {
      if (reconcileMs) await new Promise((r) => setTimeout(r, reconcileMs));
      reconciled.push(req.name);
      events.push(`reconciled:${req.name}`);
    },
  });
  return { mgr, signals, reconciled, events, exit: mgr.run() };
}

describe("Manager", () => {
  const replicas: Replica[] = [];
  afterEach(async () => {
    for (const r of replicas.splice(0)) await r.mgr.stop();
  });

  it("without leader election: reconciles, serves /metrics and /readyz, exits 0 on SIGTERM", async () => {
    const lw = new FakeListWatcher();
    lw.items = [task("a")];
    const r = replica(lw);
    replicas.push(r);
    await waitFor(() => r.reconciled.length === 1 && r.mgr.isReady());
    expect(r.mgr.isLeader()).toBe(true);
    expect(await get(r.mgr.healthPort, "/readyz")).toEqual({ status: 200, body: "ok\n" });
    expect((await get(r.mgr.healthPort, "/healthz")).status).toBe(200);
    const metrics = await get(r.mgr.metricsPort, "/metrics");
    expect(metrics.body).toContain(
      'controller_runtime_reconcile_total{controller="sretask",result="success"} 1',
    );
    expect(metrics.body).toContain('workqueue_adds_total{name="sretask"} 1');
    r.signals.emit("SIGTERM");
    expect(await r.exit).toBe(0);
    await expect(fetch(`http://127.0.0.1:${r.mgr.healthPort}/healthz`)).rejects.toThrow();
  });

  it("elects one of two replicas; the standby is ready, takes over on SIGTERM of the leader", async () => {
    const store = new FakeLeaseStore();
    const lwA = new FakeListWatcher();
    const lwB = new FakeListWatcher();
    lwA.items = lwB.items = [task("a")];
    const le = (identity: string) => ({
      leaderElection: {
        namespace: "aisre-system",
        name: "aisre-operator",
        identity,
        client: store.clientFor(),
        ...FAST_LEASE,
      },
    });
    const a = replica(lwA, le("a"));
    replicas.push(a);
    await waitFor(() => a.mgr.isLeader() && a.reconciled.length === 1);
    const b = replica(lwB, le("b"));
    replicas.push(b);
    await waitFor(() => b.mgr.isReady());
    await new Promise((r) => setTimeout(r, 300));
    expect(b.mgr.isLeader()).toBe(false);
    expect(b.reconciled).toEqual([]);
    expect((await get(a.mgr.metricsPort, "/metrics")).body).toContain(
      'leader_election_master_status{name="aisre-operator"} 1',
    );
    expect((await get(b.mgr.metricsPort, "/metrics")).body).toContain(
      'leader_election_master_status{name="aisre-operator"} 0',
    );
    const t0 = Date.now();
    a.signals.emit("SIGTERM");
    expect(await a.exit).toBe(0);
    expect(a.events).toEqual(["leading:a", "reconciled:a", "stopped:released"]);
    await waitFor(() => b.reconciled.length === 1);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(b.events[0]).toBe("leading:b");
  });

  it("finishes the reconcile in flight before releasing the lease on SIGTERM", async () => {
    const store = new FakeLeaseStore();
    const log: string[] = [];
    const client = store.clientFor();
    const watched = {
      ...client,
      update: async (l: Parameters<typeof client.update>[0]) => {
        if (l.spec?.holderIdentity === "") log.push("released");
        return client.update(l);
      },
    };
    const lw = new FakeListWatcher();
    lw.items = [task("slow")];
    const r = replica(
      lw,
      { leaderElection: { namespace: "n", name: "l", identity: "a", client: watched, ...FAST_LEASE } },
      300,
    );
    replicas.push(r);
    await waitFor(() => r.mgr.isLeader());
    await new Promise((res) => setTimeout(res, 50));
    r.signals.emit("SIGTERM");
    expect((await get(r.mgr.healthPort, "/readyz?verbose")).body).toContain("[-]running failed");
    expect(await r.exit).toBe(0);
    log.unshift(...r.events.filter((e) => e.startsWith("reconciled")));
    expect(log).toEqual(["reconciled:slow", "released"]);
    expect(r.events.indexOf("reconciled:slow")).toBeLessThan(r.events.indexOf("stopped:released"));
    expect(store.lease?.spec?.holderIdentity).toBe("");
  });

  it("resolves 1 when leadership is lost", async () => {
    const store = new FakeLeaseStore();
    let down = false;
    const lw = new FakeListWatcher();
    const r = replica(lw, {
      leaderElection: {
        namespace: "n",
        name: "l",
        identity: "a",
        client: store.clientFor({ down: () => down }),
        ...FAST_LEASE,
      },
    });
    replicas.push(r);
    await waitFor(() => r.mgr.isLeader());
    down = true;
    expect(await r.exit).toBe(1);
    expect(r.events).toEqual(["leading:a", "stopped:lost"]);
  });

  it("exits 1 at once on a second signal, and refuses to start twice", async () => {
    const lw = new FakeListWatcher();
    const r = replica(lw, { drainTimeoutMs: 10_000 }, 1000);
    replicas.push(r);
    lw.items = [task("x")];
    await waitFor(() => r.mgr.isReady());
    r.signals.emit("SIGINT");
    r.signals.emit("SIGINT");
    expect(await r.exit).toBe(1);
    await expect(r.mgr.start()).rejects.toThrow(/cannot start/);
  });

  it("starts a deferred informer only once the other informers have listed", async () => {
    const PODS: ResourceType = { group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true };
    const tasks = new FakeListWatcher();
    const pods = new FakeListWatcher();
    tasks.items = [task("a")];
    let release: () => void = () => {};
    const held = new Promise<void>((r) => (release = r));
    let asked = 0;
    const list = tasks.list.bind(tasks);
    tasks.list = async () => {
      asked++;
      await held;
      return list();
    };
    const mgr = new Manager({
      metricsPort: 0,
      healthPort: 0,
      host: "127.0.0.1",
      signals: new EventEmitter(),
      metrics: createRuntimeMetrics({ defaultMetrics: false }),
      listWatcherFactory: (rt) => (rt.kind === "Pod" ? pods : tasks),
    });
    const reconciled: string[] = [];
    mgr.addController({
      name: "sretask",
      for: mgr.informer(TASKS, { namespace: "ns" }),
      reconcile: async (req) => void reconciled.push(req.name),
    });
    const podCache = mgr.informer(PODS);
    mgr.deferStart(podCache);
    void mgr.run();
    try {
      await waitFor(() => asked === 1);
      await new Promise((res) => setTimeout(res, 100));
      expect(pods.lists).toBe(0);
      release();
      await waitFor(() => podCache.hasSynced() && reconciled.length === 1);
      expect(pods.lists).toBe(1);
    } finally {
      release();
      await mgr.stop();
    }
  });
});
