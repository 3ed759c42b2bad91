import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../store/index.ts";
import { openStore, recordDiagnosis, upsertIncident } from "../../store/index.ts";
import { testSidecar } from "../testing/sidecar.ts";
import type { TestSidecar } from "../testing/sidecar.ts";

let t: TestSidecar;
const ADMIN = "admin-token";
const VIEWER = "viewer-token";

function seed(s: TestSidecar): void {
  s.fake.users.set(ADMIN, {
    username: "alice",
    allow: [
      "list sretasks *",
      "get sretasks shop",
      "create sretasks shop",
      "get remediationplans shop",
      "patch remediationplans shop",
      "list agentconfigs shop",
      "get agentconfigs shop",
    ],
  });
  s.fake.users.set(VIEWER, { username: "bob", allow: ["get sretasks shop", "list sretasks shop"] });
  s.fake.put("sretasks", {
    apiVersion: "aisre.io/v1alpha1",
    kind: "SreTask",
    metadata: { name: "t1", namespace: "shop", managedFields: [{ manager: "x" }] },
    spec: { description: "checkout is slow" },
    status: { phase: "Diagnosing" },
  });
  s.fake.put("remediationplans", {
    apiVersion: "aisre.io/v1alpha1",
    kind: "RemediationPlan",
    metadata: { name: "p1", namespace: "shop" },
    spec: {
      steps: [
        {
          name: "restart",
          action: "RolloutRestart",
          target: { kind: "Deployment", namespace: "shop", name: "checkout" },
        },
      ],
    },
    status: { phase: "AwaitingApproval" },
  });
  s.fake.put("agentconfigs", {
    apiVersion: "aisre.io/v1alpha1",
    kind: "AgentConfig",
    metadata: { name: "default", namespace: "shop" },
    spec: {},
  });
}

const get = (url: string, token?: string) =>
  t.app.inject({ method: "GET", url, headers: token ? { authorization: `Bearer ${token}` } : {} });
const post = (url: string, token: string, body?: unknown) =>
  t.app.inject({
    method: "POST",
    url,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });

