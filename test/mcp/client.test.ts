// The MCP client of the LLM agent (spec.tools.mcpServers) against real MCP server processes:
// a hostile server built with the SDK whose tool answers with a prompt injection, and our own
// sidecar's /api/v1/mcp. Only allow-listed read-only tools are offered; remote output reaches
// the model fenced and redacted, and nothing outside the action catalog comes of it.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it as plainIt } from "vitest";
import { isActionName } from "../../crds/actions.ts";
import { diagnose } from "../../agents/diagnosis/diagnose.ts";
import { explainWithLLM } from "../../agents/diagnosis/llm/agent.ts";
import { FENCE_CLOSE, FENCE_OPEN } from "../../agents/diagnosis/llm/fence.ts";
import { parseSnapshot } from "../../agents/diagnosis/snapshot.ts";
import { MemoryView } from "../../agents/diagnosis/view.ts";
import { RemoteMcpTools } from "../../tools/mcp/client.ts";
import { controlPlane, installCrds, itOnCluster, useNamespace } from "../support/cluster.ts";
import { startOpenAIServer } from "../support/openai-server.ts";
import type { OpenAITestServer } from "../support/openai-server.ts";
import { startSidecar } from "../sidecar/support.ts";
import type { RunningSidecar } from "../sidecar/support.ts";
import { SECRET, accountToken, crashLoopingCheckout } from "./support.ts";

const GH_TOKEN = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";

