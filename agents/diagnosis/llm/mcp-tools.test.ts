import { describe, expect, it } from "vitest";
import type { RemoteToolSource } from "../../../tools/mcp/client.ts";
import { FENCE_OPEN } from "./fence.ts";
import { remoteServerConfigs, withRemoteTools } from "./mcp-tools.ts";
import { makeSanitizer } from "./sanitize.ts";
import type { ToolBox } from "./tools.ts";

const remote: RemoteToolSource = {
  tools: [
    {
      qualified: "mcp_graf_search",
      server: "graf",
      name: "search",
      description: "Search dashboards.",
      inputSchema: { type: "object" },
    },
  ],
  call: async (_name, args) => `dashboards for ${String(args.query)}: api_key=abcdef0123456789abcdef`,
};

function ours(): ToolBox {
  let calls = 0;
  return {
    definitions: [],
    get calls() {
      return calls;
    },
    async run(name) {
      calls++;
      return `ours ${name}`;
    },
  };
}

const limits = { maxCalls: 2, maxChars: 1000, maxTotalChars: 5000 };

describe("withRemoteTools", () => {
  it("fences and redacts remote answers and shares the call budget with our tools", async () => {
    const box = withRemoteTools(ours(), remote, makeSanitizer(), limits);
    expect(box.definitions.map((d) => d.function.name)).toEqual(["mcp_graf_search"]);
    const out = await box.run("mcp_graf_search", { query: "checkout" });
    expect(out.startsWith(`${FENCE_OPEN} (remote MCP tool mcp_graf_search`)).toBe(true);
    expect(out).toContain("dashboards for checkout");
    expect(out).not.toContain("abcdef0123456789abcdef");
    expect(await box.run("get_object", {})).toBe("ours get_object");
    expect(await box.run("mcp_graf_search", { query: "x" })).toMatch(/budget is spent/);
    expect(box.calls).toBe(3);
  });
});

describe("remoteServerConfigs", () => {
  it("reads headers from the Secret and honours allowWriteTools only for the cluster policy", async () => {
    const spec = [
      {
        name: "graf",
        url: "https://grafana.example/mcp",
        headersSecretRef: { name: "graf-mcp" },
        allowedTools: ["search"],
        allowWriteTools: true,
      },
    ];
    const read = async (name: string) => ({ authorization: `Bearer from-${name}` });
    const [ns] = await remoteServerConfigs(spec, read, false);
    expect(ns).toMatchObject({ headers: { authorization: "Bearer from-graf-mcp" }, allowWriteTools: false });
    const [cluster] = await remoteServerConfigs(spec, read, true);
    expect(cluster).toMatchObject({
      allowWriteTools: true,
      transport: "streamable-http",
      timeoutSeconds: 20,
    });
  });
});
