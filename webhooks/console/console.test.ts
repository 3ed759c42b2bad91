// The console API on the fake API server (real HTTP, real client-node) and PGlite: sign-in,
// cookie flags, CSRF, 401/403/404 shapes, namespace filtering, security headers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../store/index.ts";
import { upsertIncident } from "../../store/index.ts";
import { migrate } from "../../store/migrate.ts";
import { MEMORY_DATA_DIR, openPglite } from "../../store/pglite.ts";
import { testSidecar } from "../testing/sidecar.ts";
import type { TestSidecar } from "../testing/sidecar.ts";
import { CONSOLE_CSP } from "./static.ts";

let sidecar: TestSidecar;
let db: Database;
const ids: Record<string, string> = {};

const READER = "reader-token-0123456789";
const NOBODY = "nobody-token-0123456789";

beforeAll(async () => {
  db = await openPglite(MEMORY_DATA_DIR);
  await migrate(db);
  for (const [ns, summary] of [
    ["shop", "checkout 一直重启"],
    ["payments", "ledger 一直重启"],
  ] as const) {
    const { incidentId } = await upsertIncident(db, {
      taskUid: `uid-${ns}`,
      taskName: `task-${ns}`,
      taskNamespace: ns,
      resourceVersion: "1",
      status: "open",
      severity: "critical",
      openedAt: new Date().toISOString(),
      summary,
    });
    ids[ns] = incidentId;
  }
  sidecar = await testSidecar({}, { store: db });
  sidecar.fake.users.set(READER, {
    username: "reader",
    groups: ["sre"],
    allow: ["list sretasks shop", "get sretasks shop", "create sretasks shop"],
  });
  sidecar.fake.users.set(NOBODY, { username: "nobody", allow: [] });
}, 120_000);
afterAll(async () => {
  await sidecar?.close();
  await db?.close();
});

async function signIn(token: string) {
  const res = await sidecar.app.inject({ method: "POST", url: "/console/api/session", payload: { token } });
  const cookie = res.cookies.find((c) => c.name === "aisre_console");
  return { res, cookie: cookie ? `aisre_console=${cookie.value}` : "", body: res.json() };
}

const get = (url: string, cookie: string) => sidecar.app.inject({ method: "GET", url, headers: { cookie } });

describe("console sign-in", () => {
  it("names the missing field, and says which API server rejected a bad token", async () => {
    const missing = await sidecar.app.inject({ method: "POST", url: "/console/api/session", payload: {} });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ field: "token" });
    const { res, body } = await signIn("not-a-token");
    expect(res.statusCode).toBe(401);
    expect(body.error).toBe("invalid_token");
    expect(body.apiServer).toMatch(/^https?:\/\//);
    expect(body.message).toBe(`the API server ${body.apiServer} rejected this token: not authenticated`);
    expect(res.cookies).toHaveLength(0);
  });

  it("sets an HttpOnly SameSite=Strict session cookie and never returns the token", async () => {
    const { res, body, cookie } = await signIn(READER);
    expect(res.statusCode).toBe(200);
    expect(body.user).toEqual({ username: "reader", groups: ["sre"] });
    expect(body.csrfToken).toMatch(/^[\w-]{40,}$/);
    expect(JSON.stringify(body)).not.toContain(READER);
    const header = String(res.headers["set-cookie"]);
    expect(header).toMatch(/HttpOnly/);
    expect(header).toMatch(/SameSite=Strict/);
    expect(header).toMatch(/Path=\//);
    expect(header).not.toMatch(/Secure/);
    expect(header).not.toContain(READER);
    expect((await get("/console/api/session", cookie)).json()).toMatchObject({
      user: { username: "reader" },
    });
  });

  it("answers 401 without a session and ends one on sign-out", async () => {
    const none = await get("/console/api/incidents", "");
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ error: "Unauthorized" });
    const forged = await get("/console/api/session", "aisre_console=forged");
    expect(forged.statusCode).toBe(401);
    const { cookie, body } = await signIn(READER);
    const out = await sidecar.app.inject({
      method: "DELETE",
      url: "/console/api/session",
      headers: { cookie, "x-csrf-token": body.csrfToken },
    });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers["set-cookie"])).toMatch(/aisre_console=;/);
    expect((await get("/console/api/session", cookie)).statusCode).toBe(401);
  });

  it("refuses a mutating call without the session's CSRF token", async () => {
    const { cookie, body } = await signIn(READER);
    const ask = (headers: Record<string, string>) =>
      sidecar.app.inject({
        method: "POST",
        url: "/console/api/ask",
        headers: { cookie, ...headers },
        payload: { question: "为什么 checkout 一直重启?", namespace: "shop" },
      });
    for (const headers of [{}, { "x-csrf-token": "wrong" }] as Record<string, string>[]) {
      const res = await ask(headers);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ error: "csrf" });
    }
    expect(sidecar.fake.writes().filter((w) => w.method === "POST")).toHaveLength(0);
    const ok = await ask({ "x-csrf-token": body.csrfToken });
    expect(ok.statusCode).toBe(201);
    const { namespace, name } = ok.json();
    expect(namespace).toBe("shop");
    const task = sidecar.fake.objects.get(`sretasks/shop/${name}`);
    expect(task?.spec).toMatchObject({ source: "Console", requestedBy: "reader" });
    // Through the console's own write path (the user's token; test/console/api.test.ts proves RBAC).
    const write = sidecar.fake.writes().find((w) => w.method === "POST");
    expect(write?.query.get("fieldManager")).toBe("aisre-console");
  });
});