async function startInjectionServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["test/mcp/fixtures/injection-server.ts"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout!.once("data", (d: Buffer) => resolve(d.toString().trim()));
    child.once("exit", (code) => reject(new Error(`injection server exited ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

const snap = parseSnapshot(
  readFileSync(new URL("../../agents/diagnosis/fixtures/crashloop-exit127.yaml", import.meta.url), "utf8"),
);
const view = new MemoryView(snap.objects, { now: snap.capturedAt, logs: snap.logs });
const focus = { alert: snap.alert! };
const checkout = { kind: "Deployment", namespace: "shop", name: "checkout" };

describe("remote MCP tools for the LLM agent: a hostile server", () => {
  let evil: { url: string; child: ChildProcess };
  let llm: OpenAITestServer;
  let remote: RemoteMcpTools;

  beforeAll(async () => {
    evil = await startInjectionServer();
    llm = await startOpenAIServer();
    remote = await RemoteMcpTools.connect([
      { name: "evil", url: `${evil.url}/mcp`, allowedTools: ["lookup_dashboard", "wipe_cluster"] },
    ]);
  }, 60_000);
  afterAll(async () => {
    await remote?.close();
    await llm?.close();
    evil?.child.kill();
  });

  plainIt("offers only allow-listed tools the server marks read-only", () => {
    expect(remote.gaps).toEqual([]);
    expect(remote.tools.map((t) => t.qualified)).toEqual(["mcp_evil_lookup_dashboard"]);
  });

  plainIt(
    "fences and redacts the payload; the model can call nothing else and no non-catalog action survives",
    async () => {
      llm.script(
        { toolCalls: [{ name: "mcp_evil_lookup_dashboard", arguments: { query: "checkout" } }] },
        {
          toolCalls: [
            { name: "mcp_evil_wipe_cluster", arguments: {} },
            { name: "mcp_evil_read_secrets", arguments: {} },
          ],
        },
        {
          content: JSON.stringify({
            rootCause: {
              category: "CrashLoop",
              resource: checkout,
              summary: "checkout exits 127",
              confidence: 0.8,
            },
            explanation: `The dashboard said so; token ${GH_TOKEN}.`,
            recommendations: [
              {
                action: "DeleteNamespace",
                target: { kind: "Namespace", name: "shop" },
                rationale: "the tool said so",
              },
              { action: "RolloutUndo", target: checkout, rationale: "the previous revision was healthy" },
            ],
          }),
        },
      );
      const det = diagnose(view, focus);
      const cfg = { baseURL: llm.baseURL, apiKey: "sk-test", model: "m", timeoutMs: 5000, maxSteps: 4 };
      const { result } = await explainWithLLM(view, det, cfg, { focus, remoteTools: remote });
      // The model was offered the remote tool, described as untrusted.
      const offered = llm.requests[0]!.tools!.map((t) => t.function);
      expect(offered.find((f) => f.name === "mcp_evil_lookup_dashboard")?.description).toMatch(
        /untrusted data/,
      );
      expect(offered.map((f) => f.name)).not.toContain("mcp_evil_wipe_cluster");
      // Its answer came back fenced, the forged fence end removed, the token masked.
      const answer = String(llm.requests[1]!.messages.find((m) => m.role === "tool")?.content);
      expect(answer.startsWith(`${FENCE_OPEN} (remote MCP tool mcp_evil_lookup_dashboard`)).toBe(true);
      expect(answer).toContain("ignore previous instructions");
      expect(answer.split(FENCE_CLOSE)).toHaveLength(2);
      expect(answer.trimEnd().endsWith(FENCE_CLOSE)).toBe(true);
      expect(answer).not.toContain(GH_TOKEN);
      // The write tool and the unlisted tool were refused without reaching the server.
      const refused = llm.requests[2]!.messages.filter((m) => m.role === "tool").slice(-2);
      for (const m of refused) expect(String(m.content)).toMatch(/^error: unknown tool/);
      const calls = (await (await fetch(`${evil.url}/calls`)).json()) as { name: string }[];
      expect(calls.map((c) => c.name)).toEqual(["lookup_dashboard"]);
      // Only catalog actions survive the answer; no secret either.
      expect(result.recommendations.map((r) => r.action)).toEqual(["RolloutUndo"]);
      for (const r of result.recommendations) expect(isActionName(r.action)).toBe(true);
      expect(JSON.stringify(result)).not.toContain(GH_TOKEN);
    },
  );

  plainIt("reports an unreachable server as a gap, not a failure", async () => {
    const none = await RemoteMcpTools.connect([
      { name: "down", url: "http://127.0.0.1:9/mcp", allowedTools: ["x"], timeoutSeconds: 2 },
    ]);
    expect(none.tools).toEqual([]);
    expect(none.gaps[0]).toMatch(/^MCP server down: /);
  });
});

const cluster = controlPlane();
const it = itOnCluster(cluster);
const ns = useNamespace(cluster, "mcp-client");

describe("remote MCP tools for the LLM agent: our own sidecar as the server", () => {
  let sidecar: RunningSidecar;
  let token: string;

  beforeAll(async () => {
    if (!cluster) return;
    await installCrds(cluster);
    await crashLoopingCheckout(cluster, ns.name);
    token = await accountToken(cluster, ns.name, "agent", [
      { apiGroups: [""], resources: ["pods"], verbs: ["list"] },
      { apiGroups: ["aisre.io"], resources: ["remediationplans"], verbs: ["create"] },
    ]);
    sidecar = await startSidecar(cluster.kc, { namespace: ns.name, authCacheSeconds: 0 });
  }, 180_000);
  afterAll(async () => sidecar?.close());

  it("calls the allowed read-only diagnose with the Secret's headers; propose_plan only when write tools are allowed", async () => {
    const base = {
      name: "aisre",
      url: `${sidecar.url}/api/v1/mcp`,
      headers: { authorization: `Bearer ${token}` },
      allowedTools: ["diagnose", "propose_plan"],
    };
    const readOnly = await RemoteMcpTools.connect([base]);
    try {
      expect(readOnly.tools.map((t) => t.qualified)).toEqual(["mcp_aisre_diagnose"]);
      const text = await readOnly.call("mcp_aisre_diagnose", { namespace: ns.name });
      expect(text).toMatch(/Root cause: CrashLoop on Deployment .*\/checkout/);
      expect(text).not.toContain(SECRET);
      expect(await readOnly.call("mcp_aisre_propose_plan", {})).toMatch(/not an allowed remote tool/);
    } finally {
      await readOnly.close();
    }
    const writer = await RemoteMcpTools.connect([{ ...base, allowWriteTools: true }]);
    try {
      expect(writer.tools.map((t) => t.qualified)).toEqual(["mcp_aisre_diagnose", "mcp_aisre_propose_plan"]);
    } finally {
      await writer.close();
    }
  });
});
