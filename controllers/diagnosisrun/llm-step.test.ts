import { afterEach, describe, expect, it } from "vitest";
import type { AgentConfig, DiagnosisRun } from "../../crds/index.ts";
import { startFakeApiServer, type FakeApiServer } from "../../kube/fake-api-server.ts";
import { KubeClient } from "../../runtime/index.ts";
import type { AgentConfigCache } from "../agentconfig/lookup.ts";
import { agentConfigFor } from "./llm-step.ts";

const run = {
  metadata: { namespace: "team", name: "r1" },
  spec: { taskRef: { name: "t1" } },
} as unknown as DiagnosisRun;
const config = (namespace: string, name: string) =>
  ({ metadata: { namespace, name }, spec: {} }) as unknown as AgentConfig;

function cacheOf(configs: AgentConfig[], covered = (_ns: string) => true): AgentConfigCache {
  return {
    get: (ns, name) => configs.find((c) => c.metadata.namespace === ns && c.metadata.name === name),
    covers: covered,
  };
}

let api: FakeApiServer | undefined;
afterEach(async () => api?.close());

describe("agentConfigFor", () => {
  it("reads the run's own config, else the operator namespace's default, from a covering cache", async () => {
    api = await startFakeApiServer(() => ({ status: 500 }));
    const client = KubeClient.fromKubeConfig(api.kc);
    const own = config("team", "default");
    const fallback = config("aisre-system", "default");
    expect(await agentConfigFor(client, run, "aisre-system", cacheOf([own, fallback]))).toBe(own);
    expect(await agentConfigFor(client, run, "aisre-system", cacheOf([fallback]))).toBe(fallback);
    expect(await agentConfigFor(client, run, "aisre-system", cacheOf([]))).toBeUndefined();
    expect(api.requests).toHaveLength(0);
  });

  it("asks the API server when the cache does not cover the operator namespace", async () => {
    const discovery = {
      kind: "APIResourceList",
      groupVersion: "aisre.io/v1alpha1",
      resources: [{ name: "agentconfigs", namespaced: true, kind: "AgentConfig", verbs: ["get"] }],
    };
    const fallback = {
      ...config("aisre-system", "default"),
      apiVersion: "aisre.io/v1alpha1",
      kind: "AgentConfig",
    };
    api = await startFakeApiServer((req) => {
      if (req.path === "/apis/aisre.io/v1alpha1") return { body: discovery };
      if (req.path.includes("/namespaces/aisre-system/")) return { body: fallback };
      return { status: 404, body: { kind: "Status", code: 404 } };
    });
    const client = KubeClient.fromKubeConfig(api.kc);
    const cache = cacheOf([], (ns) => ns === "team");
    const found = await agentConfigFor(client, run, "aisre-system", cache);
    expect(found?.metadata.namespace).toBe("aisre-system");
    expect(api.requests.map((r) => r.path).filter((p) => p.includes("/agentconfigs/"))).toEqual([
      "/apis/aisre.io/v1alpha1/namespaces/team/agentconfigs/default",
      "/apis/aisre.io/v1alpha1/namespaces/aisre-system/agentconfigs/default",
    ]);
  });
});
