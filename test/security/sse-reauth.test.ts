// An SSE stream was authorized once, when it opened, and then streamed for as long as the
// connection lived. Now each time the token's review expires (AISRE_AUTH_CACHE_SECONDS) the
// caller is authenticated and authorized again on the real API server: a stream whose token is
// revoked (its ServiceAccount deleted) or whose RBAC access is removed (its RoleBinding
// deleted) ends with a `denied` event saying why.
import { RbacAuthorizationV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { controlPlane, installCrds, itOnCluster, useNamespace } from "../support/cluster.ts";
import { serviceAccountToken, startSidecar } from "../sidecar/support.ts";
import type { RunningSidecar } from "../sidecar/support.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);
const ns = useNamespace(cluster, "sec-sse");
const RULES = [{ resources: ["sretasks"], verbs: ["get", "watch"] }];

let sidecar: RunningSidecar;

/** Opens the task's event stream and collects its events until the server ends it. */
async function openStream(token: string) {
  const res = await fetch(`${sidecar.url}/api/v1/tasks/${ns.name}/watched/events`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  const events: { event: string; data: Record<string, unknown> }[] = [];
  let text = "";
  const ended = (async () => {
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      text += value;
      for (const m of text.matchAll(/event: (\w+)\ndata: (.*)\n\n/g))
        events.push({ event: m[1]!, data: JSON.parse(m[2]!) });
      text = text.slice(text.lastIndexOf("\n\n") + 2);
    }
  })();
  return { events, ended };
}

/** Resolves when p does, or fails after ms. */
const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms)),
  ]);

describe("SSE streams are authorized again when the review expires", () => {
  beforeAll(async () => {
    if (!cluster) return;
    await installCrds(cluster);
    await cluster.objects.create({
      apiVersion: "aisre.io/v1alpha1",
      kind: "SreTask",
      metadata: { name: "watched", namespace: ns.name },
      spec: { description: "watch me" },
    } as never);
    sidecar = await startSidecar(cluster.kc, { namespace: ns.name, authCacheSeconds: 1 });
  });
  afterAll(async () => sidecar?.close());

  it("ends the stream with `denied` (403) once the caller's RoleBinding is deleted", async () => {
    const token = await serviceAccountToken(cluster!, ns.name, "unbound", RULES);
    const stream = await openStream(token);
    // Still allowed: the stream outlives several reviews.
    await new Promise((r) => setTimeout(r, 2500));
    expect(stream.events.map((e) => e.event)).toEqual(["phase"]);
    const rbac = cluster!.kc.makeApiClient(RbacAuthorizationV1Api);
    await rbac.deleteNamespacedRoleBinding({ name: "unbound", namespace: ns.name });
    await within(stream.ended, 10_000, "the stream to end");
    const last = stream.events.at(-1)!;
    expect(last.event).toBe("denied");
    expect(last.data.status).toBe(403);
    expect(String(last.data.message)).toContain(
      `system:serviceaccount:${ns.name}:unbound may not get aisre.io sretasks in namespace ${ns.name}`,
    );
  });

  it("ends the stream with `denied` (401) once the token is revoked", async () => {
    const token = await serviceAccountToken(cluster!, ns.name, "revoked", RULES);
    const stream = await openStream(token);
    await new Promise((r) => setTimeout(r, 500));
    expect(stream.events.map((e) => e.event)).toEqual(["phase"]);
    await cluster!.core.deleteNamespacedServiceAccount({ name: "revoked", namespace: ns.name });
    // The API server itself caches a token's authentication for up to 10 s.
    await within(stream.ended, 25_000, "the stream to end");
    const last = stream.events.at(-1)!;
    expect(last.event).toBe("denied");
    expect(last.data.status).toBe(401);
    expect(String(last.data.message)).toContain("not accepted by the Kubernetes API server");
  });
});
