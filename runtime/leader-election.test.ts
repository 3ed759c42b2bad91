import type { V1Lease } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startFakeApiServer, type FakeApiServer } from "../kube/fake-api-server.ts";
import { FakeLeaseStore as LeaseStore } from "./fake-lease-store.ts";
import {
  LeaderElector,
  coordinationLeaseClient,
  defaultIdentity,
  type StopReason,
} from "./leader-election.ts";

interface Tracked {
  elector: LeaderElector;
  events: string[];
}

function elector(store: LeaseStore, id: string, client = store.clientFor()): Tracked {
  const events: string[] = [];
  const e = new LeaderElector({
    client,
    namespace: "aisre-system",
    name: "aisre-operator",
    identity: id,
    random: () => 0,
    onStartedLeading: () => events.push("started"),
    onStoppedLeading: (r: StopReason) => events.push(`stopped:${r}`),
    onNewLeader: (who) => events.push(`leader:${who}`),
    onLeaderStatus: (on) => events.push(`gauge:${on ? 1 : 0}`),
  });
  return { elector: e, events };
}

const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

describe("LeaderElector", () => {
  let running: LeaderElector[] = [];
  beforeEach(() => void vi.useFakeTimers({ now: Date.parse("2025-01-01T00:00:00Z") }));
  afterEach(async () => {
    await Promise.all(running.map((e) => e.stop()));
    running = [];
    vi.useRealTimers();
  });
  const start = (t: Tracked): Tracked => {
    running.push(t.elector);
    t.elector.start();
    return t;
  };

  it("creates the lease, leads, and renews every retry period", async () => {
    const store = new LeaseStore();
    const a = start(elector(store, "a"));
    await tick();
    expect(a.elector.isLeader()).toBe(true);
    expect(a.events).toEqual(["gauge:0", "leader:a", "gauge:1", "started"]);
    expect(store.lease?.spec).toMatchObject({
      holderIdentity: "a",
      leaseDurationSeconds: 15,
      leaseTransitions: 0,
    });
    const renewed = store.lease?.spec?.renewTime;
    await tick(2000);
    expect(store.lease?.spec?.renewTime).not.toEqual(renewed);
    expect(String(store.lease?.spec?.renewTime)).toBe("2025-01-01T00:00:02.000000Z");
  });

  it("elects exactly one of two, and hands over at once on release", async () => {
    const store = new LeaseStore();
    const a = start(elector(store, "a"));
    await tick();
    const b = start(elector(store, "b"));
    await tick(10_000);
    expect([a.elector.isLeader(), b.elector.isLeader()]).toEqual([true, false]);
    expect(b.events).toEqual(["gauge:0", "leader:a"]);
    const t0 = Date.now();
    await a.elector.stop();
    expect(a.events.slice(-2)).toEqual(["gauge:0", "stopped:released"]);
    expect(store.lease?.spec?.holderIdentity).toBe("");
    while (!b.elector.isLeader()) await tick(100);
    expect(Date.now() - t0).toBeLessThanOrEqual(2000);
    expect(store.lease?.spec).toMatchObject({ holderIdentity: "b", leaseTransitions: 1 });
  });

  it("a leader that cannot renew for renewDeadline steps down as lost; a standby takes over within 20 s", async () => {
    const store = new LeaseStore();
    let down = false;
    const a = start(elector(store, "a", store.clientFor({ down: () => down })));
    await tick();
    const b = start(elector(store, "b"));
    await tick(4000);
    down = true; // a's API connection dies: its last renewal stands
    const lastRenew = Date.parse(String(store.lease?.spec?.renewTime));
    while (a.elector.isLeader()) await tick(100);
    expect(Date.now() - lastRenew).toBeGreaterThanOrEqual(10_000);
    expect(Date.now() - lastRenew).toBeLessThanOrEqual(12_000);
    expect(a.events.at(-1)).toBe("stopped:lost");
    expect(b.elector.isLeader()).toBe(false);
    while (!b.elector.isLeader()) await tick(100);
    expect(Date.now() - lastRenew).toBeGreaterThanOrEqual(15_000);
    expect(Date.now() - lastRenew).toBeLessThan(20_000);
    expect(b.events).toContain("leader:b");
  });

  it("treats a hung renewal as a failure once the renew deadline passes", async () => {
    const store = new LeaseStore();
    let hang = false;
    const a = start(elector(store, "a", store.clientFor({ hang: () => hang })));
    await tick();
    hang = true;
    await tick(12_500);
    expect(a.elector.isLeader()).toBe(false);
    expect(a.events.at(-1)).toBe("stopped:lost");
  });

  it("does not take a lease another process holds until it expires", async () => {
    const store = new LeaseStore();
    const a = start(elector(store, "a", store.clientFor()));
    await tick();
    await a.elector.stop();
    // Simulate a holder that stopped renewing without releasing.
    store.lease = {
      ...store.lease,
      spec: { ...store.lease?.spec, holderIdentity: "ghost", leaseDurationSeconds: 15 },
    };
    const b = start(elector(store, "b"));
    await tick(14_000);
    expect(b.elector.isLeader()).toBe(false);
    await tick(3000);
    expect(b.elector.isLeader()).toBe(true);
  });

  it("rejects a renew deadline that is not shorter than the lease", () => {
    expect(
      () =>
        new LeaderElector({
          client: new LeaseStore().clientFor(),
          namespace: "n",
          name: "l",
          renewDeadlineMs: 15_000,
        }),
    ).toThrow();
    expect(defaultIdentity()).toMatch(/^.+_\d+-[0-9a-f]{8}$/);
  });
});

describe("coordinationLeaseClient", () => {
  let api: FakeApiServer | undefined;
  afterEach(async () => api?.close());

  it("reads (404 → undefined), creates and replaces Leases with microsecond times", async () => {
    api = await startFakeApiServer((req) => {
      if (req.method === "GET") return { status: 404, body: { kind: "Status", code: 404 } };
      return { status: req.method === "POST" ? 201 : 200, body: req.body };
    });
    let leading!: () => void;
    const led = new Promise<void>((r) => (leading = r));
    const started = new LeaderElector({
      client: coordinationLeaseClient(api.kc),
      namespace: "aisre-system",
      name: "aisre-operator",
      identity: "me",
      onStartedLeading: () => leading(),
    });
    started.start();
    await led;
    const [get, create] = api.requests;
    expect(get).toMatchObject({
      method: "GET",
      path: "/apis/coordination.k8s.io/v1/namespaces/aisre-system/leases/aisre-operator",
    });
    expect(create).toMatchObject({
      method: "POST",
      path: "/apis/coordination.k8s.io/v1/namespaces/aisre-system/leases",
    });
    const spec = (create?.body as V1Lease).spec;
    expect(spec?.holderIdentity).toBe("me");
    expect(String(spec?.renewTime)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    await started.stop();
  });
});
