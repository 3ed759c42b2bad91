// Finding 5 of the trust-boundaries review: the REST limiter was keyed by the token's hash, so
// each forged token got a fresh bucket and every forged request reached TokenReview. Now the
// budget is spent per client address before authentication (AISRE_RATE_LIMIT_UNAUTHENTICATED)
// and per authenticated user after it (AISRE_RATE_LIMIT). TokenReviews are counted where they
// happen: the API server's own apiserver_request_total.
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { controlPlane, installCrds, itOnCluster, kubectl, useNamespace } from "../support/cluster.ts";
import { serviceAccountToken, startSidecar } from "../sidecar/support.ts";
import type { RunningSidecar } from "../sidecar/support.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);
const ns = useNamespace(cluster, "sec-rate");

/** TokenReviews the API server has answered so far (every code). */
async function tokenReviews(): Promise<number> {
  const metrics = await kubectl(cluster!, ["get", "--raw", "/metrics"]);
  if (metrics.code !== 0) throw new Error(`reading the API server's metrics: ${metrics.stderr}`);
  return metrics.stdout
    .split("\n")
    .filter((l) => l.startsWith("apiserver_request_total{") && l.includes('resource="tokenreviews"'))
    .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);
}

let sidecar: RunningSidecar;
let alice: string;
let bob: string;

/** GET /api/v1/tasks?namespace=ns from a given loopback address, with a bearer token. */
function list(token: string, from = "127.0.0.1"): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: sidecar.port,
        localAddress: from,
        path: `/api/v1/tasks?namespace=${ns.name}`,
        headers: { authorization: `Bearer ${token}` },
        agent: false,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("REST rate limits before and after authentication (finding 5)", () => {
  beforeAll(async () => {
    if (!cluster) return;
    await installCrds(cluster);
    const rules = [{ resources: ["sretasks"], verbs: ["get", "list"] }];
    alice = await serviceAccountToken(cluster, ns.name, "alice", rules);
    bob = await serviceAccountToken(cluster, ns.name, "bob", rules);
    sidecar = await startSidecar(cluster.kc, {
      namespace: ns.name,
      rateLimitPerMinute: 2,
      rateLimitUnauthenticatedPerMinute: 2,
      authCacheSeconds: 60,
    });
  });
  afterAll(async () => sidecar?.close());

  it("20 forged tokens at 2/min from one address: at most 2 reach TokenReview, the rest get 429", async () => {
    const before = await tokenReviews();
    const forged = Array.from({ length: 20 }, (_, i) => `forged-token-${i}-${Date.now()}`);
    const answers = await Promise.all(forged.map((t) => list(t)));
    const reviews = (await tokenReviews()) - before;
    expect(reviews).toBeLessThanOrEqual(2);
    const codes = answers.map((a) => a.status);
    expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(18);
    expect(codes.every((c) => c === 429 || c === 401)).toBe(true);
    const refused = answers.find((a) => a.status === 429)!;
    expect(JSON.parse(refused.body)).toMatchObject({
      error: "TooManyRequests",
      message: expect.stringContaining("unauthenticated requests from this address"),
    });
    // One more, after the flood: still no TokenReview.
    expect((await list("forged-token-late")).status).toBe(429);
    expect((await tokenReviews()) - before).toBe(reviews);
  });

  it("an authenticated user has a bucket of their own, which the forged flood does not spend", async () => {
    // Another address: its own unauthenticated budget admits alice's and bob's first reviews.
    expect((await list(alice, "127.0.0.2")).status).toBe(200);
    expect((await list(alice, "127.0.0.2")).status).toBe(200);
    const over = await list(alice, "127.0.0.2");
    expect(over.status).toBe(429);
    expect(JSON.parse(over.body).message).toMatch(/^rate limit of 2 requests per minute exceeded/);
    // alice's budget is spent, bob's is not.
    expect((await list(bob, "127.0.0.2")).status).toBe(200);
    // bob's token is reviewed: the flooded address lets it through to his own budget.
    expect((await list(bob, "127.0.0.1")).status).toBe(200);
    expect((await list(bob, "127.0.0.1")).status).toBe(429);
  });
});
