// Static serving of the console build: index.html at /, hashed assets, the security headers, and
// the one-line 503 when the console was not built.
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Fastify from "fastify";
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KubeAuthorizer } from "../auth/kube-auth.ts";
import { KubeGateway } from "../gateway-kube.ts";
import { startFakeKube } from "../testing/fake-kube.ts";
import type { FakeKube } from "../testing/fake-kube.ts";
import { consolePlugin } from "./index.ts";
import { CONSOLE_CSP, NOT_BUILT } from "./static.ts";

let fake: FakeKube;
let dist: string;
const apps: FastifyInstance[] = [];

async function app(distDir: string): Promise<FastifyInstance> {
  const logger = pino({ level: "silent" });
  const a = Fastify();
  await a.register(consolePlugin, {
    kube: fake.kube,
    gateway: new KubeGateway(fake.kube.client, "aisre-system", logger),
    authorizer: new KubeAuthorizer(fake.kube.authn, fake.kube.authz, 10, logger),
    logger,
    defaultNamespace: "aisre-system",
    secure: true,
    authCacheSeconds: 10,
    distDir,
  });
  await a.ready();
  apps.push(a);
  return a;
}

beforeAll(async () => {
  fake = await startFakeKube();
  dist = await mkdtemp(path.join(tmpdir(), "aisre-console-dist-"));
  await mkdir(path.join(dist, "assets"));
  await writeFile(
    path.join(dist, "index.html"),
    '<!doctype html><script type="module" src="/assets/app-1a2b.js"></script>',
  );
  await writeFile(path.join(dist, "assets", "app-1a2b.js"), "console.log('console')");
});
afterAll(async () => {
  for (const a of apps) await a.close();
  await fake?.close();
  await rm(dist, { recursive: true, force: true });
});

describe("console static files", () => {
  it("serves index.html at / uncached and hashed assets for a year, with the security headers", async () => {
    const a = await app(dist);
    const index = await a.inject({ method: "GET", url: "/" });
    expect(index.statusCode).toBe(200);
    expect(index.headers["content-type"]).toMatch(/text\/html/);
    expect(index.body).toContain("/assets/app-1a2b.js");
    expect(index.headers["cache-control"]).toBe("no-cache");
    expect(index.headers["content-security-policy"]).toBe(CONSOLE_CSP);
    expect(index.headers["x-content-type-options"]).toBe("nosniff");
    expect(index.headers["referrer-policy"]).toBe("no-referrer");
    const asset = await a.inject({ method: "GET", url: "/assets/app-1a2b.js" });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers["cache-control"]).toContain("immutable");
    expect(asset.headers["content-security-policy"]).toBe(CONSOLE_CSP);
    expect((await a.inject({ method: "GET", url: "/assets/missing.js" })).statusCode).toBe(404);
  });

  it("answers / with a one-line 503 when the console was not built", async () => {
    const a = await app(path.join(dist, "nothing-here"));
    const res = await a.inject({ method: "GET", url: "/" });
    expect(res.statusCode).toBe(503);
    expect(res.body).toBe(NOT_BUILT);
    expect(res.body.trim().split("\n")).toHaveLength(1);
  });

  it("marks the session cookie Secure when the sidecar serves TLS", async () => {
    const a = await app(dist);
    fake.users.set("tls-user-token-0123456789", { username: "tls", allow: [] });
    const res = await a.inject({
      method: "POST",
      url: "/console/api/session",
      payload: { token: "tls-user-token-0123456789" },
    });
    expect(res.statusCode).toBe(200);
    expect(String(res.headers["set-cookie"])).toMatch(/; Secure/);
  });
});
