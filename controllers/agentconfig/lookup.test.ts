import { describe, expect, it } from "vitest";
import type { AgentConfig } from "../../crds/index.ts";
import type { KubeClient } from "../../runtime/index.ts";
import { findAgentConfig, llmApiKey } from "./lookup.ts";

type Ref = { kind?: string; metadata?: { name?: string; namespace?: string } };
const config = (namespace: string, name: string, ref?: { name: string; key: string }): AgentConfig => ({
  apiVersion: "aisre.io/v1alpha1",
  kind: "AgentConfig",
  metadata: { name, namespace },
  spec: ref ? { llm: { enabled: true, apiKeySecretRef: ref } } : {},
});

/** A client over a fixed set of objects keyed "Kind/namespace/name", recording what was read. */
function fakeClient(objects: Record<string, unknown>): { client: KubeClient; reads: string[] } {
  const reads: string[] = [];
  const client = {
    getObject: async (ref: Ref) => {
      const key = `${ref.kind}/${ref.metadata?.namespace}/${ref.metadata?.name}`;
      reads.push(key);
      return objects[key];
    },
  } as unknown as KubeClient;
  return { client, reads };
}

const b64 = (s: string) => Buffer.from(s).toString("base64");

describe("findAgentConfig", () => {
  it("takes the named config in the namespace, else the operator namespace's default", async () => {
    const own = config("shop", "team");
    const fallback = config("aisre-system", "default");
    const { client, reads } = fakeClient({
      "AgentConfig/shop/team": own,
      "AgentConfig/aisre-system/default": fallback,
    });
    expect(await findAgentConfig(client, "shop", "team", "aisre-system")).toBe(own);
    expect(await findAgentConfig(client, "shop", undefined, "aisre-system")).toBe(fallback);
    expect(reads).toEqual([
      "AgentConfig/shop/team",
      "AgentConfig/shop/default",
      "AgentConfig/aisre-system/default",
    ]);
    expect(await findAgentConfig(fakeClient({}).client, "shop", "x", "aisre-system")).toBeUndefined();
  });
});

describe("llmApiKey", () => {
  it("reads the key from the referenced Secret in the config's namespace, apiKey by default", async () => {
    const { client } = fakeClient({
      "Secret/shop/llm": { data: { apiKey: b64("sk-1\n"), other: b64("sk-2") } },
    });
    const noKey = { name: "llm" } as { name: string; key: string };
    expect(await llmApiKey(client, config("shop", "default", noKey))).toBe("sk-1");
    expect(await llmApiKey(client, config("shop", "default", { name: "llm", key: "other" }))).toBe("sk-2");
    expect(
      await llmApiKey(client, config("shop", "default", { name: "llm", key: "absent" })),
    ).toBeUndefined();
    expect(
      await llmApiKey(client, config("shop", "default", { name: "gone", key: "apiKey" })),
    ).toBeUndefined();
    expect(await llmApiKey(client, config("shop", "default"))).toBeUndefined();
  });
});
