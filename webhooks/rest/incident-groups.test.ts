import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../store/index.ts";
import { openStore, upsertIncident } from "../../store/index.ts";
import { recordGroupMembership } from "../../store/incident-groups.ts";
import { testSidecar } from "../testing/sidecar.ts";
import type { TestSidecar } from "../testing/sidecar.ts";

const SHOP = "shop-reader";
const BANK = "bank-reader";
const KEY = "dependency:Service/shop/orders-db";

describe("REST incident groups on PGlite", () => {
  let db: Database;
  let t: TestSidecar;
  let incidentId: string;
  const get = (url: string, token?: string) =>
    t.app.inject({ method: "GET", url, headers: token ? { authorization: `Bearer ${token}` } : {} });

  beforeAll(async () => {
    db = await openStore({ dataDir: "memory://" });
    for (const [i, name] of ["a", "b", "c"].entries()) {
      const opened = await upsertIncident(db, {
        taskUid: `uid-${name}`,
        taskName: name,
        taskNamespace: "shop",
        resourceVersion: "5",
        status: "diagnosed",
        openedAt: `2026-12-07T01:00:0${i}Z`,
        fingerprint: `fp-${name}`,
        alertname: `Alert-${name}`,
        namespace: "shop",
      });
      if (name === "b") incidentId = opened.incidentId;
      await recordGroupMembership(db, {
        taskUid: `uid-${name}`,
        taskName: name,
        namespace: "shop",
        resourceVersion: "6",
        startedAt: `2026-12-07T01:00:0${i}Z`,
        group: {
          key: KEY,
          primary: "a",
          role: name === "a" ? "Primary" : "Member",
          summary: name === "a" ? "3 alerts, one root cause: orders-db" : undefined,
        },
      });
    }
  }, 120_000);
  afterAll(async () => db?.close());
  beforeEach(async () => {
    t = await testSidecar({}, { store: db });
    t.fake.users.set(SHOP, { username: "alice", allow: ["list sretasks shop", "get sretasks shop"] });
    t.fake.users.set(BANK, { username: "mallory", allow: ["list sretasks bank", "get sretasks bank"] });
  });
  afterEach(async () => t.close());

  it("lists a namespace's storms for a reader of its tasks, and nobody else's", async () => {
    const res = await get("/api/v1/incident-groups?namespace=shop", SHOP);
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      expect.objectContaining({ namespace: "shop", primaryTask: "a", key: KEY, size: 3 }),
    ]);
    expect((await get("/api/v1/incident-groups?namespace=shop", BANK)).statusCode).toBe(403);
    expect((await get("/api/v1/incident-groups", SHOP)).statusCode).toBe(403);
    expect((await get("/api/v1/incident-groups?namespace=shop")).statusCode).toBe(401);
    const bad = await get("/api/v1/incident-groups?namespace=shop&limit=0", SHOP);
    expect(bad.statusCode).toBe(400);
  });

  it("shows one storm with every alert, and the storm on a member's incident", async () => {
    const [group] = (await get("/api/v1/incident-groups?namespace=shop", SHOP)).json().items;
    const detail = await get(`/api/v1/incident-groups/${group.id}`, SHOP);
    expect(detail.statusCode).toBe(200);
    expect(
      detail.json().members.map((m: { taskName: string; role: string }) => `${m.taskName}:${m.role}`),
    ).toEqual(["a:Primary", "b:Member", "c:Member"]);
    expect((await get(`/api/v1/incident-groups/${group.id}`, BANK)).statusCode).toBe(403);
    expect((await get("/api/v1/incident-groups/00000000-0000-0000-0000-000000000000", SHOP)).statusCode).toBe(
      404,
    );
    const incident = await get(`/api/v1/incidents/${incidentId}`, SHOP);
    expect(incident.statusCode).toBe(200);
    expect(incident.json().group).toMatchObject({ primaryTask: "a", size: 3 });
  });
});
