import { afterEach, describe, expect, it } from "vitest";
import { startFakeApiServer, type FakeApiServer } from "./fake-api-server.ts";
import { KubeClient, type ResourceType } from "./kube-api.ts";
import { kubeListWatcher } from "../kube/list-watch.ts";

const PODS: ResourceType = { group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true };

describe("kubeListWatcher", () => {
  let api: FakeApiServer | undefined;
  afterEach(async () => api?.close());

  it("pages through the list, fills apiVersion/kind, and falls back when the continue token expires", async () => {
    let expire = false;
    api = await startFakeApiServer((req) => {
      const cont = req.query.get("continue");
      if (cont && expire) return { status: 410, body: { kind: "Status", code: 410 } };
      if (!req.query.get("limit"))
        return { body: { items: [{ metadata: { name: "all" } }], metadata: { resourceVersion: "99" } } };
      if (!cont)
        return {
          body: { items: [{ metadata: { name: "a" } }], metadata: { resourceVersion: "5", continue: "c1" } },
        };
      return { body: { items: [{ metadata: { name: "b" } }], metadata: { resourceVersion: "5" } } };
    });
    const client = KubeClient.fromKubeConfig(api.kc);
    const lw = kubeListWatcher(api.kc, client, PODS, {
      namespace: "ns",
      labelSelector: "app=x",
      pageSize: 1,
    });
    const res = await lw.list();
    expect(res.resourceVersion).toBe("5");
    expect(res.items).toEqual([
      { apiVersion: "v1", kind: "Pod", metadata: { name: "a" } },
      { apiVersion: "v1", kind: "Pod", metadata: { name: "b" } },
    ]);
    expect(api.requests[0]?.path).toBe("/api/v1/namespaces/ns/pods");
    expect(api.requests[0]?.query.get("labelSelector")).toBe("app=x");
    expire = true;
    const fallback = await lw.list();
    expect(fallback.items.map((i) => i.metadata?.name)).toEqual(["all"]);
    expect(fallback.resourceVersion).toBe("99");
  });

  it("shapes each item as its page arrives and leaves out the items the shape drops", async () => {
    api = await startFakeApiServer((req) =>
      req.query.get("continue")
        ? { body: { items: [{ metadata: { name: "c" } }], metadata: { resourceVersion: "7" } } }
        : {
            body: {
              items: [{ metadata: { name: "a" } }, { metadata: { name: "drop" } }],
              metadata: { resourceVersion: "7", continue: "c1" },
            },
          },
    );
    const lw = kubeListWatcher(api.kc, KubeClient.fromKubeConfig(api.kc), PODS, { pageSize: 2 });
    // Which list request had been answered when each item was shaped.
    const shapedAfter: Array<[string, number]> = [];
    const res = await lw.list(undefined, (o) => {
      shapedAfter.push([o.metadata?.name ?? "", api!.requests.length]);
      return o.metadata?.name === "drop"
        ? undefined
        : { ...o, metadata: { name: `lean-${o.metadata?.name}` } };
    });
    expect(shapedAfter).toEqual([
      ["a", 1],
      ["drop", 1],
      ["c", 2],
    ]);
    expect(res.shaped).toBe(true);
    expect(res.items.map((i) => i.metadata?.name)).toEqual(["lean-a", "lean-c"]);
  });
});
