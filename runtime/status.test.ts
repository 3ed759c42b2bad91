import { ApiException } from "@kubernetes/client-node";
import { afterEach, describe, expect, it } from "vitest";
import { setCondition, type Condition } from "./conditions.ts";
import { startFakeApiServer, type FakeApiServer } from "../kube/fake-api-server.ts";
import type { ResourceType } from "../kube/kube-api.ts";
import { StatusWriter, customObjectsStatusClient, type StatusClient } from "./status.ts";

interface TaskStatus {
  phase?: string;
  observedGeneration?: number;
  conditions?: Condition[];
}
interface Task {
  apiVersion: string;
  kind: string;
  metadata: { namespace: string; name: string; resourceVersion: string; generation?: number };
  spec?: unknown;
  status?: TaskStatus;
}

const RT: ResourceType = {
  group: "aisre.io",
  version: "v1alpha1",
  kind: "SreTask",
  plural: "sretasks",
  namespaced: true,
};
const task = (rv: string, status?: TaskStatus): Task => ({
  apiVersion: "aisre.io/v1alpha1",
  kind: "SreTask",
  metadata: { namespace: "ns", name: "t1", resourceVersion: rv, generation: 2 },
  status,
});

/** An in-memory object with resourceVersion preconditions, like the API server. */
class FakeStatusClient implements StatusClient {
  server: Task;
  calls: string[] = [];
  failWith: unknown;
  constructor(server: Task) {
    this.server = server;
  }
  async get<T>(): Promise<T> {
    this.calls.push("get");
    return structuredClone(this.server) as T;
  }
  async patchStatus<T>(_rt: ResourceType, _ns: string, _n: string, patch: unknown): Promise<T> {
    const p = patch as { metadata: { resourceVersion: string }; status: TaskStatus };
    this.calls.push(`patch ${JSON.stringify(p)}`);
    return this.commit(p.metadata.resourceVersion, { ...this.server.status, ...p.status }) as T;
  }
  async replaceStatus<T>(_rt: ResourceType, _ns: string, _n: string, obj: T): Promise<T> {
    const o = obj as Task;
    this.calls.push(`put ${o.metadata.resourceVersion}`);
    return this.commit(o.metadata.resourceVersion, o.status) as T;
  }
  private commit(rv: string, status: TaskStatus | undefined): Task {
    if (this.failWith) throw this.failWith;
    if (rv !== this.server.metadata.resourceVersion)
      throw new ApiException(409, "Conflict", { code: 409 }, {});
    const next = Number(this.server.metadata.resourceVersion) + 1;
    this.server = {
      ...this.server,
      metadata: { ...this.server.metadata, resourceVersion: String(next) },
      status,
    };
    return structuredClone(this.server);
  }
}

const markReady = (s: TaskStatus, obj: Task): void => {
  s.phase = "Ready";
  s.observedGeneration = obj.metadata.generation;
  s.conditions = setCondition(
    s.conditions,
    { type: "Ready", status: "True", reason: "Done", message: "" },
    0,
  );
};

