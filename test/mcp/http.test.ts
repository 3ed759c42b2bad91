// The MCP endpoint of the real sidecar (POST /api/v1/mcp) with the SDK's streamable HTTP client:
// ServiceAccount tokens from the TokenRequest API, TokenReview and SubjectAccessReview deciding
// every call exactly as for REST, incidents from a real PGlite store.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect } from "vitest";
import type { Database } from "../../store/index.ts";
import { migrate, upsertIncident } from "../../store/index.ts";
import { MEMORY_DATA_DIR, openPglite } from "../../store/pglite.ts";
import { controlPlane, installCrds, itOnCluster, useNamespace } from "../support/cluster.ts";
import { startSidecar } from "../sidecar/support.ts";
import type { RunningSidecar } from "../sidecar/support.ts";
import { SECRET, accountToken, crashLoopingCheckout, textOf } from "./support.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);
const ns = useNamespace(cluster, "mcp-http");
const other = useNamespace(cluster, "mcp-http-other");

let sidecar: RunningSidecar;
let store: Database;
let sre: string;
let outsider: string;
const clients: Client[] = [];

async function connect(token: string | undefined): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(`${sidecar.url}/api/v1/mcp`), {
    requestInit: { headers: token ? { authorization: `Bearer ${token}` } : {} },
  });
  const client = new Client({ name: "aisre-http-test", version: "1.0.0" });
  await client.connect(transport);
  clients.push(client);
  return client;
}

const checkout = { kind: "Deployment", namespace: "", name: "checkout" };