describe("REST facade on the fake API server", () => {
  beforeEach(async () => {
    t = await testSidecar();
    seed(t);
  });
  afterEach(async () => t.close());

  it("401 without a token or with one the API server rejects", async () => {
    const none = await get("/api/v1/tasks/shop/t1");
    expect(none.statusCode).toBe(401);
    expect(none.json().error).toBe("Unauthorized");
    expect((await get("/api/v1/tasks/shop/t1", "forged")).statusCode).toBe(401);
  });

  it("gets a task for a caller allowed to, without managedFields", async () => {
    const res = await get("/api/v1/tasks/shop/t1", VIEWER);
    expect(res.statusCode).toBe(200);
    expect(res.json().status.phase).toBe("Diagnosing");
    expect(res.json().metadata.managedFields).toBeUndefined();
  });

  it("403 naming the missing permission", async () => {
    const res = await get("/api/v1/tasks", VIEWER); // bob may list in shop only
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({
      error: "Forbidden",
      message: "bob may not list aisre.io sretasks cluster-wide",
    });
    expect((await get("/api/v1/tasks?namespace=shop", VIEWER)).json().items).toHaveLength(1);
  });

  it("404 for a missing task and 400 for a bad name", async () => {
    expect((await get("/api/v1/tasks/shop/nope", VIEWER)).statusCode).toBe(404);
    const bad = await get("/api/v1/tasks/shop/Not_A_Name", VIEWER);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe("name");
  });

  it("creates a task with requestedBy from the token, not from the body", async () => {
    const res = await post("/api/v1/tasks", ADMIN, { namespace: "shop", description: "重启 checkout" });
    expect(res.statusCode).toBe(201);
    const { namespace, name } = res.json();
    const created = t.fake.objects.get(`sretasks/${namespace}/${name}`)!;
    expect(created.spec).toMatchObject({
      source: "REST",
      requestedBy: "alice",
      description: "重启 checkout",
    });
    const forged = await post("/api/v1/tasks", ADMIN, {
      namespace: "shop",
      description: "x",
      requestedBy: "mallory",
    });
    expect(forged.statusCode).toBe(400);
    expect(forged.json().field).toBe("requestedBy");
    expect((await post("/api/v1/tasks", VIEWER, { namespace: "shop", description: "x" })).statusCode).toBe(
      403,
    );
    // A task may only target its own namespace.
    const across = await post("/api/v1/tasks", ADMIN, {
      namespace: "shop",
      description: "x",
      target: { kind: "Deployment", namespace: "bank", name: "ledger" },
    });
    expect(across.statusCode).toBe(400);
    expect(across.json().field).toBe("target.namespace");
  });

  it("approves a plan recording the caller, and refuses to flip the decision", async () => {
    expect((await post("/api/v1/plans/shop/p1/approve", VIEWER)).statusCode).toBe(403);
    const res = await post("/api/v1/plans/shop/p1/approve", ADMIN);
    expect(res.statusCode).toBe(200);
    const plan = t.fake.objects.get("remediationplans/shop/p1")!;
    // The caller's own patch (their token): decidedBy is who the token is; the operator copies it to status.
    expect(plan.spec!.approval).toEqual({ decision: "Approved", decidedBy: "alice" });
    expect(plan.status?.approval).toBeUndefined();
    const flip = await post("/api/v1/plans/shop/p1/reject", ADMIN);
    expect(flip.statusCode).toBe(409);
    expect(flip.json().error).toBe("Conflict");
    expect((await post("/api/v1/plans/shop/p1/approve", ADMIN)).statusCode).toBe(200); // idempotent
  });

  it("reads agent configs", async () => {
    expect((await get("/api/v1/agents?namespace=shop", ADMIN)).json().items[0].metadata.name).toBe("default");
    expect((await get("/api/v1/agents/shop/default", ADMIN)).statusCode).toBe(200);
    expect((await get("/api/v1/agents/shop/default", VIEWER)).statusCode).toBe(403);
  });

  it("answers 503 for incidents without a store", async () => {
    const res = await get("/api/v1/incidents", ADMIN);
    expect(res.statusCode).toBe(503);
    expect(res.json().message).toContain("DATABASE_URL");
  });

  it("fails a response that breaks its schema (500) instead of sending it", async () => {
    t.fake.put("sretasks", {
      metadata: { name: "bad", namespace: "shop" },
      spec: {},
      status: { phase: "Bogus" },
    } as never);
    const res = await get("/api/v1/tasks/shop/bad", VIEWER);
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: "InternalError", message: "internal error" });
  });

  it("503 with Retry-After when the API server is down", async () => {
    t.fake.down = 503;
    const res = await get("/api/v1/tasks/shop/t1", VIEWER);
    expect(res.statusCode).toBe(503);
    expect(res.headers["retry-after"]).toBe("5");
  });
});

describe("REST rate limiting", () => {
  beforeEach(async () => {
    t = await testSidecar({ rateLimitPerMinute: 2, rateLimitUnauthenticatedPerMinute: 2 });
    seed(t);
  });
  afterEach(async () => t.close());

  it("429 as a JSON error after the per-caller budget", async () => {
    await get("/api/v1/tasks/shop/t1", VIEWER);
    await get("/api/v1/tasks/shop/t1", VIEWER);
    const res = await get("/api/v1/tasks/shop/t1", VIEWER);
    expect(res.statusCode).toBe(429);
    expect(res.json().error).toBe("TooManyRequests");
    expect(res.headers["retry-after"]).toBeDefined();
    expect((await get("/api/v1/tasks/shop/t1", ADMIN)).statusCode).toBe(200); // another caller
    expect((await get("/healthz")).statusCode).toBe(200); // health is not limited
    // Forged tokens are limited before they cost a TokenReview.
    const reviews = () => t.fake.requests.filter((r) => r.path.endsWith("/tokenreviews")).length;
    await get("/api/v1/tasks/shop/t1", "forged-1");
    await get("/api/v1/tasks/shop/t1", "forged-1");
    const before = reviews();
    expect((await get("/api/v1/tasks/shop/t1", "forged-1")).statusCode).toBe(429);
    expect(reviews()).toBe(before);
    // However many tokens they forge: the address's budget is spent before any TokenReview.
    for (let i = 0; i < 10; i++)
      expect((await get("/api/v1/tasks/shop/t1", `forged-${i + 2}`)).statusCode).toBe(429);
    expect(reviews()).toBe(before);
    // A caller whose token was reviewed keeps its own budget (ADMIN has one request left).
    expect((await get("/api/v1/tasks/shop/t1", ADMIN)).statusCode).toBe(200);
  });
});