describe("console reads follow the user's RBAC", () => {
  it("lists only readable namespaces and their incidents, Chinese search included", async () => {
    const { cookie } = await signIn(READER);
    const ns = (await get("/console/api/namespaces", cookie)).json();
    expect(ns.items).toEqual([
      { name: "shop", canRead: true, canApprove: false, canAsk: true, canEditAgents: false },
    ]);
    const list = (await get(`/console/api/incidents?q=${encodeURIComponent("一直重启")}`, cookie)).json();
    expect(list).toMatchObject({ total: 1, page: 1, pageSize: 20 });
    expect(list.items.map((i: { namespace: string }) => i.namespace)).toEqual(["shop"]);
    const other = await get("/console/api/incidents?namespace=payments", cookie);
    expect(other.statusCode).toBe(403);
    expect(other.json().message).toContain("reader may not list");
    const bad = await get("/console/api/incidents?pageSize=9999", cookie);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ field: "pageSize" });
  });

  it("answers 404 alike for an unknown incident and one the user may not read", async () => {
    const { cookie } = await signIn(READER);
    const own = await get(`/console/api/incidents/${ids.shop}`, cookie);
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({
      incident: { summary: "checkout 一直重启" },
      task: { namespace: "shop" },
    });
    const hidden = await get(`/console/api/incidents/${ids.payments}`, cookie);
    const unknown = await get("/console/api/incidents/00000000-0000-0000-0000-000000000001", cookie);
    expect(hidden.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(hidden.json().error).toBe(unknown.json().error);
  });

  it("shows a user without rights nothing", async () => {
    const { cookie } = await signIn(NOBODY);
    expect((await get("/console/api/namespaces", cookie)).json()).toEqual({ items: [] });
    expect((await get("/console/api/incidents", cookie)).json()).toMatchObject({ items: [], total: 0 });
    const overview = (await get("/console/api/overview?days=30", cookie)).json();
    expect(overview).toMatchObject({ openIncidents: 0, tasksByPhase: {}, agents: [] });
  });

  it("puts the CSP and security headers on every console response", async () => {
    const { cookie } = await signIn(READER);
    for (const res of [await get("/console/api/namespaces", cookie), await get("/console/api/session", "")]) {
      expect(res.headers["content-security-policy"]).toBe(CONSOLE_CSP);
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["referrer-policy"]).toBe("no-referrer");
    }
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toMatch(/unsafe-eval|https?:/);
  });
});
