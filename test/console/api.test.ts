// The console API on the real API server: sign-in by TokenReview of real ServiceAccount tokens
// (TokenRequest API, minted for the sidecar and the API server), a reader who sees only their
// namespace, a non-approver refused by the API server, an approver whose decision lands with
// their identity, and Ask creating an SreTask with the user's own token.
import { afterAll, beforeAll, describe, expect } from "vitest";
import type { RemediationPlan, SreTask } from "../../crds/index.ts";
import type { Database } from "../../store/index.ts";
import { upsertIncident } from "../../store/index.ts";
import { migrate } from "../../store/migrate.ts";
import { MEMORY_DATA_DIR, openPglite } from "../../store/pglite.ts";
import { controlPlane, installCrds, itOnCluster, useNamespace } from "../support/cluster.ts";
import { serviceAccountToken, startSidecar } from "../sidecar/support.ts";
import type { RunningSidecar } from "../sidecar/support.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);
const ns = useNamespace(cluster, "con");
const other = useNamespace(cluster, "con-other");
// Console tokens serve two audiences: the sidecar's (sign-in) and the API server's (the user's writes).
const AUDIENCES = ["aisre-sidecar", "https://kubernetes.default.svc"];
const READ = ["get", "list", "watch"];

let sidecar: RunningSidecar;
let db: Database;
let reader: string;
let approver: string;
const incidents: Record<string, string> = {};

interface Session {
  cookie: string;
  csrf: string;
  username: string;
}

async function signIn(token: string): Promise<Session> {
  const res = await fetch(`${sidecar.url}/console/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token }),
  });
  const body = (await res.json()) as { csrfToken: string; user: { username: string } };
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(body)}`);
  const cookie = res.headers
    .getSetCookie()
    .find((c) => c.startsWith("aisre_console="))!
    .split(";")[0]!;
  return { cookie, csrf: body.csrfToken, username: body.user.username };
}

