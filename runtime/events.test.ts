import { ApiException, type CoreV1Event } from "@kubernetes/client-node";
import { afterEach, describe, expect, it } from "vitest";
import { coreEventClient, EventRecorder, type EventClient } from "./events.ts";
import { startFakeApiServer, type FakeApiServer } from "../kube/fake-api-server.ts";

const task = {
  apiVersion: "aisre.io/v1alpha1",
  kind: "SreTask",
  metadata: { namespace: "ns", name: "t1", uid: "u1", resourceVersion: "5" },
};

class FakeEventClient implements EventClient {
  created: CoreV1Event[] = [];
  patches: Array<{ name: string; patch: object }> = [];
  patchError: unknown;
  createError: unknown;
  async create(_ns: string, e: CoreV1Event) {
    if (this.createError) throw this.createError;
    this.created.push(e);
  }
  async patch(_ns: string, name: string, patch: object) {
    if (this.patchError) throw this.patchError;
    this.patches.push({ name, patch });
  }
}

let now = Date.parse("2025-01-01T00:00:00Z");
const clock = { now: () => now, setTimeout: () => 0, clearTimeout: () => {} };

describe("EventRecorder", () => {
  it("creates a core/v1 Event on the object", async () => {
    const client = new FakeEventClient();
    await new EventRecorder({ client, instance: "pod-1", clock }).normal(
      task,
      "Classified",
      "type is Diagnose",
    );
    const [e] = client.created;
    expect(e).toMatchObject({
      metadata: { namespace: "ns" },
      involvedObject: {
        apiVersion: "aisre.io/v1alpha1",
        kind: "SreTask",
        name: "t1",
        namespace: "ns",
        uid: "u1",
      },
      type: "Normal",
      reason: "Classified",
      message: "type is Diagnose",
      count: 1,
      source: { component: "aisre-operator", host: "pod-1" },
      reportingComponent: "aisre-operator",
      reportingInstance: "pod-1",
    });
    expect(e?.metadata.name).toMatch(/^t1\.[0-9a-f]+$/);
    expect(e?.firstTimestamp?.toISOString()).toBe("2025-01-01T00:00:00.000Z");
  });

  it("writes events of different objects concurrently, repeats of one event in turn", async () => {
    const started: string[] = [];
    const release: Array<() => void> = [];
    const client: EventClient = {
      create: (_ns, e) => {
        started.push(`create ${e.involvedObject.name}`);
        return new Promise((r) => release.push(() => r(undefined)));
      },
      patch: (_ns, name) => {
        started.push(`patch ${name}`);
        return Promise.resolve();
      },
    };
    const rec = new EventRecorder({ client, clock });
    const other = { ...task, metadata: { ...task.metadata, name: "t2", uid: "u2" } };
    const writes = [rec.normal(task, "A", "m"), rec.normal(other, "A", "m"), rec.normal(task, "A", "m")];
    await new Promise((r) => setTimeout(r, 10));
    // Both objects' creates are in flight at once; the repeat waits for its first write.
    expect(started).toEqual(["create t1", "create t2"]);
    release.splice(0).forEach((r) => r());
    await Promise.all(writes);
    await rec.flush();
    expect(started).toHaveLength(3);
    expect(started[2]).toMatch(/^patch t1\./);
  });

  it("aggregates repeats into count/lastTimestamp on the same Event", async () => {
    const client = new FakeEventClient();
    const rec = new EventRecorder({ client, clock });
    void rec.warning(task, "Failed", "boom");
    void rec.warning(task, "Failed", "boom");
    now += 60_000;
    await rec.warning(task, "Failed", "boom");
    await rec.warning(task, "Failed", "other message");
    expect(client.created).toHaveLength(2);
    const name = client.created[0]?.metadata.name;
    expect(client.patches).toEqual([
      { name, patch: { count: 2, lastTimestamp: "2025-01-01T00:00:00.000Z" } },
      { name, patch: { count: 3, lastTimestamp: "2025-01-01T00:01:00.000Z" } },
    ]);
  });

  it("starts a new Event when the old one expired", async () => {
    const client = new FakeEventClient();
    const rec = new EventRecorder({ client, clock });
    await rec.normal(task, "R", "m");
    client.patchError = new ApiException(404, "NotFound", {}, {});
    await rec.normal(task, "R", "m");
    expect(client.created).toHaveLength(2);
  });

  it("never rejects, truncates long messages, and forgets least recently used entries", async () => {
    const client = new FakeEventClient();
    const rec = new EventRecorder({ client, clock, cacheSize: 1 });
    client.createError = new Error("forbidden");
    await expect(rec.normal(task, "R", "x")).resolves.toBeUndefined();
    client.createError = undefined;
    await rec.normal(task, "R", "y".repeat(5000));
    expect(client.created[0]?.message).toHaveLength(1024);
    await rec.normal(task, "R", "a");
    await rec.normal(task, "R", "y".repeat(5000));
    expect(client.created).toHaveLength(3);
    await rec.flush();
  });

  it("puts events of cluster-scoped objects in the default namespace", async () => {
    const client = new FakeEventClient();
    await new EventRecorder({ client, clock }).normal({ kind: "Node", metadata: { name: "n1" } }, "R", "m");
    expect(client.created[0]?.metadata.namespace).toBe("default");
  });
});

describe("coreEventClient", () => {
  let api: FakeApiServer | undefined;
  afterEach(async () => api?.close());

  it("POSTs to core/v1 events and merge-patches repeats", async () => {
    api = await startFakeApiServer((req) => ({ status: req.method === "POST" ? 201 : 200, body: {} }));
    const rec = new EventRecorder({ client: coreEventClient(api.kc), clock });
    await rec.normal(task, "R", "m");
    await rec.normal(task, "R", "m");
    const [create, patch] = api.requests;
    expect(create).toMatchObject({ method: "POST", path: "/api/v1/namespaces/ns/events" });
    expect((create?.body as { firstTimestamp: string }).firstTimestamp).toBe(new Date(now).toISOString());
    expect(patch).toMatchObject({
      method: "PATCH",
      contentType: "application/merge-patch+json",
      body: { count: 2 },
    });
    expect(patch?.path).toMatch(/^\/api\/v1\/namespaces\/ns\/events\/t1\.[0-9a-f]+$/);
  });
});