describe("REST incidents on PGlite", () => {
  let db: Database;
  let incidentId: string;
  beforeAll(async () => {
    db = await openStore({ dataDir: "memory://" });
    const opened = await upsertIncident(db, {
      taskUid: "11111111-1111-1111-1111-111111111111",
      taskName: "t1",
      taskNamespace: "shop",
      resourceVersion: "5",
      status: "open",
      openedAt: "2026-11-20T10:00:00Z",
      fingerprint: "0123456789abcdef",
      alertname: "KubePodCrashLooping",
      severity: "critical",
      namespace: "shop",
    });
    incidentId = opened.incidentId;
    await upsertIncident(db, {
      taskUid: "22222222-2222-2222-2222-222222222222",
      taskName: "t2",
      taskNamespace: "bank",
      resourceVersion: "6",
      status: "open",
      openedAt: "2026-11-20T11:00:00Z",
      namespace: "bank",
    });
    await recordDiagnosis(db, {
      diagnosisUid: "33333333-3333-3333-3333-333333333333",
      taskUid: "11111111-1111-1111-1111-111111111111",
      name: "t1-diag",
      namespace: "shop",
      phase: "Completed",
      resourceVersion: "7",
      startedAt: "2026-11-20T10:01:00Z",
      rootCause: "OOMKilled",
    });
  }, 60_000);
  afterAll(async () => db.close());
  beforeEach(async () => {
    t = await testSidecar({}, { store: db });
    seed(t);
  });
  afterEach(async () => t.close());

  it("lists with filters and pages", async () => {
    const all = await get("/api/v1/incidents?limit=1", ADMIN);
    expect(all.statusCode).toBe(200);
    expect(all.json().items).toHaveLength(1);
    expect(all.json().items[0].taskName).toBe("t2"); // newest first
    const next = await get(`/api/v1/incidents?limit=1&cursor=${all.json().nextCursor}`, ADMIN);
    expect(next.json().items[0].taskName).toBe("t1");
    expect(next.json().nextCursor).toBeNull();
    const shop = await get("/api/v1/incidents?namespace=shop&status=open&severity=critical", VIEWER);
    expect(shop.json().items.map((i: { taskName: string }) => i.taskName)).toEqual(["t1"]);
    expect((await get("/api/v1/incidents", VIEWER)).statusCode).toBe(403);
  });

  it("400 for a bad cursor or filter", async () => {
    const res = await get("/api/v1/incidents?cursor=garbage", ADMIN);
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe("cursor");
    expect((await get("/api/v1/incidents?status=closed", ADMIN)).json().field).toBe("status[0]");
  });

  it("gets one incident with its timeline, authorized on its task", async () => {
    const res = await get(`/api/v1/incidents/${incidentId}`, VIEWER);
    expect(res.statusCode).toBe(200);
    expect(res.json().timeline.map((e: { kind: string }) => e.kind)).toEqual(["opened", "diagnosis"]);
    expect(res.json().timeline[1].diagnosis.rootCause).toBe("OOMKilled");
    expect((await get("/api/v1/incidents/00000000-0000-0000-0000-000000000000", VIEWER)).statusCode).toBe(
      404,
    );
  });
});