const call = (s: Session, method: string, path: string, body?: unknown) =>
  fetch(`${sidecar.url}/console/api${path}`, {
    method,
    headers: {
      cookie: s.cookie,
      "x-csrf-token": s.csrf,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** Reads a console event stream until done(text) or 30 s, then closes it. */
async function readStream(
  s: Session,
  path: string,
  headers: Record<string, string>,
  done: (text: string) => boolean,
): Promise<string> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 30_000);
  const res = await fetch(`${sidecar.url}/console/api${path}`, {
    headers: { cookie: s.cookie, ...headers },
    signal: abort.signal,
  });
  expect(res.headers.get("content-type")).toContain("text/event-stream");
  const reader = res.body!.getReader();
  let text = "";
  try {
    while (!done(text)) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      text += new TextDecoder().decode(value);
    }
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  return text;
}

async function plan(name: string): Promise<RemediationPlan> {
  return (await cluster!.objects.read({
    apiVersion: "aisre.io/v1alpha1",
    kind: "RemediationPlan",
    metadata: { name, namespace: ns.name },
  })) as unknown as RemediationPlan;
}

describe("console API with Kubernetes identity", () => {
  beforeAll(async () => {
    if (!cluster) return;
    await installCrds(cluster);
    reader = await serviceAccountToken(
      cluster,
      ns.name,
      "reader",
      [{ resources: ["sretasks", "remediationplans", "agentconfigs", "runbooks"], verbs: READ }],
      AUDIENCES,
    );
    approver = await serviceAccountToken(
      cluster,
      ns.name,
      "approver",
      [
        { resources: ["sretasks"], verbs: [...READ, "create"] },
        { resources: ["remediationplans"], verbs: [...READ, "patch", "approve"] },
      ],
      AUDIENCES,
    );
    db = await openPglite(MEMORY_DATA_DIR);
    await migrate(db);
    for (const namespace of [ns.name, other.name]) {
      const { incidentId } = await upsertIncident(db, {
        taskUid: `uid-${namespace}`,
        taskName: "checkout-crashloop",
        taskNamespace: namespace,
        resourceVersion: "1",
        status: "diagnosed",
        severity: "critical",
        openedAt: new Date().toISOString(),
        summary: "checkout 一直重启",
        rootCause: "checkout v2.3.1 crash-loops",
        category: "CrashLoop",
      });
      incidents[namespace] = incidentId;
    }
    sidecar = await startSidecar(
      cluster.kc,
      { namespace: ns.name, tokenAudience: "aisre-sidecar", authCacheSeconds: 1 },
      db,
    );
  }, 180_000);
  afterAll(async () => {
    await sidecar?.close();
    await db?.close();
  });

  it("signs in by TokenReview of a real ServiceAccount token and says which API server refused a bad one", async () => {
    const s = await signIn(reader);
    expect(s.username).toBe(`system:serviceaccount:${ns.name}:reader`);
    const me = await call(s, "GET", "/session");
    expect(((await me.json()) as { apiServer: string }).apiServer).toBe(
      cluster!.kc.getCurrentCluster()!.server,
    );
    const bad = await fetch(`${sidecar.url}/console/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: "eyJhbGciOiJSUzI1NiJ9.bm90LWEtdG9rZW4.c2ln" }),
    });
    expect(bad.status).toBe(401);
    const body = (await bad.json()) as { error: string; message: string };
    expect(body.error).toBe("invalid_token");
    expect(body.message).toContain(
      `the API server ${cluster!.kc.getCurrentCluster()!.server} rejected this token`,
    );
  });

  it("shows a reader only the namespace RBAC lets them read", async () => {
    const s = await signIn(reader);
    const namespaces = (await (await call(s, "GET", "/namespaces")).json()) as { items: { name: string }[] };
    expect(namespaces.items.map((n) => n.name)).toEqual([ns.name]);
    expect(namespaces.items[0]).toMatchObject({ canApprove: false, canAsk: false });
    const list = (await (await call(s, "GET", "/incidents")).json()) as {
      items: { id: string; namespace: string }[];
    };
    expect(list.items.map((i) => i.namespace)).toEqual([ns.name]);
    expect((await call(s, "GET", `/incidents/${incidents[ns.name]}`)).status).toBe(200);
    expect((await call(s, "GET", `/incidents/${incidents[other.name]}`)).status).toBe(404);
    expect((await call(s, "GET", `/incidents?namespace=${other.name}`)).status).toBe(403);
  });

  it("refuses a non-approver's approval in the API server's words; records an approver's with their identity", async () => {
    await cluster!.objects.create({
      apiVersion: "aisre.io/v1alpha1",
      kind: "RemediationPlan",
      metadata: { name: "restart-checkout", namespace: ns.name },
      spec: {
        description: "restart checkout",
        steps: [
          {
            name: "restart",
            action: "RolloutRestart",
            target: { kind: "Deployment", namespace: ns.name, name: "checkout" },
          },
        ],
      },
    } as never);
    const r = await signIn(reader);
    const plans = (await (await call(r, "GET", "/plans")).json()) as {
      items: { name: string; canApprove: boolean }[];
    };
    expect(plans.items).toEqual([expect.objectContaining({ name: "restart-checkout", canApprove: false })]);
    const refused = await call(r, "POST", `/plans/${ns.name}/restart-checkout/approve`, { reason: "go" });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toContain(r.username);
    expect((await plan("restart-checkout")).spec.approval).toBeUndefined();

    const a = await signIn(approver);
    const ok = await call(a, "POST", `/plans/${ns.name}/restart-checkout/approve`, {
      reason: "v2.3.1 is bad",
    });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { canApprove: boolean }).canApprove).toBe(true);
    // Made with the approver's own token: the admission policy checked decidedBy is them.
    expect((await plan("restart-checkout")).spec.approval).toEqual({
      decision: "Approved",
      decidedBy: a.username,
      comment: "v2.3.1 is bad",
    });
    const reject = await call(a, "POST", `/plans/${ns.name}/restart-checkout/reject`, {});
    expect(reject.status).toBe(400);
    expect(await reject.json()).toMatchObject({ field: "reason" });
  });

  it("asks with the user's own token: the reader is refused, the approver's SreTask says who asked", async () => {
    const question = { question: "为什么 checkout 一直重启?", namespace: ns.name };
    const refused = await call(await signIn(reader), "POST", "/ask", question);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toContain("cannot create resource");
    const a = await signIn(approver);
    const res = await call(a, "POST", "/ask", question);
    expect(res.status).toBe(201);
    const { name } = (await res.json()) as { name: string };
    const task = (await cluster!.objects.read({
      apiVersion: "aisre.io/v1alpha1",
      kind: "SreTask",
      metadata: { name, namespace: ns.name },
    })) as unknown as SreTask;
    // Its progress streams: the reconnect delay, then the phase with the resourceVersion as id.
    const first = await readStream(a, `/tasks/${ns.name}/${name}/stream`, {}, (text) =>
      text.includes("event: phase"),
    );
    expect(first).toMatch(/^retry: 3000\n/);
    const id = /id: (\d+)\nevent: phase/.exec(first)?.[1];
    // The version read above, or a later one when an operator watching every namespace moved it.
    expect(Number(id)).toBeGreaterThanOrEqual(Number(task.metadata.resourceVersion));
    // A reconnect that saw this version (Last-Event-ID) gets no repeat of it (later ones, if any).
    const resumed = await readStream(
      a,
      `/tasks/${ns.name}/${name}/stream`,
      { "last-event-id": id! },
      (text) => text.includes(": ping"),
    );
    expect(resumed).not.toContain(`id: ${id}\n`);
    expect(task.spec).toMatchObject({
      source: "Console",
      requestedBy: a.username,
      description: question.question,
    });
  });
});