describe("StatusWriter", () => {
  it("skips the write when the status would not change", async () => {
    const ready: TaskStatus = {};
    markReady(ready, task("1"));
    const client = new FakeStatusClient(task("1", ready));
    const writer = new StatusWriter({ client });
    const res = await writer.update(RT, task("1", structuredClone(ready)), markReady);
    expect(res.written).toBe(false);
    expect(client.calls).toEqual([]);
  });

  it("merge-patches only the changed fields, guarded by resourceVersion", async () => {
    const client = new FakeStatusClient(task("1", { phase: "Pending", observedGeneration: 1 }));
    const writer = new StatusWriter({ client });
    const res = await writer.update(RT, task("1", { phase: "Pending", observedGeneration: 1 }), (s) => ({
      ...s,
      phase: "Running",
    }));
    expect(res.written).toBe(true);
    expect(res.obj.metadata.resourceVersion).toBe("2");
    expect(client.calls).toEqual([`patch {"metadata":{"resourceVersion":"1"},"status":{"phase":"Running"}}`]);
  });

  it("on 409 re-reads the object and re-applies the mutation", async () => {
    const client = new FakeStatusClient(task("5", { phase: "Pending" }));
    const writer = new StatusWriter({ client });
    const res = await writer.update(RT, task("4", { phase: "Pending" }), markReady);
    expect(client.calls.map((c) => c.split(" ")[0])).toEqual(["patch", "get", "patch"]);
    expect(res.obj.metadata.resourceVersion).toBe("6");
    expect(client.server.status?.phase).toBe("Ready");
  });

  it("stops after a conflict when the fresh object already has the desired status", async () => {
    const ready: TaskStatus = {};
    markReady(ready, task("1"));
    const client = new FakeStatusClient(task("9", ready));
    const res = await new StatusWriter({ client }).update(RT, task("8", {}), markReady);
    expect(res).toMatchObject({ written: false, obj: { metadata: { resourceVersion: "9" } } });
  });

  it("gives up after maxAttempts conflicts and rethrows other errors at once", async () => {
    const client = new FakeStatusClient(task("1"));
    client.failWith = new ApiException(409, "Conflict", {}, {});
    const writer = new StatusWriter({ client, maxAttempts: 3 });
    await expect(writer.update(RT, task("1"), markReady)).rejects.toMatchObject({ code: 409 });
    expect(client.calls.filter((c) => c.startsWith("patch"))).toHaveLength(3);
    client.calls = [];
    client.failWith = new ApiException(500, "boom", {}, {});
    await expect(writer.update(RT, task("1"), markReady)).rejects.toMatchObject({ code: 500 });
    expect(client.calls).toHaveLength(1);
  });

  it("update mode PUTs the whole object with its resourceVersion", async () => {
    const client = new FakeStatusClient(task("3"));
    const res = await new StatusWriter({ client, mode: "update" }).update(RT, task("3"), markReady);
    expect(client.calls).toEqual(["put 3"]);
    expect(res.obj.status?.phase).toBe("Ready");
  });
});

describe("customObjectsStatusClient", () => {
  let api: FakeApiServer | undefined;
  afterEach(async () => api?.close());

  it("sends a merge patch to /status with the field manager, and retries a real 409", async () => {
    let patches = 0;
    api = await startFakeApiServer((req) => {
      if (req.method === "PATCH" && patches++ === 0)
        return { status: 409, body: { kind: "Status", code: 409 } };
      if (req.method === "GET") return { body: task("7", { phase: "Pending" }) };
      return { body: task("8", { phase: "Ready" }) };
    });
    const writer = new StatusWriter({ client: customObjectsStatusClient(api.kc) });
    const res = await writer.update(RT, task("6"), (s: TaskStatus) => ({ ...s, phase: "Ready" }));
    expect(res.written).toBe(true);
    const [first, get, second] = api.requests;
    expect(first).toMatchObject({
      method: "PATCH",
      path: "/apis/aisre.io/v1alpha1/namespaces/ns/sretasks/t1/status",
      contentType: "application/merge-patch+json",
      body: { metadata: { resourceVersion: "6" }, status: { phase: "Ready" } },
    });
    expect(first?.query.get("fieldManager")).toBe("aisre-operator");
    expect(get).toMatchObject({ method: "GET", path: "/apis/aisre.io/v1alpha1/namespaces/ns/sretasks/t1" });
    expect(second?.body).toEqual({ metadata: { resourceVersion: "7" }, status: { phase: "Ready" } });
  });

  it("PUTs to /status in update mode and handles cluster-scoped kinds", async () => {
    api = await startFakeApiServer(() => ({ body: task("2") }));
    const client = customObjectsStatusClient(api.kc);
    await new StatusWriter({ client, mode: "update" }).update(RT, task("1"), markReady);
    await client.patchStatus({ ...RT, namespaced: false }, "", "c1", { status: {} });
    expect(api.requests.map((r) => `${r.method} ${r.path} ${r.contentType}`)).toEqual([
      "PUT /apis/aisre.io/v1alpha1/namespaces/ns/sretasks/t1/status application/json",
      "PATCH /apis/aisre.io/v1alpha1/sretasks/c1/status application/merge-patch+json",
    ]);
  });
});
