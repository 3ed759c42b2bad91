import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { KubeConfig } from "@kubernetes/client-node";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { AccessCheck } from "../auth/kube-auth.ts";
import { HttpError } from "../errors.ts";
import type { McpCaller } from "./context.ts";
import { denial } from "./context.ts";
import { boundedText } from "./output.ts";
import { createMcpServer } from "./server.ts";

/** A caller that may do nothing: every check is refused as the guard refuses it. */
function refusingCaller(seen: AccessCheck[]): McpCaller {
  return {
    username: "alice",
    kc: new KubeConfig(),
    logger: pino({ level: "silent" }),
    async authorize(check) {
      seen.push(check);
      throw new HttpError(403, denial("alice", check));
    },
  };
}

async function connected(caller: McpCaller): Promise<Client> {
  const [a, b] = InMemoryTransport.createLinkedPair();
  await createMcpServer(caller, { version: "test" }).connect(a);
  const client = new Client({ name: "t", version: "1" });
  await client.connect(b);
  return client;
}

describe("the MCP server", () => {
  it("validates arguments before any tool runs, naming the field", async () => {
    const seen: AccessCheck[] = [];
    const client = await connected(refusingCaller(seen));
    await expect(
      client.callTool({
        name: "query_prometheus",
        arguments: { namespace: "shop", promql: "up", rangeMinutes: 9999 },
      }),
    ).rejects.toMatchObject({ code: -32602, message: expect.stringMatching(/rangeMinutes must be <= 1440/) });
    await expect(
      client.callTool({ name: "get_task", arguments: { namespace: "shop" } }),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/must have required property 'name'/),
    });
    await expect(client.callTool({ name: "delete_everything", arguments: {} })).rejects.toMatchObject({
      code: -32602,
    });
    expect(seen).toEqual([]);
  });

  it("asks the caller's access before reading, and reports a refusal as a tool error", async () => {
    const seen: AccessCheck[] = [];
    const client = await connected(refusingCaller(seen));
    const result = await client.callTool({ name: "diagnose", arguments: { namespace: "shop" } });
    expect(result.isError).toBe(true);
    expect(result.content).toEqual([
      { type: "text", text: "forbidden: alice may not list pods in namespace shop" },
    ]);
    expect(seen).toEqual([{ verb: "list", resource: "pods", group: "", namespace: "shop" }]);
  });

  it("refuses PromQL that reads outside the namespace before asking anything", async () => {
    const seen: AccessCheck[] = [];
    const client = await connected(refusingCaller(seen));
    const result = await client.callTool({
      name: "query_prometheus",
      arguments: { namespace: "shop", promql: 'up{namespace="kube-system"}' },
    });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/error \(promql\): .*namespace=\\"shop\\"/);
    expect(seen).toEqual([]);
  });
});

describe("boundedText", () => {
  it("redacts every part and keeps the parts within the bound together", () => {
    const parts = boundedText(["password=hunter2hunter2 ok", "x".repeat(500), "never shown"], 200);
    expect(parts[0]).not.toContain("hunter2hunter2");
    expect(parts.join("").length).toBeLessThanOrEqual(200);
    expect(parts[1]).toMatch(/more characters cut\]$/);
    expect(parts).toHaveLength(2);
  });
});