describe("MCP over streamable HTTP in the sidecar", () => {
  beforeAll(async () => {
    if (!cluster) return;
    await installCrds(cluster);
    await crashLoopingCheckout(cluster, ns.name);
    sre = await accountToken(cluster, ns.name, "sre", [
      { apiGroups: [""], resources: ["pods"], verbs: ["list"] },
      { apiGroups: ["aisre.io"], resources: ["sretasks"], verbs: ["get", "list"] },
      { apiGroups: ["aisre.io"], resources: ["remediationplans"], verbs: ["create", "get"] },
    ]);
    outsider = await accountToken(cluster, other.name, "outsider", [
      { apiGroups: [""], resources: ["pods"], verbs: ["list"] },
      { apiGroups: ["aisre.io"], resources: ["sretasks"], verbs: ["get", "list"] },
    ]);
    store = await openPglite(MEMORY_DATA_DIR);
    await migrate(store);
    const base = { resourceVersion: "1", status: "open" as const, category: "CrashLoop" };
    const target = { ...checkout, namespace: ns.name };
    await upsertIncident(store, {
      ...base,
      taskUid: "u1",
      taskName: "t1",
      taskNamespace: ns.name,
      namespace: ns.name,
      fingerprint: "fp-1",
      target,
      openedAt: "2026-03-01T08:00:00Z",
      summary: `checkout cannot reach ${"postgres://app:"}${SECRET}@db.shop:5432/orders`,
    });
    await upsertIncident(store, {
      ...base,
      taskUid: "u2",
      taskName: "t2",
      taskNamespace: ns.name,
      namespace: ns.name,
      fingerprint: "fp-2",
      target,
      openedAt: "2026-03-02T08:00:00Z",
    });
    await upsertIncident(store, {
      ...base,
      taskUid: "u3",
      taskName: "t3",
      taskNamespace: other.name,
      namespace: ns.name,
      fingerprint: "fp-3",
      target,
      openedAt: "2026-03-03T08:00:00Z",
    });
    sidecar = await startSidecar(cluster.kc, { namespace: ns.name, authCacheSeconds: 0 }, store);
  }, 180_000);
  afterAll(async () => {
    for (const c of clients) await c.close().catch(() => undefined);
    await sidecar?.close();
    await store?.close();
  });

  it("refuses a caller without a token, or with one the API server does not know, before MCP starts", async () => {
    await expect(connect(undefined)).rejects.toThrow(/401|Unauthorized|missing Authorization/);
    await expect(connect("not-a-token")).rejects.toThrow(/401|not accepted/);
    const get = await fetch(`${sidecar.url}/api/v1/mcp`, { headers: { authorization: `Bearer ${sre}` } });
    expect(get.status).toBe(405);
  });

  it("lists the tools and diagnoses the caller's namespace, the secret masked", async () => {
    const client = await connect(sre);
    expect((await client.listTools()).tools.map((t) => t.name)).toContain("diagnose");
    const result = await client.callTool({ name: "diagnose", arguments: { namespace: ns.name } });
    expect(result.isError).toBeFalsy();
    const contract = JSON.parse((result.content as { text: string }[])[1]!.text);
    expect(contract.rootCause).toMatchObject({ category: "CrashLoop", resource: { name: "checkout" } });
    expect(textOf(result)).toContain("postgres://app:***@db.shop");
    expect(textOf(result)).not.toContain(SECRET);
  });

  it("refuses a caller whose Kubernetes identity may not read the namespace", async () => {
    const client = await connect(outsider);
    const diagnose = await client.callTool({ name: "diagnose", arguments: { namespace: ns.name } });
    expect(diagnose.isError).toBe(true);
    expect(textOf(diagnose)).toMatch(
      new RegExp(
        `forbidden: system:serviceaccount:${other.name}:outsider may not list (aisre.io )?pods in namespace ${ns.name}`,
      ),
    );
    const incidents = await client.callTool({ name: "list_incidents", arguments: { namespace: ns.name } });
    expect(textOf(incidents)).toMatch(/^forbidden: .* may not list aisre.io sretasks/);
  });

  it("reads incidents as REST does: redacted, and similar ones only where the caller may look", async () => {
    const client = await connect(sre);
    const list = JSON.parse(
      textOf(await client.callTool({ name: "list_incidents", arguments: { namespace: ns.name } })),
    );
    const first = list.items.find((i: { taskName: string }) => i.taskName === "t1");
    expect(first.summary).toContain("postgres://app:***@");
    const similar = JSON.parse(
      textOf(await client.callTool({ name: "similar_incidents", arguments: { id: first.id } })),
    );
    // t2 (same category, same workload) is visible; t3's task lives where the caller may not list.
    expect(similar.items.map((s: { incident: { taskName: string } }) => s.incident.taskName)).toEqual(["t2"]);
    expect(similar.hidden).toBe(1);
    const resource = await client.readResource({ uri: `aisre://incidents/${first.id}` });
    expect((resource.contents[0] as { text: string }).text).toContain(first.id);
    await expect(client.callTool({ name: "get_incident", arguments: { id: "nope" } })).rejects.toMatchObject({
      code: -32602,
      message: expect.stringMatching(/id must match pattern/),
    });
  });

  it("propose_plan creates a plan recorded as the caller's request, never approved", async () => {
    const client = await connect(sre);
    const result = await client.callTool({
      name: "propose_plan",
      arguments: {
        namespace: ns.name,
        description: "restart checkout",
        steps: [
          { name: "restart", action: "RolloutRestart", target: { kind: "Deployment", name: "checkout" } },
        ],
      },
    });
    expect(result.isError).toBeFalsy();
    const name = /RemediationPlan [^/]+\/(\S+)\./.exec(textOf(result))![1]!;
    const plan = (await cluster!.objects.read({
      apiVersion: "aisre.io/v1alpha1",
      kind: "RemediationPlan",
      metadata: { namespace: ns.name, name },
    })) as { spec: { approval?: unknown }; metadata: { annotations?: Record<string, string> } };
    expect(plan.spec.approval).toBeUndefined();
    expect(plan.metadata.annotations?.["aisre.io/requested-by"]).toBe(`system:serviceaccount:${ns.name}:sre`);
    const outsiderClient = await connect(outsider);
    const denied = await outsiderClient.callTool({
      name: "propose_plan",
      arguments: {
        namespace: ns.name,
        description: "x",
        steps: [
          { name: "restart", action: "RolloutRestart", target: { kind: "Deployment", name: "checkout" } },
        ],
      },
    });
    expect(textOf(denied)).toMatch(/^forbidden: .* may not create aisre.io remediationplans/);
  });
});
