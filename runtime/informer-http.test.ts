import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { KubeConfig, type KubernetesObject } from "@kubernetes/client-node";
import { afterEach, describe, expect, it } from "vitest";
import { Informer } from "./informer.ts";
import { KubeClient, type ResourceType } from "../kube/kube-api.ts";
import { kubeListWatcher } from "../kube/list-watch.ts";

const CM: ResourceType = {
  group: "",
  version: "v1",
  kind: "ConfigMap",
  plural: "configmaps",
  namespaced: true,
};

const waitFor = async (cond: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** A fake API server that lists ConfigMaps and keeps watch streams open for the test to write to. */
async function streamingServer() {
  const lists: URLSearchParams[] = [];
  const watches: Array<{ query: URLSearchParams; res: ServerResponse }> = [];
  let items: KubernetesObject[] = [{ metadata: { namespace: "ns", name: "a", resourceVersion: "1" } }];
  let rv = "10";
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.searchParams.get("watch") === "true") {
      res.writeHead(200, { "content-type": "application/json" });
      res.flushHeaders();
      watches.push({ query: url.searchParams, res });
      return;
    }
    lists.push(url.searchParams);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ kind: "ConfigMapList", items, metadata: { resourceVersion: rv } }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: "c",
        server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        skipTLSVerify: true,
      },
    ],
    users: [{ name: "u", token: "t" }],
    contexts: [{ name: "x", cluster: "c", user: "u" }],
    currentContext: "x",
  });
  return {
    kc,
    lists,
    watches,
    setList: (next: KubernetesObject[], nextRv: string) => {
      items = next;
      rv = nextRv;
    },
    send: (type: string, object: unknown) =>
      watches.at(-1)?.res.write(`${JSON.stringify({ type, object })}\n`),
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

describe("Informer over client-node's Watch", () => {
  let cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanup.reverse()) await c();
    cleanup = [];
  });

  it("lists, watches with bookmarks, relists on 410, and re-watches after a dropped connection", async () => {
    const api = await streamingServer();
    cleanup.push(api.close);
    const lw = kubeListWatcher(api.kc, KubeClient.fromKubeConfig(api.kc), CM, { namespace: "ns" });
    const informer = new Informer({
      listWatcher: lw,
      resyncMs: 0,
      backoff: { initialMs: 20, maxMs: 20 },
    });
    cleanup.push(() => informer.stop());
    informer.start();
    await waitFor(() => api.watches.length === 1);
    expect(informer.get("ns", "a")).toMatchObject({ apiVersion: "v1", kind: "ConfigMap" });
    const q = api.watches[0]?.query;
    expect([q?.get("resourceVersion"), q?.get("allowWatchBookmarks")]).toEqual(["10", "true"]);
    expect(Number(q?.get("timeoutSeconds"))).toBeGreaterThanOrEqual(300);

    api.send("ADDED", { kind: "ConfigMap", metadata: { namespace: "ns", name: "b", resourceVersion: "11" } });
    await waitFor(() => informer.get("ns", "b") !== undefined);

    api.setList([{ metadata: { namespace: "ns", name: "c", resourceVersion: "20" } }], "20");
    api.send("ERROR", { kind: "Status", code: 410, reason: "Expired" });
    await waitFor(() => api.watches.length === 2);
    expect(api.lists).toHaveLength(2);
    expect(informer.list().map((o) => o.metadata?.name)).toEqual(["c"]);
    expect(api.watches[1]?.query.get("resourceVersion")).toBe("20");

    api.send("MODIFIED", {
      kind: "ConfigMap",
      metadata: { namespace: "ns", name: "c", resourceVersion: "21" },
    });
    await waitFor(() => informer.lastSyncResourceVersion() === "21");
    api.watches[1]?.res.destroy();
    await waitFor(() => api.watches.length === 3);
    expect(api.watches[2]?.query.get("resourceVersion")).toBe("21");
    expect(api.lists).toHaveLength(2);
  });
});
